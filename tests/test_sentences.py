"""The case-note sentence splitter."""
from __future__ import annotations

import spacy

import notes_qa.sentences.component  # noqa: F401  (registers the factory)


def sents(text: str) -> list[str]:
    nlp = spacy.blank("en")
    nlp.add_pipe("notes_qa_sentences")
    return [s.text.strip() for s in nlp(text).sents]


def test_sentences_abbreviations_do_not_split() -> None:
    assert sents("SW spoke with Mr. Jones for approx. 2 hrs. Dr. Patel agreed.") == [
        "SW spoke with Mr. Jones for approx. 2 hrs.", "Dr. Patel agreed."]


def test_sentences_lines_without_full_stops_are_sentences() -> None:
    assert sents("Seen alone\nOutcome: NFA\nNext visit w/c 17.03.25") == [
        "Seen alone", "Outcome: NFA", "Next visit w/c 17.03.25"]


def test_sentences_bullets_start_sentences() -> None:
    assert sents("Actions:\n- Mum to attend GP\n- SW to visit at 14:30\n• school to update") == [
        "Actions:", "- Mum to attend GP", "- SW to visit at 14:30", "• school to update"]


def test_sentences_quote_keeps_its_attribution() -> None:
    assert sents("'I want to go home.' Mia said. She smiled.") == [
        "'I want to go home.' Mia said.", "She smiled."]


def test_sentences_times_and_dates_do_not_split() -> None:
    assert sents("Visit at 14.30 on 04.02.25 went well. Mum present.") == [
        "Visit at 14.30 on 04.02.25 went well.", "Mum present."]


def test_sentences_wrapped_lines_are_joined() -> None:
    assert sents("Riley said he would\nlike to see his dad more. Mum agreed.") == [
        "Riley said he would\nlike to see his dad more.", "Mum agreed."]


def test_sentences_roundtrip_to_disk(tmp_path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("notes_qa_sentences")
    nlp.to_disk(tmp_path / "p")
    nlp2 = spacy.load(tmp_path / "p")
    t = "Seen. Mr. Bell present\n- item"
    assert [s.text for s in nlp(t).sents] == [s.text for s in nlp2(t).sents]
