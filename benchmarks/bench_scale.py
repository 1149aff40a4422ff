"""Scale benchmark: words/s and peak RSS of ``notes-qa score`` for 1 and N workers on generated
corpora of growing size, the ratio to ``spacy.blank("en")`` + sentencizer on the same text,
and Spark local-mode throughput (with a check that Spark's records equal the local ones).

    .venv/bin/python benchmarks/bench_scale.py --words 1e6 2e6 10e6 --workers 2 \
        --spark-families 200

Each ``notes-qa score`` run is a fresh process (its pipeline build is included in the time,
as a user sees it); peak RSS is sampled over the whole process tree (parent + workers) every
0.1 s, and also reported as the largest single process. The machine's load average is
printed with each figure: other work on the machine slows the runs down. Where a corpus gets
the ratios (1 and N workers, the baseline), those runs go in ``--repeat`` interleaved rounds
and the fastest of each is reported (peak RSS: the first round's). The baseline is one pass of
``spacy.blank("en")`` + sentencizer in a fresh process, as the pipeline makes one pass in one,
timed from its first text to its last; the one-worker ratio is given both for the whole run
(start-up included, the stricter figure) and from the pipeline being ready to the last record
written (timed as the baseline is).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNNER = """
import os, sys, time
from notes_qa.batch import run_score
from notes_qa.cli import as_own_process, build_parser
from notes_qa.parallel import pipeline_factory


class Timed:
    # builds the pipeline and notes when it was ready (in-process scoring only: not picklable)
    def __init__(self, factory, path):
        self.factory, self.path = factory, path

    def __call__(self):
        nlp = self.factory()
        with open(self.path, "a") as fh:
            fh.write(f"ready {time.time()}\\n")
        return nlp


if __name__ == "__main__":
    components = sys.argv[1]
    args = as_own_process(build_parser().parse_args(sys.argv[2:]))  # as the notes-qa command does
    if components != "default":
        args.pipeline_components = components.split(",")
    stamps = os.environ.get("NQA_BENCH_STAMPS")  # set for in-process (one-worker) runs only
    if stamps:
        args.nlp_factory = Timed(pipeline_factory(getattr(args, "pipeline_components", None)), stamps)
    rc = run_score(args)
    if stamps:
        with open(stamps, "a") as fh:
            fh.write(f"end {time.time()}\\n")
    sys.exit(rc)
"""


def load() -> str:
    return "load %.1f" % os.getloadavg()[0]


def tree_rss(pid: int, cpu: dict[int, float] | None = None) -> tuple[int, int]:
    """(sum, max) resident set size in bytes over ``pid`` and its descendants.

    ``cpu`` (pid -> user+system seconds) is updated for the processes of the tree.

    The tree is walked through each process's ``/proc/PID/task/TID/children`` lists, reading
    only the tree's own files (~0.1 ms a sample): scanning all of ``/proc`` took ~2 ms, 2% of a
    core at 10 samples a second, taken from the workers of a run that uses every core. Where
    the kernel has no such lists, all of ``/proc`` is scanned.
    """
    vals: list[int] = []
    todo = [pid]
    while todo:
        p = todo.pop()
        st = _stat(p)
        if st is None:
            continue
        vals.append(st[1])
        if cpu is not None:
            cpu[p] = st[2]
        kids = _children(p)
        if kids is None:
            return _tree_rss_scan(pid, cpu)
        todo.extend(kids)
    return sum(vals), max(vals) if vals else 0


_PAGE = os.sysconf("SC_PAGE_SIZE")
_HZ = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, int, float] | None:
    """(parent pid, resident bytes, user+system CPU seconds) of ``pid`` (None: gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            parts = fh.read().rsplit(")", 1)[1].split()
        return int(parts[1]), int(parts[21]) * _PAGE, (int(parts[11]) + int(parts[12])) / _HZ
    except (OSError, IndexError, ValueError):
        return None


def _children(pid: int) -> list[int] | None:
    """The child processes of ``pid`` (None: the kernel does not list them)."""
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    out: list[int] = []
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += map(int, fh.read().split())
        except FileNotFoundError:
            if not os.path.exists(f"/proc/{pid}/task/{tid}"):
                continue  # the thread ended
            return None
        except OSError:
            continue
    return out


def _tree_rss_scan(pid: int, cpu: dict[int, float] | None = None) -> tuple[int, int]:
    """:func:`tree_rss` by scanning every process in ``/proc``."""
    stats = {int(d): st for d in os.listdir("/proc") if d.isdigit() and (st := _stat(int(d))) is not None}
    children: dict[int, list[int]] = {}
    for p, (ppid, _, _) in stats.items():
        children.setdefault(ppid, []).append(p)
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(children.get(p, []))
    if cpu is not None:
        cpu.update((p, stats[p][2]) for p in seen if p in stats)
    vals = [stats[p][1] if p in stats else 0 for p in seen]
    return sum(vals), max(vals) if vals else 0


def run_score(inputs: list[str], out: Path, workers: int, components: str,
              extra: list[str] | None = None) -> dict:
    cmd = [sys.executable, "-c", RUNNER, components, "score", *inputs, "--out", str(out),
           "--workers", str(workers), "--quiet", *(extra or [])]
    stamps = out.with_suffix(".stamps")
    stamps.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if workers == 1:  # the pipeline is built in the scoring process itself, which can say when
        env["NQA_BENCH_STAMPS"] = str(stamps)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    peak_sum = peak_one = 0
    loads = []
    cpu: dict[int, float] = {}
    while proc.poll() is None:
        s, m = tree_rss(proc.pid, cpu)
        peak_sum, peak_one = max(peak_sum, s), max(peak_one, m)
        loads.append(os.getloadavg()[0])
        time.sleep(0.1)
    dt = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"score failed ({proc.returncode}): {' '.join(cmd)}")
    # from the pipeline being ready to the last record written: the run without its start-up,
    # timed as the baseline is
    marks = dict(line.split() for line in stamps.read_text().splitlines()) if stamps.exists() else {}
    stamps.unlink(missing_ok=True)
    steady = float(marks["end"]) - float(marks["ready"]) if {"ready", "end"} <= marks.keys() else None
    return {"seconds": dt, "steady_seconds": steady, "peak_rss_tree_mb": peak_sum / 2**20,
            "peak_rss_proc_mb": peak_one / 2**20,
            "load": sum(loads) / max(1, len(loads)), "cpu_seconds": sum(cpu.values())}


BASELINE = """
import json, sys, time
import spacy
nlp = spacy.blank("en")
nlp.add_pipe("sentencizer")
texts = [open(p, encoding="utf-8").read() for p in sys.argv[1:]]
words = sum(len(t.split()) for t in texts)
t0, c0 = time.perf_counter(), time.process_time()
for _ in nlp.pipe(texts, batch_size=32):
    pass
print(json.dumps([words / (time.perf_counter() - t0), words / (time.process_time() - c0)]))
"""


def baseline_words_per_s(docs: list[Path]) -> tuple[float, float]:
    """``spacy.blank("en")`` + sentencizer over the same documents: one pass in a fresh process
    (as ``notes-qa score`` makes one pass in one: a second pass over the same text is faster,
    its words already in the vocabulary), timed from the first text to the last (start-up
    left out, which favours the baseline), as (words per wall-clock second, words per CPU
    second). The caller keeps the best of its rounds."""
    out = subprocess.run([sys.executable, "-c", BASELINE, *map(str, docs)], check=True,
                         capture_output=True, text=True, cwd=ROOT).stdout
    wall, cpu = json.loads(out.strip().splitlines()[-1])
    return wall, cpu


def pick_components(requested: str) -> str:
    """The default pipeline if it builds, else the default components that do (reported)."""
    from notes_qa.pipeline import DEFAULT_COMPONENTS, build_pipeline, import_factories

    if requested != "default":
        return requested
    try:
        build_pipeline()
        return "default"
    except Exception as exc:
        ok = []
        for name in DEFAULT_COMPONENTS:
            try:
                import_factories([name])
                ok.append(name)
            except Exception:
                pass
        print(f"NOTE: the default pipeline does not build yet ({type(exc).__name__}: {exc}); "
              f"measuring with {','.join(ok)}", flush=True)
        return ",".join(ok)


def corpus(words: float, base: Path, seed: int, per_family: float) -> tuple[Path, dict]:
    from notes_qa.corpus import generate_corpus

    families = max(2, math.ceil(words / per_family))
    out = base / f"c{families}"
    stats = generate_corpus(families, seed, out, docx_share=0.0, hf=False, card=False)
    return out, stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=float, nargs="+", default=[1e6, 2e6, 10e6])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--components", default="default",
                    help="comma-separated factory names, or 'default' (the full pipeline)")
    ap.add_argument("--spark-families", type=int, default=200,
                    help="families for the Spark check (0: skip Spark)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--tmp", default=None,
                    help="work folder, kept afterwards (default: a temporary one, removed at the end)")
    ap.add_argument("--no-baseline", action="store_true", help="skip blank+sentencizer")
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds of the runs that give the ratios (1 and N workers, the baseline), "
                         "interleaved; the fastest of each is reported")
    ap.add_argument("--skip-one-worker-above", type=float, default=3e6,
                    help="run 1 worker only on corpora up to this many words")
    a = ap.parse_args()

    components = pick_components(a.components)
    if a.tmp:
        base = Path(a.tmp)
        base.mkdir(parents=True, exist_ok=True)
        return measure(a, components, base)
    # The corpora and outputs of one run take ~2 GB: a temporary folder must not outlive it.
    with tempfile.TemporaryDirectory(prefix="nqa-scale-") as tmp:
        return measure(a, components, Path(tmp))


def _fastest(kept: dict, new: dict) -> dict:
    """The faster of two rounds' runs, each time the best of both rounds; peak RSS stays the
    first round's (``kept``)."""
    steady = [s for s in (kept["steady_seconds"], new["steady_seconds"]) if s is not None]
    best = new if new["seconds"] < kept["seconds"] else kept
    return {**best, "steady_seconds": min(steady, default=None),
            "peak_rss_tree_mb": kept["peak_rss_tree_mb"], "peak_rss_proc_mb": kept["peak_rss_proc_mb"]}


def measure(a: argparse.Namespace, components: str, base: Path) -> int:
    """Run the benchmark in the work folder ``base``."""
    print(f"cpu={os.cpu_count()} workers={a.workers} components={components} {load()}",
          flush=True)
    probe, st = corpus(2e4, base, a.seed, 4000)
    per_family = st["words"] / st["families"]
    rows = []
    for target in a.words:
        path, stats = corpus(target, base, a.seed, per_family)
        words = stats["words"]
        docs = sorted((path / "docs").rglob("*.txt"))
        inputs = [str(path / "docs"), "--manifest", str(path / "manifest.csv")]
        row: dict = {"words": words, "families": stats["families"]}
        counts = [n for n in sorted({1, a.workers})
                  if not (n == 1 and words > a.skip_one_worker_above and a.workers != 1)]
        # the runs that give ratios go in interleaved rounds, the fastest of each kept: other
        # work on a shared machine only ever slows a run down
        rounds = a.repeat if 1 in counts else 1
        bl = bl_cpu = 0.0
        for _ in range(rounds):
            for n in counts:
                r = run_score(inputs[:1], base / f"out-{words}-{n}.jsonl", n, components,
                              extra=inputs[1:])
                row[n] = r if n not in row else _fastest(row[n], r)
            if 1 in counts and not a.no_baseline:
                w, c = baseline_words_per_s(docs)
                bl, bl_cpu = max(bl, w), max(bl_cpu, c)
        for n in counts:
            r = row[n]
            print(f"{words:>10,} words {stats['families']:>5} families  workers={n}: "
                  f"{words / r['seconds']:>9,.0f} words/s  {r['seconds']:7.1f} s  peak RSS "
                  f"{r['peak_rss_tree_mb']:7.0f} MB tree / {r['peak_rss_proc_mb']:5.0f} MB "
                  f"largest process  (mean load {r['load']:.1f}; "
                  f"{r['cpu_seconds']:.0f} CPU s)", flush=True)
        if 1 in row and a.workers in row and a.workers != 1:
            same = (base / f"out-{words}-1.jsonl").read_bytes() == \
                (base / f"out-{words}-{a.workers}.jsonl").read_bytes()
            print(f"    speed-up {a.workers} vs 1 workers: "
                  f"{row[1]['seconds'] / row[a.workers]['seconds']:.2f}x; "
                  f"outputs byte-identical: {same}", flush=True)
            c1, cn = row[1]["cpu_seconds"], row[a.workers]["cpu_seconds"]
            if cn:
                # On a machine shared with other work the wall-clock speed-up understates
                # what the pool does; CPU seconds show its overhead (ideal: equal).
                print(f"    CPU seconds 1 vs {a.workers} workers: {c1:.0f} vs {cn:.0f} "
                      f"(pool overhead {cn / c1 - 1:+.1%}); speed-up on an idle machine "
                      f"<= {a.workers * c1 / cn:.2f}x", flush=True)
        if 1 in row and not a.no_baseline:
            one = words / row[1]["seconds"]
            one_cpu = words / row[1]["cpu_seconds"] if row[1]["cpu_seconds"] else float("nan")
            print(f"    blank+sentencizer: {bl:,.0f} words/s, best of {rounds} fresh processes "
                  f"({load()}); full pipeline per worker / baseline = {one / bl:.3f} (in CPU seconds, which other work on "
                  f"the machine disturbs less: {one_cpu / bl_cpu:.3f})", flush=True)
            if row[1].get("steady_seconds"):
                # the baseline is timed from its first text to its last; so is this figure
                s1 = row[1]["steady_seconds"]
                print(f"    without start-up, as the baseline is timed (pipeline ready -> last record: "
                      f"{s1:.1f} s of {row[1]['seconds']:.1f} s): {words / s1 / bl:.3f}", flush=True)
        rows.append(row)
    if len(rows) >= 2:
        lo, hi = rows[0], rows[-1]
        w = a.workers
        g = hi[w]["peak_rss_tree_mb"] / lo[w]["peak_rss_tree_mb"] - 1
        g1 = hi[w]["peak_rss_proc_mb"] / lo[w]["peak_rss_proc_mb"] - 1
        print(f"peak RSS growth {lo['words']:,} -> {hi['words']:,} words "
              f"({hi['words'] / lo['words']:.1f}x) with {w} workers: tree {g:+.1%}, "
              f"largest process {g1:+.1%}", flush=True)

    if a.spark_families:
        spark_check(base, a.spark_families, a.seed, components)
    return 0


def spark_check(base: Path, families: int, seed: int, components: str) -> None:
    from notes_qa.corpus import generate_corpus
    from notes_qa.spark.tables import write_corpus_table

    path = base / f"spark{families}"
    generate_corpus(families, seed, path, docx_share=0.0, hf=False, card=False)
    table = base / f"spark{families}.parquet"
    n_rows = write_corpus_table(path, table)
    import pyarrow.parquet as pq

    words = sum(len(t.split()) for t in pq.read_table(table, columns=["text"])
                .column("text").to_pylist())
    local_out = base / "spark-local.jsonl"
    r = run_score([str(table)], local_out, os.cpu_count() or 2, components)
    print(f"local, {families} families as a table ({n_rows:,} rows, {words:,} words): "
          f"{words / r['seconds']:,.0f} words/s in {r['seconds']:.1f} s", flush=True)

    from notes_qa.spark import get_session, read_notes, score_dataframe

    t0 = time.perf_counter()
    spark = get_session("local[2]")
    t1 = time.perf_counter()
    notes, _ = read_notes(spark, [str(table)])
    cases, spans, findings = score_dataframe(
        notes, pipeline_components=None if components == "default" else components.split(","))
    cases.select("record").write.mode("overwrite").parquet(str(base / "spark-cases"))
    t2 = time.perf_counter()
    got = sorted(r.record for r in spark.read.parquet(str(base / "spark-cases")).collect())
    local = sorted(local_out.read_text(encoding="utf-8").splitlines())
    print(f"spark local[2]: {words / (t2 - t1):,.0f} words/s ({t2 - t1:.1f} s scoring, "
          f"{t1 - t0:.1f} s session start; {load()}); records equal to local after sorting: "
          f"{got == local} ({len(got)} vs {len(local)} records)", flush=True)
    spark.stop()


if __name__ == "__main__":
    sys.exit(main())
