"""Scoring without scikit-learn: ``linear.safetensors`` gives scikit-learn's probabilities to the bit."""
from __future__ import annotations

import json
import pickle
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from notes_qa.training.classifier import ESTIMATOR_FILE, CueClassifier, export_linear
from notes_qa.training.linear import LINEAR_FILE, LinearModel
from notes_qa.training.models import model_dir

ROOT = Path(__file__).resolve().parent.parent


def _rows(n: int, seed: int, names: int = 40) -> list[dict]:
    rnd = random.Random(seed)
    rows = []
    for _ in range(n):
        row: dict = {f"w={rnd.randrange(names)}": rnd.choice([0.3, 1.0, 0.0, 2.5]) for _ in range(rnd.randrange(0, 9))}
        row["cue"] = rnd.choice(["a", "b", "1"])  # a string value hashes as "cue=a" with value 1 ("1" too)
        rows.append(row)
    return rows


@pytest.mark.parametrize("calibrate,multi", [("none", False), ("sigmoid", False), ("none", True), ("sigmoid", True)])
def test_linear_equals_sklearn_bitwise_with_collisions(calibrate, multi):
    rows = _rows(600, 3)
    rnd = random.Random(4)
    y = [rnd.choice(["none", "a", "b"]) if multi else (r.get("w=1", 0) > 0 or rnd.random() < 0.3) for r in rows]
    # 16 columns for 40 names: most rows hold names that collide, which must be summed
    clf = CueClassifier(n_features=16, calibrate=calibrate, negative_class="none" if multi else None).fit(rows, y)
    assert isinstance(clf._linear, LinearModel)
    expected = clf.estimator_.predict_proba(clf.vectorise(rows))
    assert np.array_equal(clf.predict_proba(rows), expected)


def test_linear_hashes_a_numeric_string_value_as_a_name_like_sklearn():
    rows = _rows(600, 7)
    y = [r["cue"] == "1" or r.get("w=3", 0) > 0 for r in rows]
    clf = CueClassifier(n_features=64).fit(rows, y)
    only = [r for r in rows if r["cue"] == "1"]  # a batch whose only strings read as numbers
    assert only and np.array_equal(clf.predict_proba(only), clf.estimator_.predict_proba(clf.vectorise(only)))


def test_linear_save_load_uses_linear_file_and_lazy_estimator(tmp_path):
    rows = _rows(400, 5)
    y = [r.get("w=2", 0) > 0 for r in rows]
    clf = CueClassifier(n_features=2 ** 8, calibrate="sigmoid").fit(rows, y)
    clf.save(tmp_path / "m")
    assert (tmp_path / "m" / LINEAR_FILE).is_file()
    again = CueClassifier.load(tmp_path / "m")
    assert "_estimator" not in again.__dict__  # scored without reading the skops file
    assert again.classes_.tolist() == [False, True]
    assert np.array_equal(again.predict_proba(rows), clf.predict_proba(rows))
    assert type(again.estimator_).__name__ == "CalibratedClassifierCV"  # loaded when asked for
    # a pipeline sent to other processes (spaCy's n_process) pickles it; its name cache stays behind
    linear = again._linear
    assert linear._names  # filled by scoring above
    copy = pickle.loads(pickle.dumps(linear))
    assert copy._names == {} and np.array_equal(copy.predict_proba(rows), clf.predict_proba(rows))


def test_linear_stale_file_is_ignored(tmp_path):
    rows = _rows(300, 6)
    y = [r.get("w=3", 0) > 0 for r in rows]
    CueClassifier(n_features=2 ** 8, calibrate="none").fit(rows, y).save(tmp_path / "m")
    other = CueClassifier(n_features=2 ** 8, calibrate="none").fit(rows, [not v for v in y])
    other.save(tmp_path / "other")
    # the skops file changes under an old linear.safetensors: the skops file wins
    (tmp_path / "m" / ESTIMATOR_FILE).write_bytes((tmp_path / "other" / ESTIMATOR_FILE).read_bytes())
    loaded = CueClassifier.load(tmp_path / "m")
    assert "_estimator" in loaded.__dict__
    assert np.array_equal(loaded.predict_proba(rows), other.predict_proba(rows))
    # export_linear brings it up to date
    assert export_linear(tmp_path / "m")
    assert "_estimator" not in CueClassifier.load(tmp_path / "m").__dict__


def test_linear_shipped_models_match_their_skops_files():
    from notes_qa.training.linear import file_sha256

    for name in ("child_voice", "decision", "rationale"):
        d = model_dir(name)
        assert d is not None
        linear = LinearModel.load(d / LINEAR_FILE, file_sha256(d / ESTIMATOR_FILE))
        assert linear is not None, f"{name}: linear.safetensors is missing or stale; run python -m notes_qa.training.linear"
        assert linear.classes == json.loads((d / "classifier.json").read_text())["classes"]


def test_linear_shipped_models_equal_sklearn_on_featurised_clauses():
    """The voice and decision models' probabilities on real featuriser output, both ways."""
    import spacy

    import notes_qa.decisions.component  # noqa: F401
    import notes_qa.voice.component  # noqa: F401
    from notes_qa.spacy_ext import Context
    from notes_qa.training.units import clauses, doc_units

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    voice = nlp.add_pipe("notes_qa_child_voice")
    nlp.initialize()
    feat = voice._ready()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpora" / "sample").rglob("*.txt"))]
    rows = []
    for t in texts:
        doc = nlp.make_doc(t)
        for _, proc in nlp.pipeline[:1]:
            doc = proc(doc)
        doc._.nqa_context = Context(child_name="Mia", note_type="home_visit")
        s_text, sents = doc_units(doc)
        for s, e in sents:
            for a, b in clauses(s_text, s, e):
                rows.append(feat.featurise(s_text[a:b], doc._.nqa_context)[0])
    assert rows
    model = voice.model
    assert "_estimator" not in model.__dict__
    assert np.array_equal(model.predict_proba(rows), model.estimator_.predict_proba(model.vectorise(rows)))


def test_linear_pipeline_runs_without_importing_sklearn():
    code = ("import sys\n"
            "from notes_qa.pipeline import build_pipeline\n"
            "nlp = build_pipeline()\n"
            "doc = nlp('Visit. Mia told me she wants to stay with her nain. It was agreed the case will close "
            "as there are no further concerns.')\n"
            "assert doc.spans['child_voice'] and doc.spans['decision'], doc.spans\n"
            "bad = [m for m in ('sklearn', 'scipy', 'skops') if m in sys.modules]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=120)
