"""Numeric features of an :class:`~notes_qa.plain_language.analysis.Analysis` for the score.

Readability features describe any prose; plan features describe how usable a plan is
(jargon, acronyms, actions with an owner and a date, outcomes, second person).
"""
from __future__ import annotations

import math

from .analysis import Analysis

READABILITY_FEATURES = (
    "log_wps", "spw", "cpw", "poly_share", "mean_zipf", "low3_share", "low45_share",
    "rare_share", "long_sentence_share", "passive_share", "nominal_share", "commas_per_sentence",
    "quotes_per_word", "sd_wps", "content_zipf", "vrare_share", "pron_share", "content_share",
    "low5_share", "longword_share", "ttr", "number_share",
)
PLAN_FEATURES = (
    "jargon_per_100", "acronyms_per_100", "unexplained_acronyms", "shorthand_per_100",
    "vague_action_share", "good_action_share", "no_outcome", "you_share", "passive_share",
    "long_sentence_share", "action_density",
)


def features(a: Analysis) -> dict[str, float] | None:
    """All features, or None when the text has no words."""
    n, s = a.n_words, a.n_sentences
    if n == 0 or s == 0:
        return None
    lex = max(1, a.n_lexical)
    mean = n / s
    sd = math.sqrt(sum([(u[2] - mean) ** 2 for u in a.units]) / s)
    passive_units = len({u for _, _, u in a.passive}) if a.passive else 0
    jw = sum([e.weight for _, _, e in a.jargon]) if a.jargon else 0
    if a.acronyms:
        acr = sum([1.0 if e is None else e.weight for _, _, _, e, ok in a.acronyms if not ok])
        unexplained = len({f for _, _, f, _, ok in a.acronyms if not ok})
    else:
        acr = unexplained = 0
    acts = a.actions
    na = len(acts)
    vague = sum([x.vague for x in acts]) if na else 0
    return {
        "log_wps": math.log(mean), "spw": a.n_syll / n, "cpw": a.n_letters / n,
        "poly_share": a.n_poly / n, "mean_zipf": a.zipf_sum / lex if a.n_lexical else 5.0,
        "low3_share": a.n_low3 / lex, "low45_share": a.n_low45 / lex, "rare_share": a.n_rare / lex,
        "long_sentence_share": a.n_long / s, "passive_share": passive_units / s,
        "nominal_share": a.n_nominal / n, "commas_per_sentence": a.n_commas / s,
        "quotes_per_word": a.n_quotes / n, "sd_wps": sd / 10.0,
        "content_zipf": a.zipf_content_sum / a.n_content if a.n_content else 4.5,
        "vrare_share": a.n_vrare / lex, "pron_share": a.n_pron / n, "content_share": a.n_content / n,
        "low5_share": a.n_low5 / lex, "longword_share": a.n_longword / n,
        # type-token ratio over the first 150 words' worth of types (length-normalised)
        # numbers are read aloud by the syllable counter ("2013" = 6); their share is its own
        # feature, so the score can weigh figures apart from long words
        "number_share": a.n_numbers / n,
        "ttr": a.n_types / n * math.sqrt(n / 150.0) if n < 150 else a.n_types / math.sqrt(n * 150.0),
        "jargon_per_100": 100 * jw / n, "acronyms_per_100": 100 * acr / n,
        "unexplained_acronyms": float(min(unexplained, 10)),
        "shorthand_per_100": 100 * len(a.shorthand) / n,
        "vague_action_share": vague / na if na else 0.0,
        "good_action_share": (na - vague) / na if na else 0.0,
        "no_outcome": 0.0 if a.has_outcome else 1.0,
        "you_share": a.n_you / n, "action_density": na / s,
    }
