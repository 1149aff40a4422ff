"""Model cards: a ``README.md`` (for people) and ``training.json`` (for tools) next to each model.

A card records the data (SHA-256, sizes, label counts, how it was split), the configuration and
seed, the held-out metrics with their confidence intervals, the intended use and the limits. It
holds no sentence text: the training notes may be private.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CARD_JSON = "training.json"

PURPOSE = {
    "child_voice": "Finds sentences that record the child's own words, views, wishes or feelings (or a "
                   "pre-verbal child's communication): classes `none`, `direct_quote`, `reported`, `non_verbal`.",
    "decision": "Finds sentences that record a decision or an agreed outcome.",
    "rationale": "Finds sentences that give the reason for a decision.",
}
INTENDED_USE = (
    "Quality assurance of children's social-care case notes in notes-qa (`notes-qa score`), as one "
    "signal among several for a supervising manager to check. Not for decisions about a child or a "
    "worker, and not a measure of practice on its own.")
LIMITS_COMMON = [
    "Scores are only as representative as the training data: check the label counts and the "
    "confidence intervals above, and re-evaluate on notes in your own style before relying on it.",
    "Sentence-level: context from earlier sentences is not seen (except through the rules' cues).",
]
LIMITS_BACKEND = {
    "sklearn": "Only sentences the transparent rules flag as candidates are scored; a sentence the rules "
               "never flag cannot be found, whatever the training data.",
    "transformers": "Every sentence is scored by the fine-tuned network; its reasons are not inspectable "
                    "cue by cue, and CPU inference is much slower than the sklearn model. Text longer than "
                    "`max_length` tokens is truncated.",
}


def _row(name: str, r: dict[str, Any]) -> str:
    def cell(m: str) -> str:
        ci = r.get(f"{m}_ci")
        return f"{r[m]:.4f} [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else f"{r[m]:.4f}"

    return f"| {name} | {cell('precision')} | {cell('recall')} | {cell('f1')} | {r['support']} |"


def render_card(info: dict[str, Any]) -> str:
    """Markdown model card from the training report ``info`` (see :func:`trainer.train_task`)."""
    task, data, m = info["task"], info["data"], info["metrics"]
    cfg = info["config"]
    lines = [f"# notes-qa `{task}` model ({cfg['backend']} backend)", "", PURPOSE[task], "",
             "## Data", "",
             f"- Source: `{data['source']}` (read as `{data['format']}`), {data['examples']} examples "
             f"labelled for `{task}`.",
             f"- SHA-256 of the labelled examples (text, labels, group, split): `{data['sha256']}`",
             f"- Split: {data['split']}; train {data['train']} examples ({data['train_groups']} groups), "
             f"test {data['test']} ({data['test_groups']} groups); no group is on both sides"
             + (f"; {data['unused']} examples (e.g. a validation split) not used." if data.get("unused") else "."),
             f"- Label counts: train {json.dumps(data['train_labels'])}; test {json.dumps(data['test_labels'])}",
             "", "## Configuration", "",
             f"- Seed: {info['seed']}",
             "- " + "; ".join(f"{k}: {v}" for k, v in cfg.items() if k != "train_loss"),
             f"- Training time: {info.get('seconds', '?')} s on CPU",
             "", "## Metrics (held-out test split)", "",
             f"Positive when P ≥ {m['threshold']}. 95% intervals: {m['bootstrap']['resamples']} bootstrap "
             f"resamples of {m['bootstrap']['unit']}s (seed {m['bootstrap']['seed']}).", "",
             "| class | precision | recall | F1 | support |", "|---|---|---|---|---|",
             _row(f"any {task}", m["positive"])]
    lines += [_row(k, v) for k, v in m["per_class"].items()]
    lines += ["", f"Macro F1 {m['macro_f1']}; accuracy {m['accuracy']}; expected calibration error of "
                  f"P(positive) {m['ece']}.", "",
              "Confusion matrix (rows gold, columns predicted): "
              + "; ".join(f"{g}: {dict(zip(m['confusion']['labels'], row))}"
                          for g, row in zip(m["confusion"]["labels"], m["confusion"]["matrix"])),
              "", "## Intended use", "", INTENDED_USE, "", "## Limits", ""]
    lines += [f"- {x}" for x in LIMITS_COMMON + [LIMITS_BACKEND[cfg["backend"]]]]
    lines += ["", "## Reproduce", "", f"    {info['command']}", "",
              "The same data and seed give the same metrics (`training.json` holds them in full).", ""]
    return "\n".join(lines)


def write_card(path: str | Path, info: dict[str, Any]) -> None:
    """Write ``README.md`` and ``training.json`` into the model directory ``path``."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    (path / "README.md").write_text(render_card(info), encoding="utf-8")
    (path / CARD_JSON).write_text(json.dumps(info, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
