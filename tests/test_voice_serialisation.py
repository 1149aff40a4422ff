"""Round trips and multiprocessing for the voice and decision components."""
from __future__ import annotations

import pytest
import spacy

import notes_qa.decisions.component  # noqa: F401
import notes_qa.voice.component  # noqa: F401
from conftest import voice_and_decisions
from notes_qa.spacy_ext import Context, get_attrs

TEXTS = [
    'Visited Mia at home. Mia said "I want to stay here." Mum says she is fine.',
    "It was agreed the case will step down to early help as there are no further concerns. NFA.",
    "Leo reached for his mam and settled. ICPC to be convened. This is because of cumulative neglect.",
    "Unable to gain Mia's views as she was asleep. Case to close.",
] * 3


def build():
    return voice_and_decisions()


def spans(doc):
    return [(g, s.start_char, s.end_char, sorted(get_attrs(s).items())) for g in ("child_voice", "decision", "rationale")
            for s in doc.spans[g]]


def docs(nlp):
    out = []
    for i, t in enumerate(TEXTS):
        d = nlp.make_doc(t)
        d._.nqa_context = Context(child_name="Leo" if "Leo" in t else "Mia", note_type="home_visit")
        out.append(d)
    return out


def test_voice_to_disk_from_disk_round_trip(tmp_path):
    nlp = build()
    before = [spans(d) for d in nlp.pipe(docs(nlp))]
    assert any(before)
    nlp.to_disk(tmp_path / "pipe")
    nlp2 = spacy.load(tmp_path / "pipe")
    after = [spans(d) for d in nlp2.pipe(docs(nlp2))]
    assert after == before


def test_voice_single_doc_call_matches_pipe():
    nlp = build()
    assert [spans(nlp(d)) for d in docs(nlp)] == [spans(d) for d in nlp.pipe(docs(nlp))]


@pytest.mark.slow
def test_voice_pipe_two_processes_matches_one():
    nlp = build()
    one = [spans(d) for d in nlp.pipe(docs(nlp))]
    two = [spans(d) for d in nlp.pipe(docs(nlp), n_process=2, batch_size=2)]
    assert two == one


def test_voice_span_attrs_survive_doc_bytes():
    """Span attrs live in Doc.user_data with string keys, so they survive to_bytes/from_bytes."""
    from spacy.tokens import Doc

    from notes_qa.spacy_ext import get_attrs, set_attrs

    nlp = spacy.blank("en")
    doc = nlp("Case to close.")
    span = doc[0:2]
    span.label_ = "decision"
    set_attrs(span, score=0.5, has_rationale=False)
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    again = back[0:2]
    again.label_ = "decision"
    assert get_attrs(again) == {"score": 0.5, "has_rationale": False}
