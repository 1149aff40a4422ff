"""Dashboard, flat summaries, the report/dashboard CLI and the progress bar."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from notes_qa.reports import export_summary, render_dashboard
from notes_qa.reports.cli import main
from notes_qa.reports.progress import ProgressBar
from notes_qa.reports.sample import sample_family
from notes_qa.store import append_run


def _db(tmp_path: Path, runs: int = 2) -> Path:
    db = tmp_path / "r.duckdb"
    for _ in range(runs):
        append_run(db, sample_family(), inputs=["data/family-17"])
    return db


def test_reports_dashboard_sections(tmp_path: Path) -> None:
    html = render_dashboard(_db(tmp_path))
    for marker in ('data-score="child_voice_coverage"', 'data-score="plain_language"',
                   'data-group="team"', 'data-group="worker"', 'data-group="month"',
                   'data-query="per_worker_voice_coverage"', 'data-table="runs"',
                   'data-table="most_concerns"', "<svg"):
        assert marker in html, marker
    assert "2 case files · 2 runs" in html
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_reports_dashboard_escapes_database_values(tmp_path: Path) -> None:
    mia, leo = sample_family()
    mia.meta.worker = "<script>bad()</script>"
    db = tmp_path / "r.duckdb"
    append_run(db, [mia, leo], inputs=["<img src=x onerror=bad()>"])
    html = render_dashboard(db)
    assert "<script>bad" not in html and "<img src=x" not in html
    assert "&lt;script&gt;bad()&lt;/script&gt;" in html


def test_reports_export_summary_csv_and_parquet(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    db = _db(tmp_path)
    export_summary(db, tmp_path / "s.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "s.csv").read_text())))
    assert [r["case_id"] for r in rows] == ["family-17/Leo", "family-17/Mia"]
    assert rows[1]["child_voice_coverage"] == "0.5"
    export_summary(db, tmp_path / "s.parquet", format="parquet")
    t = pq.read_table(tmp_path / "s.parquet")
    assert t.num_rows == 2 and "plain_language" in t.column_names
    assert not (tmp_path / "s.parquet.partial").exists()


def test_reports_cli_report_from_results_and_dashboard(tmp_path: Path, monkeypatch) -> None:
    recs = sample_family()
    for r in recs:
        for src, text in r.sources.items():
            (tmp_path / src).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / src).write_text(text, encoding="utf-8")
    res = tmp_path / "results.jsonl"
    res.write_text("".join(json.dumps(r.to_dict()) + "\n" for r in recs)
                   + json.dumps({"schema": "notes-qa/error@1", "source": "x.pdf",
                                 "error": "corrupt_pdf", "message": "could not be parsed"}) + "\n")
    monkeypatch.chdir(tmp_path)
    assert main(["report", "results.jsonl", "--out", "report.html", "--quiet"]) == 1
    html = (tmp_path / "report.html").read_text()
    assert "Visited the family home." in html and "Inputs not read" in html
    db = _db(tmp_path, runs=1)
    assert main(["dashboard", "--db", str(db), "--out", "d.html"]) == 0
    assert main(["dashboard", "--db", str(db), "--out", "d.csv"]) == 0
    assert (tmp_path / "d.csv").read_text().startswith("case_id,")
    assert main(["dashboard", "--db", str(tmp_path / "none.duckdb"), "--out", "x.html"]) == 2


def test_reports_progress_bar_line_and_silence(monkeypatch) -> None:
    bar = ProgressBar(total=10, stream=io.StringIO())
    assert not bar.enabled  # not a terminal
    bar.start = 0.0
    for _ in range(4):
        bar.update()
    line = bar.line(now=2.0)
    assert "4/10" in line and "2.0 files/s" in line and "ETA 0:03" in line

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    for var in ("CI", "NOTES_QA_NO_PROGRESS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    tty_bar = ProgressBar(total=2, stream=out, min_interval=0)
    tty_bar.update()
    tty_bar.update()
    tty_bar.close()
    monkeypatch.setenv("CI", "true")
    assert not ProgressBar(total=2, stream=Tty()).enabled
    assert "\r" in out.getvalue() and "2/2" in out.getvalue()
