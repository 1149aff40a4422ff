"""Turn a case record (``CaseRecord`` or its contract dict) into one plain dict view.

Shared by the DuckDB store and the HTML reports, so both read the same fields the same way.
Light module: no heavy imports.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator, Mapping

from ..records import CASE_SCHEMA, ERROR_SCHEMA, CaseRecord, ErrorRecord

RecordLike = CaseRecord | ErrorRecord | Mapping[str, Any]


def is_error(rec: RecordLike) -> bool:
    if isinstance(rec, ErrorRecord):
        return True
    return isinstance(rec, Mapping) and rec.get("schema") == ERROR_SCHEMA


def case_dict(rec: CaseRecord | Mapping[str, Any]) -> dict[str, Any]:
    """The contract dict, plus ``team``/``worker`` (case) and per-entry ``team``/``worker``.

    Team and worker come from ``ChildMeta`` and ``Entry.extra`` for a ``CaseRecord``; a dict
    (e.g. read from JSON Lines) may carry them as top-level or per-entry optional fields.
    """
    if isinstance(rec, CaseRecord):
        d = rec.to_dict()
        d["team"] = rec.meta.team
        d["worker"] = rec.meta.worker
        for e, ed in zip(rec.entries, d["entries"]):
            ed["team"] = e.extra.get("team")
            ed["worker"] = e.extra.get("worker")
        return d
    d = dict(rec)
    extra = d.get("extra") if isinstance(d.get("extra"), Mapping) else {}
    d.setdefault("team", extra.get("team"))
    d.setdefault("worker", extra.get("worker"))
    d["entries"] = [dict(e) for e in d.get("entries") or []]
    d.setdefault("spans", [])
    d.setdefault("findings", [])
    d.setdefault("summary", {})
    return d


def record_sources(rec: CaseRecord | Mapping[str, Any]) -> dict[str, str] | None:
    """The raw source texts a ``CaseRecord`` carries (None for a contract dict)."""
    return dict(rec.sources) if isinstance(rec, CaseRecord) else None


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Case and error records from a contract JSON Lines file (blank lines skipped)."""
    with open(path, encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}: line {n} is not JSON ({exc.msg})") from None
            if isinstance(obj, dict):
                yield obj


def is_results_file(path: str | Path) -> bool:
    """Whether ``path`` is a notes-qa results file (JSON Lines of case/error records).

    A ``.jsonl`` note table (rows with ``text``) is an input to score, not results.
    """
    p = Path(path)
    if p.suffix.lower() not in (".jsonl", ".json") or not p.is_file():
        return False
    try:
        with open(p, encoding="utf-8-sig") as fh:
            for line in fh:
                if line.strip():
                    obj = json.loads(line)
                    return isinstance(obj, dict) and obj.get("schema") in (CASE_SCHEMA, ERROR_SCHEMA)
    except (OSError, ValueError):
        return False
    return False
