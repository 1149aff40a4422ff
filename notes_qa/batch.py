"""Batch scoring for the CLI: stream records to stdout or ``OUT.partial`` → ``OUT``.

``run_score(args)`` is ``notes-qa score``. Records are scored by
:func:`notes_qa.parallel.score_groups_parallel` (``--workers N``: a process pool, output in
input order, byte-identical whatever N) and written as they come; ``--out`` writes through
:func:`notes_qa.atomic.atomic_writer`, so ``OUT`` appears only once the batch is complete.

``--resume`` continues an interrupted ``--out`` run: the records already in ``OUT.partial``
are kept (a truncated last line is dropped), inputs whose records are all there are not
scored again, the rest are appended, and the file is renamed to ``OUT`` at the end. Because
output order is deterministic, a resumed run gives the same bytes as an uninterrupted one.

Record sinks (the hook for other destinations, e.g. a DuckDB history behind ``--db``): a sink
is any callable taking the contract dict of each record *as it is written* (case records and
error records alike; tell them apart by ``record["schema"]``). :func:`build_sinks` makes the
sinks a command line asks for; ``run_score(args, sinks=[...])`` adds more. If a sink has a
``close()`` method it is called once after the last record (also after an interruption,
with ``complete=False`` when it accepts that keyword). With ``--resume`` sinks see only the
records written by this run (the ones already in ``OUT.partial`` were seen by the first run),
so a store should upsert on ``case_id`` / error ``source``.

``--engine spark`` hands the whole command to :mod:`notes_qa.spark.cli`.
"""
from __future__ import annotations

import argparse
import inspect
import json
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from .errors import ConfigError, InputError, UsageError
from .records import CaseFile, CaseRecord, ErrorRecord

#: Receives the contract dict of every record written.
RecordSink = Callable[[dict[str, Any]], None]
Key = tuple[str, str]


def write_record(fh: IO[str], rec: CaseRecord | ErrorRecord) -> None:
    """Write ``rec`` as one JSON Lines line, in pieces (see :meth:`CaseRecord.iter_json`)."""
    fh.writelines(rec.iter_json())
    fh.write("\n")


def write_scored(fh: IO[str], item: Any) -> None:
    """Write one :class:`~notes_qa.parallel.Scored` item's line.

    A record scored in this process (``item.source``) is written in pieces, so that a big export
    is never held as a contract dict and a JSON string besides the record (each is several times
    the source's size); a worker's record comes as its finished line.
    """
    source = getattr(item, "source", None)
    if source is None:
        fh.write(item.line)
    else:
        write_record(fh, source)


# --- resume ------------------------------------------------------------------------------

@dataclass
class PartialRun:
    """What an interrupted run's ``OUT.partial`` already holds."""

    done: set[Key] = field(default_factory=set)
    cases: int = 0
    errors: int = 0
    dropped_bytes: int = 0  # a truncated last line, cut off


def record_key(d: dict[str, Any]) -> Key | None:
    schema = d.get("schema")
    if schema == "notes-qa/case@1" and "case_id" in d:
        return ("case", str(d["case_id"]))
    if schema == "notes-qa/error@1" and "source" in d:
        return ("error", str(d["source"]))
    return None


def recover_partial(path: str | Path) -> PartialRun:
    """Read ``path`` (an ``OUT.partial``) and cut it back to its last complete record.

    A line that does not end in a newline or is not a record (a write cut short by a kill)
    and everything after it are removed from the file, so appending can continue.
    """
    state = PartialRun()
    good = 0
    with open(path, "rb") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                break
            try:
                d = json.loads(raw)
            except ValueError:
                break
            key = record_key(d) if isinstance(d, dict) else None
            if key is None:
                break
            state.done.add(key)
            if key[0] == "error":
                state.errors += 1
            else:
                state.cases += 1
            good += len(raw)
    size = os.path.getsize(path)
    if size > good:
        state.dropped_bytes = size - good
        with open(path, "r+b") as fh:
            fh.truncate(good)
    return state


def group_keys(group: Iterable[CaseFile | ErrorRecord]) -> list[tuple[Key, Key | None]]:
    """Each item's output key, with the key of the error record it gets if analysis fails."""
    out: list[tuple[Key, Key | None]] = []
    for item in group:
        if isinstance(item, ErrorRecord):
            out.append((("error", item.source), None))
        else:
            out.append((("case", item.case_id),
                        ("error", str(next(iter(item.sources), item.case_id)))))
    return out


def skip_done(groups: Iterable[list], done: set[Key], matched: set[Key]) -> Iterator[list]:
    """Leave out groups whose every record is already written; note the keys they matched.

    A family only partly written is scored again whole (siblings are compared together);
    :func:`run_score` then writes only its missing records.
    """
    for group in groups:
        keys = group_keys(group)
        hits = [k if k in done else alt for k, alt in keys if k in done or alt in done]
        if len(hits) == len(keys):
            matched.update(hits)
            continue
        yield group


# --- sinks -------------------------------------------------------------------------------

def build_sinks(args: argparse.Namespace) -> list[RecordSink]:
    """The record sinks ``args`` asks for besides the JSON Lines output (``--db``)."""
    sinks: list[RecordSink] = []
    if getattr(args, "db", None) is not None:
        sinks.append(DuckDBSink(args.db or None, inputs=list(args.inputs), rules=args.rules))
    return sinks


def shipped_model_versions() -> dict[str, str]:
    """spaCy's version and a short content hash of each shipped model file."""
    import hashlib
    from importlib import resources

    import spacy

    out = {"spacy": spacy.__version__}
    root = resources.files("notes_qa._models")
    for d in sorted(root.iterdir(), key=lambda p: p.name):
        if not d.is_dir():
            continue
        for f in sorted(d.iterdir(), key=lambda p: p.name):
            if f.name.endswith((".skops", ".safetensors")):
                out[f"{d.name}/{f.name}"] = hashlib.sha256(f.read_bytes()).hexdigest()[:12]
    return out


class DuckDBSink:
    """Appends the run to the DuckDB results history (``notes-qa score --db``)."""

    def __init__(self, db: str | None, inputs: list[str], rules: str) -> None:
        from . import __version__
        from .store import RunWriter

        self.run = RunWriter(db, inputs=inputs, tool_version=__version__,
                             model_versions=shipped_model_versions(), rules=rules)
        self.run.open()

    def __call__(self, record: dict) -> None:
        self.run.add(record)

    def close(self, complete: bool = True) -> None:
        self.run.close("complete" if complete else "interrupted")


def _close_sinks(sinks: Sequence[RecordSink], complete: bool) -> None:
    for sink in sinks:
        close = getattr(sink, "close", None)
        if close is None:
            continue
        try:
            params = inspect.signature(close).parameters
        except (TypeError, ValueError):
            params = {}
        close(complete=complete) if "complete" in params else close()


# --- the command -------------------------------------------------------------------------

def _sigterm_as_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def run_score(args: argparse.Namespace, sinks: Sequence[RecordSink] | None = None) -> int:
    """``notes-qa score``: exit 0 if every input was scored, 1 if some were rejected, 2 on a
    usage error.

    Besides the parsed command line, ``args`` may carry ``pipeline_components`` (a list of
    factory names) or ``nlp_factory`` (a picklable callable returning a ``Language``) to score
    with another pipeline than the default one.
    """
    from .atomic import atomic_writer, partial_path
    from .parallel import default_workers, pipeline_factory, score_groups_parallel
    from .readers import read_groups
    from .scoring import resolve_inputs

    if getattr(args, "engine", "local") == "spark":
        from .spark.cli import run_spark_score

        return run_spark_score(args)

    workers = getattr(args, "workers", None)
    workers = default_workers() if workers is None else workers
    resume = bool(getattr(args, "resume", False))
    if workers < 1:
        print("notes-qa: --workers must be at least 1", file=sys.stderr)
        return 2
    if resume and not args.out:
        print("notes-qa: --resume needs --out FILE (the run to continue)", file=sys.stderr)
        return 2
    if getattr(args, "master", None):
        print("notes-qa: --master is only used with --engine spark", file=sys.stderr)
        return 2

    nlp_factory = getattr(args, "nlp_factory", None) or pipeline_factory(
        getattr(args, "pipeline_components", None))
    if getattr(args, "own_process", False):
        from .lean import LeanFactory

        nlp_factory = LeanFactory(nlp_factory)
    from .reports.progress import ProgressBar

    progress = ProgressBar(enabled=not args.quiet)
    all_sinks = [*build_sinks(args), *(sinks or ())]

    partial = PartialRun()
    if resume:
        tmp = partial_path(args.out)
        if tmp.exists():
            partial = recover_partial(tmp)
            if not args.quiet:
                print(f"notes-qa: resuming {tmp}: {partial.cases + partial.errors} records "
                      f"already written" + (", a cut-off last line dropped"
                                            if partial.dropped_bytes else ""),
                      file=sys.stderr, flush=True)
        elif Path(args.out).exists():
            if not args.quiet:
                print(f"notes-qa: {args.out} is already complete; nothing to resume",
                      file=sys.stderr)
            return _exit_status_of(Path(args.out))

    try:
        inputs, manifest = resolve_inputs(args.inputs, args.manifest)
        groups: Iterable[list] = read_groups(inputs, manifest)
    except (ConfigError, UsageError) as exc:
        print(f"notes-qa: {exc}", file=sys.stderr)
        return 2
    matched: set[Key] = set()
    if partial.done:
        groups = skip_done(groups, partial.done, matched)
    records = score_groups_parallel(groups, workers=workers, rules=args.rules,
                                    nlp_factory=nlp_factory)
    rejected = partial.errors

    def consume(fh: IO[str]) -> None:
        nonlocal rejected
        for item in records:
            if partial.done and item.key in partial.done:
                matched.add(item.key)
                continue  # written before the interruption
            # The contract dict is made only where it is used: error records and sinks.
            rec = item.record if item.is_error or all_sinks else None
            if item.is_error:
                rejected += 1
                print(f"notes-qa: {rec['source']}: {rec['message']} [{rec['error']}]",
                      file=sys.stderr, flush=True)
            write_scored(fh, item)
            for sink in all_sinks:
                sink(rec)
            progress.update(rec if item.is_error else None)  # error records count as rejected

    old_term = None
    try:
        old_term = signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
    except ValueError:  # not the main thread
        pass
    complete = False
    try:
        if args.out:
            with atomic_writer(args.out, append=resume) as fh:
                consume(fh)
        else:
            consume(sys.stdout)
            sys.stdout.flush()
        complete = True
    except (ConfigError, InputError, UsageError) as exc:
        progress.close()
        print(f"notes-qa: {exc}", file=sys.stderr)
        return 2
    finally:
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
        _close_sinks(all_sinks, complete)
    progress.close()
    stale = partial.done - matched
    if stale and not args.quiet:
        print(f"notes-qa: warning: {len(stale)} records in the resumed output match none of "
              f"these inputs (were the inputs changed?)", file=sys.stderr)
    return 1 if rejected else 0


def _exit_status_of(out: Path) -> int:
    """The exit status the run that wrote ``out`` had (1 when it holds error records)."""
    with open(out, "rb") as fh:
        for raw in fh:
            if b'"notes-qa/error@1"' in raw:
                return 1
    return 0


__all__ = ["run_score", "build_sinks", "RecordSink", "recover_partial", "skip_done",
           "PartialRun", "write_record", "write_scored"]
