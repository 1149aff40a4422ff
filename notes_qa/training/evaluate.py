"""Evaluate a task model: per-class precision/recall/F1 with bootstrap 95% intervals, the
confusion matrix, calibration, and the most confident errors.

Decision rule (the pipeline's): P(positive) = 1 − P(negative class); a sentence is positive when
P(positive) ≥ ``threshold`` (0.5), and its class is then the most probable non-negative class.

Confidence intervals: percentile bootstrap (``n_boot`` resamples, seeded). Where several
examples share a group (family/case), whole groups are resampled (sentences of one case are not
independent); otherwise single examples. Undefined precision/recall/F1 count as 0.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .data import Example
from .metrics import expected_calibration_error

N_BOOT = 1000


def _name(c: Any) -> str:
    if isinstance(c, (bool, np.bool_)):
        return "yes" if c else "no"
    return str(c)


def decide(proba: np.ndarray, classes: Sequence[Any], negative: Any, threshold: float = 0.5
           ) -> tuple[list[Any], np.ndarray, np.ndarray]:
    """(predicted class, P(positive), P(predicted class)) per row."""
    classes = list(classes)
    k_neg = classes.index(negative)
    pos = 1.0 - proba[:, k_neg]
    masked = proba.copy()
    masked[:, k_neg] = -1.0
    best = masked.argmax(axis=1)
    pred_idx = np.where(pos >= threshold, best, k_neg)
    pred = [classes[i] for i in pred_idx]
    conf = proba[np.arange(len(proba)), pred_idx]
    return pred, pos, conf


def _prf(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P, R, F1 from (..., 3) arrays of tp, fp, fn (0 where undefined)."""
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1e-12), 0.0)
        r = np.where(tp + fn > 0, tp / np.maximum(tp + fn, 1e-12), 0.0)
        f = np.where(p + r > 0, 2 * p * r / np.maximum(p + r, 1e-12), 0.0)
    return p, r, f


def bootstrap_prf(counts_by_group: np.ndarray, n_boot: int = N_BOOT, seed: int = 0
                  ) -> dict[str, np.ndarray]:
    """95% percentile intervals of P/R/F1 per column of ``counts_by_group`` (groups × k × 3)."""
    rng = np.random.default_rng(seed)
    g = counts_by_group.shape[0]
    draws = []
    for start in range(0, n_boot, 200):  # chunks keep memory flat for many groups
        b = min(200, n_boot - start)
        w = rng.multinomial(g, np.full(g, 1.0 / g), size=b).astype(float)
        draws.append(np.einsum("bg,gkc->bkc", w, counts_by_group))
    boot = np.concatenate(draws)
    p, r, f = _prf(boot)
    out = {}
    for name, arr in (("precision", p), ("recall", r), ("f1", f)):
        out[name] = np.percentile(arr, [2.5, 97.5], axis=0).T  # k × 2
    return out


def evaluate_predictions(gold: Sequence[Any], proba: np.ndarray, classes: Sequence[Any], negative: Any,
                         groups: Sequence[str | None] | None = None, texts: Sequence[str] | None = None,
                         ids: Sequence[str | None] | None = None, notes: Sequence[str | None] | None = None,
                         n_boot: int = N_BOOT, seed: int = 0, worst: int = 10,
                         threshold: float = 0.5) -> dict[str, Any]:
    """The evaluation result (a JSON-ready dict) for gold labels and predicted probabilities."""
    classes = list(classes)
    n = len(gold)
    pred, pos, conf = decide(proba, classes, negative, threshold)
    gold_pos = np.array([g != negative for g in gold], bool)
    pred_pos = np.array([p != negative for p in pred], bool)
    # columns: the "any positive" summary, then each class
    cols: list[tuple[str, np.ndarray, np.ndarray]] = [("positive", gold_pos, pred_pos)]
    for c in classes:
        cols.append((_name(c), np.array([g == c for g in gold], bool), np.array([p == c for p in pred], bool)))
    per_ex = np.stack([np.stack([g & p, ~g & p, g & ~p], axis=-1) for _, g, p in cols], axis=1).astype(float)
    group_keys = [gr if gr is not None else f"#{i}" for i, gr in enumerate(groups or [None] * n)]
    uniq = {k: j for j, k in enumerate(dict.fromkeys(group_keys))}
    by_group = len(uniq) < n
    if by_group:
        counts = np.zeros((len(uniq), len(cols), 3))
        np.add.at(counts, [uniq[k] for k in group_keys], per_ex)
    else:
        counts = per_ex
    p, r, f = _prf(per_ex.sum(axis=0))
    ci = bootstrap_prf(counts, n_boot, seed) if n else None
    rows = {}
    for j, (name, g, _) in enumerate(cols):
        rows[name] = {"precision": round(float(p[j]), 4), "recall": round(float(r[j]), 4),
                      "f1": round(float(f[j]), 4), "support": int(g.sum())}
        if ci is not None:
            for m in ("precision", "recall", "f1"):
                rows[name][f"{m}_ci"] = [round(float(x), 4) for x in ci[m][j]]
    positive = rows.pop("positive")
    names = [_name(c) for c in classes]
    index = {c: i for i, c in enumerate(names)}
    matrix = np.zeros((len(classes), len(classes)), int)
    for g, q in zip(gold, pred):
        matrix[index[_name(g)], index[_name(q)]] += 1
    wrong = [i for i in range(n) if pred[i] != gold[i]]
    wrong.sort(key=lambda i: (-float(conf[i]), i))
    errors = []
    for i in wrong[:worst]:
        e = {"gold": _name(gold[i]), "predicted": _name(pred[i]), "confidence": round(float(conf[i]), 4),
             "p_positive": round(float(pos[i]), 4)}
        if ids is not None and ids[i] is not None:
            e["id"] = ids[i]
        if texts is not None:
            e["text"] = texts[i]
        if notes is not None and notes[i]:
            e["note"] = notes[i]
        errors.append(e)
    return {
        "n": n, "threshold": threshold, "classes": names, "negative_class": _name(negative),
        "positive": positive, "per_class": rows,
        "macro_f1": round(float(np.mean([rows[c]["f1"] for c in names])), 4) if n else 0.0,
        "accuracy": round(float(np.mean([a == b for a, b in zip(gold, pred)])), 4) if n else 0.0,
        "ece": expected_calibration_error(gold_pos.tolist(), pos.tolist()),
        "confusion": {"labels": names, "matrix": matrix.tolist(), "rows": "gold", "columns": "predicted"},
        "worst_errors": errors,
        "bootstrap": {"resamples": n_boot, "seed": seed, "unit": "group" if by_group else "example",
                      "units": len(uniq) if by_group else n, "interval": "95% percentile"},
    }


def evaluate_model(model: Any, examples: Sequence[Example], n_boot: int = N_BOOT, seed: int = 0,
                   worst: int = 10, threshold: float = 0.5) -> dict[str, Any]:
    """Evaluate a task model (see :mod:`notes_qa.training.backends`) on labelled ``examples``."""
    task = model.task
    examples = [ex for ex in examples if ex.label(task) is not None]
    proba = model.predict_examples(examples)
    cand = getattr(model, "candidates_", None)
    notes = None
    if cand is not None:
        notes = [None if c else "no rule cue: never scored by the model" for c in cand]
    res = evaluate_predictions([ex.label(task) for ex in examples], proba, model.classes_, model.negative_class,
                               groups=[ex.group for ex in examples], texts=[ex.text for ex in examples],
                               ids=[ex.id for ex in examples], notes=notes, n_boot=n_boot, seed=seed,
                               worst=worst, threshold=threshold)
    res = {"task": task, "backend": model.backend, **res}
    if cand is not None:
        res["rule_candidates"] = int(sum(cand))
    return res


def _fmt(row: dict[str, Any], m: str) -> str:
    ci = row.get(f"{m}_ci")
    return f"{row[m]:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else f"{row[m]:.3f}"


def format_report(res: dict[str, Any], title: str | None = None) -> str:
    """The plain-text report ``notes-qa evaluate`` prints."""
    lines = []
    if title:
        lines.append(title)
    b = res["bootstrap"]
    lines.append(f"{res['n']} examples; positive when P ≥ {res['threshold']}; 95% CIs: "
                 f"{b['resamples']} bootstrap resamples of {b['units']} {b['unit']}s (seed {b['seed']})")
    lines.append("")
    head = f"{'class':<16}{'precision':<24}{'recall':<24}{'F1':<24}{'support':>8}"
    lines.append(head)
    lines.append("-" * len(head))
    label = "any " + res["task"].replace("_", " ") if res.get("task") else "positive"
    for name, row in [(label, res["positive"])] + list(res["per_class"].items()):
        lines.append(f"{name:<16}{_fmt(row, 'precision'):<24}{_fmt(row, 'recall'):<24}{_fmt(row, 'f1'):<24}"
                     f"{row['support']:>8}")
    lines.append("")
    lines.append(f"macro F1 {res['macro_f1']:.3f}   accuracy {res['accuracy']:.3f}   "
                 f"ECE of P(positive) {res['ece'] if res['ece'] is not None else '-'}")
    if "rule_candidates" in res:
        lines.append(f"rule candidates scored by the model: {res['rule_candidates']} of {res['n']}")
    lines.append("")
    cm = res["confusion"]
    width = max(8, *(len(x) + 2 for x in cm["labels"]))
    lines.append("confusion matrix (rows: gold, columns: predicted)")
    lines.append(" " * width + "".join(f"{x:>{width}}" for x in cm["labels"]))
    for name, row in zip(cm["labels"], cm["matrix"]):
        lines.append(f"{name:<{width}}" + "".join(f"{v:>{width}}" for v in row))
    if res.get("worst_errors"):
        lines.append("")
        lines.append("most confident errors")
        for e in res["worst_errors"]:
            text = (e.get("text") or "").replace("\n", " ")
            text = text if len(text) <= 100 else text[:97] + "..."
            note = f"  ({e['note']})" if e.get("note") else ""
            lines.append(f"  {e['confidence']:.3f}  gold={e['gold']:<13} predicted={e['predicted']:<13} "
                         f"{e.get('id') or ''}{note}")
            lines.append(f"         {text}")
    return "\n".join(lines)


def evaluate_path(task: str | None, model_dir: str | Path, data: str | Path, fmt: str = "auto",
                  split: str = "auto", n_boot: int = N_BOOT, seed: int = 0, worst: int = 10,
                  threshold: float = 0.5) -> dict[str, Any]:
    """Load a model and data and evaluate. ``split``: "auto" (the data's ``test`` split where it
    has one, else everything), "all", or a split name."""
    from .backends import load_model
    from .data import load_examples

    model = load_model(model_dir, task)
    examples = load_examples(data, fmt)
    if split == "auto":
        split = "test" if any(ex.split == "test" for ex in examples) else "all"
    if split != "all":
        examples = [ex for ex in examples if ex.split == split]
    labelled = [ex for ex in examples if ex.label(model.task) is not None]
    if not labelled:
        from ..errors import ConfigError

        raise ConfigError(f"{data}: no examples labelled for {model.task} (split {split})")
    res = evaluate_model(model, labelled, n_boot=n_boot, seed=seed, worst=worst, threshold=threshold)
    res.update({"model": str(model_dir), "data": str(data), "split": split})
    return res
