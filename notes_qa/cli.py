"""The ``notes-qa`` command line: a thin layer over the importable API."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from . import __version__


def _eprint(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def cmd_score(args: argparse.Namespace) -> int:
    from .batch import run_score

    return run_score(args)


def cmd_segment(args: argparse.Namespace) -> int:
    from .errors import InputError
    from .readers import read_document
    from .segmentation import segment

    status = 0
    for path in args.files:
        try:
            text = read_document(path)
        except InputError as exc:
            _eprint(f"notes-qa: {exc.source}: {exc.message} [{exc.code}]")
            status = 1
            continue
        result = segment(text, path)
        if args.json:
            for e in result.entries:
                print(json.dumps(e.to_dict() | {"body_start": e.body_start}, ensure_ascii=False))
            continue
        print(f"== {path}: {len(result.entries)} entries"
              + (f"; preamble {result.preamble}" if result.preamble else ""))
        for i, e in enumerate(result.entries):
            head = text[e.start:e.end].strip().split("\n", 1)[0][:70]
            print(f"{i + 1:>4}  {e.date or '(no date)':<10}  {str(e.note_type or '-'):<24} "
                  f"{str(e.author or '-'):<22} {e.end - e.start:>6} chars  | {head}")
    return status


def cmd_corpus(args: argparse.Namespace) -> int:
    from .corpus import main as corpus_main

    return corpus_main(args.rest) or 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="notes-qa", description=(
        "Check the quality of children's social care case notes (offline)."))
    p.add_argument("--version", action="version", version=f"notes-qa {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("score", help="score case files; one JSON record per case file")
    s.add_argument("inputs", nargs="+", metavar="INPUT", help="files and folders")
    s.add_argument("--manifest", help="CSV or JSON manifest describing the children")
    s.add_argument("--out", help="write JSON Lines here (default: stdout)")
    s.add_argument("--rules", default="wales",
                   help="statutory rule set: wales (default), england, or a rules JSON file")
    s.add_argument("--quiet", action="store_true", help="no progress or summary on stderr")
    s.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes (default: all cores); output order is the same for any N")
    s.add_argument("--resume", action="store_true",
                   help="continue an interrupted --out run from OUT.partial")
    s.add_argument("--engine", choices=("local", "spark"), default="local",
                   help="local (default) or spark: score note tables on Apache Spark, "
                        "writing Parquet to the --out folder")
    s.add_argument("--master", metavar="URL",
                   help="Spark master URL for --engine spark (default: local[2])")
    s.add_argument("--db", nargs="?", const="", default=None, metavar="FILE",
                   help="append this run to a DuckDB results history (default location: "
                        "$NOTES_QA_DB or ./notes-qa-results.duckdb)")
    s.set_defaults(func=cmd_score)

    g = sub.add_parser("segment", help="print the entries a case file is cut into")
    g.add_argument("files", nargs="+")
    g.add_argument("--json", action="store_true", help="one JSON object per entry")
    g.set_defaults(func=cmd_segment)

    from .reports.cli import add_dashboard_parser, add_report_parser

    add_report_parser(sub)
    add_dashboard_parser(sub)
    from .training.cli import add_training_parsers

    add_training_parsers(sub)

    c = sub.add_parser("corpus", help="generate a synthetic labelled corpus", add_help=False)
    c.add_argument("rest", nargs=argparse.REMAINDER)
    c.set_defaults(func=cmd_corpus)
    return p


def _scores_in_workers(args: argparse.Namespace) -> bool:
    """Whether the command hands the scoring to worker processes (``score``, local engine, more
    than one worker)."""
    if getattr(args, "func", None) is not cmd_score or getattr(args, "engine", "local") != "local":
        return False
    if args.workers is None:
        from .parallel import default_workers

        return default_workers() > 1
    return args.workers > 1


def as_own_process(args: argparse.Namespace) -> argparse.Namespace:
    """Set up this process as notes-qa's own (see :mod:`notes_qa.lean`): spaCy imported without
    thinc's torch import, now or, when worker processes will do the scoring, only if this process
    scores a family itself; pipelines built with :class:`notes_qa.lean.LeanFactory`."""
    from .lean import import_spacy_lean

    args.own_process = True
    if not _scores_in_workers(args):
        import_spacy_lean()
    return args


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = as_own_process(parser.parse_args(argv))
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        _eprint("notes-qa: interrupted; partial output kept as OUT.partial")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
