"""Note tables (``.csv``, ``.jsonl``, ``.parquet``): one row is one entry.

Column names are matched case-insensitively (surrounding spaces ignored). ``text`` is required;
the optional columns are ``note_id``, ``date``, ``author``, ``note_type`` (per entry) and the
child metadata columns of :data:`notes_qa.records.META_FIELDS` (``team``/``worker`` are also
kept per entry in ``Entry.extra``).

Grouping: rows sharing a ``child_id`` form one case file, in order of first appearance; a row
without a ``child_id`` (or a table without the column) is a case file on its own, whose
``child_id`` is its ``note_id`` (else ``row=N``) and whose ``case_id`` is its source name.
A child's metadata comes from the first of its rows that has each value.

Sources: a row's text is the source ``TABLE#NOTE_ID`` where the row has a ``note_id`` not
used by an earlier row of the table, else ``TABLE#row=N`` with ``N`` the 0-based data row
(the first row under the CSV header, the first JSON line, the first Parquet row is ``row=0``).
The entry spans the whole row text, after universal-newline normalisation.

Rows whose text is blank are skipped; a child all of whose rows are blank gets an ``empty``
error record (source ``TABLE#child_id=ID``), and a table with no text in any row is ``empty``.

CSV is decoded like documents (UTF-8 with or without BOM, else Windows-1252); its delimiter
is the most common of ``,`` ``;`` tab ``|`` in the header line. Parquet needs pyarrow.
"""
from __future__ import annotations

import csv
import io
import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from ..errors import InputError, input_error
from ..records import CaseFile, ChildMeta, Entry, ErrorRecord, META_FIELDS
from . import text as _text
from .values import clean, normalise_legal_status, parse_age, parse_date

TABLE_EXTENSIONS = (".csv", ".jsonl", ".parquet")
#: Per-entry columns (besides ``text``) read from each row.
ENTRY_FIELDS = ("note_id", "date", "author", "note_type")
_DELIMITERS = (",", ";", "\t", "|")


@dataclass
class TableRead:
    """What one table gave: its children's case files, and error records for bad children."""

    source: str
    cases: list[CaseFile] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    #: The cases keyed by ``child_id`` (rows without a child_id are not in here).
    by_child: dict[str, CaseFile] = field(default_factory=dict)


def _columns(names: list[Any]) -> dict[str, str]:
    """Lower-cased column name → the name as written (first one wins on a clash)."""
    out: dict[str, str] = {}
    for name in names:
        key = str(name).strip().lstrip("\ufeff").strip().lower()
        if key and key not in out:
            out[key] = name
    return out


def _csv_rows(data: bytes, source: str) -> tuple[list[str], Iterator[dict[str, Any]]]:
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and _text.looks_binary(data):
        raise input_error(source, "binary")
    text = _text.decode_bytes(data)
    del data
    first = text[:text.find("\n")] if "\n" in text else text
    delimiter = max(_DELIMITERS, key=first.count) if first else ","
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # case notes can be long cells
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise input_error(source, "bad_table", f"CSV header: {exc}") from exc
    if header is None:
        raise input_error(source, "empty")

    def rows() -> Iterator[dict[str, Any]]:
        try:
            for values in reader:
                if not any(v.strip() for v in values):
                    continue
                yield dict(zip(header, values))
        except csv.Error as exc:
            raise input_error(source, "bad_table", f"CSV line {reader.line_num}: {exc}") from exc

    return header, rows()


def _jsonl_rows(data: bytes, source: str) -> tuple[list[str], Iterator[dict[str, Any]]]:
    text = _text.decode_bytes(data)
    del data
    records: list[dict[str, Any]] = []
    names: dict[str, None] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise input_error(source, "bad_table", f"JSON line {lineno}: {exc}") from exc
        if not isinstance(obj, dict):
            raise input_error(source, "bad_table", f"JSON line {lineno} is not an object")
        records.append(obj)
        names.update(dict.fromkeys(obj))
    if not records:
        raise input_error(source, "empty")
    return list(names), iter(records)


def _parquet_rows(data: bytes, source: str) -> tuple[list[str], Iterator[dict[str, Any]]]:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow is a declared dependency
        raise input_error(source, "bad_table", "reading Parquet needs pyarrow") from exc
    try:
        pf = pq.ParquetFile(io.BytesIO(data))
        names = list(pf.schema_arrow.names)
    except Exception as exc:
        raise input_error(source, "bad_table", f"Parquet: {type(exc).__name__}") from exc

    def rows() -> Iterator[dict[str, Any]]:
        try:
            for batch in pf.iter_batches(batch_size=4096):
                yield from batch.to_pylist()
        except Exception as exc:
            raise input_error(source, "bad_table", f"Parquet: {type(exc).__name__}") from exc

    return names, rows()


_FORMATS = {".csv": _csv_rows, ".jsonl": _jsonl_rows, ".parquet": _parquet_rows}


def iter_table_rows(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(row number, {lower-case column: value})`` for each data row of the table at ``path``.

    Raises InputError (``empty``, ``binary``, ``bad_table``, ``missing_text_column``,
    ``unsupported_type``, ``not_found``, ``read_failed``) before the first row.
    """
    ext = os.path.splitext(path)[1].lower()
    if ext not in _FORMATS:
        raise input_error(path, "unsupported_type", f"'{ext or path}' is not a note table")
    data = _text.read_bytes(path)
    if not data:
        raise input_error(path, "empty")
    names, rows = _FORMATS[ext](data, path)
    del data
    cols = _columns(names)
    if "text" not in cols:
        shown = ", ".join(str(n) for n in names[:12]) or "none"
        raise input_error(path, "missing_text_column", f"columns found: {shown}")
    wanted = {k: cols[k] for k in ("text", *ENTRY_FIELDS, *META_FIELDS) if k in cols}
    return _project(rows, wanted)


def _project(rows: Iterator[dict[str, Any]], wanted: dict[str, str]
             ) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, row in enumerate(rows):
        yield n, {k: row.get(name) for k, name in wanted.items()}


def _row_text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = _text.normalise_newlines(value if isinstance(value, str) else str(value))
    return None if not text or text.isspace() else text


def input_record(source: str, code: str, detail: str | None = None) -> ErrorRecord:
    """An error record with the catalogue's message for ``code``."""
    err = input_error(source, code, detail)
    return ErrorRecord(err.source, err.code, err.message)


def fill_meta(meta: ChildMeta, row: dict[str, Any]) -> list[str]:
    """Set each still-empty metadata field from ``row``; return problems with its values."""
    problems: list[str] = []
    for name in META_FIELDS:
        if name == "child_id" or getattr(meta, name) is not None:
            continue
        raw = row.get(name)
        if clean(raw) is None:
            continue
        if name in ("date_of_birth", "placement_start"):
            value: Any = parse_date(raw)
            if value is None:
                problems.append(f"{name} {clean(raw)!r} is not a date")
        elif name == "age":
            try:
                value = parse_age(raw)
            except ValueError as exc:
                problems.append(str(exc))
                value = None
        elif name == "legal_status":
            value = normalise_legal_status(raw)
        else:
            value = clean(raw)
        if value is not None:
            setattr(meta, name, value)
    return problems


def _case_id(meta: ChildMeta) -> str:
    return f"{meta.family_id}/{meta.child_id}" if meta.family_id else meta.child_id


def read_table(path: str) -> TableRead:
    """Read the note table at ``path`` into one :class:`CaseFile` per child (see module doc).

    Raises InputError when the table as a whole cannot be read.
    """
    return cases_from_rows(path, iter_table_rows(path))


def cases_from_rows(path: str, rows: Iterable[tuple[int, dict[str, Any]]],
                    require_text: bool = True) -> TableRead:
    """Group projected rows ``(row number, {lower-case column: value})`` of the table named
    ``path`` into case files, exactly as :func:`read_table` does (it is its second half).

    Used on its own by engines that read the rows themselves (``notes_qa.spark``).
    ``require_text=False`` returns an empty result instead of raising ``empty`` when no row
    has text (for a subset of a table's rows).
    """
    out = TableRead(source=path)
    by_child = out.by_child
    blank_children: dict[str, None] = {}
    used_sources: set[str] = set()
    any_text = False
    for n, row in rows:
        child_id = clean(row.get("child_id"))
        text = _row_text(row.get("text"))
        if text is None:
            if child_id is not None and child_id not in by_child:
                blank_children.setdefault(child_id)
            continue
        any_text = True
        key = clean(row.get("note_id")) or f"row={n}"
        if f"{path}#{key}" in used_sources:
            key = f"row={n}"
        source = f"{path}#{key}"
        used_sources.add(source)
        if child_id is None:
            meta = ChildMeta(child_id=key, provenance="table")
            case = CaseFile(case_id=source, meta=meta, row_entries=[])
            out.cases.append(case)
        else:
            case = by_child.get(child_id)  # type: ignore[assignment]
            if case is None:
                meta = ChildMeta(child_id=child_id, provenance="table")
                case = CaseFile(case_id="", meta=meta, row_entries=[])
                by_child[child_id] = case
                out.cases.append(case)
                blank_children.pop(child_id, None)
        fill_meta(case.meta, row)  # values that are not understood are left empty
        date = parse_date(row.get("date"))
        extra = {k: v for k in ("team", "worker") if (v := clean(row.get(k))) is not None}
        if date is None and clean(row.get("date")) is not None:
            extra["date_raw"] = clean(row.get("date"))  # kept for the reader to see
        case.sources[source] = text
        case.row_entries.append(Entry(  # type: ignore[union-attr]
            source=source, start=0, end=len(text), date=date,
            author=clean(row.get("author")), note_type=clean(row.get("note_type")),
            body_start=0, extra=extra))
    if not any_text and require_text:
        raise input_error(path, "empty", "no row has any text")
    for case in out.cases:
        if not case.case_id:
            case.case_id = _case_id(case.meta)
    for child_id in blank_children:
        out.errors.append(input_record(f"{path}#child_id={child_id}", "empty",
                                       f"every row for child {child_id} has blank text"))
    return out


def merge_case(into: CaseFile, other: CaseFile) -> None:
    """Add ``other``'s rows (same child, another table) to ``into``; fill missing metadata."""
    into.sources.update(other.sources)
    if into.row_entries is not None and other.row_entries is not None:
        into.row_entries.extend(other.row_entries)
    for name in META_FIELDS:
        if getattr(into.meta, name) is None and getattr(other.meta, name) is not None:
            setattr(into.meta, name, getattr(other.meta, name))


__all__ = ["read_table", "cases_from_rows", "iter_table_rows", "merge_case", "TableRead", "TABLE_EXTENSIONS",
           "InputError"]
