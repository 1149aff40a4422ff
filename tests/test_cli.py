"""The `notes-qa score` command as the contract describes it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SHARED, needs_shared

GOOD = ("01/02/2025 Home visit - SW Ann Bell\nSeen Mia alone. Mia said she likes school.\n"
        "08/02/2025 Phone call - SW Ann Bell\nMum rang about school.\n")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "notes_qa.cli", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_cli_score_writes_json_lines_to_stdout_and_nothing_else(tmp_path: Path) -> None:
    f = tmp_path / "Mia.txt"
    f.write_text(GOOD)
    proc = run("score", str(f))
    assert proc.returncode == 0, proc.stderr
    recs = [json.loads(l) for l in proc.stdout.splitlines()]
    assert len(recs) == 1 and recs[0]["schema"] == "notes-qa/case@1"
    assert recs[0]["entries"][0]["source"] == str(f)
    assert [e["date"] for e in recs[0]["entries"]] == ["2025-02-01", "2025-02-08"]
    assert proc.stderr == ""  # no progress bar when stderr is not a terminal


def test_cli_score_rejects_bad_inputs_and_goes_on(tmp_path: Path) -> None:
    (tmp_path / "Mia.txt").write_text(GOOD)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "notes.xyz").write_text("x")
    out = tmp_path / "out.jsonl"
    proc = run("score", str(tmp_path), str(tmp_path / "missing.txt"), "--out", str(out))
    assert proc.returncode == 1
    recs = [json.loads(l) for l in out.read_text().splitlines()]
    errors = {Path(r["source"]).name: r["error"] for r in recs if r["schema"] == "notes-qa/error@1"}
    assert errors == {"empty.txt": "empty", "notes.xyz": "unsupported_type",
                      "missing.txt": "not_found"}
    assert sum(r["schema"] == "notes-qa/case@1" for r in recs) == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 3 and all(l.startswith("notes-qa: ") for l in lines)
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_cli_usage_error_exits_2() -> None:
    assert run("score").returncode == 2
    assert run("frobnicate").returncode == 2


def test_cli_atomic_writer_never_leaves_a_complete_looking_file(tmp_path: Path) -> None:
    from notes_qa.atomic import atomic_writer

    out = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError):
        with atomic_writer(out) as fh:
            fh.write('{"partial": true}\n')
            raise RuntimeError("crash half way")
    assert not out.exists()
    assert (tmp_path / "out.jsonl.partial").exists()


def test_cli_segment_prints_entries(tmp_path: Path) -> None:
    f = tmp_path / "Mia.txt"
    f.write_text("Child: Mia Evans\n" + GOOD)
    proc = run("segment", str(f))
    assert proc.returncode == 0
    assert "2 entries" in proc.stdout and "2025-02-08" in proc.stdout
    proc = run("segment", "--json", str(f))
    assert [json.loads(l)["note_type"] for l in proc.stdout.splitlines()] == ["home_visit", "phone_call"]


@needs_shared
def test_cli_contract_samples_validate(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    proc = run("score", str(SHARED / "contract" / "samples"), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    check = subprocess.run([sys.executable, str(SHARED / "contract" / "check_result.py"), str(out)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    recs = [json.loads(l) for l in out.read_text().splitlines()]
    assert {r["family_id"] for r in recs} == {"family-bryn"}


@needs_shared
def test_cli_english_terms_in_wales_stay_within_the_contract(tmp_path: Path) -> None:
    # the jurisdiction check's evidence spans use the contract's fixed span labels
    f = tmp_path / "Mia.txt"
    f.write_text(GOOD + "15/02/2025 Strategy meeting - SW Ann Bell\nStep down to a child in need plan. "
                 "School are applying for an EHCP.\n")
    out = tmp_path / "out.jsonl"
    proc = run("score", str(f), "--out", str(out), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    rec = json.loads(out.read_text())
    terms = [s for s in rec["spans"] if s.get("kind") == "jurisdiction_term"]
    assert {s["text"] for s in terms} == {"child in need", "EHCP"}
    assert all(s["label"] == "plain_language" and s["suggestion"] for s in terms)
    assert any(x["code"] == "english_legislation_in_wales" for x in rec["findings"])
    check = subprocess.run([sys.executable, str(SHARED / "contract" / "check_result.py"), str(out)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_cli_folder_with_its_own_manifest_scores_exactly_the_listed_documents(tmp_path: Path) -> None:
    (tmp_path / "docs" / "fam-1").mkdir(parents=True)
    (tmp_path / "docs" / "fam-1" / "Mia.txt").write_text(GOOD)
    (tmp_path / "labels.json").write_text("{}")  # not a note: must not be read
    (tmp_path / "manifest.csv").write_text(
        "path,child_id,child_name,family_id\ndocs/fam-1/Mia.txt,mia-1,Mia,fam-1\n")
    out = tmp_path / "out.jsonl"
    proc = run("score", str(tmp_path), "--out", str(out), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    recs = [json.loads(l) for l in out.read_text().splitlines()]
    assert [(r["child_id"], r["child_name"], r["family_id"]) for r in recs] == [("mia-1", "Mia", "fam-1")]
