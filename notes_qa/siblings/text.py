"""Tokens and sentences for the family step (plain regular expressions: fast, offset-exact)."""
from __future__ import annotations

import re
from bisect import bisect_right

#: A word: letters/digits, with inner apostrophes ("didn't", "Rhys's").
TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*")
#: A sentence ends after . ! ? (and any closing quotes/brackets) before whitespace, or at a newline.
SENT_END_RE = re.compile(r"""[.!?]+["'”’)\]]*(?=\s)|\n\s*\n|\n(?=\s*[-*•\d])|(?<=[:;])\n""")
#: A line that is only an entry header (a date, optionally with time/author/type).
HEADER_DATE_RE = re.compile(
    r"\b(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|"
    r"sep|oct|nov|dec)[a-z]*\.?\s+\d{2,4})", re.I)
POSSESSIVE_RE = re.compile(r"['’]s$", re.I)


def sentence_bounds(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]`` as absolute (start, end), whitespace trimmed."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in SENT_END_RE.finditer(text, start, end):
        s, e = pos, m.end()
        pos = m.end()
        _append_trimmed(text, s, e, out)
    _append_trimmed(text, pos, end, out)
    return out


def _append_trimmed(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


def body_start(text: str, start: int, end: int, given: int | None) -> int:
    """Where an entry's body starts: ``given`` (from segmentation), else after a dated header line."""
    if given is not None and start <= given <= end:
        return given
    nl = text.find("\n", start, end)
    if nl > 0 and nl - start <= 200 and HEADER_DATE_RE.search(text, start, nl):
        return nl + 1
    return start


def first_name(name: str | None) -> str | None:
    if not name:
        return None
    parts = name.split()
    return parts[0] if parts else None


def strip_possessive(word: str) -> str:
    return POSSESSIVE_RE.sub("", word)


class SentenceIndex:
    """Sentence spans of one entry, with lookup of the sentence holding a character."""

    __slots__ = ("spans", "_starts")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self._starts = [s for s, _ in spans]

    def find(self, char: int) -> int:
        """Index of the sentence containing (or last starting before) ``char``; -1 if none."""
        return bisect_right(self._starts, char) - 1
