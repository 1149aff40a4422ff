"""Speed and memory of the corpus generator.

    .venv/bin/python benchmarks/bench_corpus.py [--families 100 1000] [--seed 0] [--no-hf]

Each size runs in a fresh subprocess; prints wall time, words, words/s and peak RSS, so memory can be
compared across sizes (it should stay flat: output is streamed family by family).
Acceptance (issue 3): 1,000 families of the default size in under 2 minutes on the 2-core machine.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, sys
sys.path.insert(0, {root!r})
from notes_qa.corpus import generate_corpus
s = generate_corpus({n}, {seed}, {out!r}, hf={hf})
print(json.dumps(s))
"""


def run(n: int, seed: int, hf: bool) -> dict:
    out = Path(tempfile.mkdtemp()) / f"corpus-{n}"
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD.format(root=str(ROOT), n=n, seed=seed, out=str(out), hf=hf)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    stdout = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        raise SystemExit(f"generation of {n} families failed")
    stats = json.loads(stdout.strip().splitlines()[-1])
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    shutil.rmtree(out.parent, ignore_errors=True)  # a 1,000-family corpus is ~1 GB
    return {"families": n, "wall_s": round(wall, 1), "generate_s": stats["generate_seconds"], "words": stats["words"],
            "children": stats["children"], "entries": stats["entries"], "sentences": stats["sentences"],
            "words_per_s": int(stats["words"] / wall), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "disk_mb": round(size / 2 ** 20, 1)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--families", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-hf", action="store_true")
    a = ap.parse_args()
    print(f"{'families':>8} {'wall_s':>7} {'gen_s':>6} {'words':>10} {'words/s':>8} {'peak_rss_mb':>11} {'disk_mb':>8}")
    for n in a.families:
        r = run(n, a.seed, not a.no_hf)
        print(f"{r['families']:>8} {r['wall_s']:>7} {r['generate_s']:>6} {r['words']:>10} {r['words_per_s']:>8} "
              f"{r['peak_rss_mb']:>11} {r['disk_mb']:>8}")
        if n >= 1000:
            print(f"  1,000-family target (< 120 s wall): {'OK' if r['wall_s'] < 120 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
