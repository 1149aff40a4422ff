"""Case-level decision findings: pure functions of a record's spans.

- ``decision_without_rationale`` (warning): a ``decision`` span with ``has_rationale`` false,
  i.e. no reason was found in its sentence or the sentences either side.
"""
from __future__ import annotations

from ..findings import entry_date_phrase
from ..records import CaseRecord, Finding

QUOTE_CHARS = 80


def case_findings(record: CaseRecord) -> list[Finding]:
    out = []
    for k, s in enumerate(record.spans):
        if s.label != "decision" or s.attrs.get("has_rationale"):
            continue
        text = " ".join(s.text.split())
        if len(text) > QUOTE_CHARS:
            text = text[:QUOTE_CHARS - 1].rstrip() + "…"
        out.append(Finding("decision_without_rationale", "warning",
                           f"Decision {entry_date_phrase(record, s.entry)} has no recorded reason: "
                           f"\u201c{text}\u201d.", entry=s.entry, spans=[k]))
    return out
