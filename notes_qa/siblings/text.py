"""Tokens and sentences for the family step (plain regular expressions: fast, offset-exact)."""
from __future__ import annotations

import re
from bisect import bisect_right

#: A word: letters/digits, with inner apostrophes ("didn't", "Rhys's"). The quantifiers are
#: possessive: the same matches as ``\w+(?:['’]\w+)*`` (which never needs to give back a
#: character), found without keeping backtracking points.
TOKEN_RE = re.compile(r"\w++(?:['’]\w++)*+")
#: The same, as one group: ``TOKEN_SPLIT_RE.split(s)`` alternates gaps and tokens.
TOKEN_SPLIT_RE = re.compile(r"(\w++(?:['’]\w++)*+)")
TOKEN_SPLIT_ASCII_RE = re.compile(TOKEN_SPLIT_RE.pattern, re.ASCII)  # for ASCII text only
#: A sentence ends after . ! ? (and any closing quotes/brackets) before whitespace, or at a newline
#: (a blank line, a line before a bullet or number, a line ending in ``:`` or ``;``). Written to
#: start with one character class, so ``re`` skips ahead to candidates in C; it matches exactly
#: what ``[.!?]+["'”’)\]]*(?=\s)|\n\s*\n|\n(?=\s*[-*•\d])|(?<=[:;])\n`` matches (4x faster).
SENT_END_RE = re.compile(
    r"""[.!?\n](?:(?<=[.!?])[.!?]*["'”’)\]]*(?=\s)|(?<=\n)(?:\s*\n|(?=\s*[-*•\d])|(?<=[:;]\n)))""")
#: A line that is only an entry header (a date, optionally with time/author/type).
HEADER_DATE_RE = re.compile(
    r"\b(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|"
    r"sep|oct|nov|dec)[a-z]*\.?\s+\d{2,4})", re.I)
POSSESSIVE_RE = re.compile(r"['’]s$", re.I)
_M_END = re.Match.end


def lowered(text: str) -> str | None:
    """``text.lower()`` when it lower-cases character by character, else None.

    Then ``lowered(text)[i:j] == text[i:j].lower()`` for any slice, and word characters and
    apostrophes stay where they were (so ``TOKEN_RE`` finds the same tokens in it). That holds
    for every character except 'İ' (whose lower case is two characters) and 'Σ' (whose lower
    case depends on the letters around it).
    """
    if "Σ" in text:
        return None
    low = text.lower()
    return low if len(low) == len(text) else None


def sentence_bounds(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]`` as absolute (start, end), whitespace trimmed."""
    out: list[tuple[int, int]] = []
    pos = start
    for e in map(_M_END, SENT_END_RE.finditer(text, start, end)):
        _append_trimmed(text, pos, e, out)
        pos = e
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
    """``word`` without a final 's / ’s (either case), as ``POSSESSIVE_RE.sub("", word)``."""
    if len(word) >= 2 and word[-1] in "sS" and word[-2] in "'’":
        return word[:-2]
    return POSSESSIVE_RE.sub("", word) if "\n" in word else word


class SentenceIndex:
    """Sentence spans of one entry, with lookup of the sentence holding a character."""

    __slots__ = ("spans", "_starts")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self._starts = [s for s, _ in spans]

    def find(self, char: int) -> int:
        """Index of the sentence containing (or last starting before) ``char``; -1 if none."""
        return bisect_right(self._starts, char) - 1
