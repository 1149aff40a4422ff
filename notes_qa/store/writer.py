"""Append scoring runs to a DuckDB database, record by record (see README.md beside this file)."""
from __future__ import annotations

import json
import os
import uuid
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from ..records import CaseRecord, ErrorRecord
from .flatten import case_dict, is_error
from .schema import TABLES, create_statements, quote

if TYPE_CHECKING:
    import duckdb
    from spacy.language import Language

#: Used when neither ``db_path`` nor ``$NOTES_QA_DB`` names a database.
DEFAULT_DB_NAME = "notes-qa-results.duckdb"
ENV_VAR = "NOTES_QA_DB"


def default_db_path() -> Path:
    """``$NOTES_QA_DB`` if set, else ``notes-qa-results.duckdb`` in the current folder."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_DB_NAME)


def connect(db_path: str | Path | None = None, read_only: bool = False) -> "duckdb.DuckDBPyConnection":
    """A DuckDB connection to the results database, with its tables and views in place."""
    import duckdb

    path = Path(db_path) if db_path else default_db_path()
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"no results database at {path}")
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    for stmt in create_statements():
        con.execute(stmt)
    return con


def pipeline_versions(nlp: "Language | None" = None) -> dict[str, str]:
    """Versions of what produced the results: spaCy, and each pipeline component's model.

    A component may expose ``model_version`` (e.g. a model card's version); rule-based
    components are recorded as ``"rules"``.
    """
    out: dict[str, str] = {}
    try:
        import spacy

        out["spacy"] = spacy.__version__
    except ImportError:  # pragma: no cover - spaCy is a dependency
        pass
    if nlp is not None:
        for name, proc in nlp.pipeline:
            out[name] = str(getattr(proc, "model_version", None) or "rules")
    return out


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _json(value: Any) -> str | None:
    return None if value in (None, {}, []) else json.dumps(value, ensure_ascii=False, default=str)


_SPAN_COLUMNS = {"label", "entry", "start", "end", "text", "kind", "score", "has_rationale",
                 "decision", "similarity", "match", "detail", "suggestion"}
_FINDING_COLUMNS = {"code", "severity", "message", "entry", "spans"}


def case_rows(run_id: str, rec: CaseRecord | Mapping[str, Any]) -> dict[str, list[tuple]]:
    """The rows one case record adds to each table."""
    from ..findings import is_direct_work, is_plan

    d = case_dict(rec)
    cid = d.get("case_id")
    entries, spans, findings = d["entries"], d["spans"], d["findings"]
    voice = [0] * len(entries)
    dec = [0] * len(entries)
    dec_r = [0] * len(entries)
    for s in spans:
        i = s.get("entry")
        if not isinstance(i, int) or not 0 <= i < len(entries):
            continue
        if s.get("label") == "child_voice":
            voice[i] += 1
        elif s.get("label") == "decision":
            dec[i] += 1
            dec_r[i] += bool(s.get("has_rationale"))
    entry_rows = []
    dates = []
    for i, e in enumerate(entries):
        dt = _date(e.get("date"))
        if dt:
            dates.append(dt)
        nt = e.get("note_type")
        entry_rows.append((
            run_id, cid, i, e.get("source"), _int(e.get("start")), _int(e.get("end")), dt,
            dt.strftime("%Y-%m") if dt else None, e.get("author"), nt,
            e.get("team") or d.get("team"), e.get("worker") or d.get("worker"),
            is_direct_work(nt), is_plan(nt), voice[i] > 0, voice[i], dec[i], dec_r[i],
            _float((e.get("scores") or {}).get("plain_language"))))
    span_rows = []
    for k, s in enumerate(spans):
        m = s.get("match") if isinstance(s.get("match"), Mapping) else {}
        span_rows.append((
            run_id, cid, k, s.get("label"), _int(s.get("entry")), _int(s.get("start")),
            _int(s.get("end")), s.get("text"), s.get("kind"), _float(s.get("score")),
            s.get("has_rationale") if isinstance(s.get("has_rationale"), bool) else None,
            _int(s.get("decision")), _float(s.get("similarity")), m.get("case_id"),
            _int(m.get("entry")), _int(m.get("start")), _int(m.get("end")),
            None if s.get("detail") is None else str(s.get("detail")),
            s.get("suggestion"),
            _json({k2: v for k2, v in s.items() if k2 not in _SPAN_COLUMNS})))
    finding_rows = []
    sev = {"concern": 0, "warning": 0, "info": 0}
    for k, f in enumerate(findings):
        i = _int(f.get("entry"))
        sev[f.get("severity")] = sev.get(f.get("severity"), 0) + 1
        fdate = _date(entries[i].get("date")) if i is not None and 0 <= i < len(entries) else None
        sp = f.get("spans")
        finding_rows.append((
            run_id, cid, k, f.get("code"), f.get("severity"), f.get("message"), i, fdate,
            [int(x) for x in sp] if isinstance(sp, list) else None,
            _json({k2: v for k2, v in f.items() if k2 not in _FINDING_COLUMNS})))
    summ = d.get("summary") or {}
    case_row = (
        run_id, cid, d.get("child_id"), d.get("child_name"), d.get("family_id"), d.get("team"),
        d.get("worker"), len(entries), min(dates) if dates else None, max(dates) if dates else None,
        _float(summ.get("child_voice_coverage")), _float(summ.get("rationale_coverage")),
        _float(summ.get("sibling_copy_share")), _float(summ.get("plain_language")),
        len(findings), sev["concern"], sev["warning"], sev["info"], _json(d.get("extra")))
    return {"cases": [case_row], "entries": entry_rows, "spans": span_rows,
            "findings": finding_rows}


def _arrow_type(duck: str):  # noqa: ANN202 - pyarrow imported lazily
    import pyarrow as pa

    t = duck.split()[0]
    return {"VARCHAR": pa.string(), "JSON": pa.string(), "INTEGER": pa.int32(),
            "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(), "DATE": pa.date32(),
            "TIMESTAMP": pa.timestamp("us"), "INTEGER[]": pa.list_(pa.int32())}[t]


class RunWriter:
    """Append one run to the database as records stream in.

    ::

        with RunWriter(db, inputs=args.inputs, tool_version=__version__,
                       model_versions=pipeline_versions(nlp), rules="wales") as run:
            for rec in records:
                run.add(rec)

    The run row is written when the writer opens (status ``running``) and completed on close
    (``complete``, or ``failed`` if the block raised). Rows are buffered and inserted in
    batches of ``flush_every`` records, each batch in one transaction.
    """

    def __init__(self, db_path: str | Path | None = None, inputs: Iterable[str] = (),
                 tool_version: str | None = None, model_versions: Mapping[str, Any] | None = None,
                 rules: str | None = None, flush_every: int = 200) -> None:
        if tool_version is None:
            from .. import __version__ as tool_version
        self.db_path = Path(db_path) if db_path else default_db_path()
        self.inputs = [str(p) for p in inputs]
        self.tool_version = tool_version
        self.model_versions = dict(model_versions or {})
        self.rules = rules
        self.flush_every = max(1, flush_every)
        self.started_at = _now()
        self.run_id = f"{self.started_at:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        self.n_cases = self.n_errors = 0
        self._con: "duckdb.DuckDBPyConnection | None" = None
        self._buf: dict[str, list[tuple]] = {t: [] for t in TABLES if t != "runs"}
        self._pending = 0

    def open(self) -> "RunWriter":
        if self._con is None:
            self._con = connect(self.db_path)
            self._con.execute(
                "INSERT INTO runs VALUES (?, ?, NULL, 'running', ?, ?, ?, ?, 0, 0)",
                [self.run_id, self.started_at, self.tool_version,
                 json.dumps(self.model_versions, ensure_ascii=False),
                 json.dumps(self.inputs, ensure_ascii=False), self.rules])
        return self

    def add(self, rec: CaseRecord | ErrorRecord | Mapping[str, Any]) -> None:
        """Buffer one case or error record (inserted at the next flush)."""
        if self._con is None:
            self.open()
        if is_error(rec):
            d = rec.to_dict() if isinstance(rec, ErrorRecord) else rec
            self._buf["errors"].append((self.run_id, d.get("source"), d.get("error"),
                                        d.get("message")))
            self.n_errors += 1
        else:
            for table, rows in case_rows(self.run_id, rec).items():  # type: ignore[arg-type]
                self._buf[table].extend(rows)
            self.n_cases += 1
        self._pending += 1
        if self._pending >= self.flush_every:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        con = self._con
        if con is None or not self._pending:
            return
        con.execute("BEGIN TRANSACTION")
        try:
            for table, rows in self._buf.items():
                if not rows:
                    continue
                cols = TABLES[table]
                arrays = [pa.array([r[j] for r in rows], type=_arrow_type(t))
                          for j, (_, t) in enumerate(cols)]
                tbl = pa.Table.from_arrays(arrays, names=[c for c, _ in cols])
                con.register("_nqa_buffer", tbl)
                names = ", ".join(quote(c) for c, _ in cols)
                con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _nqa_buffer")
                con.unregister("_nqa_buffer")
                rows.clear()
            con.execute("UPDATE runs SET n_cases = ?, n_errors = ? WHERE run_id = ?",
                        [self.n_cases, self.n_errors, self.run_id])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        self._pending = 0

    def close(self, status: str = "complete") -> str:
        """Flush, mark the run finished, close the database; returns the run id."""
        if self._con is None:
            self.open()
        con = self._con
        assert con is not None
        try:
            if status == "complete":
                self.flush()
            con.execute("UPDATE runs SET finished_at = ?, status = ?, n_cases = ?, n_errors = ? "
                        "WHERE run_id = ?", [_now(), status, self.n_cases, self.n_errors,
                                             self.run_id])
        finally:
            con.close()
            self._con = None
        return self.run_id

    def __enter__(self) -> "RunWriter":
        return self.open()

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        if self._con is None:
            return
        if exc_type is None:
            self.close("complete")
        else:
            # Keep what was scored before the failure; the run says it did not finish.
            try:
                self.flush()
            finally:
                self.close("interrupted" if exc_type is KeyboardInterrupt else "failed")


def append_run(db_path: str | Path | None, records: Iterable[CaseRecord | ErrorRecord | Mapping],
               inputs: Iterable[str] = (), tool_version: str | None = None,
               model_versions: Mapping[str, Any] | None = None, rules: str | None = None) -> str:
    """Append a whole run (all ``records``) to the database and return its ``run_id``."""
    with RunWriter(db_path, inputs=inputs, tool_version=tool_version,
                   model_versions=model_versions, rules=rules) as run:
        for rec in records:
            run.add(rec)
    return run.run_id
