"""Text composition primitives: slot filling, labelled sentence parts, writing styles, an offset-tracking builder."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

_SLOT = re.compile(r"\{(\w+)\}|<q>")

#: Quote styles a worker may use around a person's words.
QUOTES = (('"', '"'), ("'", "'"), ("\u201c", "\u201d"), ("\u2018", "\u2019"))


def fill(template: str, ctx: Mapping[str, Any]) -> str:
    """Replace ``{slot}`` and ``<q>`` (key ``"q"``) from ``ctx``; unknown slots are left as written."""
    def sub(m: re.Match[str]) -> str:
        key = m.group(1) or "q"
        v = ctx.get(key)
        return m.group(0) if v is None else str(v)
    return _SLOT.sub(sub, template)


def fill_tracked(template: str, ctx: Mapping[str, Any]) -> tuple[str, list[tuple[str, int, int]]]:
    """Like :func:`fill`, also returning ``(slot, start, end)`` of every substitution."""
    out: list[str] = []
    where: list[tuple[str, int, int]] = []
    pos = last = 0
    for m in _SLOT.finditer(template):
        lit = template[last:m.start()]
        out.append(lit)
        pos += len(lit)
        key = m.group(1) or "q"
        v = ctx.get(key)
        val = m.group(0) if v is None else str(v)
        out.append(val)
        where.append((key, pos, pos + len(val)))
        pos += len(val)
        last = m.end()
    out.append(template[last:])
    return "".join(out), where


def cap(s: str) -> str:
    """Upper-case the first character only."""
    return s[:1].upper() + s[1:] if s else s


@dataclass
class Part:
    """A piece of a sentence, optionally carrying a label and the label's extra fields."""

    text: str
    label: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Sent:
    """One sentence: labelled parts plus the sentence-level row fields (voice, decision, ...)."""

    parts: list[Part]
    row: dict[str, Any]

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.parts)


# ---------------------------------------------------------------- writing styles
_ABBREV = [(re.compile(r"\bwith\b"), "w"), (re.compile(r"\bbecause\b"), "cos"), (re.compile(r"\band\b"), "+"),
           (re.compile(r"\bsocial worker\b"), "SW"), (re.compile(r"\bweek\b"), "wk")]
_APOS = re.compile(r"(\w)'(\w)")


@dataclass
class Style:
    """How one worker writes: polished prose, or terse frontline shorthand with slips."""

    terse: bool = False
    drop_apostrophes: float = 0.0
    lower_start: float = 0.0
    drop_stop: float = 0.0
    abbreviate: float = 0.0
    typo: float = 0.0
    bullets: float = 0.0

    @classmethod
    def draw(cls, rng: random.Random) -> "Style":
        """A random worker style: about a third write tersely."""
        if rng.random() < 0.38:
            return cls(terse=True, drop_apostrophes=rng.uniform(0.3, 0.9), lower_start=rng.uniform(0.2, 0.8),
                       drop_stop=rng.uniform(0.4, 0.95), abbreviate=rng.uniform(0.1, 0.5),
                       typo=rng.uniform(0.02, 0.12), bullets=rng.uniform(0.0, 0.6))
        return cls(drop_apostrophes=0.02, typo=rng.choice((0.0, 0.0, 0.01)), drop_stop=0.02)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 2)
    op = rng.random()
    if op < 0.5:  # swap
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op < 0.8:  # drop
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]  # double


def stylise(sent: Sent, style: Style, rng: random.Random) -> Sent:
    """Apply a worker's habits to a sentence, part by part (labels stay on their parts)."""
    if not style.terse and style.typo == 0 and rng.random() > style.drop_apostrophes + style.drop_stop:
        return sent
    drop_apos = rng.random() < style.drop_apostrophes
    abbrev = style.terse and rng.random() < style.abbreviate
    parts = []
    for p in sent.parts:
        t = p.text
        if drop_apos:
            t = _APOS.sub(r"\1\2", t)
        if abbrev:
            for rx, rep in _ABBREV:
                if rng.random() < 0.5:
                    t = rx.sub(rep, t)
            t = re.sub(r"  +", " ", t)
        if style.typo and rng.random() < style.typo * 3:
            words = t.split(" ")
            j = rng.randrange(len(words))
            words[j] = _typo(words[j], rng)
            t = " ".join(words)
        parts.append(Part(t, p.label, p.attrs))
    # sentence-level: lower-case start, drop the final full stop
    if parts and style.lower_start and rng.random() < style.lower_start:
        first = parts[0].text
        if first[:1].isupper() and not first[:2].isupper() and not first.startswith("I "):
            parts[0] = Part(first[:1].lower() + first[1:], parts[0].label, parts[0].attrs)
    if parts and rng.random() < style.drop_stop:
        last = parts[-1]
        if last.text.endswith(".") and not last.text.endswith(".."):
            t = last.text[:-1]
            if t.strip():
                parts[-1] = Part(t, last.label, last.attrs)
            else:
                parts.pop()
    parts = [p for p in parts if p.text]
    return Sent(parts, sent.row)


# ---------------------------------------------------------------- builder
class Builder:
    """Appends text to one document while recording absolute offsets of labelled parts."""

    def __init__(self) -> None:
        self._chunks: list[str] = []
        self.pos = 0
        self.lines = 0

    def add(self, s: str) -> int:
        """Append ``s``; return its start offset."""
        start = self.pos
        self._chunks.append(s)
        self.pos += len(s)
        self.lines += s.count("\n")
        return start

    def add_sentence(self, sent: Sent, on_span: Callable[[str, int, int, str, dict[str, Any]], None]) -> tuple[int, int]:
        """Append a sentence; call ``on_span(label, start, end, text, attrs)`` for each labelled part."""
        start = self.pos
        for p in sent.parts:
            s = self.add(p.text)
            if p.label:
                on_span(p.label, s, self.pos, p.text, p.attrs)
        return start, self.pos

    def text(self) -> str:
        return "".join(self._chunks)

    def tail(self, n: int) -> str:
        """The last ``n`` characters written (cheap: looks at the last chunks only)."""
        acc = ""
        for c in reversed(self._chunks):
            acc = c + acc
            if len(acc) >= n:
                break
        return acc[-n:]
