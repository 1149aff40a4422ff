"""Readers: turn the user's inputs into :class:`~notes_qa.records.CaseFile` groups.

``read_groups(paths, manifest)`` yields one list per family (every case file sharing a
``family_id`` across all inputs of the call, in order of first appearance) or per lone child;
unreadable inputs come as :class:`~notes_qa.records.ErrorRecord` items and never raise.

Order is deterministic (see :mod:`.folders`), so the same call gives the same output.
Note tables are read while the call is planned (their ``family_id`` column decides grouping,
and rows of one ``child_id`` in several tables are merged into one case file); documents are
read only when their group is yielded, so memory holds one family's documents at a time.

Metadata of a document:

- in a subfolder of a folder argument: ``family_id`` = the subfolder's name, ``child_id`` =
  the file stem, ``child_name`` = the stem's first word as written (provenance ``folder``);
- otherwise ``child_id`` = the stem, no family, no name (segmentation may take the name from
  the export's preamble; provenance ``none``);
- a manifest row for the document overrides these field by field (provenance ``manifest``).

``case_id`` is ``family_id/child_id`` for family members, else ``child_id`` (a table row
without ``child_id`` uses its source name, ``TABLE#NOTE_ID`` or ``TABLE#row=N``). Case ids are
unique within a call: a clash is resolved by adding the document's extension
(``family-17/Mia.docx``), then ``~2``, ``~3``...
"""
from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from ..errors import InputError, input_error
from ..records import CaseFile, ChildMeta, ErrorRecord, META_FIELDS
from .folders import DOCUMENT_EXTENSIONS, InputItem, iter_inputs, kind_of
from .manifest import Manifest, ManifestRow, read_manifest
from .tables import TableRead, merge_case, read_table
from .text import decode_bytes, normalise_newlines, read_bytes
from .values import first_word, parse_date

Group = list[CaseFile | ErrorRecord]


def read_document(path: str | Path) -> str:
    """Decoded, newline-normalised text of a ``.txt``/``.md``/``.docx``/``.pdf`` case file.

    Raises :class:`~notes_qa.errors.InputError` with the error record's code.
    """
    from . import docx_reader, pdf, text

    path = str(path)
    ext = os.path.splitext(path)[1].lower()
    if ext in (".txt", ".md"):
        return text.read_text_file(path)
    if ext == ".docx":
        return docx_reader.read_docx(path)
    if ext == ".pdf":
        return pdf.read_pdf(path)
    if not os.path.lexists(path):
        raise input_error(path, "not_found")
    raise input_error(path, "unsupported_type", f"'{ext or 'no extension'}' is not a document")


def document_meta(source: str, folder_family: str | None = None,
                  row: ManifestRow | None = None) -> ChildMeta:
    """A document's child metadata from its folder and (overriding) its manifest row."""
    stem = os.path.splitext(os.path.basename(source))[0]
    if folder_family is not None:
        meta = ChildMeta(child_id=stem, child_name=first_word(stem), family_id=folder_family,
                         provenance="folder")
    else:
        meta = ChildMeta(child_id=stem)
    if row is not None:
        for name in META_FIELDS:
            value = getattr(row.meta, name)
            if value is not None:
                setattr(meta, name, value)
        meta.provenance = "manifest"
    return meta


def _case_id(meta: ChildMeta) -> str:
    return f"{meta.family_id}/{meta.child_id}" if meta.family_id else meta.child_id


@dataclass
class _Doc:
    """A document planned for reading when its group is yielded."""

    case_id: str
    source: str
    meta: ChildMeta

    def read(self) -> CaseFile | ErrorRecord:
        try:
            text = read_document(self.source)
        except InputError as exc:
            return ErrorRecord(exc.source, exc.code, exc.message)
        return CaseFile(case_id=self.case_id, meta=self.meta, sources={self.source: text})


_Unit = _Doc | CaseFile | ErrorRecord


def _family(unit: _Unit) -> str | None:
    return unit.meta.family_id if isinstance(unit, (_Doc, CaseFile)) else None


def _plan(paths: Sequence[str], manifest: Manifest | None) -> list[_Unit]:
    """Enumerate inputs and read the note tables; documents stay unread."""
    units: list[_Unit] = list(manifest.errors) if manifest is not None else []
    table_children: dict[str, CaseFile] = {}
    for item in iter_inputs(list(paths), manifest):
        if item.kind == "error":
            assert item.error is not None
            units.append(item.error)
        elif item.kind == "table":
            try:
                table = read_table(item.source)
            except InputError as exc:
                units.append(ErrorRecord(exc.source, exc.code, exc.message))
                continue
            _add_table(units, table, table_children)
        else:
            meta = document_meta(item.source, item.folder_family, item.manifest_row)
            units.append(_Doc(_case_id(meta), item.source, meta))
    _unique_case_ids(units)
    return units


def _add_table(units: list[_Unit], table: TableRead, children: dict[str, CaseFile]) -> None:
    for case in table.cases:
        if case.meta.child_id in table.by_child:
            known = children.get(case.meta.child_id)
            if known is not None:  # the same child in an earlier table: one case file
                merge_case(known, case)
                known.case_id = _case_id(known.meta)
                continue
            children[case.meta.child_id] = case
        units.append(case)
    units.extend(table.errors)


def _unique_case_ids(units: list[_Unit]) -> None:
    used: set[str] = set()
    for unit in units:
        if isinstance(unit, ErrorRecord):
            continue
        base = unit.case_id
        candidates = [base]
        if isinstance(unit, _Doc):
            candidates.append(base + os.path.splitext(unit.source)[1].lower())
        n = 2
        while all(c in used for c in candidates):
            candidates.append(f"{base}~{n}")
            n += 1
        unit.case_id = next(c for c in candidates if c not in used)
        used.add(unit.case_id)


def _iter_groups(paths: Sequence[str], manifest: Manifest | None) -> Iterator[Group]:
    units = _plan(paths, manifest)
    order: list[list[_Unit]] = []
    families: dict[str, list[_Unit]] = {}
    for unit in units:
        family = _family(unit)
        if family is None:
            order.append([unit])
        elif family in families:
            families[family].append(unit)
        else:
            families[family] = [unit]
            order.append(families[family])
    del units, families
    pending = deque(order)
    del order
    while pending:
        planned = pending.popleft()
        yield [u.read() if isinstance(u, _Doc) else u for u in planned]


def read_groups(paths: Sequence[str | Path], manifest: str | Path | None = None
                ) -> Iterator[Group]:
    """Yield the case files of ``paths`` family by family (see the module docstring).

    The manifest is read at once, so a manifest that cannot be used raises
    :class:`~notes_qa.errors.UsageError` here, before anything is yielded.
    """
    m = read_manifest(manifest) if manifest is not None else None
    return _iter_groups([str(p) for p in paths], m)


def read_cases(paths: Sequence[str | Path], manifest: str | Path | None = None
               ) -> Iterator[CaseFile | ErrorRecord]:
    """Case files and error records of ``paths``, one by one (groups flattened)."""
    for group in read_groups(paths, manifest):
        yield from group


__all__ = ["read_groups", "read_cases", "read_document", "read_table", "read_manifest",
           "iter_inputs", "decode_bytes", "normalise_newlines", "read_bytes", "parse_date",
           "document_meta", "kind_of", "InputItem", "Manifest", "ManifestRow", "TableRead",
           "DOCUMENT_EXTENSIONS", "Group"]
