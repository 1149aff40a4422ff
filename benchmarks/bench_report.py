"""Wall time of the case report for one child's 20,000-word case file, start-up included.

Runs the real command line (``notes-qa report FILE --out report.html``; falls back to
``python -m notes_qa.reports report`` until the main CLI has the subcommand) on a synthetic
export, then times rendering alone on the scored records. Target: < 5 s wall time.

    .venv/bin/python benchmarks/bench_report.py [--words 20000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import synthetic_export  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def export_of(words: int) -> str:
    n = 50
    while True:
        text = synthetic_export(n, seed=7)
        if len(text.split()) >= words:
            return text
        n = int(n * words / max(1, len(text.split()))) + 5


def command() -> list[str]:
    cli = BIN / "notes-qa"
    if cli.exists():
        probe = subprocess.run([str(cli), "report", "--help"], capture_output=True, cwd=ROOT)
        if probe.returncode == 0:
            return [str(cli), "report"]
    return [sys.executable, "-m", "notes_qa.reports", "report"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "Mia.txt"
        text = export_of(args.words)
        src.write_text(text, encoding="utf-8")
        cmd = command() + [src.name, "--out", "report.html", "--quiet"]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True)
            times.append(time.perf_counter() - t)
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return 1
        size = (Path(tmp) / "report.html").stat().st_size
        marks = (Path(tmp) / "report.html").read_text(encoding="utf-8").count('<mark class="hl')

        sys.path.insert(0, str(ROOT))
        from notes_qa.reports import render_case_report
        from notes_qa.scoring import score_paths

        t = time.perf_counter()
        recs = list(score_paths([str(src)]))
        scored = time.perf_counter() - t
        t = time.perf_counter()
        render_case_report(recs)
        render = time.perf_counter() - t
        import json

        res = Path(tmp) / "results.jsonl"
        res.write_text("".join(json.dumps(r.to_dict()) + "\n" for r in recs), encoding="utf-8")
        t = time.perf_counter()
        proc = subprocess.run(command() + [res.name, "--out", "from-results.html", "--quiet"],
                              cwd=tmp, env=env, capture_output=True, text=True)
        from_results = time.perf_counter() - t
        n_spans = sum(len(r.spans) for r in recs if hasattr(r, "spans"))
        n_entries = sum(len(r.entries) for r in recs if hasattr(r, "entries"))
    print(f"command: {' '.join(command()[-2:])} Mia.txt --out report.html")
    print(f"case file: {len(text.split())} words, {len(text)} chars, {n_entries} entries, {n_spans} spans")
    print(f"report wall time incl. start-up: best {min(times):.2f} s, runs {', '.join(f'{x:.2f}' for x in times)} "
          f"(target < 5 s) -> {'PASS' if min(times) < 5 else 'FAIL'}")
    print(f"in-process: scoring {scored:.2f} s, rendering {render:.3f} s; report {size / 1e6:.2f} MB, "
          f"{marks} highlighted pieces")
    print(f"report from results.jsonl (no scoring) incl. start-up: {from_results:.2f} s "
          f"(exit {proc.returncode})")
    return 0 if min(times) < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
