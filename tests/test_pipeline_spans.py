"""Spans made from processed Docs: their text is read from the source, equal attrs are shared."""
from __future__ import annotations

import spacy

from notes_qa.pipeline import SpanStore, add_doc_results, annotate
from notes_qa.records import CaseRecord, ChildMeta, Entry, SourceText
from notes_qa.spacy_ext import set_attrs

SOURCE = "Preamble line\n01/02/2025 Visit\nEarly help was agreed. Early help again.\n"


def _record() -> CaseRecord:
    start = SOURCE.index("01/02")
    return CaseRecord(case_id="c", meta=ChildMeta(child_id="c"), sources={"s.txt": SOURCE},
                      entries=[Entry("s.txt", start, len(SOURCE))])


def _doc(nlp, rec: CaseRecord):
    doc = nlp.make_doc(rec.entry_text(0))
    group = []
    for k, word in enumerate(doc):
        if word.lower_ == "help":
            sp = doc[k - 1:k + 1]
            set_attrs(sp, kind="jargon", suggestion="say " + "'early support'")  # a new str each time
            group.append(sp)
    doc.spans["plain_language"] = group
    return doc


def test_pipeline_spans_read_text_from_the_source_and_share_equal_attrs() -> None:
    nlp = spacy.blank("en")
    rec = _record()
    add_doc_results(rec, 0, _doc(nlp, rec), SpanStore())
    a, b = rec.spans
    assert a.text == b.text == "Early help"
    assert SOURCE[a.start:a.end] == a.text and a.start > SOURCE.index("01/02")
    assert type(a._text) is SourceText and a._attrs is b._attrs  # one copy for both spans
    assert a.to_dict() == {"label": "plain_language", "entry": 0, "start": a.start, "end": a.end,
                           "text": "Early help", "kind": "jargon", "suggestion": "say 'early support'"}


def test_pipeline_span_store_keeps_values_of_different_types_apart() -> None:
    store = SpanStore()
    packed = [store.pack({"score": v}) for v in (1, 1.0, True, 0.0, -0.0, 1.0)]
    assert [type(p[0][1]) for p in packed] == [int, float, bool, float, float, float]
    assert repr(packed[4][0][1]) == "-0.0"
    assert packed[1] is packed[5]


def test_pipeline_span_store_leaves_attrs_with_containers_as_dicts() -> None:
    attrs = {"kind": "verbatim", "match": {"case_id": "x"}}
    assert SpanStore().pack(attrs) is attrs


def test_pipeline_annotate_spans_equal_the_doc_spans() -> None:
    nlp = spacy.blank("en")
    rec = _record()
    annotate(rec, nlp, docs=[_doc(nlp, rec)])
    assert [(s.text, s.attrs["kind"]) for s in rec.spans] == [("Early help", "jargon")] * 2
