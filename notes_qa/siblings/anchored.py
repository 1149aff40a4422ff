"""Patterns that start with a child's name, without compiling a regular expression per child.

The leak checks look for ``Name (13)``, ``Name aged 13``, ``Name DOB 02/03/2015`` ...: the
pattern ``\\b(?:Name1|Name2)SUFFIX`` with the family's own names in front of a fixed suffix.
Compiling that once per child cost more than using it (~1 ms a child), so :class:`AfterName`
finds the names with ``str.find`` and tries the suffix, compiled once per process, right after
each: the same matches as the whole pattern's ``finditer``, in the same order.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, Sequence

#: The non-ASCII letters that ``re.IGNORECASE`` matches to ASCII letters (İ ı ſ K; see the
#: ``re`` documentation of IGNORECASE).
_TWINS = "\u0130\u0131\u017f\u212a"


def is_word_char(ch: str) -> bool:
    """Whether ``ch`` is what ``\\w`` matches in a str pattern (letters, digits, underscore)."""
    return ch.isalnum() or ch == "_"


@lru_cache(maxsize=64)
def _suffix_pattern(suffix: str, flags: int) -> re.Pattern:
    return re.compile(suffix, flags)


class NameMatch:
    """A match of name + suffix: group 0 from the name on, other groups from the suffix."""

    __slots__ = ("_start", "_m")

    def __init__(self, start: int, suffix_match: re.Match) -> None:
        self._start = start
        self._m = suffix_match

    @property
    def re(self) -> re.Pattern:
        """The suffix pattern (it holds all the groups)."""
        return self._m.re

    def start(self, group: int = 0) -> int:
        return self._start if group == 0 else self._m.start(group)

    def end(self, group: int = 0) -> int:
        return self._m.end(group)

    def group(self, group: int = 0) -> str | None:
        return self._m.string[self._start:self._m.end()] if group == 0 else self._m.group(group)


class AfterName:
    """``re.compile(r"\\b(?:N1|N2|...)" + suffix, flags)`` for literal names, compiled lazily.

    :meth:`finditer` gives what that pattern's ``finditer`` gives: the leftmost place where a
    name starts a word and the suffix matches right after it (names tried in order), then on
    from the end of that match. The whole pattern is compiled only where the shortcut does not
    hold: a name that does not start with a word character or, ignoring case, a non-ASCII name
    or text holding a letter that ``re`` equates with an ASCII one.
    """

    def __init__(self, names: Sequence[str], suffix: str, ignorecase: bool = False) -> None:
        self.names = list(names)
        self.suffix_source = suffix
        self.flags = re.I if ignorecase else 0
        self.suffix = _suffix_pattern(suffix, self.flags)
        self.needles = [n.lower() for n in self.names] if ignorecase else self.names
        self._whole: re.Pattern | None = None
        self._shortcut = bool(self.names) and all(is_word_char(n[0]) for n in self.names) and (
            not ignorecase or all(n.isascii() for n in self.names))

    @property
    def whole(self) -> re.Pattern:
        """The pattern written out (compiled on first use)."""
        if self._whole is None:
            alts = "|".join(re.escape(n) for n in self.names)
            self._whole = re.compile(rf"\b(?:{alts}){self.suffix_source}", self.flags)
        return self._whole

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None,
                 low_text: str | None = None) -> Iterator[NameMatch | re.Match]:
        """The whole pattern's ``finditer(text, pos, endpos)``. ``low_text``: ``text``
        lower-cased character by character (``text.lowered``), if at hand."""
        end = len(text) if endpos is None else min(endpos, len(text))
        if not self._shortcut:
            return self.whole.finditer(text, pos, end)
        if self.flags:
            # ignoring case: find the names in the lower-cased text, which lines up with the
            # text character for character unless it holds İ (two characters in lower case)
            if any(text.find(c, pos, end) >= 0 for c in _TWINS):
                return self.whole.finditer(text, pos, end)
            if low_text is not None:
                return self._scan(text, low_text, 0, pos, end)
            body = text[pos:end]
            hay = body.lower()
            if len(hay) != len(body):
                return self.whole.finditer(text, pos, end)
            return self._scan(text, hay, pos, pos, end)
        return self._scan(text, text, 0, pos, end)

    def _scan(self, text: str, hay: str, offset: int, pos: int, end: int) -> Iterator[NameMatch]:
        """Matches in ``text[pos:end]``; ``hay`` (from ``offset`` in ``text``) is where the
        needles are looked for."""
        if len(self.needles) == 1:  # the usual case: one name, its places come in order
            needle = self.needles[0]
            size, match, stop = len(needle), self.suffix.match, end - offset
            resume = pos
            i = hay.find(needle, pos - offset, stop)
            while i >= 0:
                p = i + offset
                if p >= resume:
                    c = text[p - 1] if p > 0 else " "
                    if not (c.isalnum() or c == "_"):  # at the start of a word
                        m = match(text, p + size, end)
                        if m is not None:
                            yield NameMatch(p, m)
                            resume = m.end()
                i = hay.find(needle, i + 1, stop)
            return
        starts: set[int] = set()
        for needle in self.needles:
            i = hay.find(needle, pos - offset, end - offset)
            while i >= 0:
                starts.add(i + offset)
                i = hay.find(needle, i + 1, end - offset)
        resume = pos
        for p in sorted(starts):
            if p < resume or (p > 0 and is_word_char(text[p - 1])):
                continue  # inside the last match, or not at the start of a word
            for needle in self.needles:
                q = p + len(needle)
                if q <= end and hay.startswith(needle, p - offset, q - offset):
                    m = self.suffix.match(text, q, end)
                    if m is not None:
                        yield NameMatch(p, m)
                        resume = m.end()
                        break
