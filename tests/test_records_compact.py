"""Compact spans (text cut from the source, shared attribute pairs) and streamed record JSON."""
from __future__ import annotations

import json

import pytest

from notes_qa.records import CaseRecord, ChildMeta, Entry, ErrorRecord, Finding, SourceText, Span

SOURCE = "Header — 01/02/2025\nMia said “I like school”. Case to close.\n"


def _record(n_spans: int = 5, extra: dict | None = None) -> CaseRecord:
    rec = CaseRecord(case_id="fam/Mia", meta=ChildMeta(child_id="Mia", child_name="Mia Ŵyn",
                                                       family_id="fam"),
                     sources={"s.txt": SOURCE}, extra=extra or {})
    rec.entries.append(Entry("s.txt", 0, len(SOURCE), date="2025-02-01", note_type="home_visit",
                             scores={"plain_language": 71.5}))
    src = SourceText(SOURCE)
    pairs = (("kind", "reported"), ("score", 0.25))
    for k in range(n_spans):
        rec.add_span(Span("child_voice", 0, 20 + k, 45, src, pairs))
    rec.findings.append(Finding("visit_without_child_voice", "info", "x", entry=0, spans=[0, 1]))
    rec.summary["plain_language"] = 71.5
    return rec


def test_records_span_text_is_cut_from_its_source_text() -> None:
    s = Span("child_voice", 0, 20, 45, SourceText(SOURCE))
    assert s.text == SOURCE[20:45]
    assert s == Span("child_voice", 0, 20, 45, SOURCE[20:45])
    s.text = "changed"
    assert s.text == "changed"


def test_records_span_attr_pairs_become_the_spans_own_dict_when_read() -> None:
    pairs = (("kind", "jargon"), ("suggestion", "say 'early support'"))
    a = Span("plain_language", 0, 0, 4, "text", pairs)
    b = Span("plain_language", 0, 5, 9, "text", pairs)
    assert a.to_dict()["suggestion"] == "say 'early support'"
    a.attrs["suggestion"] = "changed"  # changing one span's attrs leaves the shared pairs alone
    assert a.attrs == {"kind": "jargon", "suggestion": "changed"}
    assert b.attrs == {"kind": "jargon", "suggestion": "say 'early support'"}
    assert a.attrs is a.attrs
    assert Span("x", 0, 0, 1, "t").attrs == {}


def test_records_span_repr_and_equality_read_through_compact_forms() -> None:
    compact = Span("decision", 1, 20, 45, SourceText(SOURCE), (("has_rationale", False),))
    plain = Span("decision", 1, 20, 45, SOURCE[20:45], {"has_rationale": False})
    assert compact == plain and repr(compact) == repr(plain)
    assert compact != Span("decision", 1, 20, 45, SOURCE[20:45], {"has_rationale": True})


@pytest.mark.parametrize("chunk", [1, 2, 3, 2000])
def test_records_iter_json_is_the_json_of_to_dict(chunk: int) -> None:
    rec = _record(5, extra={"statutory": {"rules": "wales", "now": None}})
    pieces = list(rec.iter_json(chunk=chunk))
    assert "".join(pieces) == json.dumps(rec.to_dict(), ensure_ascii=False)
    if chunk == 1:
        assert len(pieces) > 5  # one piece per span at least: never one big string


def test_records_iter_json_with_empty_lists_and_no_extra() -> None:
    rec = CaseRecord(case_id="c", meta=ChildMeta(child_id="c"), sources={})
    assert "".join(rec.iter_json()) == json.dumps(rec.to_dict(), ensure_ascii=False)
    err = ErrorRecord("bad.pdf", "corrupt_pdf", "could not be parsed — “broken”")
    assert "".join(err.iter_json()) == json.dumps(err.to_dict(), ensure_ascii=False)
