"""Enumerate the inputs of one call: files, folders (recursively) and the manifest's documents.

Order is deterministic: input arguments in the order given; inside a folder, files sorted by
their path components; then the manifest's documents that no argument reached, in row order.
A file reached twice (same resolved path) is read once, where first reached.

Inside a folder argument, hidden files and folders (``.name``), Office lock files (``~$name``),
notes-qa's own in-progress outputs (``*.partial``), ``Thumbs.db``/``desktop.ini`` and the ``--manifest`` itself are skipped; every other file is an
input (an unsupported extension gives an ``unsupported_type`` error record, so nothing is
silently left out). The subfolder a document sits in (its immediate parent, below the folder
argument) is its family.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterator

from ..records import ErrorRecord
from .manifest import Manifest, ManifestRow
from .tables import TABLE_EXTENSIONS, input_record

DOCUMENT_EXTENSIONS = (".txt", ".md", ".docx", ".pdf")
_JUNK = frozenset({"thumbs.db", "desktop.ini"})


@dataclass
class InputItem:
    """One input to read: a document, a note table, or an error found while enumerating."""

    kind: str  # "document" | "table" | "error"
    source: str
    #: The family folder's name, for a document in a subfolder of a folder argument.
    folder_family: str | None = None
    manifest_row: ManifestRow | None = None
    error: ErrorRecord | None = None


def kind_of(path: str) -> str | None:
    """"document", "table" or None (unsupported) from the file extension."""
    ext = os.path.splitext(path)[1].lower()
    if ext in DOCUMENT_EXTENSIONS:
        return "document"
    if ext in TABLE_EXTENSIONS:
        return "table"
    return None


def _skipped(name: str) -> bool:
    return (name.startswith((".", "~$")) or name.lower() in _JUNK
            or name.endswith(".partial"))


def _walk(folder: str, errors: list[ErrorRecord]) -> list[tuple[tuple[str, ...], str]]:
    """(path components, relative path) of every non-skipped file below ``folder``."""
    found: list[tuple[tuple[str, ...], str]] = []

    def onerror(exc: OSError) -> None:
        errors.append(input_record(exc.filename or folder, "read_failed",
                                   f"cannot list the folder ({exc.strerror})"))

    for root, dirs, files in os.walk(folder, onerror=onerror):
        dirs[:] = [d for d in dirs if not _skipped(d)]
        rel_root = os.path.relpath(root, folder)
        for name in files:
            if _skipped(name):
                continue
            rel = name if rel_root == os.curdir else os.path.join(rel_root, name)
            found.append((tuple(rel.split(os.sep)), rel))
    found.sort()
    return found


def iter_inputs(paths: list[str], manifest: Manifest | None = None) -> Iterator[InputItem]:
    """Every input of the call, in the module's deterministic order (paths only; nothing read)."""
    seen: set[str] = set()
    skip = {manifest.resolved} if manifest is not None else set()

    def item(source: str, family: str | None) -> InputItem | None:
        resolved = os.path.realpath(source)
        if resolved in seen or resolved in skip:
            return None
        seen.add(resolved)
        kind = kind_of(source)
        if kind is None:
            ext = os.path.splitext(source)[1] or "no extension"
            return InputItem("error", source, error=input_record(
                source, "unsupported_type", f"'{ext}' is not a supported type"))
        row = manifest.lookup(source) if manifest is not None and kind == "document" else None
        return InputItem(kind, source, folder_family=family, manifest_row=row)

    for arg in paths:
        if os.path.isdir(arg):
            errors: list[ErrorRecord] = []
            listing = _walk(arg, errors)
            for err in errors:
                yield InputItem("error", err.source, error=err)
            for parts, rel in listing:
                family = parts[-2] if len(parts) >= 2 else None
                it = item(os.path.join(arg, rel), family)
                if it is not None:
                    yield it
        elif os.path.exists(arg):
            it = item(arg, None)
            if it is not None:
                yield it
        else:
            yield InputItem("error", arg, error=input_record(arg, "not_found"))
    if manifest is None:
        return
    for row in manifest.rows:
        if row.resolved in seen:
            continue
        if not os.path.exists(row.source):
            seen.add(row.resolved)
            yield InputItem("error", row.source, error=input_record(
                row.source, "not_found", f"listed in the manifest (row {row.index})"))
            continue
        it = item(row.source, None)
        if it is not None:
            yield it
