"""The generator's entry points, plans, phrase banks, dataset card and datasets save."""
from __future__ import annotations

import json
import random
import statistics
from pathlib import Path

import pytest

from notes_qa.corpus import generate_corpus, main
from notes_qa.corpus.compose import Composer
from notes_qa.corpus.people import bank, draw_family
from notes_qa.corpus.plans import plan_body


def test_corpus_plan_levels_follow_their_factors() -> None:
    rng = random.Random(3)
    by_level: dict[int, list[dict]] = {k: [] for k in range(1, 6)}
    for i in range(60):
        fam = draw_family(rng, f"family-{i:04d}")
        comp = Composer(rng, fam, fam.children[0])
        for level in range(1, 6):
            by_level[level].append(plan_body(comp, level)[1])
    mean = {k: {f: statistics.mean(float(x[f]) for x in v) for f in v[0]} for k, v in by_level.items()}
    assert mean[1]["jargon_share"] > mean[3]["jargon_share"] > mean[5]["jargon_share"]
    assert mean[1]["owner_and_date_share"] < mean[3]["owner_and_date_share"] < mean[5]["owner_and_date_share"]
    assert mean[1]["passive_share"] > mean[5]["passive_share"]
    assert mean[1]["outcome_focus"] < mean[5]["outcome_focus"]
    assert mean[1]["mean_sentence_words"] > mean[5]["mean_sentence_words"]


def test_corpus_phrase_banks_have_30_phrasings_per_labelled_kind() -> None:
    v, n, d = bank("voice"), bank("negatives"), bank("decisions")
    assert len(v["direct_frames"]) >= 60 and len(v["nonverbal"]) >= 60
    assert len(v["reported_frames"]) + len(v["reported_standalone"]) >= 60
    assert len(d["decision_frames"]) + len(d["decision_standalone"]) >= 60
    assert len(d["rationale_clauses"]) >= 30 and len(d["rationale_bare"]) >= 30
    for key in ("parent_frames", "teacher_view", "professional_view", "worker_opinion", "sibling_voice",
                "not_obtained", "facts"):
        assert len(n[key]) >= 30, key
    for b in (v, n, d):
        assert "provenance" in b


def test_corpus_main_writes_card_and_loadable_datasets(tmp_path: Path) -> None:
    import datasets

    out = tmp_path / "c"
    assert main(["generate", "--families", "3", "--seed", "2", "--out", str(out)]) == 0
    card = (out / "README.md").read_text(encoding="utf-8")
    for needle in ("## Label definitions", "## Generation method", "## Intended use", "## Limitations", "distinct-2"):
        assert needle in card
    sents = datasets.load_from_disk(str(out / "hf" / "sentences"))
    cases = datasets.load_from_disk(str(out / "hf" / "cases"))
    assert set(sents) == set(cases) == {"train", "validation", "test"}
    fams = {s: set(sents[s]["family_id"]) for s in sents}
    assert not (fams["train"] & fams["test"]) and not (fams["train"] & fams["validation"])
    row = cases["train"][0]
    for s in row["spans"]:
        assert row["document"][s["start"]:s["end"]] == s["text"]
    n_lines = sum(1 for _ in (out / "labels" / "sentences.jsonl").open(encoding="utf-8"))
    assert sum(len(sents[s]) for s in sents) == n_lines


def test_corpus_main_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["generate", "--families", "0", "--out", str(tmp_path)])


def test_corpus_voice_rows_cover_every_kind_and_hard_negative(tmp_path: Path) -> None:
    generate_corpus(8, 4, tmp_path, hf=False, card=False)
    rows = [json.loads(x) for x in (tmp_path / "labels" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    negs = {r["negative_kind"] for r in rows}
    assert {"parent_quote", "teacher_view", "professional_view", "worker_opinion", "sibling_voice",
            "voice_not_obtained", "fact_about_child", "decision_not_made"} <= negs
    voice = [r for r in rows if r["child_voice"]]
    assert len({r["template"] for r in voice}) >= 60
    assert any(r["decision"] and r["rationale"] for r in rows)
    assert any(r["decision"] and not r["rationale"] for r in rows)


def test_corpus_docx_holds_the_same_text_as_labels(tmp_path: Path) -> None:
    import docx

    generate_corpus(3, 9, tmp_path, docx_share=1.0, hf=False, card=False)
    case = json.loads((tmp_path / "labels" / "cases.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert case["format"] == "docx"
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / case["text"])).paragraphs)
    assert all(text[s["start"]:s["end"]] == s["text"] for s in case["spans"])
    assert text.startswith(case["meta"]["child_name"]) or case["meta"]["child_name"] in text[:200]
