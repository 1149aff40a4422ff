"""The notes_qa_plain_language component and the room's findings."""
from __future__ import annotations

import pytest
import spacy

import notes_qa.plain_language.component  # noqa: F401
from notes_qa.plain_language.lexicon import Resources
from notes_qa.records import CaseRecord, ChildMeta, Entry, Span
from notes_qa.spacy_ext import get_attrs

PLAIN = ("Cai's plan\nWhat we want: Cai feels safe at home.\n"
         "Mum will take Cai to school every morning by 9am.\n"
         "Sioned (social worker) will visit you every two weeks.\n"
         "We will look at this plan together on 3 March.")
DENSE = ("Consideration is to be given to escalation to PLO should insufficient progress be "
         "evidenced within timescales. SW to undertake direct work to ascertain wishes and "
         "feelings in due course. Parental capacity is to be assessed by the LA.")


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("notes_qa_plain_language")
    nlp.initialize()
    return nlp


def kinds(doc) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for sp in doc.spans["plain_language"]:
        out.setdefault(get_attrs(sp)["kind"], []).append(sp.text)
    return out


def test_component_scores_plain_above_dense(nlp) -> None:
    plain, dense = nlp(PLAIN), nlp(DENSE)
    assert 0 <= dense._.plain_language < plain._.plain_language <= 100
    assert plain._.plain_language >= 60 and dense._.plain_language < 40


def test_component_empty_doc_is_none(nlp) -> None:
    assert nlp("")._.plain_language is None
    assert nlp("...")._.plain_language is None


def test_component_marks_problems_with_suggestions(nlp) -> None:
    doc = nlp(DENSE)
    k = kinds(doc)
    assert "PLO" in k["unexplained_acronym"] and "SW" in k["unexplained_acronym"]
    assert "ascertain" in k["jargon"] and "in due course" in k["jargon"]
    assert any("SW to undertake" in t for t in k["vague_action"])
    assert k["passive_voice"]
    for sp in doc.spans["plain_language"]:
        assert sp.label_ == "plain_language"
        assert get_attrs(sp)["suggestion"]


def test_component_acronym_spelled_out_is_not_flagged(nlp) -> None:
    doc = nlp("Your independent reviewing officer (IRO) will ring you on 4 May. The IRO chairs the review.")
    assert "unexplained_acronym" not in kinds(doc)
    doc = nlp("Rhodri, your Personal Adviser (PA), will help you. The PA will ring on Monday.")
    assert "unexplained_acronym" not in kinds(doc)


def test_component_actions_with_owner_and_date_are_not_vague(nlp) -> None:
    doc = nlp(PLAIN)
    assert "vague_action" not in kinds(doc)
    doc = nlp("Home conditions to improve. Mum to engage with services.")
    assert len(kinds(doc)["vague_action"]) == 2


def test_component_serialises_resources(tmp_path, nlp) -> None:
    comp = nlp.get_pipe("notes_qa_plain_language")
    comp.to_disk(tmp_path)
    res = Resources.from_disk(tmp_path)
    assert len(res.jargon) == len(comp.res.jargon) >= 150
    comp.from_disk(tmp_path)
    assert nlp(DENSE)._.plain_language == pytest.approx(nlp(DENSE)._.plain_language)


def test_lexicon_rejects_unknown_keys() -> None:
    from notes_qa.plain_language.lexicon import JargonEntry
    with pytest.raises(ValueError):
        JargonEntry.from_dict({"term": "LAC", "plain": "child in care", "colour": "red"})


def _record(nlp, text: str, note_type: str, date: str | None = "2025-03-12") -> CaseRecord:
    rec = CaseRecord(case_id="c", meta=ChildMeta(child_id="c"), sources={"s": text})
    rec.entries.append(Entry(source="s", start=0, end=len(text), date=date, note_type=note_type))
    doc = nlp(text)
    rec.entries[0].scores["plain_language"] = doc._.plain_language
    for sp in doc.spans["plain_language"]:
        rec.add_span(Span("plain_language", 0, sp.start_char, sp.end_char, sp.text, get_attrs(sp)))
    return rec


def test_results_findings_for_plans_only(nlp) -> None:
    from notes_qa.plain_language.results import case_findings

    rec = _record(nlp, DENSE, "care_and_support_plan")
    codes = {f.code: f for f in case_findings(rec)}
    assert set(codes) == {"plan_not_plain", "plan_actions_without_owner_or_date", "plan_without_outcomes"}
    assert "2025-03-12" in codes["plan_not_plain"].message
    assert len(codes["plan_not_plain"].extra["reasons"]) == 3
    assert case_findings(_record(nlp, DENSE, "home_visit")) == []
    assert case_findings(_record(nlp, PLAIN, "plan")) == []
