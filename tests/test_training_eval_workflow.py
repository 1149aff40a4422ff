"""Evaluation maths, and the sklearn workflow end to end: train (reproducible, with a card),
evaluate, select (Label Studio tasks that load back), safe loading, pipeline configuration."""
from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from notes_qa.errors import ConfigError
from notes_qa.training.data import Example, load_examples, write_examples
from notes_qa.training.evaluate import decide, evaluate_predictions
from notes_qa.training.select import uncertainty


# -- pure evaluation -------------------------------------------------------------------------
def test_training_eval_prf_confusion_and_worst_errors() -> None:
    classes = ["direct_quote", "none", "reported"]
    gold = ["reported", "none", "direct_quote", "none", "reported"]
    proba = np.array([[0.1, 0.2, 0.7],   # reported, right
                      [0.05, 0.9, 0.05],  # none, right
                      [0.1, 0.8, 0.1],    # none, wrong (conf 0.8)
                      [0.6, 0.3, 0.1],    # direct_quote, wrong (conf 0.6)
                      [0.5, 0.1, 0.4]])   # direct_quote (the best non-none class), wrong kind
    res = evaluate_predictions(gold, proba, classes, "none", texts=[f"t{i}" for i in range(5)], n_boot=200, seed=1)
    # any voice: gold positive rows 0, 2, 4; predicted positive rows 0, 3, 4
    assert res["positive"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert res["positive"]["recall"] == pytest.approx(2 / 3, abs=1e-4)
    rep = res["per_class"]["reported"]
    assert (rep["precision"], rep["recall"], rep["support"]) == (1.0, 0.5, 2)
    assert res["confusion"]["matrix"] == [[0, 1, 0], [1, 1, 0], [1, 0, 1]]
    assert [e["text"] for e in res["worst_errors"]] == ["t2", "t3", "t4"]
    lo, hi = res["positive"]["f1_ci"]
    assert lo <= res["positive"]["f1"] <= hi


def test_training_eval_bootstrap_is_seeded_and_resamples_groups() -> None:
    rnd = random.Random(0)
    gold = [rnd.random() < 0.4 for _ in range(300)]
    p1 = np.array([[1 - q, q] for q in (0.8 if g and rnd.random() < 0.8 else 0.2 for g in gold)])
    a = evaluate_predictions(gold, p1, [False, True], False, n_boot=300, seed=5)
    b = evaluate_predictions(gold, p1, [False, True], False, n_boot=300, seed=5)
    c = evaluate_predictions(gold, p1, [False, True], False, n_boot=300, seed=6)
    assert a == b and a["positive"]["f1_ci"] != c["positive"]["f1_ci"]
    g = evaluate_predictions(gold, p1, [False, True], False, groups=[f"case{i // 30}" for i in range(300)],
                             n_boot=300, seed=5)
    assert (g["bootstrap"]["unit"], g["bootstrap"]["units"]) == ("group", 10)
    assert a["bootstrap"]["unit"] == "example"
    assert g["positive"]["f1"] == a["positive"]["f1"]


def test_training_eval_decide_follows_the_pipeline_rule() -> None:
    pred, pos, _ = decide(np.array([[0.3, 0.45, 0.25], [0.2, 0.55, 0.25]]), ["direct_quote", "none", "reported"],
                          "none")
    assert pred == ["direct_quote", "none"] and pos[0] == pytest.approx(0.55)


def test_training_eval_uncertainty_strategies() -> None:
    p = np.array([[1.0, 0.0], [0.5, 0.5], [0.9, 0.1]])
    assert uncertainty(p, "entropy").round(4).tolist() == [0.0, 1.0, 0.469]
    assert uncertainty(p, "margin").round(4).tolist() == [0.0, 1.0, 0.2]
    with pytest.raises(ConfigError):
        uncertainty(p, "random")


# -- the workflow on a small synthetic corpus ------------------------------------------------
@pytest.fixture(scope="module")
def small_data(tmp_path_factory) -> Path:
    """A balanced few-hundred-sentence sample of a 6-family synthetic corpus, as annotation JSONL."""
    from notes_qa.corpus import generate_corpus

    root = tmp_path_factory.mktemp("corpus")
    generate_corpus(6, 17, root, hf=False, card=False, docx_share=0.0)
    exs = load_examples(root / "labels" / "sentences.jsonl")
    rnd = random.Random(0)
    keep: list[Example] = []
    for fam in sorted({e.group for e in exs}):
        mine = [e for e in exs if e.group == fam]
        for cls in ("none", "direct_quote", "reported", "non_verbal"):
            pool = [e for e in mine if e.child_voice == cls]
            keep += rnd.sample(pool, min(len(pool), 40 if cls == "none" else 25))
        keep += [e for e in mine if e.decision][:15]
    for e in keep:
        e.split = None  # exercise the group split
    return write_examples(keep, root / "small.jsonl")


@pytest.mark.slow
def test_training_eval_train_is_reproducible_and_writes_a_card(small_data: Path, tmp_path: Path) -> None:
    from notes_qa.training.trainer import train_task

    a = train_task("decision", small_data, tmp_path / "a", seed=11, n_boot=200)
    b = train_task("decision", small_data, tmp_path / "b", seed=11, n_boot=200)
    assert a["metrics"] == b["metrics"]
    assert (tmp_path / "a" / "metrics.json").read_text() == (tmp_path / "b" / "metrics.json").read_text()
    card = (tmp_path / "a" / "README.md").read_text()
    assert a["data"]["sha256"] in card and "Seed: 11" in card
    for part in ("Label counts", "Intended use", "Limits", "## Metrics", "notes-qa train decision"):
        assert part in card
    texts = [e.text for e in load_examples(small_data)]
    assert not any(t in card for t in texts[:50]), "the card must not quote training sentences"
    assert a["data"]["train_groups"] + a["data"]["test_groups"] == 6
    assert (tmp_path / "a" / "estimator.skops").is_file()


@pytest.mark.slow
def test_training_eval_cli_train_evaluate_select(small_data: Path, tmp_path: Path, capsys) -> None:
    from notes_qa.training.cli import main

    model = tmp_path / "voice"
    assert main(["train", "child_voice", "--data", str(small_data), "--out", str(model), "--seed", "3",
                 "--bootstrap", "100"]) == 0
    out = capsys.readouterr().out
    assert "held-out test" in out and "confusion matrix" in out
    assert main(["evaluate", "child_voice", "--model", str(model), "--data", str(small_data), "--json",
                 "--bootstrap", "100"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert set(res["per_class"]) == {"none", "direct_quote", "reported", "non_verbal"}
    assert len(res["positive"]["f1_ci"]) == 2 and res["split"] == "all"
    assert main(["evaluate", "child_voice", "--model", str(model), "--data", str(small_data)]) == 0
    text = capsys.readouterr().out
    assert "F1" in text and "[" in text and "most confident errors" in text

    # active learning: unlabelled sentences in, Label Studio tasks out, annotations load back
    pool = tmp_path / "pool.txt"
    pool.write_text("Ela said she wants to live with her aunt.\nThe meeting was rearranged.\n"
                    "Harri pointed at the door and cried.\nMum said that she is tired.\n")
    tasks_file = tmp_path / "tasks.json"
    assert main(["select", "--model", str(model), "--data", str(pool), "-n", "3", "--out", str(tasks_file)]) == 0
    tasks = json.loads(tasks_file.read_text())
    assert len(tasks) == 3
    us = [t["data"]["uncertainty"] for t in tasks]
    assert us == sorted(us, reverse=True)
    assert tasks[0]["predictions"][0]["result"][0]["from_name"] == "child_voice"
    for t in tasks:  # an annotator accepts the pre-annotation
        t["annotations"] = [{"result": t["predictions"][0]["result"]}]
    tasks_file.write_text(json.dumps(tasks))
    back = load_examples(tasks_file)
    assert all(e.child_voice is not None for e in back)
    assert main(["evaluate", "decision", "--model", str(model), "--data", str(small_data)]) == 2


@pytest.mark.slow
def test_training_eval_pipeline_uses_the_configured_model(small_data: Path, tmp_path: Path) -> None:
    from notes_qa.pipeline import build_pipeline
    from notes_qa.spacy_ext import Context
    from notes_qa.training.trainer import train_task

    train_task("child_voice", small_data, tmp_path / "v", seed=2, n_boot=50)
    nlp = build_pipeline(config={"notes_qa_child_voice": {"model": str(tmp_path / "v")}})
    comp = nlp.get_pipe("notes_qa_child_voice")
    assert Path(str(comp.model_setting)) == tmp_path / "v"
    doc = nlp.make_doc("Mia said \"I want to stay with nain.\"")
    doc._.nqa_context = Context(child_name="Mia", note_type="home_visit")  # as a case file's entry has
    doc = nlp(doc)
    assert comp.model is not None and comp.model.config_["task"] == "child_voice"
    assert comp.featuriser.bigrams is False  # word features as the model was trained (unigrams)
    assert len(doc.spans["child_voice"]) == 1


def test_training_eval_loading_refuses_untrusted_skops_types(tmp_path: Path) -> None:
    import skops.io as sio

    from notes_qa.training.backends import load_model

    (tmp_path / "m").mkdir()
    sio.dump({"model": np.arange(3), "hook": Path("x")}, tmp_path / "m" / "estimator.skops")
    (tmp_path / "m" / "classifier.json").write_text(json.dumps({"n_features": 8, "task": "decision"}))
    with pytest.raises(ConfigError, match="untrusted"):
        load_model(tmp_path / "m")


def test_training_eval_model_dir_must_be_a_model(tmp_path: Path) -> None:
    from notes_qa.training.backends import load_model

    with pytest.raises(ConfigError, match="not a notes-qa model"):
        load_model(tmp_path)


def test_training_eval_shipped_model_loads_with_its_task() -> None:
    from notes_qa.training.backends import load_model
    from notes_qa.training.models import model_dir

    path = model_dir("child_voice")
    if path is None:
        pytest.skip("no shipped model")
    m = load_model(path)
    assert m.task == "child_voice" and m.backend == "sklearn"
    with pytest.raises(ConfigError, match="not decision"):
        load_model(path, "decision")
