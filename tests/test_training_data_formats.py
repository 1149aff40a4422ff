"""Training data: every import format round-trips to the same examples; tool exports as the
tools write them; group splits never leak a case; the corpus and the dev set load."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, needs_shared, shared_path
from notes_qa.errors import ConfigError
from notes_qa.training.data import (Example, data_hash, detect_format, label_value, load_examples,
                                    split_examples, write_examples)


def labelled_examples() -> list[Example]:
    """Fully labelled (every task) examples with context, plus one with no labels at all."""
    return [
        Example("Mia said \"I want to stay with nain.\"", "direct_quote", False, False, group="fam-1",
                id="a1", note_type="visit", child_name="Mia Jones", nicknames=["Mimi"], sibling_names=["Leo"],
                gender="female", age=9, split="train"),
        Example("Leo reached for his mam and settled.", "non_verbal", False, False, group="fam-1", id="a2",
                note_type="visit", child_name="Leo Jones", age=1, split="train"),
        Example("It was agreed the case will close because there are no further concerns.", "none", True, True,
                group="fam-2", id="b1", note_type="case_summary", split="test"),
        Example("Cai told me he would like to see his dad more.", "reported", False, False, group="fam-2",
                id="b2", child_name="Cai", split="test"),
        Example("Strategy discussion held; section 47 enquiry to start.", "none", True, False, group="fam-3",
                id="c1"),
        Example("Unlabelled sentence from a new note.", None, None, None, group="fam-3", id="c2"),
    ]


@pytest.mark.parametrize("suffix,fmt", [(".jsonl", "jsonl"), (".csv", "csv"), (".json", "labelstudio"),
                                        (".jsonl", "prodigy"), (".spacy", "spacy")])
def test_training_data_round_trip_each_format(tmp_path: Path, suffix: str, fmt: str) -> None:
    exs = labelled_examples()
    path = write_examples(exs, tmp_path / f"data{suffix}", fmt)
    assert detect_format(path) == fmt
    assert load_examples(path) == exs


def test_training_data_docbin_cats_round_trip(tmp_path: Path) -> None:
    from notes_qa.training.data import read_docbin, write_docbin

    exs = labelled_examples()
    write_docbin(exs, tmp_path / "cats.spacy", mode="cats")
    assert read_docbin(tmp_path / "cats.spacy") == exs


def test_training_data_partial_labels_round_trip_jsonl_csv(tmp_path: Path) -> None:
    exs = [Example("Only the decision was annotated here.", None, True, None, group="g", id="p1"),
           Example("Voice only.", "reported", None, None, group="g", id="p2")]
    for name in ("p.jsonl", "p.csv"):
        assert load_examples(write_examples(exs, tmp_path / name)) == exs


def test_training_data_label_studio_export_as_written_by_the_tool(tmp_path: Path) -> None:
    export = [
        {"id": 7, "data": {"text": "Ffion said she is scared of dad.", "case_id": "case-9"},
         "annotations": [
             {"was_cancelled": False, "result": [
                 {"from_name": "child_voice", "to_name": "text", "type": "choices", "value": {"choices": ["none"]}}]},
             {"was_cancelled": False, "result": [
                 {"from_name": "child_voice", "to_name": "text", "type": "choices",
                  "value": {"choices": ["reported"]}},
                 {"from_name": "decision", "to_name": "text", "type": "choices", "value": {"choices": ["No"]}}]},
             {"was_cancelled": True, "result": [
                 {"from_name": "child_voice", "to_name": "text", "type": "choices",
                  "value": {"choices": ["direct_quote"]}}]}]},
        {"id": 8, "data": {"text": "Panel decided to end the plan as risks have reduced.", "family_id": "f2"},
         "annotations": [{"result": [
             {"from_name": "label", "to_name": "text", "type": "labels",
              "value": {"start": 0, "end": 20, "labels": ["Decision"]}},
             {"from_name": "label", "to_name": "text", "type": "labels",
              "value": {"start": 21, "end": 50, "labels": ["Rationale"]}}]}]},
        {"id": 9, "data": {"text": "Not annotated yet."}},
    ]
    (tmp_path / "export.json").write_text(json.dumps(export))
    a, b, c = load_examples(tmp_path / "export.json")
    assert (a.child_voice, a.decision, a.rationale, a.group, a.id) == ("reported", False, False, "case-9", "7")
    assert (b.child_voice, b.decision, b.rationale, b.group) == ("none", True, True, "f2")
    assert (c.child_voice, c.decision, c.rationale) == (None, None, None)


def test_training_data_prodigy_binary_answers_merge_and_ignores_skip(tmp_path: Path) -> None:
    rows = [
        {"text": "Decision made to step down.", "label": "DECISION", "answer": "accept", "_input_hash": 1,
         "meta": {"case_id": "c1"}},
        {"text": "Decision made to step down.", "label": "RATIONALE", "answer": "reject", "_input_hash": 1},
        {"text": "Skipped one.", "label": "DECISION", "answer": "ignore", "_input_hash": 2},
        {"text": "Jac said \"no\".", "spans": [{"start": 0, "end": 14, "label": "DIRECT_QUOTE"}],
         "answer": "accept", "_input_hash": 3},
        {"text": "Rejected choice task.", "accept": ["decision"], "answer": "reject", "_input_hash": 4},
    ]
    path = tmp_path / "prodigy.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    exs = load_examples(path)
    assert [e.text for e in exs] == ["Decision made to step down.", "Jac said \"no\".", "Rejected choice task."]
    assert (exs[0].decision, exs[0].rationale, exs[0].child_voice, exs[0].group) == (True, False, None, "c1")
    assert (exs[1].child_voice, exs[1].decision) == ("direct_quote", False)
    assert (exs[2].decision, exs[2].child_voice) == (None, None)


def test_training_data_docbin_sentences_become_examples(tmp_path: Path) -> None:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    doc = nlp("Mam was upset. Osian said he misses his nan.")
    for t in doc:
        t.is_sent_start = t.i in (0, 4)
    doc.spans["sc"] = [doc.char_span(15, len(doc.text), label="child_voice:reported")]
    doc.user_data["notes_qa"] = {"group": "fam-7", "child_name": "Osian"}
    db = DocBin(store_user_data=True)
    db.add(doc)
    db.to_disk(tmp_path / "d.spacy")
    first, second = load_examples(tmp_path / "d.spacy")
    assert (first.text, first.child_voice, first.decision) == ("Mam was upset.", "none", False)
    assert (second.child_voice, second.group, second.child_name) == ("reported", "fam-7", "Osian")


def test_training_data_label_names_are_normalised() -> None:
    assert label_value("CHILD_VOICE:direct-quote") == ("child_voice", "direct_quote")
    assert label_value("Reported wishes") == ("child_voice", "reported")
    assert label_value("Non-verbal") == ("child_voice", "non_verbal")
    assert label_value("RATIONALE") == ("rationale", True)
    assert label_value("risk") is None


def test_training_data_bad_values_are_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text(json.dumps({"text": "x", "decision": "maybe"}) + "\n")
    with pytest.raises(ConfigError, match="yes/no"):
        load_examples(tmp_path / "bad.jsonl")
    (tmp_path / "kind.jsonl").write_text(json.dumps({"text": "x", "child_voice": True, "voice_kind": "sung"}) + "\n")
    with pytest.raises(ConfigError, match="voice_kind"):
        load_examples(tmp_path / "kind.jsonl")


def test_training_data_group_split_never_leaks_a_case() -> None:
    exs = [Example(f"s{i}", "none", False, False, group=f"case-{i % 9}", id=str(i)) for i in range(90)]
    train, test, how = split_examples(exs, seed=4, test_size=0.3)
    assert {e.group for e in train}.isdisjoint({e.group for e in test})
    assert len(train) + len(test) == 90 and test and "group" in how
    again = split_examples(exs, seed=4, test_size=0.3)
    assert [e.id for e in again[1]] == [e.id for e in test]


def test_training_data_own_split_is_used_when_present() -> None:
    exs = labelled_examples()
    train, test, how = split_examples(exs, seed=0)
    assert [e.id for e in train] == ["a1", "a2"] and [e.id for e in test] == ["b1", "b2"]
    assert "own split" in how


def test_training_data_hash_tracks_labels() -> None:
    exs = labelled_examples()
    h = data_hash(exs)
    exs[0].decision = True
    assert data_hash(exs) != h and len(h) == 64


def test_training_data_corpus_folder_and_datasets_agree() -> None:
    corpus = ROOT / "corpora" / "sample"
    from_labels = load_examples(corpus)
    from_hf = load_examples(corpus / "hf" / "sentences")
    assert detect_format(corpus / "hf" / "sentences") == "datasets"
    key = lambda e: e.id  # noqa: E731
    assert sorted(((e.id, e.text, e.child_voice, e.decision, e.split, e.group) for e in from_hf), key=str) == \
        sorted(((e.id, e.text, e.child_voice, e.decision, e.split, e.group) for e in from_labels), key=str)
    assert {e.split for e in from_labels} == {"train", "validation", "test"}
    assert all(e.group and e.group.startswith("family-") for e in sorted(from_labels, key=key))


@needs_shared
def test_training_data_reads_the_dev_set_schema() -> None:
    path = shared_path("dev-set", "voice_rationale.jsonl")
    if not path.exists():
        pytest.skip("dev set absent")
    exs = load_examples(path)
    assert len(exs) > 100
    assert {e.child_voice for e in exs} <= {"none", "direct_quote", "reported", "non_verbal"}
    assert all(e.decision is not None and e.rationale is not None for e in exs)
