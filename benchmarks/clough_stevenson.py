"""Passage similarity on the Clough & Stevenson corpus of plagiarised short answers (issue 5).

Each answer is compared with its Wikipedia source by the family step's passage finder
(``notes_qa.siblings.compare_texts``). The answer's score is the share of its characters inside
copied passages, each weighted by its similarity: 1 = the whole answer stands in the source.
Prints ROC AUC for plagiarised (cut/light/heavy) vs non, per level, and Spearman against the
reuse level. Reads ../shared/benchmarks (never used at run time); exits quietly without it.

    .venv/bin/python benchmarks/clough_stevenson.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from notes_qa.siblings import compare_texts
from notes_qa.siblings.config import Thresholds, load_thresholds

#: Looser settings for paraphrase (heavy revision): shorter runs and passages count.
PARAPHRASE = dict(shingle_size=3, min_run_tokens=3, short_run_share=0.0, min_tokens=3, min_chars=10,
                  min_specificity_bits=20, min_similarity=0.2, long_passage_tokens=0,
                  min_run_tokens_long=3, max_gap_tokens=15, max_shift_tokens=10, snap_tokens=0,
                  max_seed_repeats=10)

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "clough_stevenson_plagiarism"


def reuse_score(answer: str, source: str, th: Thresholds | None = None) -> float:
    """Similarity-weighted share of the answer's characters found in the source (0..1)."""
    passages = compare_texts(answer, source, rules=th or load_thresholds())
    covered = sorted((p.a_start, p.a_end, p.similarity) for p in passages)
    total = 0.0
    last = 0
    for s, e, sim in covered:
        s = max(s, last)
        if e > s:
            total += (e - s) * sim
            last = e
    return total / max(1, len(answer))


def auc(pos: list[float], neg: list[float]) -> float:
    """Probability a random positive scores above a random negative (ties count half)."""
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def spearman(a: list[float], b: list[float]) -> float:
    def rank(xs: list[float]) -> list[float]:
        order = sorted(range(len(xs)), key=lambda i: xs[i])
        r = [0.0] * len(xs)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2 + 1
            i = j + 1
        return r
    ra, rb = rank(a), rank(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb) if va and vb else 0.0


def main() -> int:
    path = DATA / "documents.jsonl"
    if not path.exists():
        print(f"Clough & Stevenson corpus not found at {DATA}; skipped")
        return 0
    docs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for label, th in (("case-note settings (data/thresholds.json)", load_thresholds()),
                      ("paraphrase settings (PARAPHRASE above)", Thresholds(**PARAPHRASE))):
        print(f"== {label}")
        report(docs, th)
    print("Note: g2pE_taskc and g4pD_taskb ('cut') were cut from parts of Wikipedia that are not in "
          "their source text, so they score 0 against it (and against all five sources).")
    return 0


def report(docs: list[dict], th: Thresholds) -> None:
    sources = {d["file"]: d["text"] for d in docs if d["doc_type"] == "source"}
    levels = {"non": 0, "heavy": 1, "light": 2, "cut": 3}
    scores: dict[str, list[float]] = {k: [] for k in levels}
    pairs: list[tuple[float, int]] = []
    for d in docs:
        if d["doc_type"] != "answer":
            continue
        s = reuse_score(d["text"], sources[d["source_file"]], th)
        scores[d["category"]].append(s)
        pairs.append((s, levels[d["category"]]))
    plag = scores["cut"] + scores["light"] + scores["heavy"]
    print(f"ROC AUC plagiarised (cut/light/heavy) vs non: {auc(plag, scores['non']):.3f}")
    for lvl in ("cut", "light", "heavy"):
        mean = sum(scores[lvl]) / len(scores[lvl])
        print(f"  {lvl:>5} vs non: AUC {auc(scores[lvl], scores['non']):.3f} (n={len(scores[lvl])}, mean score {mean:.2f})")
    print(f"  non mean score {sum(scores['non']) / len(scores['non']):.2f} (n={len(scores['non'])})")
    print(f"  Spearman vs reuse level (non=0 .. cut=3): {spearman([a for a, _ in pairs], [b for _, b in pairs]):.3f}")


if __name__ == "__main__":
    sys.exit(main())
