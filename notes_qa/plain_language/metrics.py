"""Readability and plain-language metrics: pure functions of a spaCy Doc or Span.

Sentences and words are defined in :mod:`notes_qa.plain_language.analysis` (sentence boundaries
cut at line breaks; words keep inner apostrophes/hyphens). Syllables: CMU Pronouncing Dictionary
table with a spelling-rule fallback (:mod:`~notes_qa.plain_language.syllables`). Every metric
returns None where it is undefined (no words, or too few sentences).
"""
from __future__ import annotations

import math

from .analysis import Analysis, DocLike, analyse


def _a(doclike: DocLike) -> Analysis | None:
    a = analyse(doclike, plan_checks=False)
    return a if a.n_words and a.n_sentences else None


def flesch_reading_ease(doclike: DocLike) -> float | None:
    """206.835 - 1.015 * words/sentences - 84.6 * syllables/words. Higher = easier
    (0-100 typical; 60-70 plain English). Source: Flesch (1948)."""
    a = _a(doclike)
    if a is None:
        return None
    return 206.835 - 1.015 * a.n_words / a.n_sentences - 84.6 * a.n_syll / a.n_words


def flesch_kincaid_grade(doclike: DocLike) -> float | None:
    """0.39 * words/sentences + 11.8 * syllables/words - 15.59: a US school grade. Higher =
    harder. Source: Kincaid, Fishburne, Rogers & Chissom (1975)."""
    a = _a(doclike)
    if a is None:
        return None
    return 0.39 * a.n_words / a.n_sentences + 11.8 * a.n_syll / a.n_words - 15.59


def smog(doclike: DocLike) -> float | None:
    """1.0430 * sqrt(polysyllables * 30 / sentences) + 3.1291 (polysyllable = 3+ syllables).
    Higher = harder (a grade). None under 3 sentences. Source: McLaughlin (1969)."""
    a = _a(doclike)
    if a is None or a.n_sentences < 3:
        return None
    return 1.0430 * math.sqrt(a.n_poly * 30 / a.n_sentences) + 3.1291


def words_per_sentence(doclike: DocLike) -> float | None:
    """Mean words per sentence. Higher = harder (plain English aims at 15-20)."""
    a = _a(doclike)
    return None if a is None else a.n_words / a.n_sentences


def long_sentence_share(doclike: DocLike) -> float | None:
    """Share of sentences with more than 25 words. Higher = harder. Source: Plain English
    Campaign / GOV.UK style guidance on sentence length."""
    a = _a(doclike)
    return None if a is None else a.n_long / a.n_sentences


def rare_word_share(doclike: DocLike) -> float | None:
    """Share of words (lower-case, not names or numbers) outside the 5,000 most frequent
    English words (wordfreq 3.1.1 'best' list, pinned in ``data/common_words.txt``). Higher =
    harder. None when there are no such words to judge."""
    a = _a(doclike)
    if a is None or a.n_lexical == 0:
        return None
    return a.n_rare / a.n_lexical


def passive_share(doclike: DocLike) -> float | None:
    """Share of sentences with a passive verb group: a form of be/get followed (within two
    adverbs) by a past participle (-ed or irregular), excluding adjectival participles such as
    'worried'. Rule-based; works on ``spacy.blank("en")``. Higher = less plain. Source: Plain
    English Campaign, 'How to write in plain English' (use active verbs)."""
    a = _a(doclike)
    if a is None:
        return None
    return len({u for _, _, u in a.passive}) / a.n_sentences


def nominalisation_share(doclike: DocLike) -> float | None:
    """Share of words that are nominalisations (-tion, -sion, -ment, -ness, -ance, -ence,
    -ity, -ism ... of 7+ letters, and listed ones such as 'referral'). Higher = less plain.
    Source: Williams & Bizup, 'Style: Lessons in Clarity and Grace'."""
    a = _a(doclike)
    return None if a is None else a.n_nominal / a.n_words
