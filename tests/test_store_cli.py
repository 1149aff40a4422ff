"""`notes-qa score --db` appends each run to the DuckDB history."""
from __future__ import annotations

import argparse
from pathlib import Path

from notes_qa.batch import run_score
from notes_qa.cli import build_parser


def score_args(tmp_path: Path, *extra: str) -> argparse.Namespace:
    args = build_parser().parse_args(["score", str(tmp_path / "in"), "--quiet", "--workers", "1",
                                      "--out", str(tmp_path / "out.jsonl"), *extra])
    args.pipeline_components = ("notes_qa_sentences",)
    return args


def test_store_cli_two_runs_over_the_same_input_give_two_runs(tmp_path: Path) -> None:
    import duckdb

    fam = tmp_path / "in" / "family-1"
    fam.mkdir(parents=True)
    (fam / "Mia.txt").write_text("01/02/2025 Home visit - SW Ann Bell\nSeen Mia.\n")
    (fam / "Leo.txt").write_text("01/02/2025 Home visit - SW Ann Bell\nSeen Leo.\n")
    db = tmp_path / "results.duckdb"
    assert run_score(score_args(tmp_path, "--db", str(db))) == 0
    assert run_score(score_args(tmp_path, "--db", str(db))) == 0
    con = duckdb.connect(str(db), read_only=True)
    runs = con.execute("SELECT status, n_cases, model_versions FROM runs ORDER BY started_at").fetchall()
    assert [(r[0], r[1]) for r in runs] == [("complete", 2), ("complete", 2)]
    assert "child_voice/" in runs[0][2]
    assert con.execute("SELECT count(*) FROM cases").fetchone()[0] == 4
