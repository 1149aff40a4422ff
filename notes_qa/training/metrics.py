"""Evaluation metrics for the classifiers (pure functions)."""
from __future__ import annotations

from typing import Sequence


def prf(gold: Sequence[bool], pred: Sequence[bool]) -> dict[str, float]:
    """Precision, recall and F1 of the positive class (0.0 where undefined)."""
    tp = sum(g and p for g, p in zip(gold, pred))
    fp = sum(p and not g for g, p in zip(gold, pred))
    fn = sum(g and not p for g, p in zip(gold, pred))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "n": len(gold),
            "positives": int(sum(bool(g) for g in gold))}


def expected_calibration_error(gold: Sequence[bool], prob: Sequence[float], bins: int = 10) -> float | None:
    """ECE = Σ_b (n_b / n) · |mean(gold in b) − mean(prob in b)| over equal-width bins.

    Lower is better (0 = perfectly calibrated). None for empty input.
    """
    n = len(gold)
    if n == 0:
        return None
    totals = [[0, 0.0, 0.0] for _ in range(bins)]
    for g, p in zip(gold, prob):
        b = min(int(p * bins), bins - 1)
        totals[b][0] += 1
        totals[b][1] += float(bool(g))
        totals[b][2] += float(p)
    ece = sum(c / n * abs(pos / c - conf / c) for c, pos, conf in totals if c)
    return round(ece, 4)
