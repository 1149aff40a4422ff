"""The shared classifier: fit / predict_proba / skops save+load, calibration metric, model locator."""
from __future__ import annotations

import json
import random

import pytest

from notes_qa.errors import ConfigError
from notes_qa.training.classifier import ESTIMATOR_FILE, CueClassifier
from notes_qa.training.metrics import expected_calibration_error, prf
from notes_qa.training.models import model_dir, resolve_model


def data(n=400, seed=0):
    rnd = random.Random(seed)
    rows, y = [], []
    for _ in range(n):
        pos = rnd.random() < 0.4
        rows.append({"cue": float(pos if rnd.random() < 0.9 else not pos), "w=noise": rnd.random()})
        y.append(pos)
    return rows, y


def test_training_fit_predict_save_load_round_trip(tmp_path):
    rows, y = data()
    clf = CueClassifier(n_features=2 ** 10, calibrate="none").fit(rows, y)
    assert clf.classes_.tolist() == [False, True]
    p = clf.predict_proba(rows)
    assert p.shape == (len(rows), 2)
    clf.save(tmp_path / "m")
    again = CueClassifier.load(tmp_path / "m")
    assert (again.predict_proba(rows) == p).all()
    assert json.loads((tmp_path / "m" / "classifier.json").read_text())["n_features"] == 2 ** 10


def test_training_multiclass_positive_proba():
    rows = [{"a": 1.0}, {"b": 1.0}, {"c": 1.0}] * 50
    y = ["none", "reported", "direct_quote"] * 50
    clf = CueClassifier(n_features=2 ** 8, negative_class="none", calibrate="none").fit(rows, y)
    pos, _ = clf.positive_proba(clf.predict_proba([{"a": 1.0}, {"b": 1.0}]))
    assert pos[0] < 0.5 < pos[1]


def test_training_load_refuses_untrusted_types(tmp_path):
    import skops.io as sio
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    (tmp_path / "m").mkdir()
    sio.dump(Pipeline([("s", StandardScaler())]), tmp_path / "m" / ESTIMATOR_FILE)
    (tmp_path / "m" / "classifier.json").write_text(json.dumps({"n_features": 8}))
    with pytest.raises(ConfigError, match="refusing"):
        CueClassifier.load(tmp_path / "m")


def test_training_load_names_missing_files(tmp_path):
    with pytest.raises(ConfigError, match="train_shipped"):
        CueClassifier.load(tmp_path)


def test_training_ece_and_prf():
    assert expected_calibration_error([True, False], [1.0, 0.0]) == 0.0
    assert expected_calibration_error([True, True], [0.0, 0.0]) == 1.0
    assert expected_calibration_error([], []) is None
    assert prf([True, False, True], [True, True, False])["f1"] == 0.5


def test_training_model_locator():
    assert resolve_model(None, "child_voice") is None
    assert resolve_model("/x/y", "child_voice").as_posix() == "/x/y"
    assert model_dir("no_such_model") is None
    shipped = model_dir("child_voice")
    assert shipped is None or (shipped / "classifier.json").is_file()


def _multi(n=600, seed=1):
    rnd = random.Random(seed)
    rows, y = [], []
    for _ in range(n):
        label = rnd.choice(["none", "none", "a", "b", "c"])
        rows.append({f"cue={label}": 1.0 if rnd.random() < 0.8 else 0.0, f"w={rnd.randrange(30)}": 0.3})
        y.append(label)
    return rows, y


@pytest.mark.parametrize("calibrate", ["none", "sigmoid"])
@pytest.mark.parametrize("multi", [False, True])
def test_training_linear_fast_path_equals_sklearn(calibrate, multi):
    import numpy as np

    rows, y = _multi() if multi else data()
    clf = CueClassifier(n_features=2 ** 10, calibrate=calibrate,
                        negative_class="none" if multi else None).fit(rows, y)
    assert clf._linear is not None  # the fast path is in use
    X = clf.vectorise(rows)
    assert np.array_equal(clf.predict_proba(rows), clf.estimator_.predict_proba(X))


def test_training_linear_fast_path_equals_sklearn_on_shipped_models():
    import numpy as np

    from notes_qa.training.backends import load_classifier

    for name in ("child_voice", "decision", "rationale"):
        clf = load_classifier(model_dir(name))
        assert clf._linear is not None
        rnd = random.Random(name)
        rows = [{"bias_voice": 1.0, "bias": 1.0, **{f"w={rnd.randrange(500)}": 0.3 for _ in range(8)},
                 **{f"b={rnd.randrange(500)}_x": 0.3 for _ in range(4)}} for _ in range(50)]
        X = clf.vectorise(rows)
        assert np.array_equal(clf.predict_proba(rows), clf.estimator_.predict_proba(X))


def test_training_word_bigrams_follow_the_model_config(tmp_path) -> None:
    import json
    import shutil

    import spacy

    import notes_qa.decisions.component  # noqa: F401
    import notes_qa.voice.component  # noqa: F401
    from notes_qa.training.models import resolve_model

    shipped = resolve_model("default", "child_voice")
    assert json.loads((shipped / "classifier.json").read_text())["word_bigrams"] is False
    older = tmp_path / "older"  # a model saved before the setting was recorded: trained with bigrams
    shutil.copytree(shipped, older)
    cfg = json.loads((older / "classifier.json").read_text())
    del cfg["word_bigrams"]
    (older / "classifier.json").write_text(json.dumps(cfg))
    nlp = spacy.blank("en")
    now = nlp.add_pipe("notes_qa_child_voice", name="now")
    old = nlp.add_pipe("notes_qa_child_voice", name="old", config={"model": str(older)})
    dec = nlp.add_pipe("notes_qa_decisions", config={"rationale_model": None})
    nlp.initialize()
    assert now.featuriser.bigrams is False and old.featuriser.bigrams is True
    # the decision model's own setting; no rationale model: as models saved without the setting
    assert dec.featuriser.bigrams is False and dec.featuriser.rationale_bigrams is True
    feats = old.featuriser.featurise("Mia said she wants to stay.", None)[0]
    assert any(k.startswith("b=") for k in feats)
    assert not any(k.startswith("b=") for k in now.featuriser.featurise("Mia said she wants to stay.", None)[0])
