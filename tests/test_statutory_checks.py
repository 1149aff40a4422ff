"""Statutory checks: positive, negative and borderline cases for each of the six checks."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from notes_qa.records import CaseRecord, ChildMeta, Entry
from notes_qa.statutory import check_case, load_rule_set, plan_frequency
from notes_qa.statutory.calendar import add_months, add_working_days, is_working_day, parse_iso
from notes_qa.statutory.ruleset import RuleSet, RulesError

PLACE = "Placement visit"


def make(entries: list[tuple[str, str, str]], status: str | None = "looked_after",
         name: str = "Cai Morgan", dob: str | None = "2012-01-01",
         placement_start: str | None = None) -> CaseRecord:
    """A record from (date, note type header, body) triples, one source, header line + body."""
    text, ents = "", []
    for date, head, body in entries:
        start = len(text)
        header = f"{date} {head}\n"
        text += header + body
        nt = head.lower().replace(" ", "_")
        ents.append(Entry("f.txt", start, len(text), date=date, note_type=nt, body_start=start + len(header)))
        text += "\n\n"
    meta = ChildMeta(child_id="c1", child_name=name, date_of_birth=dob, legal_status=status,
                     placement_start=placement_start)
    return CaseRecord(case_id="c1", meta=meta, sources={"f.txt": text}, entries=ents)


def codes(rec: CaseRecord, rules: str = "wales") -> list[str]:
    return [f.code for f in check_case(rec, rules=rules)]


# ----------------------------------------------------------------- visit timescales

def test_statutory_visit_day_42_is_on_time_and_day_43_is_overdue() -> None:
    base = [("2025-01-06", "Placement start", "Cai placed with foster carers."),
            ("2025-01-10", PLACE, "Cai seen alone.")]
    on_time = make(base + [("2025-02-21", PLACE, "Cai seen alone.")])  # day 42 after 10 Jan
    late = make(base + [("2025-02-22", PLACE, "Cai seen alone.")])  # day 43
    assert "visit_overdue" not in codes(on_time)
    found = [f for f in check_case(late) if f.code == "visit_overdue"]
    assert len(found) == 1
    assert found[0].extra["after"] == "2025-01-10" and found[0].extra["due_by"] == "2025-02-21"
    assert "2025-02-21" in found[0].message and "reg.31" in found[0].extra["rule"]


def test_statutory_first_visit_within_one_week_of_placement() -> None:
    day7 = make([("2025-03-03", "Placement start", "Placed."), ("2025-03-10", PLACE, "Cai seen.")])
    day8 = make([("2025-03-03", "Placement start", "Placed."), ("2025-03-11", PLACE, "Cai seen.")])
    assert "visit_overdue" not in codes(day7)
    f = [x for x in check_case(day8) if x.code == "visit_overdue"][0]
    assert f.extra["due_by"] == "2025-03-10"


@pytest.mark.parametrize("body", ["No reply. Card left.", "Child not seen - at the hospital.",
                                  "Cai at college so not seen. Spoke to carer.", "Carers not at home."])
def test_statutory_visit_without_child_seen_does_not_count(body: str) -> None:
    rec = make([("2025-01-06", "Placement start", "Placed."), ("2025-01-10", PLACE, "Cai seen alone."),
                ("2025-02-20", PLACE, body), ("2025-03-01", PLACE, "Cai seen alone.")])
    f = [x for x in check_case(rec) if x.code == "visit_overdue"]
    assert f and f[0].extra["seen_on"] == "2025-03-01"


def test_statutory_sibling_seen_is_not_the_child_seen() -> None:
    rec = make([("2025-01-06", "Placement start", "Placed."), ("2025-01-10", PLACE, "Cai seen alone."),
                ("2025-02-20", "Home visit", "Cai at school so not seen. Efa seen, fine."),
                ("2025-03-01", PLACE, "Seen Cai alone.")])
    assert "visit_overdue" in codes(rec)


def test_statutory_not_seen_alone_still_counts_as_seen() -> None:
    rec = make([("2025-01-06", "Placement start", "Placed."), ("2025-01-10", PLACE, "Cai seen alone."),
                ("2025-02-20", PLACE, "Cai not seen alone as carer stayed in the room.")])
    assert "visit_overdue" not in codes(rec)


def test_statutory_overdue_when_no_visit_since_and_file_goes_on() -> None:
    rec = make([("2025-01-06", "Placement start", "Placed."), ("2025-01-10", PLACE, "Cai seen alone."),
                ("2025-04-01", "Phone call", "Carer rang about school trip.")])
    f = [x for x in check_case(rec) if x.code == "visit_overdue"]
    assert f and f[0].extra["seen_on"] is None and f[0].entry is None


def test_statutory_long_term_placement_uses_three_months_after_first_year() -> None:
    entries = [("2023-01-02", "Placement start", "Long-term foster placement, matched until 18."),
               ("2023-01-05", PLACE, "Cai seen.")]
    d = parse_iso("2023-01-05")
    assert d is not None
    for _ in range(10):
        d = d + __import__("datetime").timedelta(days=40)
        entries.append((d.isoformat(), PLACE, "Cai seen."))
    last = d
    entries.append((add_months(last, 3).isoformat(), PLACE, "Cai seen."))  # after the first year
    assert last > parse_iso("2024-01-02")  # type: ignore[operator]
    assert "visit_overdue" not in codes(make(entries))
    short = [e for e in entries]
    short[0] = ("2023-01-02", "Placement start", "Placed with foster carers.")
    assert "visit_overdue" in codes(make(short))


def test_statutory_child_protection_ten_working_days_with_bank_holidays() -> None:
    # ICPC Wed 17 Dec 2025: 10 working days skip 25, 26 Dec and 1 Jan -> due Mon 5 Jan 2026.
    assert add_working_days(parse_iso("2025-12-17"), 10).isoformat() == "2026-01-05"  # type: ignore[arg-type]
    base = [("2025-12-17", "ICPC", "Name placed on the register. Plan agreed.")]
    ok = make(base + [("2026-01-05", "Home visit", "Cai seen alone.")], status="child_protection")
    late = make(base + [("2026-01-06", "Home visit", "Cai seen alone.")], status="child_protection")
    assert "visit_overdue" not in codes(ok)
    f = [x for x in check_case(late) if x.code == "visit_overdue"][0]
    assert f.extra["due_by"] == "2026-01-05" and "not a legal timescale" in f.extra["rule"]


def test_statutory_child_protection_plan_frequency_overrides_default() -> None:
    rules = load_rule_set("wales")
    assert plan_frequency("plan: sw visits every 10 wd", rules) == (10, "working_days")
    assert plan_frequency("weekly visits by the social worker", rules) == (7, "days")
    rec = make([("2025-06-02", "ICPC", "Registered under neglect. Plan: weekly visits."),
                ("2025-06-10", "Home visit", "Cai seen.")], status="child_protection")
    assert "visit_overdue" in codes(rec)


def test_statutory_child_protection_stops_when_removed_from_register() -> None:
    rec = make([("2025-06-02", "ICPC", "Registered - neglect."), ("2025-06-10", "Home visit", "Cai seen."),
                ("2025-06-20", "Review child protection conference", "Name removed from the register."),
                ("2025-09-01", "Phone call", "Mum rang.")], status="child_protection")
    assert "visit_overdue" not in codes(rec)


def test_statutory_care_and_support_has_no_statutory_visit_frequency() -> None:
    rec = make([("2025-01-10", "Home visit", "Cai seen."), ("2025-09-10", "Home visit", "Cai seen.")],
               status="care_and_support")
    assert "visit_overdue" not in codes(rec)


# ----------------------------------------------------------------- assessment elements

FULL = ("Cai is 9 and lives with his mum in a flat and attends Ysgol Bryn. What matters to Cai is "
        "playing football and he wants to see his dad; mum wants help with his sleep. What gets in the "
        "way is the waiting list and mum's anxiety. If nothing changes there is a risk mum becomes "
        "overwhelmed. Strengths: mum is loving and Cai has a good relationship with his nan. "
        "His health and development are on track at school.")


def test_statutory_assessment_with_five_elements_passes() -> None:
    rec = make([("2025-02-01", "Assessment", FULL)], status="care_and_support")
    assert "assessment_missing_elements" not in codes(rec)


def test_statutory_assessment_missing_risks_and_strengths_is_named() -> None:
    body = ("Cai is 9 and lives with his mum in a flat and attends Ysgol Bryn, where attendance is "
            "low. What matters to Cai is football and seeing his dad; mum wants help with his sleep. "
            "What gets in the way is the waiting list for the clinic, and the cost of transport to the "
            "centre. Plan: refer to family support.")
    f = [x for x in check_case(make([("2025-02-01", "Assessment", body)])) if x.code == "assessment_missing_elements"]
    assert f and set(f[0].extra["missing"]) == {"risks", "strengths"}
    assert "2025-02-01" in f[0].message


def test_statutory_short_assessment_admin_entry_is_not_checked() -> None:
    rec = make([("2025-02-01", "Assessment", "Assessment allocated to SW; visit booked for Tuesday.")])
    assert "assessment_missing_elements" not in codes(rec)


# ----------------------------------------------------------------- accumulating concerns

def _contacts(dates: list[str], body: str) -> list[tuple[str, str, str]]:
    return [(d, "Contact received", body) for d in dates]


def test_statutory_three_neglect_contacts_without_assessment_flagged() -> None:
    rec = make(_contacts(["2025-01-14", "2025-03-18", "2025-06-17"],
                         "School: Cai hungry, unkempt, head lice. NFA.") +
               [("2025-07-01", "Home visit", "Cai seen.")], status="care_and_support")
    f = [x for x in check_case(rec) if x.code == "accumulating_concerns"]
    assert f and f[0].extra["category"] == "neglect"
    assert f[0].extra["dates"] == ["2025-01-14", "2025-03-18", "2025-06-17"]


def test_statutory_contacts_followed_by_assessment_not_flagged() -> None:
    rec = make(_contacts(["2025-01-14", "2025-03-18", "2025-06-17"], "PPN: DASH medium, partner punched mum.") +
               [("2025-06-20", "Strategy discussion", "Threshold met for s47.")], status="care_and_support")
    assert "accumulating_concerns" not in codes(rec)


def test_statutory_two_contacts_or_spread_over_years_not_flagged() -> None:
    two = make(_contacts(["2025-01-14", "2025-03-18"], "Cai hungry and unkempt."), status="care_and_support")
    spread = make(_contacts(["2022-01-14", "2023-06-18", "2025-03-17"], "Cai hungry and unkempt."),
                  status="care_and_support")
    assert "accumulating_concerns" not in codes(two)
    assert "accumulating_concerns" not in codes(spread)


# ----------------------------------------------------------------- jurisdiction

@pytest.mark.parametrize("text,term", [
    ("Carers raised a Staying Put arrangement.", "staying_put"),
    ("School are applying for an EHCP.", "ehcp"),
    ("Step down to a child in need plan.", "child_in_need"),
    ("Mum signed the section 20 consent form.", "section_20"),
    ("Per Working Together to Safeguard Children 2023.", "working_together_children"),
])
def test_statutory_english_terms_flagged_with_welsh_suggestion(text: str, term: str) -> None:
    rec = make([("2025-01-10", PLACE, text)])
    f = [x for x in check_case(rec) if x.code == "english_legislation_in_wales"]
    assert f and f[0].extra["term"] == term and f[0].extra["suggestion"]
    span = rec.spans[f[0].spans[0]]
    # evidence within the contract's fixed span vocabulary: a wording problem with the right term
    assert span.label == "plain_language" and span.attrs["kind"] == "jurisdiction_term"
    assert span.attrs["suggestion"] == f[0].extra["suggestion"]
    assert rec.sources["f.txt"][span.start:span.end] == span.text


@pytest.mark.parametrize("text", [
    "Joint s47 enquiry agreed under the Wales Safeguarding Procedures.",
    "Talked about When I am Ready.", "She is staying put at nan's tonight.",
    "Cai is a child in need of care and support.", "Visit on 17 May; 20 minutes late.",
    "Accommodated under s76 with mum's agreement.",
])
def test_statutory_shared_or_welsh_terms_not_flagged(text: str) -> None:
    assert "english_legislation_in_wales" not in codes(make([("2025-01-10", PLACE, text)]))


def test_statutory_england_rules_reverse_the_jurisdiction_check() -> None:
    rec = make([("2025-01-10", PLACE, "Talked about When I am Ready and his IDP.")])
    got = codes(rec, rules="england")
    assert "welsh_legislation_in_england" in got and "english_legislation_in_wales" not in got
    assert "active_offer_not_recorded" not in got


# ----------------------------------------------------------------- advocacy and active offer

def test_statutory_advocacy_recorded_for_child_or_parent() -> None:
    child = make([("2025-01-10", PLACE, "Made the active offer of advocacy - Cai wants a TGP advocate.")])
    parent = make([("2025-01-10", "ICPC", "Dad was told he could bring someone of his choice to support him.")],
                  status="child_protection", dob="2024-01-01")
    none = make([("2025-01-10", PLACE, "Cai seen alone.")])
    negated = make([("2025-01-10", PLACE, "Advocacy was not offered as Cai was upset.")])
    assert "advocacy_offer_not_recorded" not in codes(child)
    assert "advocacy_offer_not_recorded" not in codes(parent)
    assert "advocacy_offer_not_recorded" in codes(none)
    assert "advocacy_offer_not_recorded" in codes(negated)


def test_statutory_advocacy_not_checked_for_care_and_support() -> None:
    rec = make([("2025-01-10", "Home visit", "Cai seen.")], status="care_and_support")
    assert "advocacy_offer_not_recorded" not in codes(rec)


def test_statutory_active_offer_needs_an_unasked_offer_in_welsh() -> None:
    offered = make([("2025-01-10", PLACE, "Offered to hold his review in Welsh under the Active Offer.")])
    asked = make([("2025-01-10", "Phone call", "Mum asked for a Welsh-speaking social worker.")])
    advocacy_only = make([("2025-01-10", PLACE, "Offered an advocate (active offer of advocacy).")])
    assert "active_offer_not_recorded" not in codes(offered)
    assert "active_offer_not_recorded" in codes(asked)
    assert "active_offer_not_recorded" in codes(advocacy_only)


# ----------------------------------------------------------------- rules and calendar

def test_statutory_rules_reject_unknown_keys() -> None:
    with pytest.raises(RulesError):
        RuleSet.from_dict({"provenance": {}, "chekcs": {}})


def test_statutory_rules_keep_evidence_spans_within_the_contract_labels() -> None:
    with pytest.raises(RulesError, match="span_label"):
        RuleSet.from_dict({"provenance": {}, "checks": {"jurisdiction": {"span_label": "statutory"}}})


def test_statutory_every_legal_number_is_cited_or_marked_not_law() -> None:
    from notes_qa.resources import load_json

    for name in ("wales.json", "england.json"):
        data = load_json("notes_qa.statutory.rules", name)

        def walk(o: object) -> None:
            if isinstance(o, dict):
                if "value" in o and isinstance(o["value"], (int, float)):
                    assert o.get("citation") if o.get("law") else o.get("note"), o
                for v in o.values():
                    walk(v)
            elif isinstance(o, list):
                for v in o:
                    walk(v)
        walk(data)
        assert data["provenance"]


def test_statutory_bank_holidays_and_weekends_are_not_working_days() -> None:
    assert not is_working_day(parse_iso("2025-08-25"))  # type: ignore[arg-type]
    assert not is_working_day(parse_iso("2025-08-23"))  # type: ignore[arg-type]
    assert is_working_day(parse_iso("2025-08-26"))  # type: ignore[arg-type]
    assert not is_working_day(parse_iso("2031-12-25"))  # type: ignore[arg-type]  # computed outside table


def test_statutory_now_is_last_dated_entry_not_today() -> None:
    rec = make([("2025-01-06", "Placement start", "Placed."), ("2025-01-10", PLACE, "Cai seen.")])
    assert "visit_overdue" not in codes(rec)  # would be overdue if "now" were today's date


DEV = Path(__file__).resolve().parents[2] / "shared" / "dev-set" / "cases.jsonl"


@pytest.mark.skipif(not DEV.exists(), reason="shared dev set not present")
def test_statutory_dev_set_mean_f1_at_least_090() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench_statutory as b

    cases = [json.loads(l) for l in DEV.read_text().splitlines() if l.strip()]
    assert b.score(cases, "wales", verbose=False) >= 0.90
