"""Sentence memos: a sentence seen again gives exactly what working it out afresh gives."""
from __future__ import annotations

import spacy

from conftest import voice_and_decisions
from notes_qa.pipeline import clear_memos
from notes_qa.spacy_ext import Context, get_attrs
from notes_qa.training.units import SentenceMemo

TEXTS = [
    ("It was agreed Mia will stay with her nain because she is settled there. Home visit completed.",
     Context(child_name="Mia", sibling_names=["Leo"], note_type="home_visit")),
    # the same sentences in the sibling's file: "Mia" is now a sibling, masked differently
    ("It was agreed Mia will stay with her nain because she is settled there. Home visit completed.",
     Context(child_name="Leo", sibling_names=["Mia"], note_type="home_visit")),
    ("Case to close as there are no further concerns. Home visit completed. Leo said he likes school.",
     Context(child_name="Leo", sibling_names=["Mia"], note_type="home_visit")),
    ("Case to close as there are no further concerns. Mia said she likes school.",
     Context(child_name="Mia", sibling_names=["Leo"], note_type="home_visit")),
]


def build() -> spacy.Language:
    return voice_and_decisions()


def results(nlp: spacy.Language, fresh: bool) -> list:
    out = []
    docs = []
    for text, ctx in TEXTS * 2:
        doc = nlp.make_doc(text)
        doc._.nqa_context = ctx
        docs.append(doc)
    if fresh:  # one Doc at a time, nothing remembered between them
        done = []
        for doc in docs:
            clear_memos(nlp)
            done.append(nlp(doc))
    else:
        done = list(nlp.pipe(docs, batch_size=3))
    for doc in done:
        out.append([(key, s.start_char, s.end_char, sorted(get_attrs(s).items()))
                    for key in ("child_voice", "decision", "rationale") for s in doc.spans[key]])
    return out


def test_units_memo_repeated_sentences_match_fresh_work() -> None:
    nlp = build()
    remembered = results(nlp, fresh=False)
    assert remembered == results(build(), fresh=True)
    assert any(any(k == "decision" for k, *_ in doc) for doc in remembered)
    decisions = nlp.get_pipe("notes_qa_decisions")
    # the sentence naming Mia is scored once per way its names are masked; the others once
    assert len(decisions._scores_memo) == 3


def test_units_memo_is_bounded_and_tied_to_its_owner() -> None:
    a, b = object(), object()
    memo = SentenceMemo.for_owner(None, (a,), size=2)
    for i in range(5):
        memo.remember(f"sentence {i}", i)
        assert len(memo) <= 2
    assert memo["sentence 4"] == 4
    assert SentenceMemo.for_owner(memo, (a,)) is memo
    assert SentenceMemo.for_owner(memo, (b,)) is not memo
    assert len(SentenceMemo.for_owner(memo, (b,))) == 0


def test_units_memo_forgotten_when_models_change() -> None:
    nlp = build()
    decisions = nlp.get_pipe("notes_qa_decisions")
    results(nlp, fresh=False)
    before = decisions._memo
    assert before
    decisions.models["decision"] = None  # the rules alone decide from now on
    rules_only = results(nlp, fresh=False)
    assert decisions._memo is not before
    other = build()
    other.get_pipe("notes_qa_decisions").models["decision"] = None
    assert rules_only == results(other, fresh=True)
