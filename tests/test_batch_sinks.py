"""Record sinks: every record written also goes to each sink, which is closed at the end."""
from __future__ import annotations

import json
from pathlib import Path

from notes_qa.batch import run_score
from notes_qa.cli import build_parser

TEXT = "01/02/2025 Home visit - SW Ann Bell\nSeen Mia alone. Mia said she likes school.\n"


class ListSink:
    def __init__(self) -> None:
        self.records: list[dict] = []
        self.closed: bool | None = None

    def __call__(self, record: dict) -> None:
        self.records.append(record)

    def close(self, complete: bool) -> None:
        self.closed = complete


def test_batch_sinks_see_every_record_written_in_order(tmp_path: Path) -> None:
    (tmp_path / "Mia.txt").write_text(TEXT)
    (tmp_path / "broken.pdf").write_bytes(b"not a pdf")
    out = tmp_path / "out.jsonl"
    args = build_parser().parse_args(["score", str(tmp_path), "--out", str(out), "--quiet",
                                      "--workers", "1"])
    args.pipeline_components = ["notes_qa_sentences"]
    sink = ListSink()
    assert run_score(args, sinks=[sink]) == 1
    written = [json.loads(l) for l in out.read_text().splitlines()]
    assert sink.records == written and len(written) == 2
    assert sink.closed is True
