"""A calibrated sparse linear classifier over rule-cue and lexical features.

The featuriser (a room's code turning a sentence or clause into a ``dict[str, float]`` of cue
and word features) is kept apart from the estimator: :class:`CueClassifier` only hashes those
dicts into a fixed-width sparse matrix (stateless, nothing to fit) and fits a scikit-learn
logistic regression on it, wrapped in sigmoid calibration when that lowers the calibration
error. Fitted models are saved with skops (reloaded with a fixed list of trusted types) and,
beside it, their arithmetic in ``linear.safetensors``, which scores without importing
scikit-learn (:mod:`notes_qa.training.linear`).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from ..errors import ConfigError
from .linear import LINEAR_FILE, LinearModel, LinearPart, file_sha256

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
        self._linear = self._linear_of(est)
        return self

    def _linear_of(self, est: Any) -> LinearModel | None:
        """The arithmetic of the fitted ``est`` (None when it has no linear form)."""
        parts = linear_parts(est)
        return None if parts is None else LinearModel.from_parts(self.n_features, list(self.classes_), parts)

    def _write_linear(self, path: Path) -> bool:
        """(Re)write ``linear.safetensors`` beside the ``estimator.skops`` in ``path``, tied to it by
        SHA-256 (removed when the model has no linear form); whether one was written."""
        linear_file = path / LINEAR_FILE
        linear_file.unlink(missing_ok=True)
        if getattr(self, "_linear", None) is None:
            return False
        self._linear.save(linear_file, file_sha256(path / ESTIMATOR_FILE))
        return True

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
        linear = getattr(self, "_linear", None)
        if linear is None:
            return self.estimator_.predict_proba(self.vectorise(rows))
        return linear.predict_proba(rows)

    # -- the estimator, loaded from skops only when asked for ----------------------------
    @property
    def estimator_(self) -> Any:
        """The fitted scikit-learn estimator (a model loaded with its ``linear.safetensors``
        scores without it, so its skops file is read only when this is asked for)."""
        est = self.__dict__.get("_estimator")
        if est is None and self.__dict__.get("_estimator_file") is not None:
            est = self._estimator = _load_estimator(self._estimator_file)
        if est is None:
            raise AttributeError("estimator_: this CueClassifier is not fitted")
        return est

    @estimator_.setter
    def estimator_(self, est: Any) -> None:
        self._estimator = est

    # -- persistence ---------------------------------------------------------------------
    def save(self, path: str | Path, meta: dict[str, Any] | None = None) -> None:
        """Write ``classifier.json`` and ``estimator.skops`` into directory ``path``."""
        sio = import_skops()

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        sio.dump(self.estimator_, path / ESTIMATOR_FILE)
        self._write_linear(path)
        config = {"n_features": self.n_features, "C": self.C, "calibration": self.calibration_,
                  "negative_class": self.negative_class,
                  "random_state": self.random_state, "classes": [c.item() if hasattr(c, "item") else c
                                                                 for c in self.classes_]}
        config.update(meta or {})
        (path / CONFIG_FILE).write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "CueClassifier":
        """Load a saved classifier: from its ``linear.safetensors`` when that was taken from
        this ``estimator.skops`` (no scikit-learn needed; see :mod:`notes_qa.training.linear`),
        else from the skops file, refusing any type outside :data:`TRUSTED_TYPES`."""
        path = Path(path)
        est_file, cfg_file = path / ESTIMATOR_FILE, path / CONFIG_FILE
        if not est_file.is_file() or not cfg_file.is_file():
            raise ConfigError(f"{path}: not a notes-qa model directory (needs {ESTIMATOR_FILE} and "
                              f"{CONFIG_FILE}); retrain with `python -m notes_qa.training.train_shipped`")
        config = json.loads(cfg_file.read_text(encoding="utf-8"))
        self = cls(n_features=config["n_features"], C=config.get("C", 1.0),
                   random_state=config.get("random_state", 0),
                   negative_class=config.get("negative_class"))
        self.calibration_ = config.get("calibration", "none")
        self.config_ = config
        linear = LinearModel.load(path / LINEAR_FILE, file_sha256(est_file))
        if linear is not None and linear.classes == config.get("classes") \
                and linear.n_features == self.n_features:
            self._estimator_file = est_file
            self._linear = linear
            self.classes_ = np.asarray(linear.classes)
            return self
        self.estimator_ = _load_estimator(est_file)
        self.classes_ = self.estimator_.classes_
        self._linear = self._linear_of(self.estimator_)
        return self


def _load_estimator(est_file: Path) -> Any:
    """The scikit-learn estimator in a skops file, refusing any type outside :data:`TRUSTED_TYPES`."""
    sio = import_skops()
    untrusted = set(sio.get_untrusted_types(file=est_file))
    bad = untrusted - TRUSTED_TYPES
    if bad:
        raise ConfigError(f"{est_file}: refusing to load untrusted types {sorted(bad)}")
    est = sio.load(est_file, trusted=sorted(untrusted))
    if type(est).__name__ not in ("LogisticRegression", "CalibratedClassifierCV"):
        raise ConfigError(f"{est_file}: refusing to use a {type(est).__name__}; a notes-qa model "
                          f"is a LogisticRegression or CalibratedClassifierCV")
    return est


# -- the arithmetic of a fitted estimator, for scoring without scikit-learn -----------------


def linear_parts(est: Any) -> list[LinearPart] | None:
    """The arithmetic of a fitted LogisticRegression or sigmoid CalibratedClassifierCV, for
    :class:`~notes_qa.training.linear.LinearModel`; None for anything else (then scikit-learn
    predicts).

    Besides sparing the import, this spares scikit-learn's input checks on every call (for a
    calibrated model: once per fold and per calibrator), which cost more than the sums
    themselves on the small batches a spaCy component scores.
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


def export_linear(path: str | Path) -> bool:
    """(Re)write ``linear.safetensors`` in the model directory ``path`` from its skops file
    (for models saved before notes-qa wrote it); False when the estimator has no linear form."""
    path = Path(path)
    clf = CueClassifier.load(path)
    return clf._write_linear(path)
