"""Task models behind one interface, for training, evaluation and active learning.

A task model has ``task``, ``backend``, ``classes_``, ``negative_class``,
``predict_examples(examples) -> proba`` (rows × ``classes_``), ``save(path, meta)`` and
``config()``. Two backends:

- ``sklearn``: :class:`SklearnTaskModel`, the rooms' featurisers + the shared
  :class:`~notes_qa.training.classifier.CueClassifier` (skops, trusted types only). As at run
  time, only sentences the rules flag as candidates are scored; the others are "not found".
- ``transformers``: :class:`~notes_qa.training.transformers_backend.TransformersClassifier`
  (safetensors), imported lazily.

:func:`load_model` tells the two apart from the files in a model directory.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..errors import ConfigError
from .data import TASKS, VOICE_CLASSES, Example
from .featurise import WORD_BIGRAMS, WORD_BIGRAMS_KEY, word_bigrams

#: The "nothing found" class of each task.
NEGATIVE: dict[str, Any] = {"child_voice": "none", "decision": False, "rationale": False}
BACKENDS = ("sklearn", "transformers")
#: Marks a transformers model directory written by notes-qa.
TRANSFORMERS_META = "notes_qa_model.json"


def task_classes(task: str) -> list[Any]:
    """All classes of ``task``, sorted as scikit-learn sorts them."""
    check_task(task)
    return sorted(VOICE_CLASSES) if task == "child_voice" else [False, True]


def check_task(task: str) -> str:
    if task not in TASKS:
        raise ConfigError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
    return task


def example_row(ex: Example) -> dict[str, Any]:
    """The row shape :func:`notes_qa.training.train_shipped.row_context` reads."""
    return {"child_name": ex.child_name, "nicknames": ex.nicknames, "sibling_names": ex.sibling_names,
            "gender": ex.gender, "age": ex.age, "note_type": ex.note_type, "date": ex.meta.get("date")}


def sklearn_features(task: str, examples: Sequence[Example],
                     bigrams: bool = WORD_BIGRAMS) -> tuple[list[dict[str, float]], list[bool]]:
    """(feature dicts, rule-candidate flags) of ``examples`` for ``task``, exactly as
    ``train_shipped`` featurises the synthetic corpus (``bigrams``: word bigrams too, for
    models trained with them)."""
    from .train_shipped import row_context

    check_task(task)
    X: list[dict[str, float]] = []
    cand: list[bool] = []
    if task == "child_voice":
        from ..voice.cues import default_matcher
        from ..voice.featuriser import VoiceFeaturiser

        vf = VoiceFeaturiser(default_matcher(), bigrams=bigrams)
        for ex in examples:
            x, cues = vf.featurise(ex.text, row_context(example_row(ex)))
            X.append(x)
            cand.append(vf.is_candidate(cues))
    else:
        from ..decisions.cues import default_matcher as dmatcher
        from ..decisions.featuriser import DecisionFeaturiser

        df = DecisionFeaturiser(dmatcher(), bigrams=bigrams)
        for ex in examples:
            dx, rx, cues = df.featurise(ex.text, row_context(example_row(ex)))
            X.append(dx if task == "decision" else rx)
            cand.append(df.is_candidate(cues))
    return X, cand


class SklearnTaskModel:
    """A :class:`CueClassifier` for one task, scoring rule candidates only."""

    backend = "sklearn"

    def __init__(self, task: str, C: float = 1.0, seed: int = 0, n_features: int | None = None,
                 calibrate: str = "auto") -> None:
        from .train_shipped import N_FEATURES

        self.task = check_task(task)
        self.C = C
        self.calibrate = calibrate
        self.seed = seed
        self.n_features = n_features or N_FEATURES
        self.negative_class = NEGATIVE[task]
        self.word_bigrams = WORD_BIGRAMS  # a loaded model: as it was trained (see ``load``)

    def fit(self, examples: Sequence[Example]) -> "SklearnTaskModel":
        from .classifier import CueClassifier

        X, cand = sklearn_features(self.task, examples, self.word_bigrams)
        idx = [i for i, c in enumerate(cand) if c]
        y = [examples[i].label(self.task) for i in idx]
        need = set(task_classes(self.task))
        missing = need - set(y)
        if missing:
            raise ConfigError(f"{self.task}: the training sentences the rules flag hold no "
                              f"{sorted(map(str, missing))} examples; the model needs every class "
                              f"({', '.join(map(str, sorted(need, key=str)))}) — add annotated examples of it")
        neg = "none" if self.task == "child_voice" else None
        self.clf_ = CueClassifier(n_features=self.n_features, C=self.C, random_state=self.seed,
                                  negative_class=neg, calibrate=self.calibrate).fit([X[i] for i in idx], y)
        self.classes_ = list(self.clf_.classes_)
        self.train_candidates_ = len(idx)
        return self

    def predict_examples(self, examples: Sequence[Example]) -> np.ndarray:
        """Class probabilities; sentences without a rule cue get P(negative class) = 1."""
        X, cand = sklearn_features(self.task, examples, self.word_bigrams)
        proba = np.zeros((len(examples), len(self.classes_)))
        proba[:, self.classes_.index(self.negative_class)] = 1.0
        idx = [i for i, c in enumerate(cand) if c]
        if idx:
            proba[idx] = self.clf_.predict_proba([X[i] for i in idx])
        self.candidates_ = cand
        return proba

    def save(self, path: str | Path, meta: dict[str, Any] | None = None) -> None:
        self.clf_.save(path, meta={"task": self.task, "backend": "sklearn", "seed": self.seed,
                                   WORD_BIGRAMS_KEY: self.word_bigrams, **(meta or {})})

    def config(self) -> dict[str, Any]:
        return {"backend": "sklearn", "estimator": "LogisticRegression over hashed rule-cue + word features",
                "C": self.C, "n_features": self.n_features, "calibrate": self.calibrate,
                "calibration": getattr(self.clf_, "calibration_", None),
                "random_state": self.seed, "scored_units": "rule candidates only (others: not found)"}

    @classmethod
    def load(cls, path: str | Path, task: str | None = None) -> "SklearnTaskModel":
        from .classifier import CueClassifier

        clf = CueClassifier.load(path)  # refuses untrusted skops types
        task = task or clf.config_.get("task")
        if task is None:
            raise ConfigError(f"{path}: the model does not say its task; name it (child_voice, decision, rationale)")
        self = cls(task, C=clf.C, seed=clf.config_.get("seed", clf.random_state), n_features=clf.n_features)
        if clf.config_.get("task") not in (None, task):
            raise ConfigError(f"{path}: this is a {clf.config_['task']} model, not {task}")
        self.clf_ = clf
        self.word_bigrams = word_bigrams(clf)
        self.classes_ = list(clf.classes_)
        if self.negative_class not in self.classes_:
            raise ConfigError(f"{path}: classes {self.classes_} lack the {task} negative class {self.negative_class!r}")
        return self


def model_backend(path: str | Path) -> str:
    """"sklearn" or "transformers", from the files in the model directory ``path``."""
    p = Path(path)
    if (p / TRANSFORMERS_META).is_file():
        return "transformers"
    if (p / "classifier.json").is_file():
        return "sklearn"
    raise ConfigError(f"{p}: not a notes-qa model directory (needs classifier.json + estimator.skops, "
                      f"or {TRANSFORMERS_META} + model.safetensors)")


def load_model(path: str | Path, task: str | None = None) -> Any:
    """Load a task model of either backend (skops trusted types / safetensors only)."""
    backend = model_backend(path)
    if backend == "transformers":
        from .transformers_backend import TransformersTaskModel

        return TransformersTaskModel.load(path, task)
    return SklearnTaskModel.load(path, task)


def load_classifier(path: str | Path) -> Any:
    """The raw classifier a pipeline component scores with: a ``CueClassifier`` (feature dicts)
    or a ``TransformersClassifier`` (texts; its ``needs_text`` is True)."""
    if model_backend(path) == "transformers":
        from .transformers_backend import TransformersClassifier

        return TransformersClassifier.load(path)
    from .classifier import CueClassifier

    return CueClassifier.load(path)


def reads_features(model: Any) -> bool:
    """Whether ``model`` (from :func:`load_classifier`, or None for rules alone) scores feature
    dicts, so that a component must build them."""
    return model is not None and not getattr(model, "needs_text", False)


def read_model_meta(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    for name in (TRANSFORMERS_META, "classifier.json"):
        if (p / name).is_file():
            return json.loads((p / name).read_text(encoding="utf-8"))
    return {}
