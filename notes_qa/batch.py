"""Batch scoring for the CLI: stream records to stdout or ``OUT.partial`` → ``OUT``."""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import IO

from .errors import ConfigError, InputError, UsageError
from .records import CaseRecord, ErrorRecord


class Progress:
    """A one-line progress display on stderr, shown only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.start = time.perf_counter()
        self.cases = self.errors = 0

    def update(self, rec: CaseRecord | ErrorRecord) -> None:
        if isinstance(rec, ErrorRecord):
            self.errors += 1
        else:
            self.cases += 1
        if self.enabled:
            dt = time.perf_counter() - self.start
            rate = (self.cases + self.errors) / dt if dt else 0.0
            sys.stderr.write(f"\rnotes-qa: {self.cases} case files scored, {self.errors} rejected "
                             f"({rate:.1f} files/s)")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def write_record(fh: IO[str], rec: CaseRecord | ErrorRecord) -> None:
    fh.write(json.dumps(rec.to_dict(), ensure_ascii=False) + "\n")


def run_score(args: argparse.Namespace) -> int:
    """``notes-qa score``: exit 0 if every input was scored, 1 if some were rejected."""
    from .atomic import atomic_writer
    from .scoring import score_paths

    progress = Progress(enabled=not args.quiet)
    rejected = 0

    try:
        records = score_paths(args.inputs, manifest=args.manifest, rules=args.rules)
    except (ConfigError, UsageError) as exc:
        print(f"notes-qa: {exc}", file=sys.stderr)
        return 2

    def consume(fh: IO[str]) -> None:
        nonlocal rejected
        for rec in records:
            if isinstance(rec, ErrorRecord):
                rejected += 1
                print(f"notes-qa: {rec.source}: {rec.message} [{rec.error}]", file=sys.stderr,
                      flush=True)
            write_record(fh, rec)
            progress.update(rec)

    try:
        if args.out:
            with atomic_writer(args.out) as fh:
                consume(fh)
        else:
            consume(sys.stdout)
            sys.stdout.flush()
    except (ConfigError, InputError, UsageError) as exc:
        progress.close()
        print(f"notes-qa: {exc}", file=sys.stderr)
        return 2
    progress.close()
    return 1 if rejected else 0
