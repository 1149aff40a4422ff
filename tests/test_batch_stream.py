"""Writing records: a record scored in this process is streamed in pieces, never built whole."""
from __future__ import annotations

import io
import json
import sys
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

from notes_qa.batch import write_record, write_scored
from notes_qa.records import CaseRecord, ChildMeta, Entry, ErrorRecord, SourceText, Span

BODY = "Mia said she likes school — and “Nain’s” garden. It was agreed to step down. "


def _big_record(n: int) -> CaseRecord:
    text = BODY * n
    rec = CaseRecord(case_id="Mia", meta=ChildMeta(child_id="Mia"), sources={"s.txt": text})
    rec.entries.append(Entry("s.txt", 0, len(text), date="2025-01-02", note_type="home_visit"))
    src, pairs = SourceText(text), (("kind", "reported"), ("score", 0.9))
    for k in range(n):
        rec.add_span(Span("child_voice", 0, k * len(BODY), k * len(BODY) + 27, src, pairs))
    return rec


def test_batch_write_record_writes_the_contract_json_line() -> None:
    rec = _big_record(50)
    fh = io.StringIO()
    write_record(fh, rec)
    assert fh.getvalue() == json.dumps(rec.to_dict(), ensure_ascii=False) + "\n"


def test_batch_write_scored_streams_a_local_record_and_writes_a_workers_line() -> None:
    rec = _big_record(5)
    line = json.dumps(rec.to_dict(), ensure_ascii=False) + "\n"
    local, worker = io.StringIO(), io.StringIO()
    write_scored(local, SimpleNamespace(source=rec))
    write_scored(worker, SimpleNamespace(source=None, line=line, record=rec.to_dict()))
    assert local.getvalue() == worker.getvalue() == line
    err = io.StringIO()
    write_scored(err, SimpleNamespace(source=ErrorRecord("x.pdf", "corrupt_pdf", "bad")))
    assert json.loads(err.getvalue())["error"] == "corrupt_pdf"


def _write_peak(rec: CaseRecord, path: Path) -> int:
    with open(path, "w", encoding="utf-8") as fh:
        tracemalloc.start()
        try:
            write_record(fh, rec)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def test_batch_write_record_memory_does_not_grow_with_the_record(tmp_path: Path) -> None:
    small, big = _big_record(5000), _big_record(40000)
    peak_small = _write_peak(small, tmp_path / "small.jsonl")
    peak_big = _write_peak(big, tmp_path / "big.jsonl")
    line_bytes = sys.getsizeof(json.dumps(big.to_dict(), ensure_ascii=False))  # ~11 MB
    # Pieces of a fixed number of spans: 8 times the spans, about the same peak. Building the
    # dict and the string would take several times the line.
    assert peak_big < 1.5 * peak_small and peak_big < line_bytes / 4, (peak_small, peak_big)
    assert (tmp_path / "big.jsonl").read_text(encoding="utf-8") == \
        json.dumps(big.to_dict(), ensure_ascii=False) + "\n"
