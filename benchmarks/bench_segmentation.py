"""Reading + segmentation throughput beside spacy.blank("en") + sentencizer (issue 2).

Usage: python benchmarks/bench_segmentation.py [--mb 20] [--big-mb 50]

Prints words/s for reading + segmentation and for the spaCy baseline on the same text in the
same run, the share of the baseline time T (budget: <= 0.4 T), and, for a --big-mb export scored
end to end, the peak RSS (target: < 1 GB) of the real command, ``notes-qa score BIG --out OUT``,
run as a child process: start-up, reading, the pipeline and writing the record all count. The
peak of the same command on a one-line export (start-up) is printed beside it, with the bytes
per input character above that. Run on one core:
`taskset -c 0 python benchmarks/bench_segmentation.py`.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import baseline_time, synthetic_export, timed  # noqa: E402


def score_peak_rss(path: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of ``notes-qa score PATH --out OUT`` in a child process.

    ``RUSAGE_CHILDREN`` keeps the largest peak of any child waited for, so call this for the
    smaller input first.
    """
    cmd = [sys.executable, "-c", "import sys; from notes_qa.cli import main; sys.exit(main())",
           "score", str(path), "--out", str(out), "--quiet"]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0 or not out.exists():
        raise SystemExit(f"notes-qa score failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


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
        del text, entry_texts, res
        tiny = tmp / "tiny.txt"
        tiny.write_text("12/03/2025 Home visit - SW Rhian Evans\nMia was seen alone.\n",
                        encoding="utf-8")
        _, base_mb = score_peak_rss(tiny, tmp / "tiny.jsonl")
        wall, peak_mb = score_peak_rss(big, tmp / "big.jsonl")
        out_mb = (tmp / "big.jsonl").stat().st_size / 1e6
        print(f"notes-qa score of a {written / 1e6:.1f} M-character export ({big.stat().st_size / 1e6:.0f} MB): "
              f"{wall:.0f} s, peak RSS {peak_mb:.0f} MB (target < 1024 MB); start-up peak "
              f"{base_mb:.0f} MB; {(peak_mb - base_mb) * 2**20 / written:.1f} bytes per input "
              f"character above it; output {out_mb:.0f} MB")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
