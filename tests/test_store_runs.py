"""DuckDB results history: runs are appended, never overwritten; documented queries work."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from notes_qa.records import ErrorRecord
from notes_qa.reports.sample import sample_family
from notes_qa.store import RunWriter, append_run, connect, default_db_path
from notes_qa.store.queries import documented_queries, query


def test_store_two_runs_over_same_input_give_two_runs(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    a = append_run(db, sample_family(), inputs=["data/family-17"], tool_version="0.1.0",
                   model_versions={"notes_qa_child_voice": "rules"}, rules="wales")
    b = append_run(db, sample_family(), inputs=["data/family-17"], tool_version="0.1.0",
                   model_versions={"notes_qa_child_voice": "rules"}, rules="wales")
    assert a != b
    con = connect(db, read_only=True)
    runs = con.execute("SELECT run_id, status, n_cases, inputs, model_versions, rules FROM runs "
                       "ORDER BY started_at").fetchall()
    assert [r[0] for r in runs] == [a, b]
    assert all(r[1] == "complete" and r[2] == 2 for r in runs)
    assert json.loads(runs[0][3]) == ["data/family-17"]
    assert json.loads(runs[0][4]) == {"notes_qa_child_voice": "rules"} and runs[0][5] == "wales"
    assert con.execute("SELECT count(*) FROM cases").fetchone()[0] == 4
    assert con.execute("SELECT count(*) FROM latest_cases").fetchone()[0] == 2
    assert con.execute("SELECT DISTINCT run_id FROM latest_cases").fetchall() == [(b,)]
    n_spans = sum(len(r.spans) for r in sample_family())
    assert con.execute("SELECT count(*) FROM spans WHERE run_id = ?", [a]).fetchone()[0] == n_spans


def test_store_documented_per_worker_voice_query(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    append_run(db, sample_family(), inputs=["x"])
    sql = query("per_worker_voice_coverage")
    assert "FROM latest_entries" in sql
    rows = connect(db, read_only=True).execute(sql).fetchall()
    # Rhian Evans: Mia's home visit (voice) + Leo's two visits (voice); Gareth Pugh: school visit, none
    assert rows == [("Gareth Pugh", 1, 0.0), ("Rhian Evans", 3, 1.0)]


def test_store_all_documented_queries_run(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    append_run(db, sample_family(), inputs=["x"])
    con = connect(db, read_only=True)
    assert set(documented_queries()) >= {"per_worker_voice_coverage", "most_concerns",
                                         "monthly_rationale", "trend_over_runs"}
    worst = con.execute(query("most_concerns")).fetchall()
    assert worst[0][0] == "family-17/Mia" and worst[0][4] == 2
    months = dict((m, c) for m, _, c in con.execute(query("monthly_rationale")).fetchall())
    assert months["2025-02"] == 0.5 and months["2025-03"] is None


def test_store_flat_columns_typed(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    append_run(db, sample_family(), inputs=["x"])
    con = connect(db, read_only=True)
    row = con.execute("SELECT kind, similarity, match_case_id, match_entry FROM spans "
                      "WHERE case_id = 'family-17/Mia' AND kind = 'verbatim'").fetchone()
    assert row == ("verbatim", 1.0, "family-17/Leo", 0)
    assert con.execute("SELECT count(*) FROM spans WHERE label='decision' AND has_rationale = false"
                       ).fetchone()[0] == 1
    f = con.execute("SELECT date, spans FROM findings WHERE code = 'decision_without_rationale'").fetchone()
    assert str(f[0]) == "2025-02-17" and f[1] == [5]
    e = con.execute("SELECT month, team, worker, is_direct_work FROM entries WHERE case_id = "
                    "'family-17/Mia' AND entry = 3").fetchone()
    assert e == ("2025-03", "Team North", "Gareth Pugh", True)


def test_store_contract_dicts_equal_records(tmp_path: Path) -> None:
    recs = sample_family()
    db1, db2 = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    append_run(db1, recs, inputs=["x"])
    dicts = [json.loads(json.dumps(r.to_dict())) for r in recs]
    append_run(db2, dicts, inputs=["x"])
    q = "SELECT * EXCLUDE (run_id) FROM spans ORDER BY case_id, span"
    assert connect(db1, read_only=True).execute(q).fetchall() == connect(db2, read_only=True).execute(q).fetchall()


def test_store_run_writer_streams_and_marks_failures(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    mia, leo = sample_family()
    with pytest.raises(RuntimeError):
        with RunWriter(db, inputs=["a"], flush_every=1) as run:
            run.add(mia)
            run.add(ErrorRecord("a/bad.pdf", "corrupt_pdf", "could not be parsed"))
            raise RuntimeError("boom")
    with RunWriter(db, inputs=["a"]) as run2:
        run2.add(leo)
    con = connect(db, read_only=True)
    rows = con.execute("SELECT run_id, status, n_cases, n_errors FROM runs ORDER BY started_at").fetchall()
    assert rows == [(run.run_id, "failed", 1, 1), (run2.run_id, "complete", 1, 0)]
    assert con.execute("SELECT error FROM errors").fetchall() == [("corrupt_pdf",)]


def test_store_default_location(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NOTES_QA_DB", raising=False)
    assert default_db_path() == Path("notes-qa-results.duckdb")
    monkeypatch.setenv("NOTES_QA_DB", str(tmp_path / "x.duckdb"))
    assert default_db_path() == tmp_path / "x.duckdb"
    monkeypatch.chdir(tmp_path)
    append_run(None, sample_family()[:1], inputs=["x"])
    assert (tmp_path / "x.duckdb").exists()


def test_store_import_is_lazy() -> None:
    import subprocess
    import sys

    code = "import sys, notes_qa.store, notes_qa.reports; print('duckdb' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
