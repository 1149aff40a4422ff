"""Segmentation: cut a case-file export into dated entries (rules kept as data)."""
from __future__ import annotations

from functools import lru_cache

from .dates import parse_date
from .segmenter import SegmentationRules, Segmenter, SegmentResult, snake_case


@lru_cache(maxsize=1)
def default_segmenter() -> Segmenter:
    return Segmenter("default")


def segment(text: str, source: str = "<text>") -> SegmentResult:
    """Entries of ``text`` with the packaged rules (see :class:`Segmenter`)."""
    return default_segmenter().segment(text, source)


def normalise_note_type(raw: str | None) -> str | None:
    """Map a written note type (e.g. "Home Visit", "HV", "Telephone call") to the vocabulary."""
    return default_segmenter().normalise_note_type(raw)


__all__ = ["segment", "normalise_note_type", "parse_date", "Segmenter", "SegmentResult",
           "SegmentationRules", "snake_case", "default_segmenter"]
