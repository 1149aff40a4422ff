"""Who is mentioned where: the family's children, adults by kinship term, pronouns.

A small ConText-style "experiencer" resolver: each sentence's subject is its first person
mention; a pronoun refers to the nearest earlier gender-compatible mention in its sentence,
else (sentence-initial) to the previous sentence's subject.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import compress
from operator import itemgetter, not_
from typing import NamedTuple

from ..records import CaseRecord
from .config import Patterns, gender_of, word_bits
from .anchored import is_word_char
from .text import first_name, strip_possessive

CHILD, ADULT, PRON, CAP = "child", "adult", "pron", "cap"
#: A stretch of text's tokens: ``(lower, starts, lo, hi, low_text)``: tokens ``lo..hi`` of a
#: ``TokenStream`` (lower-cased words and their offsets) and the text lower-cased character by
#: character (``text.lowered``), of which they are slices.
Tokens = tuple[list[str], list[int], int, int, str]
#: A capitalised word at least this rare (bits; zipf < 5) may be a person's name.
CAP_MIN_BITS = 13.3
#: Mid-sentence a capital says more: only very common words (zipf ≥ 6) are ruled out.
CAP_MIN_BITS_MID = 9.9
TITLES = frozenset({"miss", "mrs", "ms", "mr", "dr", "man", "dc", "pc", "sw", "tm", "chair"})


@dataclass
class Child:
    """One child of the family as the family step sees it."""

    index: int
    record: CaseRecord
    names: list[str]  # first name, full name, nicknames (as written)
    gender: str | None
    gender_inferred: bool = False
    age: float | None = None
    age_inferred: bool = False
    dob: date | None = None
    initial: str | None = None
    _forms: set[str] | None = field(default=None, init=False, repr=False, compare=False)
    #: Patterns built from the child's names (``leaks.age_regex`` ...), kept for the family.
    patterns_cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def label(self) -> str:
        return self.names[0] if self.names else self.record.case_id

    def name_forms(self) -> set[str]:
        """Lower-cased first names with their possessives (a set the caller must not change)."""
        if self._forms is None:
            out: set[str] = set()
            for n in self.names:
                for w in n.lower().split()[:1]:
                    out.update({w, w + "'s", w + "’s", w + "s'"})
            self._forms = out
        return self._forms


class Mention(NamedTuple):
    """A person mention: char offsets, kind, gender and (for a child) the child's index.

    A named tuple rather than a dataclass: the step makes one per name, pronoun and capitalised
    word of every file, and a tuple is several times cheaper to create.
    """

    start: int
    end: int
    kind: str  # child | adult | pron | cap
    gender: str | None
    child: int | None = None  # index into the family for kind == child


@dataclass
class Family:
    """The children of one family and the compiled mention patterns."""

    children: list[Child]
    patterns: Patterns
    cap_re: re.Pattern = field(init=False)
    _lookup: dict[str, tuple[str, str | None, int | None]] = field(init=False)
    #: The kinship terms and pronouns (the same for every family) and the children's name forms.
    _static: dict[str, tuple[str, str | None, int | None]] = field(init=False, repr=False)
    _names: dict[str, tuple[str, str | None, int | None]] = field(init=False, repr=False)
    #: Name forms by the first name they start with (for ``str.find``).
    _forms_by_base: dict[str, list[str]] = field(init=False, repr=False)
    _split: bool = field(init=False, repr=False)
    _static_re: re.Pattern = field(init=False, repr=False)
    _static_single: frozenset[str] = field(init=False, repr=False)
    _static_multi: list[str] = field(init=False, repr=False)
    _mention_re: re.Pattern | None = field(init=False, repr=False)
    _initials: dict[str, int] | None = field(init=False, repr=False)
    #: Surprisal of each capitalised word seen (possessive stripped), looked up once.
    _cap_bits: dict[str, float] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        lookup: dict[str, tuple[str, str | None, int | None]] = {}
        for g, words in self.patterns.person_terms.items():
            for w in words:
                lookup[w] = (ADULT, None if g == "unknown" else g, None)
        for g, words in self.patterns.pronouns.items():
            for w in words:
                lookup[w] = (PRON, g, None)
        static = dict(lookup)
        names: dict[str, tuple[str, str | None, int | None]] = {}
        for c in self.children:
            for form in c.name_forms():
                lookup[form] = names[form] = (CHILD, c.gender, c.index)
        self._lookup, self._static, self._names = lookup, static, names
        self._mention_re = None
        by_base: dict[str, list[str]] = {}
        for c in self.children:
            for n in c.names:
                for w in n.lower().split()[:1]:
                    by_base.setdefault(w, [])
        for form in names:
            for base in by_base:
                if form.startswith(base) and form not in by_base[base]:
                    by_base[base].append(form)
        for forms in by_base.values():
            forms.sort(key=len, reverse=True)
        self._forms_by_base = by_base
        # names found with str.find beside one pattern for the kinship terms and pronouns (the
        # same for every family, so compiled once), unless a name form is also such a word or
        # does not start with a word character: then one pattern for all (see _find_mentions)
        self._split = all(f[:1] and is_word_char(f[0]) and f not in static for f in names)
        self._static_re = _static_mention_re(tuple(static))
        # one-word terms (all word characters) and the rest, for the token-based finder
        self._static_single = frozenset(w for w in static if _WORD_RUN.fullmatch(w))
        self._static_multi = [w for w in static if not _WORD_RUN.fullmatch(w)]
        if not all(w[:1] and is_word_char(w[0]) for w in self._static_multi):
            self._split = False
        self.cap_re = CAP_RE
        self._initials: dict[str, int] | None = None
        self._cap_bits: dict[str, float] = {}

    @property
    def mention_re(self) -> re.Pattern:
        r"""All the family's person words as one pattern: ``\b(?:word|...)\b`` (lower case)."""
        if self._mention_re is None:
            self._mention_re = re.compile(r"\b" + trie_regex(list(self._lookup)) + r"\b")
        return self._mention_re

    def _find_mentions(self, low: str, tokens: Tokens | None = None,
                       offset: int = 0) -> list[tuple[int, int, tuple[str, str | None, int | None]]]:
        """``(start, end, lookup entry)`` of each match of :attr:`mention_re` in ``low``, in order.

        Found as the kinship-term pattern's matches plus the names' (``str.find``, each place
        taking the longest name form that ends a word, as the pattern's trie does). Where a name
        place overlaps a kinship-term match the two would interact, so then (and for families
        where ``_split`` is off) the one pattern is used.
        """
        if self._split:
            if tokens is not None:
                static = self._static_spans(low, tokens, offset)
            else:
                static = [m.span() for m in self._static_re.finditer(low)]
            names = self._name_spans(low)
            if not names:
                st = self._static
                return [(a, b, st[low[a:b]]) for a, b in static]
            if not _overlap(static, names):
                st, nm = self._static, self._names
                out = [(a, b, st[low[a:b]]) for a, b in static]
                out += [(a, b, nm[low[a:b]]) for a, b in names]
                out.sort(key=_START)
                return out
        lookup = self._lookup
        return [(m.start(), m.end(), lookup[m.group()]) for m in self.mention_re.finditer(low)]

    def _token_mentions(self, text: str, low: str, offset: int,
                        tokens: Tokens) -> list[Mention] | None:
        """The kinship-term, pronoun and name mentions of ``low`` (from ``offset`` in ``text``),
        made straight from its tokens, in no particular order; None where the general way
        (:meth:`_find_mentions`) is needed: names found with one pattern (``_split`` off), a
        term of several words in the text, or a name overlapping a term.

        Without several-word terms, the terms' matches are whole tokens or whole parts of
        tokens between apostrophes, which never overlap one another.
        """
        if not self._split or (self._static_multi and any(t in low for t in self._static_multi)):
            return None
        lower, starts, lo, hi, _ = tokens
        static, single = self._static, self._static_single
        toks = lower[lo:hi]
        idx = list(compress(range(lo, hi), map(single.__contains__, toks)))
        parts: list[tuple[int, str]] = []  # terms inside tokens joined by apostrophes ("mum's")
        if "'" in low or "’" in low:
            # such tokens are among those that are not all letters and digits (found in C)
            for k in compress(range(lo, hi), map(not_, map(str.isalnum, toks))):
                tok = lower[k]
                if "'" in tok or "’" in tok:
                    p = starts[k]
                    for part in _APOSTROPHE.split(tok):
                        if part in single:
                            parts.append((p, part))
                        p += len(part) + 1
        names = self._name_spans(low)
        if names:
            at = sorted([starts[k] for k in idx] + [p for p, _ in parts])
            for a, b in names:
                i = bisect_left(at, a + offset)
                if i < len(at) and at[i] < b + offset:
                    return None  # a name and a term overlap: let the pattern decide
        out: list[Mention] = []
        new = tuple.__new__
        for k in idx:
            w, s = lower[k], starts[k]
            kind, g, _ = static[w]
            if kind == ADULT and text[s].islower() and w in TITLES:
                continue  # "miss school", "man the desk": only capitalised titles are people
            out.append(new(Mention, (s, s + len(w), kind, g, None)))
        for s, w in parts:
            kind, g, _ = static[w]
            if kind == ADULT and text[s].islower() and w in TITLES:
                continue
            out.append(new(Mention, (s, s + len(w), kind, g, None)))
        children, nm = self.children, self._names
        for a, b in names:
            s = a + offset
            if text[s].islower():
                continue  # "grace", "will": a name is written with a capital
            ci = nm[low[a:b]][2]
            out.append(new(Mention, (s, b + offset, CHILD, children[ci].gender, ci)))  # type: ignore[index]
        return out

    def _static_spans(self, low: str, tokens: Tokens,
                      offset: int) -> list[tuple[int, int]]:
        """The kinship-term pattern's matches in ``low`` (``(start, end)``, relative), from its
        tokens: a one-word term matches where a whole run of word characters is that term, i.e.
        a token, or a part of a token between apostrophes; a term of several words is looked
        for with ``str.find``. As the pattern does, the longest term wins at each place and the
        matches do not overlap."""
        lower, starts, lo, hi, _ = tokens
        single, multi = self._static_single, self._static_multi
        toks = lower[lo:hi]
        cands = [(starts[k] - offset, starts[k] - offset + len(lower[k]))
                 for k in compress(range(lo, hi), map(single.__contains__, toks))]
        # tokens joined by apostrophes ("mum's"): their other runs (found from the apostrophes)
        joined: set[int] = set()
        for ap in map(_M_START, _APOSTROPHE.finditer(low)):
            k = bisect_right(starts, ap + offset, lo, hi) - 1
            if k >= lo and starts[k] - offset < ap < starts[k] - offset + len(lower[k]):
                joined.add(k)
        for k in sorted(joined):
            p = starts[k] - offset
            for part in _APOSTROPHE.split(lower[k]):
                if part in single:
                    cands.append((p, p + len(part)))
                p += len(part) + 1
        n = len(low)
        for term in multi:
            i = low.find(term)
            while i >= 0:
                q = i + len(term)
                if (i == 0 or not is_word_char(low[i - 1])) and (
                        is_word_char(low[q - 1]) != (q < n and is_word_char(low[q]))):
                    cands.append((i, q))
                i = low.find(term, i + 1)
        if len(cands) > 1:
            cands.sort(key=_LONGEST_FIRST)
            out: list[tuple[int, int]] = []
            last = -1
            for a, b in cands:
                if a >= last:
                    out.append((a, b))
                    last = b
            return out
        return cands

    def _name_spans(self, low: str) -> list[tuple[int, int]]:
        """Where a name form stands as a whole word in ``low`` (longest at each place), left to
        right without overlaps."""
        best: dict[int, int] = {}
        n = len(low)
        for base, forms in self._forms_by_base.items():  # forms longest first
            i = low.find(base)
            while i >= 0:
                c = low[i - 1] if i else " "
                if not (c.isalnum() or c == "_"):  # a word starts here (\w, written out)
                    for f in forms:
                        q = i + len(f)
                        if q <= best.get(i, -1):
                            break  # the rest are shorter than a form already found here
                        if low.startswith(f, i):
                            c = low[q - 1]
                            d = low[q] if q < n else " "
                            if (c.isalnum() or c == "_") != (d.isalnum() or d == "_"):
                                best[i] = q  # it ends a word: the longest form here
                                break
                i = low.find(base, i + 1)
        out: list[tuple[int, int]] = []
        last = -1
        for i in sorted(best):
            if i >= last:
                out.append((i, best[i]))
                last = best[i]
        return out

    def mentions(self, text: str, start: int, end: int, with_caps: bool = True,
                 tokens: Tokens | None = None) -> list[Mention]:
        """Person mentions in ``text[start:end]``, in order.

        ``tokens`` (optional, :data:`Tokens`): the tokens of exactly this stretch of text;
        the kinship terms are then looked up among them.
        """
        out: list[Mention] = []
        seen: set[int] = set()
        if tokens is not None:
            low = tokens[4][start:end]  # the lower-cased text, character for character
        else:
            low = text[start:end].lower()
            if len(low) != end - start:  # a rare character whose lower case is longer
                low = "".join(c.lower()[:1] or c for c in text[start:end])
        children = self.children
        new = tuple.__new__  # Mention(...) without the named tuple's Python-level __new__
        direct = self._token_mentions(text, low, start, tokens) if tokens is not None else None
        if direct is not None:
            out = direct
            if not with_caps:
                out.sort(key=_START)
        else:
            for s, e, (kind, g, ci) in self._find_mentions(low, tokens, start):
                s += start
                e += start
                if kind == CHILD:
                    if text[s].islower():
                        continue  # "grace", "will": a name is written with a capital
                    g = children[ci].gender  # type: ignore[index]
                elif kind == ADULT and text[s].islower() and text[s:e].lower() in TITLES:
                    continue  # "miss school", "man the desk": only capitalised titles are people
                out.append(new(Mention, (s, e, kind, g, ci)))
        if with_caps:
            seen.update(map(_START, out))
            self._caps(text, start, end, start, seen, out)
            out.sort(key=_START)
        return out

    def _caps(self, text: str, lo: int, hi: int, floor: int, seen: set[int],
              out: list[Mention]) -> None:
        """Capitalised words in ``text[lo:hi]`` that may be people (appended to ``out``): a
        child's initial standing alone, or a word rare enough to be a name (``floor``: where
        the entry starts, for telling the first word of a sentence). ``seen``: starts of the
        mentions already found there."""
        initials = self.initials()
        cap_bits = self._cap_bits
        children = self.children
        new = tuple.__new__
        for m in self.cap_re.finditer(text, lo, hi):
            s = m.start()
            if s in seen:
                continue
            w = m.group()
            if len(w) == 1:
                if w in initials:
                    ci = initials[w]
                    out.append(new(Mention, (s, m.end(), CHILD, children[ci].gender, ci)))
                continue
            bits = cap_bits.get(w)
            if bits is None:
                bits = cap_bits[w] = word_bits().get(strip_possessive(w).lower(), 99.0)
            if bits < CAP_MIN_BITS_MID or (bits < CAP_MIN_BITS and _sentence_initial(text, s, floor)):
                continue  # an everyday word ("The", "Visited"); rarer ones may be names
            out.append(new(Mention, (s, m.end(), CAP, None, None)))

    def mentions_by_sentence(self, text: str, start: int, end: int, spans: list[tuple[int, int]],
                             tokens: Tokens | None = None
                             ) -> list[list[Mention]]:
        """:meth:`mentions` of ``text[start:end]``, by sentence (``spans``, sorted, disjoint).

        Capitalised words that may be people (kind ``cap``) only count when a pronoun might
        refer to them: each step that reads mentions skips them otherwise (a sentence's subject
        is its first mention that is not one, and so is a passage's first name). So they are
        looked for only in sentences holding a pronoun and in the sentence before each; the
        lists of the other sentences leave them out. A child's initial counts everywhere.
        """
        base = self.mentions(text, start, end, with_caps=False, tokens=tokens)
        out: list[list[Mention]] = [[] for _ in spans]
        # each mention goes to the sentence that last starts at or before it (mentions come
        # in order, so one walk), if it lies inside that sentence
        n, k = len(spans), -1
        need: set[int] = set()  # sentences with a pronoun
        for m in base:
            st = m.start
            while k + 1 < n and spans[k + 1][0] <= st:
                k += 1
            if k >= 0 and st < spans[k][1]:
                out[k].append(m)
                if m.kind == PRON:
                    need.add(k)
        initials = self.initials()
        if not need and not initials:
            return out
        seen = set(map(_START, base))
        full = need | {k - 1 for k in need if k > 0}
        for k in full:
            before = len(out[k])
            self._caps(text, spans[k][0], spans[k][1], start, seen, out[k])
            if len(out[k]) > before:
                out[k].sort(key=_START)
        if initials:
            touched: set[int] = set()
            k = -1
            children, new = self.children, tuple.__new__
            for st, e, letter in self._initials_in(text, start, end):
                while k + 1 < n and spans[k + 1][0] <= st:
                    k += 1
                if k < 0 or st >= spans[k][1] or k in full or st in seen:
                    continue
                ci = initials[letter]
                out[k].append(new(Mention, (st, e, CHILD, children[ci].gender, ci)))
                touched.add(k)
            for k in touched:
                out[k].sort(key=_START)
        return out

    def _initials_in(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """``(start, end, letter)`` of each child's initial standing alone (a one-letter
        ``CAP_RE`` match) in ``text[start:end]``, in order. One pattern per letter: each starts
        with its letter, which ``re`` finds fast."""
        found = [m for letter in self.initials() for m in _initials_re(letter).finditer(text, start, end)]
        found.sort(key=_M_START)
        return [(m.start(), m.end(), m.group()) for m in found]

    def initials(self) -> dict[str, int]:
        """A child's initial counts as a mention only when no sibling shares it."""
        if self._initials is None:
            counts: dict[str, list[int]] = {}
            for c in self.children:
                if c.initial:
                    counts.setdefault(c.initial, []).append(c.index)
            self._initials = {k: v[0] for k, v in counts.items() if len(v) == 1}
        return self._initials


def trie_regex(words: list[str]) -> str:
    """One regex matching any of ``words`` (lower case), built as a trie so it stays fast."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return "(?:" + emit(trie) + ")"


_START, _KIND = itemgetter(0), itemgetter(2)
_WORD_RUN = re.compile(r"\w+")
_APOSTROPHE = re.compile("['’]")
_M_START = re.Match.start


def _LONGEST_FIRST(span: tuple[int, int]) -> tuple[int, int]:
    return span[0], -span[1]


#: A capitalised word (or a single capital) not preceded by a word character or apostrophe:
#: the same matches as ``(?<![\w'’])[A-Z][a-z\u00e0-\u017f]+(?:['’]s)?\b|(?<![\w'’])[A-Z]\b``,
#: written to start with the capital so that ``re`` skips ahead in C (4x faster).
CAP_RE = re.compile(r"[A-Z](?<![\w'’][A-Z])(?:[a-z\u00e0-\u017f]+(?:['’]s)?\b|\b)")


@lru_cache(maxsize=64)
def _initials_re(letters: str) -> re.Pattern:
    """The ``CAP_RE`` matches that are one of ``letters`` standing alone (its second
    alternative, where the first does not match)."""
    # (?!\w) is the final \b (after a capital), tried first as it fails fastest
    return re.compile(rf"[{re.escape(letters)}](?!\w)(?<![\w'’][A-Z])(?![a-z\u00e0-\u017f]+(?:['’]s)?\b)")


@lru_cache(maxsize=8)
def _static_mention_re(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b" + trie_regex(list(words)) + r"\b")


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    """Whether any span of ``a`` overlaps any span of ``b`` (each sorted, without overlaps)."""
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i][1] <= b[j][0]:
            i += 1
        elif b[j][1] <= a[i][0]:
            j += 1
        else:
            return True
    return False


def _sentence_initial(text: str, pos: int, floor: int) -> bool:
    i = pos - 1
    while i >= floor and text[i] in " \t\"'“‘(":
        i -= 1
    return i < floor or text[i] in ".!?\n:;-–"


def resolve(sentences: list[list[Mention]], strict: bool,
            first_words: list[int] | None = None) -> list[list[tuple[Mention, Mention | None, bool]]]:
    """For each sentence, each pronoun with the mention it refers to and whether that clashes.

    Returns per sentence a list of ``(pronoun, target, clash)``: ``clash`` is True when the
    pronoun's gender contradicts its target's (a possible leak when the target is the child).
    ``strict`` (used inside copied passages) follows subject preference for sentence-initial
    pronouns; otherwise only a pronoun that is the sentence's first word (``first_words``:
    the start of each sentence's first word) looks back, and any compatible mention in the
    previous sentence resolves it.
    """
    out: list[list[tuple[Mention, Mention | None, bool]]] = []
    first_words = first_words or []
    prev_subject: Mention | None = None
    prev: list[Mention] = []
    for k, ms in enumerate(sentences):
        if PRON not in map(_KIND, ms):  # nothing to resolve: the sentence only passes on its subject
            out.append([])
            for e in ms:
                if e.kind != CAP:
                    prev_subject = e
                    break
            prev = ms if strict is False else [e for e in ms if e.kind != CAP]
            continue
        first = first_words[k] if k < len(first_words) else None
        res: list[tuple[Mention, Mention | None, bool]] = []
        resolved: list[Mention] = []  # mentions with pronouns replaced by their targets
        for m in ms:
            if m.kind != PRON:
                resolved.append(m)
                continue
            earlier = [e for e in resolved if strict is False or e.kind != CAP]
            if earlier:
                comp = [e for e in earlier if _compatible(e, m.gender)]
                if comp:
                    tgt, clash = comp[-1], False
                else:
                    tgt, clash = earlier[0], True
            elif prev_subject is not None and (strict or first is None or m.start == first):
                if _compatible(prev_subject, m.gender):
                    tgt, clash = prev_subject, False
                elif strict:
                    tgt, clash = prev_subject, True
                else:
                    comp = [e for e in prev if _compatible(e, m.gender)]
                    tgt, clash = (comp[-1], False) if comp else (prev_subject, True)
            else:
                tgt, clash = None, False
            res.append((m, tgt, clash))
            resolved.append(tgt if (tgt is not None) else m)
        out.append(res)
        subj = next((e for e in resolved if e.kind != CAP), None)
        if subj is not None:
            prev_subject = subj
        prev = [e for e in resolved if strict is False or e.kind != CAP]
    return out


def _compatible(m: Mention, gender: str | None) -> bool:
    return m.gender is None or gender is None or m.gender == gender


def build_family(records: list[CaseRecord], patterns: Patterns) -> Family:
    """The family's children from their records' metadata (missing values stay None)."""
    children: list[Child] = []
    for i, r in enumerate(records):
        m = r.meta
        names: list[str] = []
        fn = first_name(m.child_name)
        if fn:
            names.append(fn)
        names.extend(n for n in (m.nicknames or []) if n and n not in names)
        dob = _parse_date(m.date_of_birth)
        age = float(m.age) if m.age not in (None, "") else None
        children.append(Child(index=i, record=r, names=names, gender=gender_of(m.gender, patterns),
                              age=age, dob=dob, initial=fn[0].upper() if fn else None))
    return Family(children, patterns)


def _parse_date(s: str | None) -> date | None:
    if not s:
        return None
    s = s.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            return date.fromisoformat(s)
        m = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})", s)
        if m:
            d, mo, y = (int(x) for x in m.groups())
            y = y + 2000 if y < 100 else y
            return date(y, mo, d)
    except ValueError:
        return None
    return None


def age_on(dob: date, on: date) -> float:
    years = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
    return float(years)
