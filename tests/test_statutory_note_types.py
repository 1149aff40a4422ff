"""Statutory checks (issue 9 follow-up): note-type kinds, export headers, tighter assessment cues,
advocacy phrasings, IPA vs the Welsh Active Offer, plan frequencies. Positive, negative and
borderline cases for each fix."""
from __future__ import annotations

import pytest

from notes_qa.records import CaseRecord, ChildMeta, Entry
from notes_qa.statutory import check_case, load_rule_set, plan_frequency
from notes_qa.statutory.checks import _views
from notes_qa.statutory.ruleset import RuleSet, RulesError, snake_note_type

#: An assessment body with all five elements, in plain narrative.
FULL = ("Cai is 9 and lives with Mum and his sister in a rented flat. Cai wants to stay at his school "
        "and Mum would like help with the bedtime routine. Mum's low mood makes it hard to get up for "
        "the school run. If nothing changes there is a risk that Cai falls behind and misses more school. "
        "Mum is a loving parent and Cai has a close bond with his nan, who helps most days.")


def rec_of(entries: list[tuple[str, str | None, str, str]], status: str | None = "looked_after",
           name: str = "Cai Morgan", dob: str | None = "2015-01-01",
           placement_start: str | None = None) -> CaseRecord:
    """A record from (date, normalised note type, header line, body); the header line may hold the body."""
    text, ents = "", []
    for date, nt, header, body in entries:
        start = len(text)
        text += header + "\n"
        body_start = len(text)
        text += body
        ents.append(Entry("f.txt", start, len(text), date=date, note_type=nt, body_start=body_start))
        text += "\n\n"
    meta = ChildMeta(child_id="c1", child_name=name, date_of_birth=dob, legal_status=status,
                     placement_start=placement_start)
    return CaseRecord(case_id="c1", meta=meta, sources={"f.txt": text}, entries=ents)


def codes(rec: CaseRecord) -> list[str]:
    return [f.code for f in check_case(rec)]


def kinds_of(rec: CaseRecord) -> list[set[str]]:
    return [v.kinds for v in _views(rec, load_rule_set("wales"))]


def assess_finding(body: str, header: str = "10/03/2025 Assessment", nt: str | None = "assessment"):
    rec = rec_of([("2025-03-10", nt, header, body)], status="care_and_support")
    found = [f for f in check_case(rec) if f.code == "assessment_missing_elements"]
    return found[0] if found else None


# ----------------------------------------------------------------- (a) visit-like note types

@pytest.mark.parametrize("nt,header", [("statutory_visit", "CASE NOTE 10.02.25 SV (Ann B, SW)"),
                                       ("direct_work", "CASE NOTE 10.02.25 DW (Ann B, SW)"),
                                       ("direct_work", "10/02/2025 1:1 session - Ann Bell"),
                                       ("sv", "10.02.25 SV"), ("life_story_work", "Life story work")])
def test_statutory_visit_like_note_types_count_as_visits(nt: str, header: str) -> None:
    rec = rec_of([("2025-01-06", "placement_start", "06/01/2025 Placement start", "Cai placed with carers."),
                  ("2025-01-10", "placement_visit", "10/01/2025 Placement visit", "Cai seen alone."),
                  ("2025-02-10", nt, header, "Cai seen alone, talked about school."),
                  ("2025-03-20", "placement_visit", "20/03/2025 Placement visit", "Cai seen alone.")])
    assert "visit" in kinds_of(rec)[2]
    assert "visit_overdue" not in codes(rec)  # 10 Jan -> 10 Feb -> 20 Mar: all within 42 days


def test_statutory_direct_work_note_type_not_seen_does_not_count() -> None:
    rec = rec_of([("2025-01-06", "placement_start", "06/01/2025 Placement start", "Placed."),
                  ("2025-01-10", "placement_visit", "10/01/2025 Placement visit", "Cai seen alone."),
                  ("2025-02-10", "direct_work", "10/02/2025 DW", "No reply. Card left."),
                  ("2025-03-20", "placement_visit", "20/03/2025 Placement visit", "Cai seen alone.")])
    f = [x for x in check_case(rec) if x.code == "visit_overdue"]
    assert f and f[0].extra["after"] == "2025-01-10"


def test_statutory_introductory_visit_note_type_is_not_a_statutory_visit() -> None:
    rec = rec_of([("2025-01-10", "introductory_visit", "10/01/2025 Introductory visit", "Cai met the carers.")])
    assert "visit" not in kinds_of(rec)[0]


# ----------------------------------------------------------------- (d) export headers and note types

def test_statutory_date_of_contact_export_uses_the_note_type_not_the_label() -> None:
    rec = rec_of([("2025-01-10", "home_visit", "Date of contact: 10 Jan 2025 | Worker: Ann Bell | Contact type: Home visit",
                   "Cai seen alone. Neglect concerns discussed; the house was dirty."),
                  ("2025-02-10", "supervision", "Date of contact: 10 Feb 2025 | Worker: Ann Bell | Contact type: Supervision",
                   "Case discussed."),
                  ("2025-03-10", "referral", "Date of contact: 10 Mar 2025 | Worker: Duty | Contact type: Referral",
                   "School report Cai hungry and unkempt.")], status="child_protection")
    k = kinds_of(rec)
    assert "contact" not in k[0] and "visit" in k[0]
    assert "contact" not in k[1]
    assert "contact" in k[2]


@pytest.mark.parametrize("header,is_contact", [
    ("02/04/2025 Telephone contact - Rhian Jones (Duty SW)", False),
    ("CASE NOTE 02.04.25 TC (Rhian J, Duty SW)", False),
    ("02/04/2025 Phone call - referral received from school", True),
    ("02/04/2025 Duty contact - Rhian Jones", True),
    ("02/04/2025 Family time - contact session", False),
])
def test_statutory_contact_kind_ignores_modes_roles_and_family_time(header: str, is_contact: bool) -> None:
    rec = rec_of([("2025-04-02", "phone_call", header, "Call about the week.")], status="child_protection")
    assert ("contact" in kinds_of(rec)[0]) is is_contact


def test_statutory_short_code_referrals_build_an_accumulating_pattern() -> None:
    ents = [(d, "ref", f"CASE NOTE {d} REF (Ann B, SW)", body) for d, body in [
        ("2024-01-10", "Dentist reports Cai has untreated decay and missed appointments."),
        ("2024-03-10", "Police found the house cold, little food and Cai unsupervised."),
        ("2024-05-10", "School report Cai arrives hungry most days.")]]
    assert "accumulating_concerns" in codes(rec_of(ents, status="child_protection"))
    answered = ents[:2] + [("2024-04-01", "asmt", "CASE NOTE 01.04.24 ASMT", FULL)] + ents[2:]
    assert "accumulating_concerns" not in codes(rec_of(answered, status="child_protection"))


def test_statutory_one_line_table_entry_body_is_read_as_body() -> None:
    line = "10/03/2025\tSingle Assessment\tAnn Bell\t" + FULL.replace("If nothing changes there is a risk that "
                                                                      "Cai falls behind and misses more school. ", "")
    rec = rec_of([("2025-03-10", "assessment", line, "")], status="care_and_support")
    f = [x for x in check_case(rec) if x.code == "assessment_missing_elements"]
    assert f and f[0].extra["missing"] == ["risks"]
    # and a home visit whose one-line text mentions an assessment is not an assessment
    hv = rec_of([("2025-03-10", "home_visit", "10/03/2025\tHome visit\tAnn Bell\tCai seen. Referral accepted "
                  "for assessment; review booked.", "")])
    assert kinds_of(hv)[0] == {"visit"}


def test_statutory_note_type_snake_case() -> None:
    assert snake_note_type("1:1 session") == "1_1_session"
    assert snake_note_type(" Direct Work ") == "direct_work"
    assert snake_note_type(None) == ""


def test_statutory_kind_note_types_reject_unknown_keys() -> None:
    import json
    from notes_qa.resources import load_json
    data = json.loads(json.dumps(load_json("notes_qa.statutory.rules", "wales.json")))
    data["entry_kinds"]["visit"]["note_type"] = ["typo"]
    with pytest.raises(RulesError):
        RuleSet.from_dict(data)


# ----------------------------------------------------------------- (b) assessment cues

def test_statutory_assessment_all_five_elements_in_narrative() -> None:
    assert assess_finding(FULL) is None


def test_statutory_assessment_outcome_of_assessment_is_not_personal_outcomes() -> None:
    body = FULL.replace("Cai wants to stay at his school and Mum would like help with the bedtime routine. ", "")
    f = assess_finding(body + " Outcome: care and support plan to be drawn up.")
    assert f is not None and f.extra["missing"] == ["personal_outcomes"]
    g = assess_finding(body + " Outcome of assessment: eligible for care and support.")
    assert g is not None and g.extra["missing"] == ["personal_outcomes"]
    # borderline: the plural heading is about the family's outcomes
    assert assess_finding(body + " Outcomes: Cai back in school full time and Mum managing the bills.") is None


def test_statutory_assessment_attends_alone_is_not_circumstances() -> None:
    body = FULL.replace("Cai is 9 and lives with Mum and his sister in a rented flat. ", "Cai attends Ysgol y Graig. ")
    f = assess_finding(body)
    assert f is not None and f.extra["missing"] == ["circumstances"]
    assert assess_finding(body + " Household: Mum, Cai (9) and his sister.") is None


@pytest.mark.parametrize("barrier", ["No car and the nearest club is two buses away.",
                                     "Debt is getting in the way of Mum planning ahead.",
                                     "Mum cannot afford the bus fares."])
def test_statutory_assessment_barrier_phrasings(barrier: str) -> None:
    body = FULL.replace("Mum's low mood makes it hard to get up for the school run. ", "")
    f = assess_finding(body)
    assert f is not None and f.extra["missing"] == ["barriers"]
    assert assess_finding(body + " " + barrier) is None


def test_statutory_assessment_warm_home_is_not_a_strength() -> None:
    body = FULL.replace("Mum is a loving parent and Cai has a close bond with his nan, who helps most days.",
                        "The home was warm and clean.")
    f = assess_finding(body)
    assert f is not None and f.extra["missing"] == ["strengths"]


def test_statutory_short_completed_assessment_is_checked_but_booking_is_not() -> None:
    short = "Assessment of need completed with Mum at home. Mum hopes Cai's sleep will improve. TM to sign off."
    f = assess_finding(short)
    assert f is not None and set(f.extra["missing"]) == {"circumstances", "barriers", "risks", "strengths"}
    assert assess_finding("Assessment to be completed by Friday; allocated to Ann.") is None


# ----------------------------------------------------------------- (c) advocacy, IPA vs Active Offer

@pytest.mark.parametrize("sentence", [
    "Told Cai about advocacy and offered to make a referral.",
    "Explained to Cai what an independent advocate does and offered one.",
    "IPA active offer made to Cai, details left with carers.",
    "Told Mum about bringing an advocate or a friend to the meeting.",
    "Let Dad know he can have someone of his choice with him at the review.",
])
def test_statutory_advocacy_phrasings_count(sentence: str) -> None:
    rec = rec_of([("2025-01-10", "home_visit", "10/01/2025 Home visit", "Cai seen alone. " + sentence)])
    assert "advocacy_offer_not_recorded" not in codes(rec)


@pytest.mark.parametrize("sentence", ["Advocacy not discussed today as Cai was upset.",
                                      "No advocacy information given yet - to do next visit.",
                                      "Mum's friend was present and left when I arrived.",
                                      "Cai took part in a participation group at school."])
def test_statutory_advocacy_negatives_do_not_count(sentence: str) -> None:
    rec = rec_of([("2025-01-10", "home_visit", "10/01/2025 Home visit", "Cai seen alone. " + sentence)])
    assert "advocacy_offer_not_recorded" in codes(rec)


@pytest.mark.parametrize("sentence,welsh_offer", [
    ("IPA active offer made to Cai, details left with carers.", False),
    ("Advocacy active offer made; leaflet left.", False),
    ("Made the active offer of advocacy to Cai.", False),
    ("Active offer made to Mum - a Welsh speaking SW is available if wanted.", True),
    ("Active Offer made: asked which language Mum prefers.", True),
])
def test_statutory_ipa_active_offer_is_not_the_welsh_active_offer(sentence: str, welsh_offer: bool) -> None:
    rec = rec_of([("2025-01-10", "home_visit", "10/01/2025 Home visit", "Cai seen alone. " + sentence)])
    assert ("active_offer_not_recorded" not in codes(rec)) is welsh_offer


# ----------------------------------------------------------------- plan frequency wording

@pytest.mark.parametrize("text,expected", [
    ("lead worker to see cai at least every 5 working days.", (5, "working_days")),
    ("sw to visit once a fortnight, one unannounced.", (14, "days")),
    ("cai to be seen weekly by the lead worker.", (7, "days")),
    ("mum to attend the freedom programme every week.", None),
])
def test_statutory_plan_frequency_phrasings(text: str, expected: tuple[int, str] | None) -> None:
    assert plan_frequency(text, load_rule_set("wales")) == expected


def test_statutory_assessment_without_support_is_a_risk_phrasing() -> None:
    body = FULL.replace("If nothing changes there is a risk that Cai falls behind and misses more school. ", "")
    f = assess_finding(body)
    assert f is not None and f.extra["missing"] == ["risks"]
    assert assess_finding(body + " Without support Cai's attendance will keep dropping.") is None
