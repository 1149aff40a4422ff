"""Score family groups on a pool of worker processes, in bounded memory and input order.

``score_groups_parallel(groups, workers=N)`` takes the lazy family groups of
:func:`notes_qa.readers.read_groups` and yields one :class:`Scored` item per output record,
in exactly the order :func:`notes_qa.scoring.score_groups` would give them, whatever ``N``:

- each worker process builds the spaCy pipeline once (``nlp_factory``, default
  :func:`notes_qa.pipeline.build_pipeline`) and scores whole families, so the sibling step
  always sees a family together;
- at most ``max_in_flight`` groups (default ``3 × workers``) are read ahead, so memory is
  bounded by the largest families in flight, never by the corpus;
- results are handed back in submission order (the deque of futures is the reorder buffer),
  so output is byte-identical for any number of workers;
- workers serialise their records to JSON lines so the parent only writes (the contract dict
  is parsed back from the line only where the parent needs it: errors, ``--db``);
  records scored in this process are serialised only when written, and in pieces
  (:func:`notes_qa.batch.write_scored`): a huge case file is never held as a dict and a string
  besides the record.

Workers are started with the ``forkserver`` method on Linux (``spawn`` elsewhere): the reader
may have started threads in the parent (pyarrow), which makes a plain ``fork`` unsafe, and
forking from a clean server process that has already imported spaCy is nearly as fast.
Workers ignore SIGINT: Ctrl-C is handled once, by the parent, which stops the pool and leaves
``OUT.partial`` for ``--resume``.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from .errors import ConfigError, InputError, NotesQAError, UsageError
from .records import CaseFile, CaseRecord, ErrorRecord

if TYPE_CHECKING:
    from spacy.language import Language

Group = list  # list[CaseFile | ErrorRecord], as read_groups yields them
NlpFactory = Callable[[], "Language"]


class Scored:
    """One output record, ready to write: its JSON Lines line, and its contract dict on demand.

    From a worker process comes the line and the record's key: pickling the nested contract dict
    too would cost both processes more than the line itself, and the parent rarely needs it
    (error messages, ``--db``), so :attr:`record` parses the line when asked. Scored in this
    process (:meth:`of`), ``source`` is the record itself and ``record``/``line`` are made from
    it on each read.
    """

    __slots__ = ("_record", "_line", "source", "key")

    def __init__(self, key: tuple[str, str], line: str | None = None,
                 source: CaseRecord | ErrorRecord | None = None) -> None:
        if source is None and line is None:
            raise TypeError("Scored needs a line, or source")
        #: ``("case", case_id)`` or ``("error", source)``: what ``--resume`` matches on
        self.key = key
        self._record: dict[str, Any] | None = None
        self._line, self.source = line, source

    @classmethod
    def of(cls, rec: CaseRecord | ErrorRecord) -> "Scored":
        """``rec``, serialised only when it is written or read."""
        return cls(_key_of(rec), source=rec)

    @property
    def record(self) -> dict[str, Any]:
        """The contract dict."""
        if self.source is not None:
            return self.source.to_dict()
        if self._record is None:
            self._record = json.loads(self._line)  # type: ignore[arg-type]
        return self._record

    @property
    def line(self) -> str:
        """The JSON Lines line, newline included."""
        return self._line if self.source is None else json_line(self.source)  # type: ignore[return-value]

    @property
    def is_error(self) -> bool:
        return self.key[0] == "error"


def _key_of(rec: CaseRecord | ErrorRecord) -> tuple[str, str]:
    return ("error", rec.source) if isinstance(rec, ErrorRecord) else ("case", rec.case_id)


def json_line(rec: CaseRecord | ErrorRecord) -> str:
    """``rec``'s JSON Lines line, newline included (built from :meth:`CaseRecord.iter_json`)."""
    return "".join(rec.iter_json()) + "\n"


def serialise(rec: CaseRecord | ErrorRecord) -> Scored:
    """``rec`` as a finished line and its key (what a worker sends back)."""
    return Scored(_key_of(rec), line=json_line(rec))


class PipelineFactory:
    """Builds :func:`notes_qa.pipeline.build_pipeline` (``components``: ``None`` for the default
    ones) when called; picklable, and importing nothing heavy until then, so that a process
    which only hands the factory to its workers never imports spaCy."""

    def __init__(self, components: Sequence[str] | None = None) -> None:
        self.components = None if components is None else tuple(components)

    def __call__(self) -> "Language":
        from .pipeline import build_pipeline

        if self.components is None:
            return build_pipeline()
        return build_pipeline(components=self.components)


def pipeline_factory(components: Sequence[str] | None = None) -> NlpFactory:
    """A picklable factory for :func:`notes_qa.pipeline.build_pipeline` (``None``: defaults)."""
    return PipelineFactory(components)


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# --- worker side -------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(nlp_factory: NlpFactory, rules: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["nlp"] = nlp_factory()
    _WORKER["rules"] = rules


def _score_in_worker(group: Group) -> tuple[str, Any]:
    """Score one family; errors of ours travel back as plain data (they do not all pickle)."""
    from .scoring import score_groups

    try:
        out = [serialise(r) for r in score_groups([group], nlp=_WORKER["nlp"],
                                                  rules=_WORKER["rules"])]
    except InputError as exc:
        return ("raise", ("InputError", (exc.source, exc.code, exc.message)))
    except NotesQAError as exc:
        return ("raise", (type(exc).__name__, (str(exc),)))
    return ("ok", out)


def _unwrap(result: tuple[str, Any]) -> list[Scored]:
    status, value = result
    if status == "ok":
        return value
    name, args = value
    cls = {"InputError": InputError, "UsageError": UsageError}.get(name, ConfigError)
    raise cls(*args)


# --- parent side -------------------------------------------------------------------------

def _mp_context() -> multiprocessing.context.BaseContext:
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        # Import the heavy libraries once in the server, not in every worker.
        ctx.set_forkserver_preload(["notes_qa._lean_preload", "notes_qa.parallel", "notes_qa.scoring"])
        return ctx
    return multiprocessing.get_context("spawn")


def _only_errors(group: Group) -> bool:
    return all(isinstance(x, ErrorRecord) for x in group)


def score_groups_parallel(groups: Iterable[Group], workers: int = 1, rules: str = "wales",
                          nlp_factory: NlpFactory | None = None,
                          max_in_flight: int | None = None) -> Iterator[Scored]:
    """Score ``groups`` with ``workers`` processes; yield records in input order.

    ``workers=1`` (or an input of a single family) scores in this process, with no pool.
    """
    nlp_factory = nlp_factory or pipeline_factory()
    it = iter(groups)
    head: list[Group] = []
    if workers > 1:
        # Peek: a pool is not worth starting for one family.
        for g in it:
            head.append(g)
            if sum(not _only_errors(h) for h in head) >= 2:
                break
    if workers <= 1 or sum(not _only_errors(h) for h in head) < 2:
        yield from _score_here(_chain(head, it), nlp_factory, rules)
        return
    yield from _score_pool(_chain(head, it), workers, rules, nlp_factory,
                           max_in_flight or 3 * workers)


def _chain(head: list[Group], rest: Iterator[Group]) -> Iterator[Group]:
    head.reverse()
    while head:
        yield head.pop()
    yield from rest


def _score_here(groups: Iterable[Group], nlp_factory: NlpFactory, rules: str) -> Iterator[Scored]:
    from .scoring import score_groups

    nlp = None
    for group in groups:
        if _only_errors(group):
            for rec in group:
                yield Scored.of(rec)
            continue
        if nlp is None:
            nlp = nlp_factory()
        for rec in score_groups([group], nlp=nlp, rules=rules):
            yield Scored.of(rec)


def _score_pool(groups: Iterator[Group], workers: int, rules: str, nlp_factory: NlpFactory,
                max_in_flight: int) -> Iterator[Scored]:
    pending: deque[Future | list[Scored]] = deque()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context(),
                               initializer=_init_worker, initargs=(nlp_factory, rules))
    ok = False
    try:
        exhausted = False
        while True:
            while not exhausted and len(pending) < max_in_flight:
                group = next(groups, None)
                if group is None:
                    exhausted = True
                    break
                if _only_errors(group):
                    pending.append([serialise(r) for r in group])
                else:
                    pending.append(pool.submit(_score_in_worker, group))
                del group
            if not pending:
                break
            item = pending.popleft()
            batch = item if isinstance(item, list) else _unwrap(item.result())
            del item
            yield from batch
        ok = True
    finally:
        if ok:
            pool.shutdown(wait=True)
        else:  # interrupted, a consumer stopped early, or an error: stop the workers now
            for f in pending:
                if isinstance(f, Future):
                    f.cancel()
            _kill_workers(pool)
            pool.shutdown(wait=False, cancel_futures=True)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    for proc in list(getattr(pool, "_processes", {}).values()):
        try:
            proc.terminate()
        except Exception:  # already gone
            pass


__all__ = ["score_groups_parallel", "Scored", "serialise", "pipeline_factory", "default_workers"]
