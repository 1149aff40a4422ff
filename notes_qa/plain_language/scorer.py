"""The 0-100 plain-language score from the features, with documented, fitted weights.

score = 100 * sigmoid((t - 50) / 30), t = b0 + k * R + sum_j w_j * s_j * g_j * p_j, where

- R is general readability on the CLEAR scale of Bradley-Terry easiness (higher = easier):
  a standardised linear model over :data:`~notes_qa.plain_language.features.READABILITY_FEATURES`
  plus ``word_easiness`` (the mean, over known words, of per-word easiness weights learnt from
  CLEAR's training excerpts). It carries the signal for general prose.
- ``k`` is fixed (points per BT unit; chosen by cross-validation in ``calibrate.py``) and not
  fitted, so that the plan signals cannot drown it.
- p_j are the plan-usability features (jargon, unexplained acronyms, shorthand, vague actions,
  passive voice, long sentences, no stated outcome: penalties, s_j = -1; actions that say who
  does what by when, second-person phrasing: bonuses, s_j = +1), w_j >= 0 fitted with b0 on
  invented plans at five levels together with CLEAR training prose (see ``calibrate.py``;
  the weights file records the fit).
- g_j is :func:`plan_gate` for the action/outcome signals (1 otherwise): ordinary prose with
  few action sentences is not penalised for having no owners, dates or outcomes.
- the sigmoid keeps the score in 0..100 without ties at the ends (the fit targets t).
"""
from __future__ import annotations

import math
from itertools import accumulate
from typing import Any

import numpy as np

from .analysis import Analysis, WordTable
from .features import features

PLAN_SIGNS: dict[str, int] = {
    "jargon_per_100": -1, "acronyms_per_100": -1, "shorthand_per_100": -1,
    "vague_action_share": -1, "passive_share": -1, "long_sentence_share": -1, "no_outcome": -1,
    "good_action_share": +1, "you_share": +1,
}

#: Plan signals that only make sense for a text that reads as an action plan.
GATED = frozenset({"vague_action_share", "good_action_share", "no_outcome"})
SQUASH_SCALE = 35.0

#: Why a plan is not plain, per feature (used for the findings' top reasons).
REASONS: dict[str, str] = {
    "readability": "long sentences or hard words",
    "jargon_per_100": "professional jargon",
    "acronyms_per_100": "acronyms not spelled out",
    "shorthand_per_100": "note-taking shorthand",
    "vague_action_share": "actions that do not say who will do what by when",
    "passive_share": "passive sentences that hide who does what",
    "long_sentence_share": "sentences over 25 words",
    "no_outcome": "no stated outcome (how we will know things are better)",
    "good_action_share": "few actions with an owner and a date",
    "you_share": "does not speak to the family directly ('you')",
}


def word_easiness(a: Analysis, weights: dict[str, Any]) -> float:
    """Mean per-word easiness (CLEAR-trained) over the known words; the intercept if none."""
    we = weights.get("word_easiness") or {}
    table = we.get("weights") or {}
    intercept = we.get("intercept", 0.0)
    if a.table is None or not a.word_ids or not table:
        return intercept
    got = a.easiness
    if got is None or got[0] is not table:
        _easiness_sums([a], table)
        got = a.easiness
        assert got is not None
    n = got[2]
    return intercept + (got[1] / n if n else 0.0)


def _easiness_sums(analyses: list[Analysis], table: dict[str, float]) -> None:
    """Set ``a.easiness`` = (``table``, sum of its weights over the known words, their number)
    for each analysis with words.

    When every weight in ``table`` has at most 5 decimals (as ``calibrate.py`` writes them)
    the sums are taken in units of 1e-5, exactly, for a whole batch in one numpy pass (the same
    result for one Doc or many); otherwise Doc by Doc.
    """
    groups: dict[int, list[Analysis]] = {}
    for a in analyses:
        if a.table is not None and a.word_ids:
            groups.setdefault(id(a.table), []).append(a)
    for group in groups.values():
        wt = group[0].table
        assert wt is not None
        mat, scale = _easiness_matrix(wt, table)
        ids = [a.id_array if a.id_array is not None else np.array(a.word_ids, dtype=np.int64)
               for a in group]
        if scale is None:
            for a, i in zip(group, ids):
                a.easiness = (table, float(mat[i, 0].sum()), int(mat[i, 1].sum()))
            continue
        rows = mat[np.concatenate(ids) if len(ids) > 1 else ids[0]]
        if len(group) == 1:
            sums = [np.add.reduce(rows, axis=0).tolist()]
        else:
            offsets = list(accumulate([len(i) for i in ids[:-1]], initial=0))
            sums = np.add.reduceat(rows, offsets, axis=0).tolist()
        for a, (total, known) in zip(group, sums):
            a.easiness = (table, total / scale, int(known))


#: units per 1 of the shipped easiness weights (``calibrate.py`` rounds them to 5 decimals)
_FIXED_SCALE = 100_000


def _easiness_matrix(wt: WordTable, table: dict[str, float]) -> tuple[np.ndarray, int | None]:
    """(per row of ``wt``: [easiness weight, known flag]; how many units the weights are
    counted in per 1, or None when they are kept as plain floats), cached per weights table
    and word table and filled incrementally as the word table grows. Counted in units, every
    weight is a whole number, so a document's sum is exact (below 2**53 units)."""
    cache = getattr(wt, "_easiness", None)
    if cache is None or cache["table"] is not table or cache["lower"] is not wt.lower:
        prev = cache if cache is not None and cache["table"] is table else None
        scale = prev["scale"] if prev is not None else (
            _FIXED_SCALE if all(round(v * _FIXED_SCALE) / _FIXED_SCALE == v
                                for v in table.values()) else None)
        cache = {"table": table, "lower": wt.lower, "scale": scale, "n": 0,
                 "mat": np.zeros((max(1024, len(wt)), 2))}
        wt._easiness = cache  # type: ignore[attr-defined]
    n = len(wt)
    if cache["n"] < n:
        mat = cache["mat"]
        if len(mat) < n:
            mat = np.concatenate([mat, np.zeros((max(n, 2 * len(mat)) - len(mat), 2))])
            cache["mat"] = mat
        low, get, scale = wt.lower, table.get, cache["scale"]
        for i in range(cache["n"], n):
            v = get(low[i])
            if v is not None:
                mat[i] = (v if scale is None else round(v * scale), 1.0)
        cache["n"] = n
    return cache["mat"], cache["scale"]


def score_many(analyses: list[Analysis], weights: dict[str, Any]
               ) -> list[tuple[float | None, dict[str, float]]]:
    """:func:`score` for each analysis (the word easiness of all of them in one pass)."""
    table = (weights.get("word_easiness") or {}).get("weights") if weights else None
    if table:
        _easiness_sums(analyses, table)
    return [score(a, weights) for a in analyses]


def readability(f: dict[str, float], weights: dict[str, Any]) -> float:
    """R: predicted BT easiness (higher = easier)."""
    m = weights["readability"]
    r = m["intercept"]
    terms = _READABILITY_TERMS.get(id(m))
    if terms is None or terms[0] is not m:
        if len(_READABILITY_TERMS) > 64:
            _READABILITY_TERMS.clear()
        terms = _READABILITY_TERMS[id(m)] = (m, list(zip(m["features"], m["mean"], m["scale"],
                                                          m["coef"])))
    for name, mean, scale, coef in terms[1]:
        r += coef * (f[name] - mean) / scale
    return r


#: id(weights["readability"]) -> (that block, its (feature, mean, scale, coef) rows)
_READABILITY_TERMS: dict[int, tuple[dict[str, Any], list[tuple[str, float, float, float]]]] = {}


def score(a: Analysis, weights: dict[str, Any]) -> tuple[float | None, dict[str, float]]:
    """(score 0-100 or None, contribution of each part in points relative to a neutral text)."""
    f = features(a)
    if f is None or not weights:
        return None, {}
    f["word_easiness"] = word_easiness(a, weights)
    r = readability(f, weights)
    plan = weights["plan"]
    k = plan["k"]
    contrib = {"readability": k * (r - plan["r_ref"])}
    total = plan["b0"] + k * plan["r_ref"] + contrib["readability"]
    gate = plan_gate(f)
    for name, sw, gated in _plan_terms(plan):
        c = sw * f[name] * (gate if gated else 1.0)  # = PLAN_SIGNS[name] * w * f[name] * ...
        contrib[name] = c
        total += c
    if not math.isfinite(total):
        return None, contrib
    return squash(total), contrib


def _plan_terms(plan: dict[str, Any]) -> list[tuple[str, float, bool]]:
    """(name, PLAN_SIGNS[name] * w, gated) per plan weight, cached per weights block."""
    got = _PLAN_TERMS.get(id(plan))
    if got is None or got[0] is not plan:
        if len(_PLAN_TERMS) > 64:
            _PLAN_TERMS.clear()
        got = _PLAN_TERMS[id(plan)] = (plan, [(name, PLAN_SIGNS[name] * w, name in GATED)
                                              for name, w in plan["w"].items()])
    return got[1]


#: id(weights["plan"]) -> (that block, its :func:`_plan_terms`)
_PLAN_TERMS: dict[int, tuple[dict[str, Any], list[tuple[str, float, bool]]]] = {}


def squash(t: float) -> float:
    """Map the linear total onto 0..100 smoothly (monotone, no ties at the ends)."""
    return 100.0 / (1.0 + math.exp(-(t - 50.0) / SQUASH_SCALE))


def plan_gate(f: dict[str, float]) -> float:
    """How much a text reads as an action plan (0 = ordinary prose, 1 = a plan).

    From the share of sentences that are actions: below 10% (news or stories with the odd
    'will') the action and outcome signals are switched off; from 35% on they count fully.
    """
    return max(0.0, min(1.0, (f["action_density"] - 0.10) / 0.25))


def top_reasons(contrib: dict[str, float], n: int = 3) -> list[str]:
    """The ``n`` parts that pull the score down most (bonuses missed count as reasons too)."""
    pulls = []
    for name, c in contrib.items():
        if PLAN_SIGNS.get(name, -1) > 0:
            continue  # bonuses are not reasons for a low score
        if c < 0:
            pulls.append((c, name))
    pulls.sort()
    return [REASONS[name] for _, name in pulls[:n]]
