"""A calibrated sparse linear classifier over rule-cue and lexical features.

The featuriser (a room's code turning a sentence or clause into a ``dict[str, float]`` of cue
and word features) is kept apart from the estimator: :class:`CueClassifier` only hashes those
dicts into a fixed-width sparse matrix (stateless, nothing to fit) and fits a scikit-learn
logistic regression on it, wrapped in sigmoid calibration when that lowers the calibration
error. Fitted models are saved with skops and reloaded with a fixed list of trusted types.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from ..errors import ConfigError

ESTIMATOR_FILE = "estimator.skops"
CONFIG_FILE = "classifier.json"

#: The only types a shipped model file may contain (checked before loading).
TRUSTED_TYPES = frozenset({
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.utils._metadata_requests.MetadataRequest",
    "sklearn.frozen._frozen.FrozenEstimator",
    "numpy.dtype", "numpy.ndarray", "numpy.int64", "numpy.float64", "numpy.str_", "numpy.bool_",
    "builtins.slice", "collections.OrderedDict",
})


def import_skops() -> Any:
    """``skops.io``, imported without its ~2 s scan of every scikit-learn estimator.

    At import, skops builds its default trusted-type list by calling
    ``sklearn.utils.all_estimators()``, which imports all of scikit-learn. notes-qa never relies
    on that default: it checks every file against its own :data:`TRUSTED_TYPES` and passes the
    types explicitly. So the scan is skipped by importing skops with ``all_estimators`` briefly
    returning nothing. If skops is already imported, this is a plain import.
    """
    import sys

    if "skops.io" in sys.modules:
        return sys.modules["skops.io"]
    import sklearn.utils as sku

    original = sku.all_estimators
    sku.all_estimators = lambda *a, **k: []  # type: ignore[assignment]
    try:
        import skops.io as sio
    finally:
        sku.all_estimators = original  # type: ignore[assignment]
    return sio


def positive_proba(proba: np.ndarray, classes: Any, negative_class: Any = None,
                   y: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """P(positive) per row of ``proba`` (columns in ``classes`` order), and (if ``y`` is given)
    whether each row is positive. Binary: the second class is positive. Multi-class: everything
    but ``negative_class``."""
    classes = list(classes)
    if negative_class is not None and negative_class in classes:
        k = classes.index(negative_class)
        return 1.0 - proba[:, k], ((y != negative_class) if y is not None else np.zeros(0, bool))
    return proba[:, 1], ((y == classes[1]) if y is not None else np.zeros(0, bool))


class CueClassifier:
    """Binary or multi-class classifier over feature dicts.

    Parameters: ``n_features`` (hash width), ``C`` (inverse regularisation strength),
    ``negative_class`` (multi-class: the "nothing found" class), ``calibrate`` ("auto": sigmoid calibration if it lowers the calibration error on a
    held-out fold, "sigmoid", or "none"), ``random_state``.
    Learned attributes: ``estimator_``, ``classes_``.
    """

    def __init__(self, n_features: int = 2 ** 18, C: float = 1.0, calibrate: str = "auto",
                 random_state: int = 0, max_iter: int = 2000,
                 negative_class: Any = None) -> None:
        self.n_features = n_features
        self.negative_class = negative_class
        self.C = C
        self.calibrate = calibrate
        self.random_state = random_state
        self.max_iter = max_iter

    # -- features ------------------------------------------------------------------------
    def vectorise(self, rows: Sequence[Mapping[str, float]]) -> Any:
        """Hash feature dicts into a CSR matrix (no state; the same on every machine)."""
        hasher = getattr(self, "_hasher", None)
        if hasher is None or hasher.n_features != self.n_features:
            from sklearn.feature_extraction import FeatureHasher

            hasher = self._hasher = FeatureHasher(n_features=self.n_features, input_type="dict",
                                                  alternate_sign=False)
        return hasher.transform(rows)

    # -- estimator -----------------------------------------------------------------------
    def _base(self) -> Any:
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.C, max_iter=self.max_iter, random_state=self.random_state)

    def fit(self, rows: Sequence[Mapping[str, float]], y: Sequence[Any]) -> "CueClassifier":
        """Fit on feature dicts ``rows`` with labels ``y``."""
        X = self.vectorise(rows)
        y_arr = np.asarray(y)
        mode = self.calibrate
        if mode == "auto":
            mode = self._choose_calibration(X, y_arr)
        if mode == "sigmoid":
            from sklearn.calibration import CalibratedClassifierCV
            from sklearn.model_selection import StratifiedKFold

            est = CalibratedClassifierCV(self._base(), method="sigmoid",
                                         cv=StratifiedKFold(3, shuffle=True, random_state=self.random_state))
        else:
            est = self._base()
        est.fit(X, y_arr)
        self.estimator_ = est
        self.classes_ = est.classes_
        self.calibration_ = mode
        self._linear = linear_parts(est)
        return self

    def _choose_calibration(self, X: Any, y: np.ndarray) -> str:
        """Sigmoid calibration only if it lowers ECE on a held-out quarter."""
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.model_selection import train_test_split

        from .metrics import expected_calibration_error

        if len(set(y.tolist())) < 2 or len(y) < 200:
            return "none"
        Xa, Xb, ya, yb = train_test_split(X, y, test_size=0.25, random_state=self.random_state, stratify=y)
        plain = self._base().fit(Xa, ya)
        cal = CalibratedClassifierCV(self._base(), method="sigmoid", cv=3).fit(Xa, ya)

        def ece(model: Any) -> float:
            p, g = self.positive_proba(model.predict_proba(Xb), model.classes_, yb)
            return expected_calibration_error(g.tolist(), p.tolist()) or 0.0

        return "sigmoid" if ece(cal) < ece(plain) else "none"

    def positive_proba(self, proba: np.ndarray, classes: Any = None,
                       y: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """P(positive) per row, and (if ``y`` is given) whether each row is positive
        (see :func:`positive_proba`)."""
        return positive_proba(proba, self.classes_ if classes is None else classes, self.negative_class, y)

    def predict_proba(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        """Class probabilities, columns in ``classes_`` order."""
        if not rows:
            return np.zeros((0, len(self.classes_)))
        X = self.vectorise(rows)
        parts = getattr(self, "_linear", None)
        if parts is None:
            return self.estimator_.predict_proba(X)
        return linear_proba(parts, X, len(self.classes_))

    # -- persistence ---------------------------------------------------------------------
    def save(self, path: str | Path, meta: dict[str, Any] | None = None) -> None:
        """Write ``classifier.json`` and ``estimator.skops`` into directory ``path``."""
        sio = import_skops()

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        sio.dump(self.estimator_, path / ESTIMATOR_FILE)
        config = {"n_features": self.n_features, "C": self.C, "calibration": self.calibration_,
                  "negative_class": self.negative_class,
                  "random_state": self.random_state, "classes": [c.item() if hasattr(c, "item") else c
                                                                 for c in self.classes_]}
        config.update(meta or {})
        (path / CONFIG_FILE).write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "CueClassifier":
        """Load a saved classifier, refusing any type outside :data:`TRUSTED_TYPES`."""
        sio = import_skops()

        path = Path(path)
        est_file, cfg_file = path / ESTIMATOR_FILE, path / CONFIG_FILE
        if not est_file.is_file() or not cfg_file.is_file():
            raise ConfigError(f"{path}: not a notes-qa model directory (needs {ESTIMATOR_FILE} and "
                              f"{CONFIG_FILE}); retrain with `python -m notes_qa.training.train_shipped`")
        untrusted = set(sio.get_untrusted_types(file=est_file))
        bad = untrusted - TRUSTED_TYPES
        if bad:
            raise ConfigError(f"{est_file}: refusing to load untrusted types {sorted(bad)}")
        config = json.loads(cfg_file.read_text(encoding="utf-8"))
        self = cls(n_features=config["n_features"], C=config.get("C", 1.0),
                   random_state=config.get("random_state", 0),
                   negative_class=config.get("negative_class"))
        est = sio.load(est_file, trusted=sorted(untrusted))
        if type(est).__name__ not in ("LogisticRegression", "CalibratedClassifierCV"):
            raise ConfigError(f"{est_file}: refusing to use a {type(est).__name__}; a notes-qa model "
                              f"is a LogisticRegression or CalibratedClassifierCV")
        self.estimator_ = est
        self.classes_ = self.estimator_.classes_
        self.calibration_ = config.get("calibration", "none")
        self.config_ = config
        self._linear = linear_parts(est)
        return self


# -- prediction without scikit-learn's per-call checks ---------------------------------------
# A LinearPart is (coef (k, F), intercept (k,), calibration or None), where calibration is
# (column of each score in the probability matrix, sigmoid a per score, sigmoid b per score).
LinearPart = tuple[np.ndarray, np.ndarray, "tuple[np.ndarray, np.ndarray, np.ndarray] | None"]


def linear_parts(est: Any) -> list[LinearPart] | None:
    """The arithmetic of a fitted LogisticRegression or sigmoid CalibratedClassifierCV, for
    :func:`linear_proba`; None for anything else (then scikit-learn predicts).

    scikit-learn validates its input on every call (for a calibrated model: once per fold and
    per calibrator), which costs more than the sums themselves on the small batches a spaCy
    component scores; :func:`linear_proba` repeats the same operations in the same order.
    """
    name = type(est).__name__
    if name == "LogisticRegression":
        return [(np.asarray(est.coef_), np.asarray(est.intercept_), None)]
    if name != "CalibratedClassifierCV" or getattr(est, "method", None) != "sigmoid":
        return None
    classes = np.asarray(est.classes_)
    parts: list[LinearPart] = []
    for cc in est.calibrated_classifiers_:
        base, cals = cc.estimator, list(cc.calibrators)
        if (type(base).__name__ != "LogisticRegression" or getattr(cc, "method", "sigmoid") != "sigmoid"
                or any(type(c).__name__ != "_SigmoidCalibration" for c in cals)
                or not np.array_equal(np.asarray(cc.classes), classes)):
            return None
        cols = np.searchsorted(classes, np.asarray(base.classes_))  # what LabelEncoder gives
        if len(classes) == 2:
            cols = cols + 1
        cols = cols[:len(cals)]
        parts.append((np.asarray(base.coef_), np.asarray(base.intercept_),
                      (cols, np.array([float(c.a_) for c in cals]), np.array([float(c.b_) for c in cals]))))
    return parts


def linear_proba(parts: list[LinearPart], X: Any, n_classes: int) -> np.ndarray:
    """Class probabilities of the model that :func:`linear_parts` took apart (the mean over
    calibrated folds, as ``CalibratedClassifierCV.predict_proba``)."""
    from scipy.special import expit

    n = X.shape[0]
    total = np.zeros((n, n_classes))
    for coef, intercept, cal in parts:
        scores = np.asarray(X @ coef.T) + intercept  # LogisticRegression.decision_function
        if cal is None:
            if scores.shape[1] == 1:
                p = expit(scores[:, 0])
                proba = np.stack([1 - p, p], axis=1)
            else:  # multinomial: softmax
                z = scores - scores.max(axis=1, keepdims=True)
                np.exp(z, out=z)
                proba = z / z.sum(axis=1, keepdims=True)
        else:
            cols, a, b = cal
            proba = np.zeros((n, n_classes))
            for j, col in enumerate(cols):
                proba[:, col] = expit(-(a[j] * scores[:, j] + b[j]))
            if n_classes == 2:
                proba[:, 0] = 1.0 - proba[:, 1]
            else:
                denom = proba.sum(axis=1)[:, np.newaxis]
                proba = np.divide(proba, denom, out=np.full_like(proba, 1 / n_classes), where=denom != 0)
            proba[(1.0 < proba) & (proba <= 1.0 + 1e-5)] = 1.0
        total += proba
    if len(parts) > 1:
        total /= len(parts)
    return total
