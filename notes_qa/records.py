"""The record types that flow through notes-qa, and their contract (de)serialisation.

Contract: ``../shared/contract/README.md`` (schema ``notes-qa/case@1`` and ``notes-qa/error@1``).
Offsets are Python ``str`` indices into the *source text* an entry names.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

CASE_SCHEMA = "notes-qa/case@1"
ERROR_SCHEMA = "notes-qa/error@1"

#: Span labels in the contract's fixed vocabulary (more may be added, never removed).
SPAN_LABELS = ("child_voice", "decision", "rationale", "sibling_copy", "name_leak", "plain_language")

#: ``json.dumps(x, ensure_ascii=False)``: how records are written (JSON Lines).
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode

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


class SourceText:
    """A source text that spans read their ``text`` from (see :class:`Span`)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


#: A span's ``attrs`` kept as ``(key, value)`` pairs (see :class:`Span`).
AttrItems = tuple[tuple[str, Any], ...]


class Span:
    """A labelled stretch of text in one entry. ``attrs`` holds the label's extra fields.

    A big export has a span every few dozen characters, so two things may be given in a
    compact form (the pipeline does; nothing changes for code that reads the span):

    - ``text`` (the source text's ``[start:end]``) as the :class:`SourceText` of the whole
      source: the text is then cut when read instead of copied for each span;
    - ``attrs`` as a tuple of ``(key, value)`` pairs, which many spans may share (it is
      immutable): it becomes the span's own dict when ``attrs`` is first read.
    """

    __slots__ = ("label", "entry", "start", "end", "_text", "_attrs")
    __match_args__ = ("label", "entry", "start", "end", "text", "attrs")

    def __init__(self, label: str, entry: int, start: int, end: int, text: str | SourceText,
                 attrs: dict[str, Any] | AttrItems | None = None) -> None:
        self.label = label
        self.entry = entry
        self.start = start
        self.end = end
        self._text = text
        self._attrs = {} if attrs is None else attrs

    @property
    def text(self) -> str:
        t = self._text
        return t.text[self.start:self.end] if type(t) is SourceText else t  # type: ignore[union-attr]

    @text.setter
    def text(self, value: str) -> None:
        self._text = value

    @property
    def attrs(self) -> dict[str, Any]:
        a = self._attrs
        if type(a) is tuple:
            a = self._attrs = dict(a)
        return a  # type: ignore[return-value]

    @attrs.setter
    def attrs(self, value: dict[str, Any]) -> None:
        self._attrs = value

    def _fields(self) -> tuple[Any, ...]:
        return (self.label, self.entry, self.start, self.end, self.text, dict(self._attrs))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass with eq

    def __repr__(self) -> str:
        return ("Span(label={!r}, entry={!r}, start={!r}, end={!r}, text={!r}, attrs={!r})"
                .format(*self._fields()))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"label": self.label, "entry": self.entry, "start": self.start,
                             "end": self.end, "text": self.text}
        d.update(self._attrs)  # pairs or a dict alike, without making the span's own dict
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

    def _head(self) -> dict[str, Any]:
        m = self.meta
        return {"schema": CASE_SCHEMA, "case_id": self.case_id, "child_id": m.child_id,
                "child_name": m.child_name, "family_id": m.family_id}

    def to_dict(self) -> dict[str, Any]:
        d = self._head()
        d["entries"] = [e.to_dict() for e in self.entries]
        d["spans"] = [s.to_dict() for s in self.spans]
        d["summary"] = dict(self.summary)
        d["findings"] = [f.to_dict() for f in self.findings]
        if self.extra:
            d["extra"] = self.extra
        return d

    def iter_json(self, chunk: int = 1000) -> Iterator[str]:
        """``json.dumps(self.to_dict(), ensure_ascii=False)`` in pieces (same text), never built
        whole: for a big export the dict and the string are each several times the source's size.
        ``chunk``: entries, spans or findings per piece."""
        yield _ENCODE(self._head())[:-1]  # without its closing brace
        yield ', "entries": '
        yield from _json_list(self.entries, chunk)
        yield ', "spans": '
        yield from _json_list(self.spans, chunk)
        yield ', "summary": ' + _ENCODE(dict(self.summary))
        yield ', "findings": '
        yield from _json_list(self.findings, chunk)
        if self.extra:
            yield ', "extra": ' + _ENCODE(self.extra)
        yield "}"


def _json_list(items: Sequence[Entry | Span | Finding], chunk: int) -> Iterator[str]:
    """The JSON of ``[x.to_dict() for x in items]`` in pieces of ``chunk`` items."""
    if not items:
        yield "[]"
        return
    yield "["
    for k in range(0, len(items), chunk):
        part = _ENCODE([x.to_dict() for x in items[k:k + chunk]])[1:-1]
        yield part if k == 0 else ", " + part
    yield "]"


@dataclass(slots=True)
class ErrorRecord:
    """An input that could not be read; written in place of a case record."""

    source: str
    error: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"schema": ERROR_SCHEMA, "source": self.source, "error": self.error,
                "message": self.message}

    def iter_json(self) -> Iterator[str]:
        """``json.dumps(self.to_dict(), ensure_ascii=False)``, as :meth:`CaseRecord.iter_json`."""
        yield _ENCODE(self.to_dict())
