"""Plan-only checks of notes_qa_plain_language: vague actions and outcomes only for plans."""
from __future__ import annotations

import pytest
import spacy

import notes_qa.plain_language.component  # noqa: F401
from notes_qa.plain_language.component import USER_DATA_KEY
from notes_qa.spacy_ext import Context, get_attrs

HOME_VISIT = ("Visited Cerys at home. Cerys wants her dad to come to her birthday. "
              "Mum to engage with services. The LAC review was discussed with the IRO.")


def _nlp(**cfg: str) -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("notes_qa_plain_language", config=cfg)
    nlp.initialize()
    return nlp


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return _nlp()


def _run(nlp, text: str, note_type: str | None, with_context: bool = True):
    doc = nlp.make_doc(text)
    if with_context:
        doc._.nqa_context = Context(note_type=note_type)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def _kinds(doc) -> set[str]:
    return {get_attrs(sp)["kind"] for sp in doc.spans["plain_language"]}


def test_plan_checks_skip_vague_action_for_home_visit(nlp) -> None:
    doc = _run(nlp, HOME_VISIT, "home_visit")
    kinds = _kinds(doc)
    assert "vague_action" not in kinds
    assert "unexplained_acronym" in kinds  # the other checks still run
    info = doc.user_data[USER_DATA_KEY]
    assert info["plan_checks"] is False
    assert info["n_actions"] is None and info["has_outcome"] is None


@pytest.mark.parametrize("note_type", ["care_and_support_plan", "plan", "child_protection_plan"])
def test_plan_checks_run_for_plan_entries(nlp, note_type: str) -> None:
    doc = _run(nlp, HOME_VISIT, note_type)
    vague = [sp.text for sp in doc.spans["plain_language"] if get_attrs(sp)["kind"] == "vague_action"]
    assert any("Mum to engage" in t for t in vague)
    assert doc.user_data[USER_DATA_KEY]["plan_checks"] is True


def test_plan_checks_without_context_keep_full_behaviour(nlp) -> None:
    doc = _run(nlp, HOME_VISIT, None, with_context=False)
    assert "vague_action" in _kinds(doc)
    doc = _run(nlp, HOME_VISIT, None)  # a context without a note type: unknown, so checked
    assert "vague_action" in _kinds(doc)


def test_plan_checks_config_always_and_never() -> None:
    always, never = _nlp(plan_checks="always"), _nlp(plan_checks="never")
    assert "vague_action" in _kinds(_run(always, HOME_VISIT, "home_visit"))
    assert "vague_action" not in _kinds(_run(never, HOME_VISIT, "care_and_support_plan"))
    assert "vague_action" not in _kinds(never(HOME_VISIT))


def test_plan_checks_rejects_unknown_setting() -> None:
    with pytest.raises(ValueError):
        _nlp(plan_checks="sometimes")


def test_plan_checks_score_ignores_action_signals_for_non_plans(nlp) -> None:
    text = "Home conditions to improve. Mum to engage with services. School to monitor."
    plan = _run(nlp, text, "care_and_support_plan")._.plain_language
    visit = _run(nlp, text, "home_visit")._.plain_language
    assert visit is not None and plan is not None and visit > plan


def test_plan_checks_do_not_change_readability_spans(nlp) -> None:
    long = " ".join(["Mum said that"] + ["the family went to the park and then"] * 4 + ["home."])
    for nt in ("home_visit", "care_and_support_plan"):
        assert "long_sentence" in _kinds(_run(nlp, long, nt))
