"""Statutory checks on big exports: memory stays small, entries are searched one by one."""
from __future__ import annotations

import tracemalloc

from notes_qa.records import CaseRecord, ChildMeta, Entry
from notes_qa.statutory import check_case

PREAMBLE = "Export — Working Together to Safeguard Children banner\n"
ENTRY = ("{d}/01/2025 Home visit — SW Ann Bell\nCai seen alone in his room; he said he is happy. "
         "Carers report school is going well. Next visit booked.\n")


def _record(n: int, extra: dict[int, str] | None = None) -> CaseRecord:
    parts, ents, pos = [PREAMBLE], [], len(PREAMBLE)
    for k in range(n):
        text = ENTRY.format(d=f"{k % 28 + 1:02d}") + (extra or {}).get(k, "")
        parts.append(text)
        ents.append(Entry("f.txt", pos, pos + len(text), date=f"2025-01-{k % 28 + 1:02d}",
                          note_type="home_visit", body_start=pos + text.index("\n") + 1))
        pos += len(text)
    meta = ChildMeta(child_id="c1", child_name="Cai Morgan", legal_status="looked_after")
    return CaseRecord(case_id="c1", meta=meta, sources={"f.txt": "".join(parts)}, entries=ents)


def test_statutory_scale_memory_is_a_few_bytes_per_character() -> None:
    check_case(_record(10))  # load the rules first
    rec = _record(3000)  # ~400k characters, not ASCII (dashes): stored 2 bytes per character
    chars = len(rec.sources["f.txt"])
    tracemalloc.start()
    try:
        check_case(rec)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Lower-casing the whole source at once took a transient 12 bytes per character (14 in all).
    assert peak / chars < 6, peak / chars


def test_statutory_scale_jurisdiction_terms_found_in_each_entry_in_order() -> None:
    rec = _record(400, {5: "Referred to the LADO today.\n", 390: "LADO informed; section 17 plan.\n",
                        391: "Ofsted-registered carers.\n"})
    findings = check_case(rec)
    spans = [s for s in rec.spans if s.attrs.get("kind") == "jurisdiction_term"]
    # Term by term (in the rules' order), each term's hits in text order.
    assert sorted((s.entry, s.text) for s in spans) == [(5, "LADO"), (390, "LADO"),
                                                        (390, "section 17"), (391, "Ofsted")]
    assert [s.entry for s in spans if s.text == "LADO"] == [5, 390]
    for s in spans:
        assert rec.sources["f.txt"][s.start:s.end] == s.text
    by_term = {f.extra["term"]: f for f in findings if "term" in f.extra}
    assert [rec.spans[k].entry for k in by_term["lado"].spans] == [5, 390]
    # The preamble is not an entry: its "Working Together to Safeguard Children" is not flagged.
    assert not any("working" in s.text.lower() for s in spans)
