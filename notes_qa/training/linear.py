"""Scoring a fitted :class:`~notes_qa.training.classifier.CueClassifier` without scikit-learn.

A shipped model is a hashed-feature logistic regression, usually wrapped in sigmoid calibration
(three folds, averaged). Its arithmetic is a few thousand non-zero weights, yet loading it
through skops imports scikit-learn, SciPy and skops: about 1.3 s of every process's start-up
(the ``notes-qa`` command, each worker, each Spark Python worker), several times what scoring a
case file costs. So :func:`~notes_qa.training.classifier.CueClassifier.save` also writes the
arithmetic to ``linear.safetensors`` (plain arrays, no code; the skops file stays the model of
record), and :class:`LinearModel` scores with NumPy alone.

The probabilities are bitwise those of scikit-learn's ``predict_proba`` on ``FeatureHasher``
output (tested on the shipped models):

- features hashed as ``FeatureHasher(alternate_sign=False)`` does: MurmurHash3 (x86, 32-bit,
  seed 0; the ``murmurhash`` package spaCy ships) of the UTF-8 name, ``|h| mod n_features``,
  string values as ``name=value`` with value 1, zeros dropped, collisions summed;
- each row's weighted sum taken from 0.0 over its columns in ascending order, as SciPy's CSR
  product does, then the intercept added (columns whose weights are all zero are left out:
  adding ``v × 0.0`` changes nothing);
- the logistic function through the C library's ``exp`` (``math.exp``), as ``scipy.special.expit``
  does (NumPy's own ``exp`` differs in the last bit for about 2% of inputs).

``linear.safetensors`` names the SHA-256 of the ``estimator.skops`` it was taken from; a model
directory whose skops file has changed since is scored through skops, never through stale weights.
"""
from __future__ import annotations

import json
import math
from itertools import chain, repeat
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
from murmurhash.mrmr import hash_unicode as _murmur  # FeatureHasher's MurmurHash3, as spaCy ships it

from ..resources import file_sha256  # noqa: F401  (classifier.py takes it from here)

LINEAR_FILE = "linear.safetensors"
FORMAT = 1
#: ``-x`` above this overflows ``exp``; the logistic function is then 0.0 (as SciPy gives)
_EXP_MAX = 709.782712893384
_CACHE_MAX = 50_000  # feature names remembered per model (lexical names are open-ended: ~5 MB at most)

#: (coef (k, F), intercept (k,), calibration or None), calibration = (column of each score in
#: the probability matrix, sigmoid a per score, sigmoid b per score)
LinearPart = tuple[np.ndarray, np.ndarray, "tuple[np.ndarray, np.ndarray, np.ndarray] | None"]


def _expit(z: np.ndarray) -> np.ndarray:
    """``scipy.special.expit`` to the last bit: 1 / (1 + exp(-x)) with the C library's exp."""
    t = -z
    big = t > _EXP_MAX
    if big.any():
        t = np.where(big, 0.0, t)
    e = np.fromiter(map(math.exp, t.tolist()), dtype=np.float64, count=len(t))
    out = 1.0 / (1.0 + e)
    if big.any():
        out[big] = 0.0
    return out


class LinearModel:
    """The arithmetic of a fitted hashed-feature linear classifier; :meth:`predict_proba` on
    feature dicts. ``columns``: the hashed columns with any non-zero weight, ascending;
    ``parts``: per logistic regression (one per calibration fold), weights over ``columns``
    (shape ``(len(columns), k)``), intercept and calibration."""

    def __init__(self, n_features: int, classes: Sequence[Any], columns: np.ndarray,
                 parts: list[tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray] | None]]) -> None:
        self.n_features = int(n_features)
        self.classes = list(classes)
        self.columns = np.asarray(columns, dtype=np.int64)
        self.parts = parts
        self._position = {c: i for i, c in enumerate(self.columns.tolist())}
        #: every part's weights, one row per score (part by part), so that one gather serves
        #: them all and each score's weights lie together
        self._stacked_t = (np.ascontiguousarray(np.vstack([w.T for w, _, _ in parts])) if parts
                           else np.zeros((0, len(self.columns))))
        ends = np.cumsum([w.shape[1] for w, _, _ in parts]).tolist()
        self._slices = list(zip([0] + ends[:-1], ends))
        self._names: dict[str, int] = {}  # feature name -> row of the weights, or -1 (weight 0)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_names"] = {}  # a cache: not worth carrying to another process
        return state

    # -- building ------------------------------------------------------------------------
    @classmethod
    def from_parts(cls, n_features: int, classes: Sequence[Any], parts: list[LinearPart]) -> "LinearModel":
        """From :func:`~notes_qa.training.classifier.linear_parts` (dense ``coef`` per part)."""
        used = np.zeros(n_features, dtype=bool)
        for coef, _, _ in parts:
            used |= (np.asarray(coef) != 0).any(axis=0)
        columns = np.flatnonzero(used)
        compact = [(np.ascontiguousarray(np.asarray(coef)[:, columns].T, dtype=np.float64),
                    np.asarray(intercept, dtype=np.float64), cal) for coef, intercept, cal in parts]
        return cls(n_features, classes, columns, compact)

    def save(self, path: str | Path, estimator_sha256: str) -> None:
        """Write ``path`` (a ``.safetensors`` file) naming the skops file it was taken from."""
        from safetensors.numpy import save_file

        tensors: dict[str, np.ndarray] = {"columns": self.columns}
        for i, (w, b, cal) in enumerate(self.parts):
            tensors[f"part{i}.weights"] = w
            tensors[f"part{i}.intercept"] = b
            if cal is not None:
                tensors[f"part{i}.cal_columns"] = np.asarray(cal[0], dtype=np.int64)
                tensors[f"part{i}.cal_a"] = np.asarray(cal[1], dtype=np.float64)
                tensors[f"part{i}.cal_b"] = np.asarray(cal[2], dtype=np.float64)
        meta = {"format": str(FORMAT), "n_features": str(self.n_features), "n_parts": str(len(self.parts)),
                "classes": json.dumps([c.item() if hasattr(c, "item") else c for c in self.classes]),
                "estimator_sha256": estimator_sha256}
        save_file(tensors, str(path), metadata=meta)

    @classmethod
    def load(cls, path: str | Path, estimator_sha256: str | None = None) -> "LinearModel | None":
        """The model in ``path``; None when there is none, its format is unknown, or it was
        taken from another skops file than the one whose SHA-256 is ``estimator_sha256``."""
        path = Path(path)
        if not path.is_file():
            return None
        from safetensors import safe_open

        with safe_open(str(path), framework="numpy") as fh:
            meta = fh.metadata() or {}
            if meta.get("format") != str(FORMAT):
                return None
            if estimator_sha256 is not None and meta.get("estimator_sha256") != estimator_sha256:
                return None
            t = {k: fh.get_tensor(k) for k in fh.keys()}
        parts = []
        for i in range(int(meta["n_parts"])):
            cal = ((t[f"part{i}.cal_columns"], t[f"part{i}.cal_a"], t[f"part{i}.cal_b"])
                   if f"part{i}.cal_a" in t else None)
            parts.append((t[f"part{i}.weights"], t[f"part{i}.intercept"], cal))
        return cls(int(meta["n_features"]), json.loads(meta["classes"]), t["columns"], parts)

    # -- scoring -------------------------------------------------------------------------
    def _row_of(self, name: str) -> int:
        """The weights' row of feature ``name`` (-1: all its weights are zero)."""
        h = _murmur(name)
        col = ((2147483647 - (self.n_features - 1)) % self.n_features if h == -2147483648
               else abs(h) % self.n_features)
        if len(self._names) >= _CACHE_MAX:
            self._names.clear()
        row = self._names[name] = self._position.get(col, -1)
        return row

    def encode(self, rows: Sequence[Mapping[str, Any]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, weights' row, value) of every non-zero feature of ``rows`` with a non-zero
        weight, by row and then ascending hashed column, colliding names summed.

        The whole batch is handled at once (C-speed ``map``/NumPy), so a row costs a few
        microseconds however many word features it has; only names not seen before are hashed.
        """
        n = len(rows)
        sizes = np.fromiter(map(len, rows), dtype=np.int64, count=n)
        vals = np.array(list(chain.from_iterable(map(dict.values, rows))))
        if vals.dtype.kind not in "fiub":  # FeatureHasher's string values: "name=value" with value 1
            rows = [{(f"{k}={v}" if isinstance(v, str) else k): (1.0 if isinstance(v, str) else v)
                     for k, v in r.items()} for r in rows]
            vals = np.array(list(chain.from_iterable(map(dict.values, rows))))
        vals = vals.astype(np.float64, copy=False)
        names = list(chain.from_iterable(rows))
        cols = np.fromiter(map(self._names.get, names, repeat(-2)), dtype=np.int64, count=len(names))
        for i in np.flatnonzero(cols == -2).tolist():
            cols[i] = self._row_of(names[i])
        keep = (vals != 0) & (cols >= 0)
        rid = np.repeat(np.arange(n), sizes)[keep]
        cols, vals = cols[keep], vals[keep]
        # by row, then column (weights' rows ascend with the hashed columns); stable, so colliding
        # names keep their order, as FeatureHasher's output does before SciPy sums them
        order = np.argsort(rid * len(self.columns) + cols, kind="stable")
        rid, cols, vals = rid[order], cols[order], vals[order]
        if len(rid) > 1:
            same = (rid[1:] == rid[:-1]) & (cols[1:] == cols[:-1])
            if same.any():  # colliding names: one entry, their values summed one after another
                starts = np.flatnonzero(np.concatenate(([True], ~same)))
                ends = np.append(starts[1:], len(vals))
                summed = vals[starts]
                for g in np.flatnonzero(ends - starts > 1).tolist():  # rare: a Python loop will do
                    total = float(summed[g])
                    for v in vals[starts[g] + 1:ends[g]].tolist():
                        total += v
                    summed[g] = total
                vals, rid, cols = summed, rid[starts], cols[starts]
        return rid, cols, vals

    def decision_function(self, rows: Sequence[Mapping[str, Any]]) -> list[np.ndarray]:
        """Per part, the logistic regression's scores (shape ``(len(rows), k)``)."""
        rid, cols, vals = self.encode(rows)
        # every row's products added one after another in column order, from 0.0, as SciPy's CSR
        # product does (bincount adds in order; a NumPy sum might pair them up differently);
        # the weights are kept transposed, so that each score column's products lie together
        products = self._stacked_t[:, cols] * vals
        n, k = len(rows), len(products)
        # one bincount for every score column at once (bin c * n + row): it adds each bin's
        # weights one by one, in the order they come, so each row's products in column order
        bins = (np.arange(k)[:, np.newaxis] * n + rid).ravel()
        scores = np.bincount(bins, weights=products.ravel(), minlength=k * n).reshape(k, n).T
        return [scores[:, a:b] + intercept for (a, b), (_, intercept, _) in zip(self._slices, self.parts)]

    def predict_proba(self, rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Class probabilities, columns in ``classes`` order."""
        n, n_classes = len(rows), len(self.classes)
        if not n:
            return np.zeros((0, n_classes))
        total = np.zeros((n, n_classes))
        all_scores = self.decision_function(rows)
        # every calibrated score's sigmoid in one call (the same arithmetic element by element)
        calibrated = [-(cal[1] * scores + cal[2]) for scores, (_, _, cal) in zip(all_scores, self.parts)
                      if cal is not None]
        sigmoids = iter(np.split(_expit(np.concatenate([z.ravel() for z in calibrated])),
                                 np.cumsum([z.size for z in calibrated])[:-1]) if calibrated else ())
        for scores, (_, _, cal) in zip(all_scores, self.parts):
            if cal is None:
                if scores.shape[1] == 1:
                    p = _expit(scores[:, 0])
                    proba = np.stack([1 - p, p], axis=1)
                else:  # multinomial: softmax
                    z = scores - scores.max(axis=1, keepdims=True)
                    np.exp(z, out=z)
                    proba = z / z.sum(axis=1, keepdims=True)
            else:
                proba = np.zeros((n, n_classes))
                proba[:, cal[0]] = next(sigmoids).reshape(scores.shape)
                if n_classes == 2:
                    proba[:, 0] = 1.0 - proba[:, 1]
                else:
                    denom = proba.sum(axis=1)[:, np.newaxis]
                    proba = np.divide(proba, denom, out=np.full_like(proba, 1 / n_classes), where=denom != 0)
                proba[(1.0 < proba) & (proba <= 1.0 + 1e-5)] = 1.0
            total += proba
        if len(self.parts) > 1:
            total /= len(self.parts)
        return total


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m notes_qa.training.linear MODEL_DIR...``: write each model's ``linear.safetensors``."""
    import sys

    from .classifier import export_linear

    dirs = list(sys.argv[1:] if argv is None else argv)
    if not dirs:
        print("usage: python -m notes_qa.training.linear MODEL_DIR...", file=sys.stderr)
        return 2
    for d in dirs:
        print(f"{d}: {'wrote ' + LINEAR_FILE if export_linear(d) else 'no linear form (scored through skops)'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
