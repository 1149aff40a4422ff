"""Reading + segmentation throughput beside spacy.blank("en") + sentencizer (issue 2).

Usage: python benchmarks/bench_segmentation.py [--mb 20] [--big-mb 50]

Prints words/s for reading + segmentation and for the spaCy baseline on the same text in the
same run, the share of the baseline time T (budget: <= 0.4 T), and, for a --big-mb export scored
end to end by the default pipeline, the peak RSS (target: < 1 GB). Run on one core:
`taskset -c 0 python benchmarks/bench_segmentation.py`.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import baseline_time, synthetic_export, timed  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=10.0, help="size of the throughput export")
    ap.add_argument("--big-mb", type=float, default=50.0, help="size of the memory export (0: skip)")
    a = ap.parse_args()
    from notes_qa.readers import read_document
    from notes_qa.segmentation import segment

    text = synthetic_export(1000)
    while len(text) < a.mb * 1e6:
        text += text
    tmp = Path(tempfile.mkdtemp())
    path = tmp / "export.txt"
    path.write_text(text, encoding="utf-8")
    words = len(text.split())

    def read_and_segment() -> int:
        return len(segment(read_document(str(path)), str(path)).entries)

    n_entries = read_and_segment()
    t_seg = timed(read_and_segment)
    # The baseline tokenises the same text entry by entry (as the pipeline does).
    res = segment(text, "x")
    entry_texts = [text[e.start:e.end] for e in res.entries]
    t_base = baseline_time(entry_texts)
    print(f"export: {len(text) / 1e6:.1f} MB, {words:,} words, {n_entries:,} entries")
    print(f"reading + segmentation: {t_seg:.2f} s = {words / t_seg:,.0f} words/s")
    print(f"spaCy blank('en') + sentencizer (T): {t_base:.2f} s = {words / t_base:,.0f} words/s")
    print(f"reading + segmentation share: {t_seg / t_base:.3f} T (budget <= 0.4 T)")
    if a.big_mb:
        big = tmp / "big.txt"
        with big.open("w", encoding="utf-8") as fh:
            written = 0
            while written < a.big_mb * 1e6:
                fh.write(text)
                written += len(text)
        code = ("import resource,sys,time;from notes_qa.scoring import score_paths;t=time.perf_counter();"
                "n=sum(1 for _ in score_paths([sys.argv[1]]));"
                "print(f'{time.perf_counter()-t:.1f} s', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss//1024, 'MB')")
        out = subprocess.run([sys.executable, "-c", code, str(big)], capture_output=True, text=True)
        print(f"end-to-end score of a {written / 1e6:.0f} MB export: time, peak RSS = "
              f"{out.stdout.strip() or out.stderr.strip()[-500:]} (target < 1024 MB)")


if __name__ == "__main__":
    main()
