"""The record types that flow through notes-qa, and their contract (de)serialisation.

Contract: ``../shared/contract/README.md`` (schema ``notes-qa/case@1`` and ``notes-qa/error@1``).
Offsets are Python ``str`` indices into the *source text* an entry names.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CASE_SCHEMA = "notes-qa/case@1"
ERROR_SCHEMA = "notes-qa/error@1"

#: Span labels in the contract's fixed vocabulary (more may be added, never removed).
SPAN_LABELS = ("child_voice", "decision", "rationale", "sibling_copy", "name_leak", "plain_language")

#: Metadata columns understood in manifests and note tables.
META_FIELDS = ("child_id", "child_name", "family_id", "gender", "date_of_birth", "age",
               "legal_status", "placement_start", "team", "worker")


@dataclass(slots=True)
class ChildMeta:
    """What is known about the child whose case file this is (all optional but ``child_id``)."""

    child_id: str
    child_name: str | None = None
    family_id: str | None = None
    gender: str | None = None
    date_of_birth: str | None = None  # ISO YYYY-MM-DD
    age: float | None = None
    legal_status: str | None = None
    placement_start: str | None = None
    team: str | None = None
    worker: str | None = None
    nicknames: list[str] = field(default_factory=list)
    #: Names of this child's siblings (filled in by the batch when the family is known).
    sibling_names: list[str] = field(default_factory=list)
    #: Where the metadata came from: "manifest", "table", "folder", "preamble" or "none".
    provenance: str = "none"


@dataclass(slots=True)
class Entry:
    """One dated entry of a case file: ``text == sources[source][start:end]``."""

    source: str
    start: int
    end: int
    date: str | None = None
    author: str | None = None
    note_type: str | None = None
    #: Offset (absolute, in the source) where the entry's body starts, after its header line(s).
    body_start: int | None = None
    scores: dict[str, float] = field(default_factory=dict)
    #: Entry-level metadata carried from a table row (e.g. team, worker); not in the contract.
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "start": self.start, "end": self.end, "date": self.date,
                "author": self.author, "note_type": self.note_type, "scores": dict(self.scores)}


@dataclass(slots=True)
class Span:
    """A labelled stretch of text in one entry. ``attrs`` holds the label's extra fields."""

    label: str
    entry: int
    start: int
    end: int
    text: str
    attrs: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"label": self.label, "entry": self.entry, "start": self.start,
                             "end": self.end, "text": self.text}
        d.update(self.attrs)
        return d


@dataclass(slots=True)
class Finding:
    """Something a manager or auditor acts on."""

    code: str
    severity: str  # info | warning | concern
    message: str
    entry: int | None = None
    spans: list[int] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"code": self.code, "severity": self.severity, "message": self.message}
        if self.entry is not None:
            d["entry"] = self.entry
        if self.spans:
            d["spans"] = list(self.spans)
        d.update(self.extra)
        return d


@dataclass(slots=True)
class CaseFile:
    """A child's case file as read: metadata plus the raw text of each source.

    A document gives one source; a note table gives one source per row (``TABLE#NOTE_ID``),
    in which case ``row_entries`` carries each row's own date/author/note_type.
    """

    case_id: str
    meta: ChildMeta
    sources: dict[str, str] = field(default_factory=dict)
    row_entries: list[Entry] | None = None
    preamble: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class CaseRecord:
    """A scored case file: what the writers serialise. Stages only add to it."""

    case_id: str
    meta: ChildMeta
    sources: dict[str, str]
    entries: list[Entry] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    summary: dict[str, float | None] = field(default_factory=lambda: {
        "child_voice_coverage": None, "rationale_coverage": None,
        "sibling_copy_share": None, "plain_language": None})
    findings: list[Finding] = field(default_factory=list)
    #: Extra per-case results that are not in the contract's summary (e.g. focus shares).
    extra: dict[str, Any] = field(default_factory=dict)

    def entry_text(self, i: int) -> str:
        e = self.entries[i]
        return self.sources[e.source][e.start:e.end]

    def add_span(self, span: Span) -> int:
        self.spans.append(span)
        return len(self.spans) - 1

    def to_dict(self) -> dict[str, Any]:
        m = self.meta
        d: dict[str, Any] = {
            "schema": CASE_SCHEMA, "case_id": self.case_id, "child_id": m.child_id,
            "child_name": m.child_name, "family_id": m.family_id,
            "entries": [e.to_dict() for e in self.entries],
            "spans": [s.to_dict() for s in self.spans],
            "summary": dict(self.summary),
            "findings": [f.to_dict() for f in self.findings],
        }
        if self.extra:
            d["extra"] = self.extra
        return d


@dataclass(slots=True)
class ErrorRecord:
    """An input that could not be read; written in place of a case record."""

    source: str
    error: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"schema": ERROR_SCHEMA, "source": self.source, "error": self.error,
                "message": self.message}
