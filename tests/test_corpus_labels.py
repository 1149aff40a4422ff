"""Label integrity of a generated corpus: offsets, copies, splits, determinism."""
from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from notes_qa.corpus import family_splits, generate_corpus
from notes_qa.readers import read_document


def _doc_text(root: Path, rel: str) -> str:
    """A corpus document's text as notes-qa reads it (.txt or .docx)."""
    return read_document(root / rel)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generate_corpus(12, 11, out, docx_share=0.3, hf=False, card=False)
    return out


@pytest.fixture(scope="module")
def cases(corpus: Path) -> list[dict]:
    return [json.loads(line) for line in (corpus / "labels" / "cases.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def texts(corpus: Path, cases: list[dict]) -> dict[str, str]:
    return {c["child_id"]: _doc_text(corpus, c["text"]) for c in cases}


def test_corpus_spans_slice_their_exact_text(cases: list[dict], texts: dict[str, str]) -> None:
    n = 0
    for c in cases:
        t = texts[c["child_id"]]
        for s in c["spans"]:
            assert t[s["start"]:s["end"]] == s["text"], (c["child_id"], s)
            assert s["text"].strip() == s["text"] and s["text"]
            n += 1
    assert n > 200


def test_corpus_entries_are_ordered_and_start_with_their_header(cases: list[dict], texts: dict[str, str]) -> None:
    for c in cases:
        t = texts[c["child_id"]]
        ends = 0
        for e in c["entries"]:
            assert e["start"] >= ends and e["start"] < e["body_start"] <= e["end"]
            assert e["start"] == 0 or t[e["start"] - 1] == "\n"
            ends = e["end"]
        assert c["entries"][0]["start"] > 0  # a preamble precedes the first entry


def test_corpus_copies_record_the_original_in_the_senders_file(cases: list[dict], texts: dict[str, str]) -> None:
    kinds = set()
    for c in cases:
        for s in c["spans"]:
            if s["label"] != "sibling_copy":
                continue
            kinds.add(s["kind"])
            m = s["match"]
            original = texts[m["child_id"]][m["start"]:m["end"]]
            assert m["child_id"] != c["child_id"]
            sender = next(x for x in cases if x["child_id"] == m["child_id"])
            assert sender["family_id"] == c["family_id"]
            if s["kind"] in ("verbatim", "shared_background"):
                assert original == s["text"]
            else:
                # a name-leak copy may be the sibling's passage pasted unchanged (its only name slot leaked)
                assert original != s["text"] or s["kind"] == "name_leak"
                import difflib

                assert difflib.SequenceMatcher(None, original, s["text"]).ratio() > 0.6
    assert {"verbatim", "near_verbatim", "name_leak", "shared_background"} <= kinds


def test_corpus_name_leaks_sit_inside_a_name_leak_copy(cases: list[dict]) -> None:
    n = 0
    for c in cases:
        copies = [s for s in c["spans"] if s["label"] == "sibling_copy" and s["kind"] == "name_leak"]
        for s in c["spans"]:
            if s["label"] == "name_leak":
                n += 1
                assert any(p["start"] <= s["start"] and s["end"] <= p["end"] for p in copies)
                if s["kind"] == "sibling_name":
                    assert s["text"] in c["meta"]["sibling_names"]
    assert n > 0


def test_corpus_rationale_links_to_a_decision(cases: list[dict]) -> None:
    for c in cases:
        spans = c["spans"]
        for s in spans:
            if s["label"] == "rationale":
                d = spans[s["decision"]]
                assert d["label"] == "decision" and d["has_rationale"] is True
        linked = {s["decision"] for s in spans if s["label"] == "rationale"}
        for i, s in enumerate(spans):
            if s["label"] == "decision":
                assert s["has_rationale"] == (i in linked)


def test_corpus_split_is_by_family(corpus: Path, cases: list[dict]) -> None:
    by_family: dict[str, set[str]] = {}
    for line in (corpus / "labels" / "sentences.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        by_family.setdefault(r["family_id"], set()).add(r["split"])
    for c in cases:
        by_family.setdefault(c["family_id"], set()).add(c["split"])
    assert all(len(v) == 1 for v in by_family.values())
    assert {next(iter(v)) for v in by_family.values()} == {"train", "validation", "test"}


def test_corpus_family_splits_are_about_80_10_10() -> None:
    s = family_splits(1000, 3)
    assert 780 <= s.count("train") <= 820 and 90 <= s.count("test") <= 110


def test_corpus_sentence_rows_point_into_the_document(corpus: Path, texts: dict[str, str]) -> None:
    rows = [json.loads(x) for x in (corpus / "labels" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert texts[r["child_id"]][r["start"]:r["end"]] == r["text"]
        assert r["child_voice"] == (r["voice_kind"] != "none")
    assert {r["voice_kind"] for r in rows} == {"direct_quote", "reported", "non_verbal", "none"}


def test_corpus_manifest_lists_every_document(corpus: Path, cases: list[dict]) -> None:
    with (corpus / "manifest.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["child_id"] for r in rows) == sorted(c["child_id"] for c in cases)
    for r in rows:
        assert (corpus / r["path"]).is_file()


def _digest(root: Path) -> dict[str, str]:
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file():
            out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def test_corpus_same_seed_gives_identical_files(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for d, seed in ((a, 5), (b, 5), (c, 6)):
        generate_corpus(3, seed, d, docx_share=0.5, hf=False, card=False)
    da, db = _digest(a), _digest(b)
    assert any(k.endswith(".docx") for k in da)
    assert da == db
    assert _digest(c) != da


def test_corpus_documents_have_no_unfilled_slots(texts: dict[str, str]) -> None:
    import re

    for cid, t in texts.items():
        assert not re.search(r"\{\w+\}|<q>", t), cid
