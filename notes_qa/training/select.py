"""Active learning: pick the sentences a model is least sure about, as Label Studio tasks.

Uncertainty of a row of class probabilities ``p``:

- ``entropy``: −Σ p·log p / log k (0 = certain, 1 = uniform); higher is more uncertain;
- ``margin``: 1 − (p₁ − p₂), the gap between the two most probable classes; higher is more uncertain.

The output is a Label Studio import file (a JSON list of tasks with ``data`` and the model's
``predictions`` as pre-annotations) for the labelling config :data:`LABEL_STUDIO_CONFIG`; the
exported annotations load back with ``notes_qa.training.data.load_examples``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..errors import ConfigError
from .data import Example, _context_fields, label_studio_result
from .evaluate import _name, decide

STRATEGIES = ("entropy", "margin")

LABEL_STUDIO_CONFIG = """<View>
  <Text name="text" value="$text"/>
  <Header value="Child's voice"/>
  <Choices name="child_voice" toName="text" choice="single" showInline="true">
    <Choice value="none"/><Choice value="direct_quote"/><Choice value="reported"/><Choice value="non_verbal"/>
  </Choices>
  <Header value="Decision recorded?"/>
  <Choices name="decision" toName="text" choice="single" showInline="true">
    <Choice value="yes"/><Choice value="no"/>
  </Choices>
  <Header value="Reason for a decision given?"/>
  <Choices name="rationale" toName="text" choice="single" showInline="true">
    <Choice value="yes"/><Choice value="no"/>
  </Choices>
</View>
"""


def uncertainty(proba: np.ndarray, strategy: str = "entropy") -> np.ndarray:
    """Per-row uncertainty in [0, 1] (see the module docstring)."""
    if strategy not in STRATEGIES:
        raise ConfigError(f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}")
    proba = np.clip(np.asarray(proba, float), 0.0, 1.0)
    k = proba.shape[1]
    if strategy == "entropy":
        with np.errstate(divide="ignore", invalid="ignore"):
            h = -np.nansum(np.where(proba > 0, proba * np.log(proba), 0.0), axis=1)
        return h / np.log(k) if k > 1 else np.zeros(len(proba))
    top = np.sort(proba, axis=1)[:, ::-1]
    return 1.0 - (top[:, 0] - top[:, 1])


def select_uncertain(model: Any, examples: Sequence[Example], n: int = 100, strategy: str = "entropy",
                     include_labelled: bool = False) -> list[dict[str, Any]]:
    """The ``n`` most uncertain distinct sentences (unlabelled for the model's task unless
    ``include_labelled``), most uncertain first, each with its prediction."""
    task = model.task
    pool, seen = [], set()
    for ex in examples:
        if (include_labelled or ex.label(task) is None) and ex.text not in seen:
            seen.add(ex.text)
            pool.append(ex)
    if not pool:
        raise ConfigError(f"no unlabelled {task} sentences to choose from; pass --include-labelled "
                          "to rank labelled ones too")
    proba = model.predict_examples(pool)
    u = uncertainty(proba, strategy)
    pred, pos, conf = decide(proba, model.classes_, model.negative_class)
    order = sorted(range(len(pool)), key=lambda i: (-float(u[i]), i))[:n]
    return [{"example": pool[i], "uncertainty": round(float(u[i]), 4), "predicted": pred[i],
             "confidence": round(float(conf[i]), 4), "p_positive": round(float(pos[i]), 4)} for i in order]


def label_studio_tasks(picked: Sequence[dict[str, Any]], task: str, model_version: str) -> list[dict[str, Any]]:
    """Label Studio import tasks with the model's guess as a pre-annotation."""
    out = []
    for rank, item in enumerate(picked, 1):
        ex: Example = item["example"]
        data = _context_fields(ex)
        data.update({"uncertainty": item["uncertainty"], "rank": rank, "task": task})
        pred = item["predicted"]
        value = _name(pred) if task == "child_voice" else bool(pred)
        out.append({"data": data, "predictions": [{
            "model_version": model_version, "score": item["confidence"],
            "result": [label_studio_result(task, value)]}]})
    return out


def select_to_file(model_dir: str | Path, data: str | Path, out: str | Path, n: int = 100,
                   strategy: str = "entropy", task: str | None = None, fmt: str = "auto",
                   include_labelled: bool = False) -> list[dict[str, Any]]:
    """Load, select and write ``out`` (Label Studio JSON); returns the tasks written."""
    from .backends import load_model
    from .data import load_examples

    model = load_model(model_dir, task)
    picked = select_uncertain(model, load_examples(data, fmt), n, strategy, include_labelled)
    tasks = label_studio_tasks(picked, model.task, f"{Path(model_dir).name}:{model.backend}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(tasks, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return tasks
