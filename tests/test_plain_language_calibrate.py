"""The score-weight fit (notes_qa.plain_language.calibrate): deterministic and self-consistent.

Runs the fit on a small invented subset (no shared corpora needed); the full refit of the
shipped file is ``python -m notes_qa.plain_language.calibrate fit --check``.
"""
from __future__ import annotations

import json

import pytest

from notes_qa.plain_language import calibrate
from notes_qa.plain_language.lexicon import Resources
from notes_qa.plain_language.scorer import score
from notes_qa.plain_language.training_plans import generate


@pytest.fixture(scope="module")
def small_rows() -> tuple[calibrate.Rows, calibrate.Rows]:
    plans = generate(7, 8)  # 40 invented plans, levels 1..5
    texts = [t for t, _ in plans]
    levels = [float(lv) for _, lv in plans]
    # stand-in "prose" rows: the same texts with an easiness target on the BT scale
    prose = calibrate.featurise(texts, [(lv - 3.0) / 2.0 for lv in levels])
    return prose, calibrate.featurise(texts, levels)


def test_calibrate_fit_is_deterministic(small_rows) -> None:
    prose, plans = small_rows
    cfg = calibrate.FitConfig(bow_min_df=2)
    first = calibrate.dumps(calibrate.build_weights(prose, plans, cfg))
    second = calibrate.dumps(calibrate.build_weights(prose, plans, cfg))
    assert first == second
    w = json.loads(first)
    assert set(w["plan"]["w"]) and all(v >= 0 for v in w["plan"]["w"].values())
    assert w["plan"]["fit"]["spearman_plans_in_sample"] > 0.5


def test_calibrate_score_rows_matches_component_score(small_rows) -> None:
    """The fit's scoring of featurised rows is the component's score formula."""
    import spacy

    from notes_qa.plain_language.analysis import analyse

    prose, plans = small_rows
    w = calibrate.fit_weights(prose, plans, calibrate.FitConfig(bow_min_df=2))
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    res = Resources.load(weights=None)
    texts = [t for t, _ in generate(7, 8)][:10]
    got = [score(analyse(d, res, t), w)[0] for d, t in zip(nlp.pipe(texts), texts)]
    assert got == pytest.approx(calibrate.score_rows(plans.take(range(10)), w), abs=1e-9)


def test_calibrate_shipped_weights_record_their_fit() -> None:
    w = Resources.load().weights
    assert "number_share" in w["readability"]["features"]
    fit = w["plan"]["fit"]
    assert fit["seed"] == calibrate.SEED
    assert fit["clear_share"] == calibrate.CLEAR_SHARE and w["plan"]["k"] == calibrate.K_POINTS_PER_BT
