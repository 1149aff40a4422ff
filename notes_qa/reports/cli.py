"""``notes-qa report`` and ``notes-qa dashboard``: argparse wiring and the functions they call.

The main CLI registers them with :func:`add_report_parser` / :func:`add_dashboard_parser`;
``python -m notes_qa.reports report|dashboard ...`` runs them on their own.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Sequence


def _eprint(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def add_report_parser(sub: Any) -> argparse.ArgumentParser:
    """Register ``report INPUT... --out FILE`` on an argparse subparsers object."""
    r = sub.add_parser("report", help="self-contained HTML case report (one child or a family)",
                       description="Score case files (or read notes-qa results .jsonl) and write "
                                   "a self-contained HTML report for supervision.")
    r.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="case files, folders, note tables, or results .jsonl from 'notes-qa score'")
    r.add_argument("--out", default="report.html", help="HTML file to write (default: report.html)")
    r.add_argument("--manifest", help="CSV or JSON manifest describing the children")
    r.add_argument("--rules", default="wales", help="statutory rule set: wales, england or a file")
    r.add_argument("--title", default="Case notes quality report", help="title of the report")
    r.add_argument("--thresholds", help="JSON file of scorecard thresholds (default: packaged)")
    r.add_argument("--quiet", action="store_true", help="no progress on stderr")
    r.set_defaults(func=run_report)
    return r


def add_dashboard_parser(sub: Any) -> argparse.ArgumentParser:
    """Register ``dashboard --db DB --out FILE [--format html|csv|parquet]``."""
    from ..store import DEFAULT_DB_NAME, ENV_VAR

    d = sub.add_parser("dashboard", help="QA dashboard (HTML) or flat summary from the results database",
                       description="Summarise the DuckDB results history across cases, teams, "
                                   "workers, months and runs.")
    d.add_argument("--db", help=f"results database (default: ${ENV_VAR} or ./{DEFAULT_DB_NAME})")
    d.add_argument("--out", required=True, help="file to write")
    d.add_argument("--format", choices=("html", "csv", "parquet"), default=None,
                   help="html (default), or one row per case as csv or parquet; "
                        "inferred from --out's extension when not given")
    d.add_argument("--title", default="Case notes quality dashboard")
    d.add_argument("--top", type=int, default=20, help="how many cases with the most concerns")
    d.add_argument("--thresholds", help="JSON file of scorecard thresholds (default: packaged)")
    d.set_defaults(func=run_dashboard)
    return d


def collect_records(inputs: Sequence[str], manifest: str | None = None, rules: str = "wales",
                    quiet: bool = True) -> tuple[list[Any], dict[str, str]]:
    """Records for a report: results files are read, everything else is scored together."""
    from ..store.flatten import is_results_file
    from .case_report import load_results
    from .progress import ProgressBar

    results = [p for p in inputs if is_results_file(p)]
    others = [p for p in inputs if p not in results]
    records: list[Any] = []
    texts: dict[str, str] = {}
    if results:
        recs, texts = load_results(results)
        records.extend(recs)
    if others:
        from ..scoring import score_paths

        bar = ProgressBar(enabled=not quiet)
        for rec in score_paths(others, manifest=manifest, rules=rules):
            records.append(rec)
            bar.update(rec)
        bar.close()
    return records, texts


def run_report(args: argparse.Namespace) -> int:
    """Exit 0 when every input made it into the report, 1 when some were rejected, 2 on usage errors."""
    from ..errors import ConfigError, InputError, UsageError
    from ..store.flatten import is_error
    from .case_report import load_thresholds, write_case_report

    try:
        thresholds = load_thresholds(args.thresholds)
        records, texts = collect_records(args.inputs, args.manifest, args.rules, args.quiet)
    except (ConfigError, UsageError, InputError, ValueError, OSError) as exc:
        _eprint(f"notes-qa: {exc}")
        return 2
    rejected = [r for r in records if is_error(r)]
    for r in rejected:
        d = r.to_dict() if hasattr(r, "to_dict") else r
        _eprint(f"notes-qa: {d.get('source')}: {d.get('message')} [{d.get('error')}]")
    if len(rejected) == len(records):
        _eprint("notes-qa: no case file could be read; no report written")
        return 1 if records else 2
    write_case_report(args.out, records, title=args.title, thresholds=thresholds, sources=texts)
    if not args.quiet:
        _eprint(f"notes-qa: report written to {args.out} ({len(records) - len(rejected)} case files)")
    return 1 if rejected else 0


def run_dashboard(args: argparse.Namespace) -> int:
    from ..store import default_db_path
    from .case_report import load_thresholds
    from .dashboard import export_summary, write_dashboard

    db = Path(args.db) if args.db else default_db_path()
    if not db.exists():
        _eprint(f"notes-qa: no results database at {db} (run 'notes-qa score ... --db {db}' first)")
        return 2
    fmt = args.format or {".csv": "csv", ".parquet": "parquet"}.get(Path(args.out).suffix.lower(), "html")
    try:
        if fmt == "html":
            write_dashboard(db, args.out, title=args.title, top=args.top,
                            thresholds=load_thresholds(args.thresholds))
        else:
            export_summary(db, args.out, format=fmt)
    except (ValueError, OSError) as exc:
        _eprint(f"notes-qa: {exc}")
        return 2
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m notes_qa.reports")
    sub = p.add_subparsers(dest="command", required=True)
    add_report_parser(sub)
    add_dashboard_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        _eprint("notes-qa: interrupted")
        return 130
