"""Case-level child's-voice and decision findings."""
from __future__ import annotations

from notes_qa.decisions.results import case_findings as decision_findings
from notes_qa.records import CaseRecord, ChildMeta, Entry, Span
from notes_qa.voice.results import case_findings, months_before

from datetime import date


def record(entries, spans=()):
    text = "".join(t for _, _, t in entries)
    rec = CaseRecord(case_id="c", meta=ChildMeta(child_id="c", child_name="Mia"), sources={"s": text})
    pos = 0
    for d, nt, t in entries:
        rec.entries.append(Entry(source="s", start=pos, end=pos + len(t), date=d, note_type=nt))
        pos += len(t)
    for sp in spans:
        rec.add_span(sp)
    return rec


def test_voice_results_visit_without_voice_names_date():
    rec = record([("2025-03-12", "home_visit", "Visited. House tidy. "),
                  ("2025-03-19", "home_visit", "Mia said she is happy. ")],
                 [Span("child_voice", 1, 21, 43, "Mia said she is happy.", {"kind": "reported", "score": 0.9})])
    found = [f for f in case_findings(rec) if f.code == "visit_without_child_voice"]
    assert len(found) == 1 and found[0].entry == 0
    assert "2025-03-12" in found[0].message and found[0].severity == "warning"


def test_voice_results_not_obtained_reason_is_info():
    rec = record([("2025-03-12", "home_visit", "Unable to gain Mia's views as she was asleep. ")])
    (f, *_), = [[f for f in case_findings(rec) if f.code == "visit_without_child_voice"]]
    assert f.severity == "info"


def test_voice_results_no_voice_recent_anchored_on_last_entry():
    voiced = Span("child_voice", 0, 0, 10, "x" * 10, {"kind": "reported", "score": 0.9})
    # voice in January, last entry in June: the three months before June hold direct work but no voice
    rec = record([("2025-01-10", "home_visit", "Mia said hi. "), ("2025-05-01", "home_visit", "Visit. "),
                  ("2025-06-20", "supervision", "Discussed. ")], [voiced])
    recent = [f for f in case_findings(rec) if f.code == "no_child_voice_recent"]
    assert len(recent) == 1 and "2025-06-20" in recent[0].message and recent[0].severity == "concern"
    # the same file with voice in May: nothing to say
    rec2 = record([("2025-01-10", "home_visit", "Visit. "), ("2025-05-01", "home_visit", "Mia said hi. "),
                   ("2025-06-20", "supervision", "Discussed. ")],
                  [Span("child_voice", 1, 7, 19, "Mia said hi.", {"kind": "reported", "score": 0.9})])
    assert not [f for f in case_findings(rec2) if f.code == "no_child_voice_recent"]


def test_voice_results_months_before_clamps_day():
    assert months_before(date(2025, 5, 31), 3) == date(2025, 2, 28)


def test_decisions_results_decision_without_rationale():
    rec = record([("2025-03-19", "supervision", "Case to close. ")],
                 [Span("decision", 0, 0, 14, "Case to close.", {"score": 0.9, "has_rationale": False})])
    (f,) = decision_findings(rec)
    assert f.code == "decision_without_rationale" and "2025-03-19" in f.message and f.spans == [0]
    rec.spans[0].attrs["has_rationale"] = True
    assert decision_findings(rec) == []
