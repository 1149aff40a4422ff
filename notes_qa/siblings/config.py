"""Thresholds and patterns of the family step, loaded from the room's data files."""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..resources import load_json, load_rules

PACKAGE = "notes_qa.siblings"


@dataclass(frozen=True)
class Thresholds:
    """Numbers that steer candidate detection, alignment, background and findings.

    See ``data/thresholds.json`` for the shipped values and ``README.md`` for their meaning.
    """

    provenance: str = ""
    shingle_size: int = 4
    max_seed_repeats: int = 3
    max_gap_tokens: int = 10
    max_shift_tokens: int = 6
    snap_tokens: int = 5
    min_tokens: int = 8
    min_run_tokens: int = 8
    short_run_share: float = 0.85
    long_passage_tokens: int = 20
    min_run_tokens_long: int = 6
    min_chars: int = 40
    min_specificity_bits: float = 75.0
    rare_word_bits: float = 17.0
    min_similarity: float = 0.5
    verbatim_similarity: float = 1.0
    background_max_tokens: int = 160
    background_max_child_cues: int = 1
    uncued_background_min_composition: int = 3
    copy_heavy_warning: float = 0.2
    copy_heavy_concern: float = 0.4
    focus_min_attributed_chars: int = 300
    focus_sibling_share_warning: float = 0.4
    leak_score_copy: float = 0.9
    leak_score_sentence: float = 0.7
    leak_score_no_metadata_factor: float = 0.7
    age_tolerance_years: int = 1

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Thresholds":
        """Build from a dict, rejecting unknown keys (a typo must not pass silently)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown sibling threshold(s): {', '.join(unknown)}; "
                              f"known: {', '.join(sorted(known))}")
        return cls(**data)


@dataclass(frozen=True)
class Patterns:
    """Word lists and regular expressions (``data/patterns.json``)."""

    provenance: str
    pronouns: dict[str, list[str]]
    subject_pronouns: list[str]
    person_terms: dict[str, list[str]]
    gender_values: dict[str, list[str]]
    background_headings: list[str]
    composition_terms: list[str]
    child_specific_terms: list[str]
    age_after_name: list[str]
    age_after_name_months_index: int
    dob_after_name: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Patterns":
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        missing = sorted(known - set(data))
        if unknown or missing:
            raise ConfigError(f"sibling patterns: unknown keys {unknown}, missing keys {missing}")
        return cls(**data)


def load_thresholds(rules: str | Path | None = "default") -> Thresholds:
    """The shipped thresholds ("default"), the defaults in code (None), or a user's JSON file."""
    if isinstance(rules, str) and rules == "default":
        return _shipped_thresholds()  # read once: the step asks for them for every family
    data = load_rules(rules, PACKAGE, "data/thresholds.json")
    return Thresholds() if data is None else Thresholds.from_dict(data)


@lru_cache(maxsize=1)
def _shipped_thresholds() -> Thresholds:
    return Thresholds.from_dict(load_rules("default", PACKAGE, "data/thresholds.json"))


@lru_cache(maxsize=4)
def load_patterns(rules: str = "default") -> Patterns:
    data = load_rules(rules, PACKAGE, "data/patterns.json")
    return Patterns.from_dict(data)


@lru_cache(maxsize=1)
def word_bits() -> dict[str, float]:
    """Surprisal in bits of common English words: ``log2(1e9) - zipf * log2(10)``."""
    data = load_json(PACKAGE, "data/common_words.json")
    base = math.log2(1e9)
    return {w: max(1.0, base - z * math.log2(10)) for w, z in data["zipf"].items()}


@lru_cache(maxsize=4)
def capped_word_bits(cap: float) -> dict[str, float]:
    """``min(word_bits()[w], cap)`` for every known word (an unknown word weighs ``cap``)."""
    return {w: min(b, cap) for w, b in word_bits().items()}


def gender_of(value: str | None, patterns: Patterns | None = None) -> str | None:
    """'female' / 'male' from free-text gender metadata, else None."""
    if not value:
        return None
    p = patterns or load_patterns()
    v = value.strip().lower()
    for g, words in p.gender_values.items():
        if v in words:
            return g
    return None
