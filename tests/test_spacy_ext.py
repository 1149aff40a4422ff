"""The shared Doc helpers in notes_qa.spacy_ext."""
from __future__ import annotations

import spacy

from notes_qa.spacy_ext import TEXT_KEY, doc_text, remember_text


def test_spacy_ext_doc_text_returns_the_remembered_text() -> None:
    nlp = spacy.blank("en")
    text = "Visit to Mia at home.  She said she wants to stay with her nain. "
    doc = remember_text(nlp.make_doc(text), text)
    assert doc_text(doc) is text
    assert doc_text(doc) == doc.text


def test_spacy_ext_doc_text_ignores_a_text_that_is_not_the_docs() -> None:
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Case closed.")
    doc.user_data[TEXT_KEY] = "Another, longer text entirely."  # e.g. user data copied across Docs
    assert doc_text(doc) == "Case closed."
    assert doc_text(nlp.make_doc("")) == ""
    assert doc_text(nlp.make_doc("No text kept.")) == "No text kept."


def test_spacy_ext_doc_text_survives_a_merge_of_tokens() -> None:
    nlp = spacy.blank("en")
    text = "Strategy: s47 to be initiated."
    doc = remember_text(nlp.make_doc(text), text)
    with doc.retokenize() as retok:
        retok.merge(doc[0:2])
    assert doc_text(doc) == doc.text == text
