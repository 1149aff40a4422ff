"""The text units the classifiers score: sentences, and clauses within them (split at ";")."""
from __future__ import annotations

import re
import weakref
from typing import Iterator

from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc, Span

from ..spacy_ext import doc_text
from .prefilter import Probe

#: Per-Doc (token count, text, sentence bounds, sentence probes, scratch dict), shared by the
#: components that run on one Doc: ``Doc.text`` is rebuilt from the tokens on every access, so it
#: is worth taking once (or from :func:`~notes_qa.spacy_ext.doc_text`, when remembered). Held
#: weakly: it goes with the Doc and never travels with it.
_CACHE: "weakref.WeakKeyDictionary[Doc, tuple[int, str, list[tuple[int, int]], list[Probe], dict]]" = \
    weakref.WeakKeyDictionary()


def _units(doc: Doc) -> tuple[int, str, list[tuple[int, int]], list[Probe], dict]:
    hit = _CACHE.get(doc)
    if hit is not None and hit[0] == len(doc):
        return hit
    text = doc_text(doc)
    bounds = sentences(doc, text)
    hit = (len(doc), text, bounds, [Probe(text[a:b]) for a, b in bounds], {})
    _CACHE[doc] = hit
    return hit


def doc_units(doc: Doc) -> tuple[str, list[tuple[int, int]]]:
    """(text, sentence bounds) of ``doc``, computed once per Doc."""
    hit = _units(doc)
    return hit[1], hit[2]


def doc_parts(doc: Doc) -> tuple[str, list[tuple[int, int]], list[Probe], dict]:
    """(text, sentence bounds, a :class:`~notes_qa.training.prefilter.Probe` per sentence,
    scratch dict) of ``doc``, computed once per Doc. The scratch dict (dropped with the Doc, or
    when its tokens change) is where components keep what they compute from its text and could
    share, e.g. word features of a sentence."""
    hit = _units(doc)
    return hit[1], hit[2], hit[3], hit[4]


_FALLBACK_END = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(doc: Doc, text: str | None = None) -> list[tuple[int, int]]:
    """(start_char, end_char) of each sentence, stripped of surrounding whitespace.

    Uses the Doc's sentence boundaries; without any (no splitter in the pipeline) the text is
    cut at line breaks and at ., ! or ? followed by a space.
    """
    text = doc.text if text is None else text
    if len(doc) and doc.has_annotation("SENT_START"):
        arr = doc.to_array([IDX, SENT_START])
        starts = arr[arr[:, 1] == 1, 0].tolist()
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        ends = starts[1:] + [len(text)]
        out: list[tuple[int, int]] = []
        for a, e in zip(starts, ends):  # str.strip() is _strip() at C speed
            seg = text[a:e]
            body = seg.strip()
            if body:
                a += len(seg) - len(seg.lstrip())
                out.append((a, a + len(body)))
        return out
    else:
        bounds, pos = [], 0
        for m in _FALLBACK_END.finditer(text):
            bounds.append((pos, m.start()))
            pos = m.end()
        bounds.append((pos, len(text)))
    return [b for b in (_strip(text, a, e) for a, e in bounds) if b[1] > b[0]]


def clauses(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Clauses of the sentence ``text[start:end]``, split at semicolons."""
    pos = start
    i = text.find(";", start, end)
    while i >= 0:
        a, b = _strip(text, pos, i)
        if b > a:
            yield a, b
        pos = i + 1
        i = text.find(";", pos, end)
    a, b = _strip(text, pos, end)
    if b > a:
        yield a, b


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def char_span(doc: Doc, a: int, b: int, label: str) -> Span | None:
    """A span over whole tokens covering ``doc.text[a:b]`` (None if no token lies there)."""
    span = doc.char_span(a, b, label=label, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span


class SentenceMemo(dict):
    """What a component worked out for a sentence text, kept for the next time the same text
    comes (case files repeat themselves: templates, copied-forward plans, passages pasted
    between siblings' files). Only for results that are a pure function of the key, so a hit
    gives exactly what the work would. Bounded: emptied when it holds ``size`` keys, so memory
    stays flat over an archive. ``owner``: what the results were computed with (rules, models);
    see :meth:`for_owner`."""

    def __init__(self, owner: tuple, size: int = 4096) -> None:
        super().__init__()
        self.owner = owner
        self.size = size

    def remember(self, key: object, value: object) -> None:
        if len(self) >= self.size:
            self.clear()
        self[key] = value

    @classmethod
    def for_owner(cls, memo: "SentenceMemo | None", owner: tuple, size: int = 4096) -> "SentenceMemo":
        """``memo`` if it was made for the same objects (by identity), else a new, empty one."""
        if memo is not None and len(memo.owner) == len(owner) and all(a is b for a, b in zip(memo.owner, owner)):
            return memo
        return cls(owner, size)
