"""The ``--manifest``: a CSV (or a JSON list of objects, or JSON Lines) describing the
children whose case files are documents.

Columns (case-insensitive): ``path`` (relative to the manifest's folder, or absolute),
``child_id``, ``child_name``, ``family_id``, and optionally ``gender``, ``date_of_birth``,
``age``, ``legal_status``, ``placement_start``, ``team``, ``worker``.

Each manifest document is scored (as if given as an input), once, whether or not a folder
argument also reaches it; its values override what the folder would have inferred, field by
field (a blank manifest cell keeps the folder's value). Rows are matched to documents by
resolved path.

Row problems become ``bad_manifest_row`` error records (source ``MANIFEST#row=N``, N 0-based):
a row without ``path`` or ``child_id`` or repeating an earlier row's path is skipped; a row
with a date or age that is not understood is used without that value.
A manifest that cannot be read at all is a usage error (exit status 2).
"""
from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, UsageError
from ..records import ChildMeta, ErrorRecord
from . import text as _text
from .tables import fill_meta, input_record
from .values import clean


@dataclass
class ManifestRow:
    """One usable manifest row."""

    index: int
    #: The document path as the tool opens it: the manifest's folder joined with ``path``.
    source: str
    #: ``os.path.realpath`` of ``source``, used to match documents found in folders.
    resolved: str
    meta: ChildMeta


@dataclass
class Manifest:
    """A parsed manifest: usable rows (in file order) and error records for bad ones."""

    path: str
    rows: list[ManifestRow] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    _by_resolved: dict[str, ManifestRow] = field(default_factory=dict, repr=False)

    def lookup(self, path: str) -> ManifestRow | None:
        """The row describing the document at ``path`` (matched by resolved path), if any."""
        return self._by_resolved.get(os.path.realpath(path))

    @property
    def resolved(self) -> str:
        return os.path.realpath(self.path)


def _load_records(path: str) -> list[dict[str, Any]]:
    try:
        data = _text.read_bytes(path)
    except InputError as exc:
        raise UsageError(f"cannot read the manifest {path}: {exc.message}") from exc
    text = _text.normalise_newlines(_text.decode_bytes(data))
    ext = os.path.splitext(path)[1].lower()
    if ext in (".json", ".jsonl") or text.lstrip().startswith(("[", "{")):
        try:
            if ext == ".jsonl":
                obj: Any = [json.loads(line) for line in text.splitlines() if line.strip()]
            else:
                obj = json.loads(text)
        except ValueError as exc:
            raise UsageError(f"the manifest {path} is not valid JSON: {exc}") from exc
        if isinstance(obj, dict) and len(obj) == 1 and isinstance(next(iter(obj.values())), list):
            obj = next(iter(obj.values()))  # {"children": [...]}
        if not isinstance(obj, list) or not all(isinstance(r, dict) for r in obj):
            raise UsageError(f"the manifest {path} must be a JSON list of objects")
        return obj
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UsageError(f"the manifest {path} is not valid CSV: {exc}") from exc


def read_manifest(path: str | Path) -> Manifest:
    """Parse the manifest at ``path``; raises :class:`UsageError` if it cannot be used at all."""
    path = str(path)
    records = _load_records(path)
    keys: dict[str, None] = {}
    for r in records:
        keys.update(dict.fromkeys(str(k).strip().lstrip("\ufeff").lower() for k in r))
    missing = [c for c in ("path", "child_id") if c not in keys]
    if records and missing:
        raise UsageError(f"the manifest {path} has no {' or '.join(missing)} column "
                         f"(columns found: {', '.join(keys) or 'none'})")
    base = os.path.dirname(path)
    manifest = Manifest(path=path)
    for i, raw in enumerate(records):
        row = {str(k).strip().lstrip("\ufeff").lower(): v for k, v in raw.items() if k is not None}
        source_name = f"{path}#row={i}"
        rel, child_id = clean(row.get("path")), clean(row.get("child_id"))
        if rel is None or child_id is None:
            what = "path" if rel is None else "child_id"
            manifest.errors.append(input_record(source_name, "bad_manifest_row",
                                                f"row {i} has no {what}"))
            continue
        source = os.path.join(base, rel)
        resolved = os.path.realpath(source)
        if resolved in manifest._by_resolved:
            manifest.errors.append(input_record(source_name, "bad_manifest_row",
                                                f"row {i} repeats the path {rel!r}"))
            continue
        meta = ChildMeta(child_id=child_id, provenance="manifest")
        problems = fill_meta(meta, row)
        if problems:
            manifest.errors.append(input_record(
                source_name, "bad_manifest_row",
                f"row {i} ({rel}): {'; '.join(problems)}; scored without that value"))
        entry = ManifestRow(index=i, source=source, resolved=resolved, meta=meta)
        manifest.rows.append(entry)
        manifest._by_resolved[resolved] = entry
    return manifest


__all__ = ["read_manifest", "Manifest", "ManifestRow"]
