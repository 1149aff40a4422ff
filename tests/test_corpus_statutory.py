"""Statutory labels planted by the corpus generator agree with the planted text and with each other."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from notes_qa.corpus import generate_corpus
from notes_qa.corpus.people import bank
from notes_qa.corpus.statutory import (ELEMENTS, UNSAFE, accumulating, add_working, cp_overdue, lac_overdue,
                                       safe_bank)
from notes_qa.readers import read_document


def _doc_text(root: Path, rel: str) -> str:
    """A corpus document's text as notes-qa reads it (.txt or .docx)."""
    return read_document(root / rel)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stat")
    generate_corpus(24, 13, out, docx_share=0.2, hf=False, card=True)
    return out


@pytest.fixture(scope="module")
def cases(corpus: Path) -> list[dict]:
    return [json.loads(x) for x in (corpus / "labels" / "cases.jsonl").read_text(encoding="utf-8").splitlines()]


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def test_corpus_statutory_lac_rule_day_42_on_time_day_43_late() -> None:
    start = dt.date(2024, 1, 1)
    on_time = [start + dt.timedelta(days=7), start + dt.timedelta(days=49)]
    assert lac_overdue(on_time, [start], start + dt.timedelta(days=60)) == []
    late = [start + dt.timedelta(days=7), start + dt.timedelta(days=50)]
    assert lac_overdue(late, [start], start + dt.timedelta(days=60)) == [{"after": "2024-01-08", "due_by": "2024-02-19"}]
    assert lac_overdue([start + dt.timedelta(days=8)], [start], start + dt.timedelta(days=9))[0]["due_by"] == "2024-01-08"


def test_corpus_statutory_cp_rule_counts_working_days() -> None:
    conf = dt.date(2024, 3, 22)  # a Friday; Good Friday 29/3 and Easter Monday 1/4 are not working days
    due = add_working(conf, 10)
    assert due == dt.date(2024, 4, 9)
    assert cp_overdue([due], conf, due, 10, "working_days") == []
    nxt = due + dt.timedelta(days=1)
    assert cp_overdue([nxt], conf, nxt, 10, "working_days") == [{"after": "2024-03-22", "due_by": "2024-04-09"}]


def test_corpus_statutory_accumulating_needs_three_unanswered_in_a_year() -> None:
    d = dt.date(2024, 1, 1)
    three = [(d, "neglect"), (d + dt.timedelta(days=100), "neglect"), (d + dt.timedelta(days=200), "neglect")]
    assert accumulating(three, []) == ["neglect"]
    assert accumulating(three, [d + dt.timedelta(days=205)]) == []
    spread = [(d, "neglect"), (d + dt.timedelta(days=200), "neglect"), (d + dt.timedelta(days=366), "neglect")]
    assert accumulating(spread, []) == []
    assert accumulating(three[:2] + [(d + dt.timedelta(days=150), "domestic_abuse")], []) == []


def test_corpus_statutory_every_case_has_labels_in_the_dev_set_shape(cases: list[dict]) -> None:
    keys = {"visits", "overdue_visits", "assessment_elements", "english_terms", "advocacy_offer_recorded",
            "active_offer_recorded", "repeat_referrals"}
    for c in cases:
        s = c["statutory"]
        assert keys <= set(s)
        assert s["legal_status"] == c["meta"]["legal_status"]
        assert {"neglect", "domestic_abuse", "substance_misuse", "accumulating_concerns"} <= set(s["repeat_referrals"])
        for a in s["assessment_elements"]:
            assert set(a["present"]) <= set(ELEMENTS)


def test_corpus_statutory_overdue_visits_follow_from_the_planted_visits(cases: list[dict]) -> None:
    n_late = 0
    for c in cases:
        s = c["statutory"]
        seen = sorted(_d(v["date"]) for v in s["visits"] if v["child_seen"])
        now = _d(s["now"])
        assert now == max(_d(e["date"]) for e in c["entries"])
        if s["legal_status"] == "looked_after":
            want = lac_overdue(seen, [_d(x) for x in s["placement_starts"]], now)
        elif s["legal_status"] == "child_protection":
            iv = s["cp_visit_interval"]
            want = cp_overdue(seen, _d(s["initial_conference"]), now, iv["n"], iv["unit"])
        else:
            want = []
        assert s["overdue_visits"] == want, c["child_id"]
        n_late += bool(want)
        # every visit label is a visit entry on that date
        visit_dates = {e["date"] for e in c["entries"] if e.get("statutory") == "visit"}
        assert {v["date"] for v in s["visits"]} == visit_dates
    assert 0 < n_late < len(cases) / 2  # a minority of files


def test_corpus_statutory_placement_start_is_in_manifest_and_notes(corpus: Path, cases: list[dict]) -> None:
    with (corpus / "manifest.csv").open(encoding="utf-8") as fh:
        man = {r["child_id"]: r for r in csv.DictReader(fh)}
    n = 0
    for c in cases:
        s = c["statutory"]
        if s["legal_status"] != "looked_after":
            assert s["placement_start"] is None and man[c["child_id"]]["placement_start"] == ""
            continue
        n += 1
        assert man[c["child_id"]]["placement_start"] == s["placement_start"] == c["meta"]["placement_start"]
        placements = [e["date"] for e in c["entries"] if e.get("statutory") == "placement"]
        assert placements == s["placement_starts"]
    assert n > 0


def test_corpus_statutory_english_terms_are_exact_substrings(corpus: Path, cases: list[dict]) -> None:
    n_pos = n_neg = 0
    for c in cases:
        text = _doc_text(corpus, c["text"])
        for t in c["statutory"]["english_terms"]:
            assert t in text, (c["child_id"], t)
            n_pos += 1
        for t in c["statutory"]["english_negatives"]:
            assert t in text
            n_neg += 1
        if not c["statutory"]["english_terms"]:
            # nothing else in the file is an English-only term
            assert not re.search(r"Staying Put|EHCP|child in need (?:\(s\.17\)|plan)|Working Together to Safeguard "
                                 r"Children|section 20|LSCB|Pupil Premium", text), c["child_id"]
    assert n_pos > 0 and n_neg > 0


def test_corpus_statutory_assessment_labels_match_entries(cases: list[dict]) -> None:
    partial = 0
    for c in cases:
        asmts = [e["date"] for e in c["entries"] if e.get("statutory") == "assessment"]
        assert asmts == [a["date"] for a in c["statutory"]["assessment_elements"]]
        partial += any(len(a["present"]) < 5 for a in c["statutory"]["assessment_elements"])
    assert 0 < partial < len(cases) / 2


def test_corpus_statutory_offers_are_recorded_only_when_labelled(corpus: Path, cases: list[dict]) -> None:
    ao = re.compile(r"(?<!ipa )active offer(?! of advocacy)|offered .{0,60}(?:in|medium of) welsh|welsh[- ]speaking (?:worker|sw)|"
                    r"welsh language service offered|preferred language|language of choice|cynnig rhagweithiol|"
                    r"letters in welsh or english", re.I)
    for c in cases:
        text = _doc_text(corpus, c["text"])
        s = c["statutory"]
        assert bool(ao.search(text)) == s["active_offer_recorded"], c["child_id"]
        if not s["advocacy_offer_recorded"]:
            assert not re.search(r"someone of (?:his|her) (?:own )?choice|offered .{0,30}advoca|advocacy offered|"
                                 r"active offer of advocacy", text, re.I), c["child_id"]
    due_adv = [c for c in cases if c["statutory"]["legal_status"] in ("looked_after", "child_protection")]
    assert any(not c["statutory"]["advocacy_offer_recorded"] for c in due_adv)
    assert any(c["statutory"]["advocacy_offer_recorded"] for c in due_adv)


def test_corpus_statutory_repeat_referrals_count_the_contact_entries(cases: list[dict]) -> None:
    flagged = 0
    for c in cases:
        rr = c["statutory"]["repeat_referrals"]
        n_contacts = sum(1 for e in c["entries"] if e.get("statutory") == "contact")
        assert rr["neglect"] + rr["domestic_abuse"] + rr["substance_misuse"] <= n_contacts
        assert rr["accumulating_concerns"] == bool(rr["accumulating_categories"])
        for cat in rr["accumulating_categories"]:
            assert rr[cat] >= 3
        flagged += rr["accumulating_concerns"]
    assert flagged < len(cases) / 3


def test_corpus_statutory_safe_banks_hold_no_statutory_evidence() -> None:
    for name in ("fillers", "negatives", "voice", "decisions", "plans"):
        raw = bank(name)
        safe = safe_bank(name, raw)

        def strings(x: object) -> list[str]:
            if isinstance(x, dict):
                return [s for v in x.values() for s in strings(v)]
            if isinstance(x, list):
                return [json.dumps(x)] if x and all(isinstance(v, str) for v in x) and len(x) == 2 and name == "voice" \
                    else [s for v in x for s in strings(v)]
            return [x] if isinstance(x, str) else []
        leaked = [s for k, v in safe.items() if k != "provenance" and isinstance(v, list) for s in strings(v)
                  if UNSAFE.search(s)]
        assert len(leaked) <= 3, (name, leaked[:5])  # only lists that would otherwise be emptied keep such items
        assert set(safe) == set(raw)


def test_corpus_statutory_can_be_turned_off(tmp_path: Path) -> None:
    generate_corpus(2, 5, tmp_path, hf=False, card=False, statutory=False)
    case = json.loads((tmp_path / "labels" / "cases.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert "statutory" not in case
    assert all("statutory" not in e for e in case["entries"])


def test_corpus_statutory_card_reports_due_counts(corpus: Path) -> None:
    card = (corpus / "README.md").read_text(encoding="utf-8")
    assert "**statutory**" in card and "visit_overdue" in card


def test_corpus_statutory_decision_templates_exist_and_label_their_rows(tmp_path) -> None:
    import json

    from notes_qa.corpus import generate_corpus
    from notes_qa.corpus.statutory import DECISION_TEMPLATES

    bank = json.loads((Path(__file__).resolve().parents[1] / "notes_qa" / "corpus" / "phrases"
                       / "statutory.json").read_text(encoding="utf-8"))
    for tid in DECISION_TEMPLATES:  # "statutory.<key>[.<sub>]:<index>" names a phrase in the bank
        path, index = tid.removeprefix("statutory.").rsplit(":", 1)
        key, _, sub = path.partition(".")
        items = bank[key][sub] if sub else bank[key]
        assert 0 <= int(index) < len(items), tid
    generate_corpus(4, 11, tmp_path, hf=False, card=False)
    rows = [json.loads(line) for line in (tmp_path / "labels" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    planted = [r for r in rows if (r.get("template") or "").startswith("statutory.")]
    assert planted and any(r["template"] in DECISION_TEMPLATES for r in planted)
    for r in planted:
        assert r["decision"] == (r["template"] in DECISION_TEMPLATES) and not r["rationale"], r["template"]
