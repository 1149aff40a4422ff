"""Document-level similarity of one file to another: how much of A stands in B.

``similarity(A | B) = coverage + (1 - coverage) * containment``, in 0..1, higher = more of A
reused from B (asymmetric: A's share, as the sibling's file or a source may be much longer).

- **coverage**: the share of A's word tokens inside aligned passages (the same passages the
  step reports as ``sibling_copy`` spans), each token weighted by its passage's similarity
  2M/(|a|+|b|). It is the strict, passage-level evidence: copied text, possibly lightly edited.
- **containment**: soft evidence for the rest, which is what heavy paraphrase leaves behind
  (the words survive, their order and phrasing do not): the containment of A's lightly stemmed
  word types in B's, each type weighted by its surprisal in bits (``config.word_bits``, capped
  at ``rare_word_bits``), so shared topic words weigh more than "the" or "of" (an IDF without
  a corpus): ``C(A|B) = sum(w(t) for t in T(A) & T(B)) / sum(w(t) for t in T(A))``.

The containment is taken over the part of A outside aligned passages (word types that occur
only inside them are left out), so nothing is counted twice: a fully copied A scores 1, and an
unrelated A scores its weighted vocabulary overlap (about 0.1 for unrelated text; 0.25-0.5 for
text written independently on the same topic, or siblings' files sharing family names and
places). Undefined (A has no words) gives None. Word order is left to the passages: bigram
containment separated the Clough & Stevenson levels no better and cost a fifth of the step.

Used by the family step (``record.extra["sibling_similarity"]``) and the Clough & Stevenson
benchmark (``text_similarity``).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Iterable, Sequence

from .align import TokenStream
from .config import capped_word_bits

#: Suffixes stripped by :func:`stem`, longest first (a light English stemmer, no lexicon).
SUFFIXES = ("ational", "ations", "ation", "ments", "ment", "ness", "ings", "ing", "ies", "ied",
            "ers", "er", "ed", "es", "ly", "s")


@dataclass(frozen=True)
class Similarity:
    """How much of A stands in B: the score and its two parts (all 0..1)."""

    score: float
    coverage: float
    containment: float

    def to_dict(self) -> dict[str, float]:
        return {"score": self.score, "coverage": self.coverage, "containment": self.containment}


_STEMS: dict[str, str] = {}
_FIRST = itemgetter(0)
_INFO: dict[float, dict[str, tuple[str, float]]] = {}


def _word_info(rare_bits: float) -> dict[str, tuple[str, float]]:
    """word → (stem, capped surprisal), filled as words are met (one table per cap)."""
    got = _INFO.get(rare_bits)
    if got is None:
        got = _INFO[rare_bits] = {}
    return got


def stem(word: str) -> str:
    """Lower-cased word without one inflectional/derivational suffix and a final 'e'.

    Conflates "computing", "computed", "computes", "compute" → "comput"; words of four
    letters or fewer are kept. Deliberately light: it only needs to match paraphrased forms.
    """
    s = _STEMS.get(word)
    if s is not None:
        return s
    w = word
    if len(w) > 4:
        for suf in SUFFIXES:
            if w.endswith(suf) and len(w) - len(suf) >= 3:
                w = w[:-len(suf)] + ("y" if suf in ("ies", "ied") else "")
                break
        if len(w) > 4 and w.endswith("e"):
            w = w[:-1]
    _STEMS[word] = w
    return w


@dataclass
class Profile:
    """A file's vocabulary: stemmed word types with their surprisal weight and count.

    Built from a word sequence (a :class:`TokenStream`'s lower-cased tokens, "" at separators),
    which it keeps, so aligned token ranges index it directly.
    """

    words: Sequence[str]
    n_words: int
    #: stem → surprisal in bits (the largest of its word forms, capped at ``rare_bits``).
    weights: dict[str, float]
    #: stem → number of occurrences.
    counts: dict[str, int]
    total: float
    #: word → (stem, weight) for at least every word of ``words`` (empty when built by hand).
    stems: dict[str, tuple[str, float]] = field(default_factory=dict, repr=False)

    @classmethod
    def of_words(cls, words: Sequence[str], rare_bits: float) -> "Profile":
        """Profile of lower-cased words ("" entries are separators and are skipped)."""
        wc = Counter(words)
        wc.pop("", None)
        weights: dict[str, float] = {}
        counts: dict[str, int] = {}
        known = _word_info(rare_bits)  # word → (stem, min(word_bits, rare_bits)), kept
        for w, c in wc.items():
            got = known.get(w)
            if got is None:
                got = known[w] = (stem(w), capped_word_bits(rare_bits).get(w, rare_bits))
            st, b = got
            if b > weights.get(st, 0.0):
                weights[st] = b
            counts[st] = counts.get(st, 0) + c
        return cls(words, sum(wc.values()), weights, counts, sum(weights.values()), known)

    @classmethod
    def of_stream(cls, s: TokenStream, rare_bits: float) -> "Profile":
        return cls.of_words(s.lower, rare_bits)


def shared_types(a: Profile, b: Profile) -> set[str]:
    """``a.weights.keys() & b.weights.keys()``: the stems the two files share.

    When the two vocabularies differ in size, this set (and the order it iterates in) is the
    same whichever way round it is asked for, so one pair of files can use it for both
    directions (see :func:`containment`).
    """
    return a.weights.keys() & b.weights.keys()


def containment(a: Profile, b: Profile, outside: Iterable[int] = (),
                shared: set[str] | None = None) -> float | None:
    """Surprisal-weighted containment of A's stemmed word types in B's (0..1).

    ``C(A|B) = sum(w(t) for t in T(A) & T(B)) / sum(w(t) for t in T(A))``. With ``outside``
    (positions of A inside aligned passages), types that occur only there are left out: the
    containment of the rest of A. None when no word is left. ``shared``: :func:`shared_types`
    of the two, if already known.
    """
    wa, wb = a.weights, b.weights
    total = a.total
    if shared is None or len(wa) == len(wb):
        shared = wa.keys() & wb.keys()
    hit = sum(map(wa.__getitem__, shared))
    # the stems of A's words at those positions, counted in the order of the set (as written
    # out: Counter(stem(a.words[i]) for i in set(outside) if a.words[i])), in C where A's
    # profile knows every word's stem
    inside_words = list(filter(None, map(a.words.__getitem__, set(outside))))
    info = list(map(a.stems.get, inside_words))
    if None in info:
        inside = Counter(stem(w) for w in inside_words)
    else:
        inside = Counter(map(_FIRST, info))
    for t, c in inside.items():
        if c == a.counts.get(t):
            total -= wa[t]
            if t in wb:
                hit -= wa[t]
    if total <= 1e-9:
        return None
    return min(1.0, max(0.0, hit / total))


def document_similarity(a: Profile, b: Profile, runs: Iterable[tuple[int, int, float]],
                        shared: set[str] | None = None) -> Similarity | None:
    """Similarity of A to B from both profiles and A's aligned ranges ``(start, end, sim)``.

    ``coverage`` = similarity-weighted share of A's words in the ranges (overlaps count once,
    the earlier range first); ``containment`` = of A's words outside them, 0 when none is
    left; ``score = coverage + (1 - coverage) * containment``. None when A has no words.
    ``shared``: :func:`shared_types` of the two, if already known.
    """
    if a.n_words <= 0:
        return None
    words = a.words
    sim_at: dict[int, float] = {}
    for s, e, sim in sorted(runs):
        for i in range(s, min(e, len(words))):
            if words[i] and i not in sim_at:
                sim_at[i] = sim
    cov = min(1.0, sum(sim_at.values()) / a.n_words)
    cont = containment(a, b, sim_at, shared) or 0.0
    return Similarity(round(cov + (1 - cov) * cont, 4), round(cov, 4), round(cont, 4))
