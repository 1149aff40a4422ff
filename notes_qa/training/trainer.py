"""``notes-qa train``: fit one task's model on annotated data, evaluate it on held-out groups,
save it (skops or safetensors) with a model card.

    notes-qa train child_voice --data corpora/generated/shipped --out models/my_voice --seed 20250401

With the synthetic corpus the corpus's own train/test split is used (as
``python -m notes_qa.training.train_shipped``), so the same corpus and seed reproduce the shipped
model's test metrics exactly. Other data is split by family/case (:func:`data.split_examples`).
"""
from __future__ import annotations

import collections
import json
import shlex
import time
from pathlib import Path
from typing import Any, Sequence

from ..errors import ConfigError
from .backends import BACKENDS, SklearnTaskModel, check_task
from .cards import write_card
from .data import Example, data_hash, labelled, load_examples, split_examples
from .evaluate import N_BOOT, evaluate_model

DEFAULT_SEED = 20250401  # the shipped models' seed


def _counts(examples: Sequence[Example], task: str) -> dict[str, int]:
    c = collections.Counter(str(ex.label(task)).lower() if isinstance(ex.label(task), bool) else ex.label(task)
                            for ex in examples)
    return dict(sorted(c.items()))


def make_model(task: str, backend: str, seed: int, base_model: str | Path | None = None,
               params: dict[str, Any] | None = None) -> Any:
    """An unfitted task model of ``backend``."""
    params = dict(params or {})
    if backend == "sklearn":
        unknown = set(params) - {"C", "calibrate"}
        if unknown:
            raise ConfigError(f"the sklearn backend takes C and calibrate, not {sorted(unknown)}")
        return SklearnTaskModel(task, C=params.get("C", 1.0), seed=seed, calibrate=params.get("calibrate", "auto"))
    if backend == "transformers":
        from .transformers_backend import TransformersTaskModel

        params.pop("C", None)
        params.pop("calibrate", None)
        return TransformersTaskModel(task, base_model=base_model, seed=seed, **params)
    raise ConfigError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")


def train_task(task: str, data: str | Path | Sequence[Example], out: str | Path, backend: str = "sklearn",
               base_model: str | Path | None = None, seed: int = DEFAULT_SEED, fmt: str = "auto",
               test_size: float = 0.2, n_boot: int = N_BOOT, params: dict[str, Any] | None = None,
               command: str | None = None) -> dict[str, Any]:
    """Train, evaluate on the held-out split, save model + card into ``out``; return the report."""
    check_task(task)
    t0 = time.perf_counter()
    source = "(in memory)" if not isinstance(data, (str, Path)) else str(data)
    examples = load_examples(data, fmt) if isinstance(data, (str, Path)) else list(data)
    examples = labelled(examples, task)
    if not examples:
        raise ConfigError(f"{source}: no examples are labelled for {task}")
    train, test, how = split_examples(examples, seed=seed, test_size=test_size)
    if not train or not test:
        raise ConfigError(f"{source}: the split left no {'training' if not train else 'test'} examples")
    model = make_model(task, backend, seed, base_model, params).fit(train)
    metrics = evaluate_model(model, test, n_boot=n_boot, seed=seed, worst=0)
    metrics.pop("worst_errors", None)  # no sentence text in the card: the notes may be private
    out = Path(out)
    model.save(out, meta={"trained_on": Path(source).name, "data_sha256": data_hash(examples, task)})
    groups = lambda xs: len({ex.group or ex.id or id(ex) for ex in xs})  # noqa: E731
    info = {
        "task": task, "seed": seed, "config": model.config(), "metrics": metrics,
        "data": {"source": source if not isinstance(data, (str, Path)) else Path(source).name,
                 "format": fmt if fmt != "auto" or not isinstance(data, (str, Path)) else _fmt_of(data),
                 "sha256": data_hash(examples, task), "examples": len(examples), "split": how,
                 "train": len(train), "test": len(test), "unused": len(examples) - len(train) - len(test),
                 "train_groups": groups(train),
                 "test_groups": groups(test), "train_labels": _counts(train, task),
                 "test_labels": _counts(test, task)},
        "command": command or _command(task, source, out, backend, seed, base_model, fmt, test_size, params),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    if backend == "sklearn":
        info["config"]["train_candidates"] = model.train_candidates_
    write_card(out, info)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return info


def _fmt_of(data: str | Path) -> str:
    from .data import detect_format

    return detect_format(data)


def _command(task: str, source: str, out: Path, backend: str, seed: int, base_model: Any, fmt: str = "auto",
             test_size: float = 0.2, params: dict[str, Any] | None = None) -> str:
    """The ``notes-qa train`` command line that reproduces this model."""
    parts = ["notes-qa", "train", task, "--data", source, "--out", str(out), "--backend", backend,
             "--seed", str(seed)]
    if base_model is not None:
        parts += ["--base-model", str(base_model)]
    if fmt != "auto":
        parts += ["--format", fmt]
    if test_size != 0.2:
        parts += ["--test-size", str(test_size)]
    for k, v in sorted((params or {}).items()):
        if (k, v) not in (("C", 1.0), ("calibrate", "auto")):
            parts += [f"--{k.replace('_', '-')}", str(v)]
    return shlex.join(parts)
