"""Passage similarity on the Clough & Stevenson corpus of plagiarised short answers (issue 5).

Each answer is compared with its Wikipedia source by the family step's document similarity
(``notes_qa.siblings.text_similarity``, with the shipped case-note thresholds, nothing tuned
here): coverage by aligned passages (the ``sibling_copy`` passage finder) plus, for the rest of
the answer, surprisal-weighted stemmed unigram/bigram containment (``similarity.py``).
Prints ROC AUC for plagiarised (cut/light/heavy) vs non, per level, and Spearman against the
reuse level, for the score and for each of its two parts. Reads ../shared/benchmarks (never
used at run time); exits quietly without it.

    .venv/bin/python benchmarks/clough_stevenson.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from notes_qa.siblings import Similarity, text_similarity
from notes_qa.siblings.config import load_thresholds
from notes_qa.siblings.similarity import Profile, containment
from notes_qa.siblings.text import TOKEN_RE

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "clough_stevenson_plagiarism"


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
    sources = {d["file"]: d["text"] for d in docs if d["doc_type"] == "source"}
    answers = [d for d in docs if d["doc_type"] == "answer"]
    rare = load_thresholds().rare_word_bits
    sims: list[Similarity] = []
    whole: list[float] = []
    for d in answers:
        src = sources[d["source_file"]]
        s = text_similarity(d["text"], src)
        assert s is not None
        sims.append(s)
        pa, pb = (Profile.of_words([w.lower() for w in TOKEN_RE.findall(t)], rare) for t in (d["text"], src))
        whole.append(containment(pa, pb) or 0.0)
    print("Similarity of each answer to its source (shipped thresholds, data/thresholds.json)")
    print("== similarity (score = coverage + (1 - coverage) * containment of the rest)")
    report(answers, [s.score for s in sims])
    print("== for comparison, one part alone: coverage by aligned passages")
    report(answers, [s.coverage for s in sims])
    print("== for comparison, the other alone: weighted containment of the whole answer")
    report(answers, whole)
    print("Note: g2pE_taskc and g4pD_taskb ('cut') were cut from parts of Wikipedia that are not in "
          "their source text: no passage aligns, so they rank among the 'non' answers.")
    return 0


def report(answers: list[dict], values: list[float]) -> None:
    levels = {"non": 0, "heavy": 1, "light": 2, "cut": 3}
    scores: dict[str, list[float]] = {k: [] for k in levels}
    for d, s in zip(answers, values):
        scores[d["category"]].append(s)
    plag = scores["cut"] + scores["light"] + scores["heavy"]
    print(f"ROC AUC plagiarised (cut/light/heavy) vs non: {auc(plag, scores['non']):.3f}")
    for lvl in ("cut", "light", "heavy"):
        mean = sum(scores[lvl]) / len(scores[lvl])
        print(f"  {lvl:>5} vs non: AUC {auc(scores[lvl], scores['non']):.3f} "
              f"(n={len(scores[lvl])}, mean {mean:.2f})")
    print(f"  non mean {sum(scores['non']) / len(scores['non']):.2f} (n={len(scores['non'])})")
    print(f"  Spearman vs reuse level (non=0 .. cut=3): "
          f"{spearman(values, [levels[d['category']] for d in answers]):.3f}")


if __name__ == "__main__":
    sys.exit(main())
