"""Statutory checks against the situations planted by the synthetic corpus generator (issue 9).

    .venv/bin/python benchmarks/bench_statutory_corpus.py [--families 150] [--seed 9] [--split test]
        [--out corpora/generated/statutory] [--full-pipeline] [--misses 5]

Generates a corpus (fixed seed), scores the chosen split's documents through
``notes_qa.scoring.score_paths`` (pipeline: sentences only, unless --full-pipeline: the statutory checks
need no detectors) and prints, per check, how many files the finding is due in and its precision,
recall and F1 against the planted labels (``labels/cases.jsonl`` -> ``statutory``), case by case
exactly as ``../shared/dev-set/score.py statutory`` does; then a few misses per check.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: finding code -> whether the planted labels say it is due (the dev-set scorer's definitions).
DUE: dict[str, Callable[[dict[str, Any]], bool]] = {
    "visit_overdue": lambda s: bool(s["overdue_visits"]),
    "assessment_missing_elements": lambda s: any(len(set(a["present"])) < 5 for a in s["assessment_elements"]),
    "english_legislation_in_wales": lambda s: bool(s["english_terms"]),
    "advocacy_offer_not_recorded": lambda s: s["legal_status"] in ("child_protection", "looked_after")
    and not s["advocacy_offer_recorded"],
    "active_offer_not_recorded": lambda s: not s["active_offer_recorded"],
    "accumulating_concerns": lambda s: bool(s["repeat_referrals"]["accumulating_concerns"]),
}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1 (1.0 where nothing was due and nothing found)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--families", type=int, default=150)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--split", default="test", choices=("train", "validation", "test", "all"))
    ap.add_argument("--out", type=Path, default=ROOT / "corpora" / "generated" / "statutory")
    ap.add_argument("--full-pipeline", action="store_true")
    ap.add_argument("--misses", type=int, default=5)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args(argv)

    from notes_qa.corpus import generate_corpus
    from notes_qa.pipeline import build_pipeline
    from notes_qa.scoring import score_paths

    t0 = time.perf_counter()
    generate_corpus(a.families, a.seed, a.out, docx_share=0.1, hf=False, card=False)
    t_gen = time.perf_counter() - t0
    cases = [json.loads(x) for x in (a.out / "labels" / "cases.jsonl").read_text(encoding="utf-8").splitlines()]
    cases = [c for c in cases if a.split == "all" or c["split"] == a.split]
    with (a.out / "manifest.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["child_id"] in {c["child_id"] for c in cases}]
    man = a.out / f"manifest-{a.split}.csv"
    with man.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    nlp = None if a.full_pipeline else build_pipeline(components=("notes_qa_sentences",))
    t1 = time.perf_counter()
    found: dict[str, dict[str, Any]] = {}
    dates_found: dict[str, set[str]] = {}
    for rec in score_paths([a.out / r["path"] for r in rows], manifest=man, nlp=nlp):
        cid = getattr(getattr(rec, "meta", None), "child_id", None)
        if cid:
            found[cid] = {"codes": {f.code for f in rec.findings}, "findings": rec.findings}
            dates_found[cid] = {e.date for e in rec.entries if e.date}
    t_score = time.perf_counter() - t1
    missing = [c["child_id"] for c in cases if c["child_id"] not in found]
    print(f"corpus: {a.families} families, seed {a.seed}, split {a.split}: {len(cases)} case files "
          f"({len(missing)} not scored); generated in {t_gen:.1f}s, scored in {t_score:.1f}s")
    # How many planted visits the segmenter turned into dated entries (a missed entry is not the checks' fault).
    planted = [(c["child_id"], v["date"]) for c in cases for v in c["statutory"]["visits"]]
    got = sum(1 for cid, d in planted if d in dates_found.get(cid, set()))
    print(f"planted visit entries found as dated entries by segmentation: {got}/{len(planted)}")
    figures: dict[str, Any] = {}
    misses: dict[str, list[str]] = {}
    print(f"{'check':32} {'due':>5} {'TP':>4} {'FP':>4} {'FN':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for code, due in DUE.items():
        tp = fp = fn = 0
        for c in cases:
            if c["child_id"] not in found:
                continue
            g, p = due(c["statutory"]), code in found[c["child_id"]]["codes"]
            tp += g and p
            fp += p and not g
            fn += g and not p
            if g != p:
                misses.setdefault(code, []).append(f"{'FN' if g else 'FP'} {c['child_id']} ({c['statutory']['legal_status']})")
        pr, rc, f = prf(tp, fp, fn)
        figures[code] = {"due": tp + fn, "tp": tp, "fp": fp, "fn": fn, "precision": pr, "recall": rc, "f1": f}
        print(f"{code:32} {tp + fn:5d} {tp:4d} {fp:4d} {fn:4d} {pr:6.3f} {rc:6.3f} {f:6.3f}")
    mean = sum(x["f1"] for x in figures.values()) / len(figures)
    print(f"mean F1 over {len(figures)} checks = {mean:.3f}")
    for code, ms in misses.items():
        if a.misses:
            print(f"  {code}: " + "; ".join(ms[:a.misses]) + (" ..." if len(ms) > a.misses else ""))
    if a.json:
        a.json.write_text(json.dumps({"figures": figures, "mean_f1": mean, "misses": misses}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
