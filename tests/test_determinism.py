"""Same input → byte-identical output, whatever the process's string-hash seed."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ROWS = [
    ("C1", "F1", "Ffion Jones", "2025-01-10", "home_visit", "SW A",
     "Visit under s.17 of the Children Act 1989. Ffion said she likes school."),
    ("C1", "F1", "Ffion Jones", "2025-02-11", "strategy_discussion", "SW A",
     "The LSCB procedures and Working Together to Safeguard Children were followed."),
    ("C1", "F1", "Ffion Jones", "2025-03-12", "review", "SW A",
     "Child in need review; EHCP discussed with school."),
    ("C2", "F1", "Osian Jones", "2025-01-10", "home_visit", "SW A",
     "Visit under s.17. Osian said he likes football. The LSCB was informed."),
]


def _score(table: Path, out: Path, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run([sys.executable, "-m", "notes_qa.cli", "score", str(table), "--out", str(out),
                           "--quiet", "--workers", "1"], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out.read_bytes()


def test_determinism_output_ignores_hash_seed(tmp_path: Path) -> None:
    table = tmp_path / "notes.csv"
    with table.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["child_id", "family_id", "child_name", "date", "note_type", "author", "text"])
        w.writerows(ROWS)
    a = _score(table, tmp_path / "a.jsonl", "1")
    b = _score(table, tmp_path / "b.jsonl", "2")
    c = _score(table, tmp_path / "c.jsonl", "3")
    assert b"english_legislation_in_wales" in a
    assert a == b == c
