"""A generated corpus (:func:`notes_qa.corpus.generate_corpus`) as a note table.

One row per labelled entry: its body text (the header line is the row's metadata), the
contract columns, in corpus order. Used by the Spark tests and ``benchmarks/bench_scale.py``;
handy for trying the table paths of both engines on the same notes.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator


def corpus_rows(corpus: str | Path) -> Iterator[dict[str, Any]]:
    """The note rows of the corpus at ``corpus`` (its ``labels/cases.jsonl`` and documents)."""
    corpus = Path(corpus)
    with open(corpus / "labels" / "cases.jsonl", encoding="utf-8") as fh:
        for line in fh:
            case = json.loads(line)
            if case.get("format") != "txt":
                continue  # .docx files: their text is read by the document reader only
            text = (corpus / case["text"]).read_text(encoding="utf-8")
            m = case["meta"]
            for k, e in enumerate(case["entries"]):
                body = text[e.get("body_start") or e["start"]:e["end"]]
                yield {"text": body, "note_id": f"{case['child_id']}-{k:04d}",
                       "child_id": case["child_id"], "child_name": m.get("child_name"),
                       "family_id": case["family_id"], "date": e.get("date"),
                       "author": e.get("author"), "note_type": e.get("note_type"),
                       "gender": m.get("gender"), "date_of_birth": m.get("date_of_birth"),
                       "age": m.get("age"), "legal_status": m.get("legal_status"),
                       "placement_start": m.get("placement_start"), "team": None,
                       "worker": e.get("author_full")}


def write_corpus_table(corpus: str | Path, out: str | Path) -> int:
    """Write the corpus's note rows to ``out`` (``.parquet`` or ``.jsonl``); return the count."""
    out = Path(out)
    rows = list(corpus_rows(corpus))
    if out.suffix == ".jsonl":
        with open(out, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), out)
    return len(rows)
