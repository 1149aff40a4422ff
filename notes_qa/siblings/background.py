"""Shared background or copied child-specific content? (the rule is explained in README.md)."""
from __future__ import annotations

import re

from ..findings import is_direct_work
from .config import Patterns, Thresholds

QUOTE_RE = re.compile(r"[\"“”]|(?<!\w)'(?=\w)")
AGE_BRACKET_RE = re.compile(r"\(\s*\d{1,2}\s*(?:m|mths?|months?|y|yrs?|years?)?\s*\)", re.I)


_CACHE: dict[int, tuple[re.Pattern, frozenset[str], frozenset[str]]] = {}


def _compiled(patterns: Patterns) -> tuple[re.Pattern, frozenset[str], frozenset[str]]:
    hit = _CACHE.get(id(patterns))
    if hit is not None:
        return hit
    heads = sorted(patterns.background_headings, key=len, reverse=True)
    heading = re.compile(r"[ \t]*(?:" + "|".join(re.escape(h) for h in heads) + r")\s*(?:[:\-–—]|\n)", re.I)
    out = (heading, frozenset(patterns.composition_terms), frozenset(patterns.child_specific_terms))
    _CACHE[id(patterns)] = out
    return out


def has_heading(source: str, start: int, patterns: Patterns) -> bool:
    """Whether the passage, or the line it stands in, opens with a background heading."""
    heading, _, _ = _compiled(patterns)
    line_start = source.rfind("\n", 0, start) + 1
    return bool(heading.match(source, start) or heading.match(source, line_start))


def content_cues(words: list[str], text: str, patterns: Patterns) -> tuple[int, int]:
    """(composition cues, child-specific cues) in a passage's lower-cased words and text."""
    _, comp, child = _compiled(patterns)
    composition = sum(map(comp.__contains__, words)) + len(AGE_BRACKET_RE.findall(text))
    specific = sum(map(child.__contains__, words)) + len(QUOTE_RE.findall(text)) // 2
    return composition, specific


def is_shared_background(source: str, start: int, words: list[str], text: str,
                         note_type: str | None, at_entry_start: bool,
                         patterns: Patterns, th: Thresholds) -> bool:
    """The shared-background rule.

    Background when the passage is short (≤ ``background_max_tokens`` words) and either
    (a) it opens with, or stands in a line headed by, a family-background heading
        ("Family background:", "Household:", "Genogram:" ...) and holds at most
        ``background_max_child_cues`` child-specific cues (views, quotes, observations,
        decisions and plans), or
    (b) it has no heading but is plainly family composition/history (at least
        ``uncued_background_min_composition`` composition cues, no child-specific cue),
        in a non-direct-work entry or at the start of an entry.
    """
    if len(words) > th.background_max_tokens:
        return False
    composition, specific = content_cues(words, text, patterns)
    if has_heading(source, start, patterns):
        return specific <= th.background_max_child_cues
    if specific == 0 and composition >= th.uncued_background_min_composition and len(words) <= 80:
        return at_entry_start or not is_direct_work(note_type)
    return False
