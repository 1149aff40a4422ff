"""Case-level child's-voice findings: pure functions of a record's entries and spans.

- ``visit_without_child_voice`` (warning; info when the entry records why the child's views
  could not be gained): a direct-work entry (:func:`notes_qa.findings.is_direct_work`) with no
  ``child_voice`` span.
- ``no_child_voice_recent`` (concern): no ``child_voice`` span in the three calendar months up
  to the file's last dated entry. The window is anchored on that entry, never on today, so a
  file's results do not change by the day. Raised only when the window holds direct work.
"""
from __future__ import annotations

import calendar
from datetime import date

from ..findings import entry_date_phrase, is_direct_work
from ..records import CaseRecord, Finding

RECENT_MONTHS = 3


def case_findings(record: CaseRecord) -> list[Finding]:
    return visits_without_voice(record) + no_voice_recent(record)


def _voiced(record: CaseRecord) -> set[int]:
    return {s.entry for s in record.spans if s.label == "child_voice"}


def visits_without_voice(record: CaseRecord) -> list[Finding]:
    """One finding per direct-work entry without any child's-voice span."""
    from .cues import default_matcher

    voiced = _voiced(record)
    out = []
    matcher = default_matcher()
    for i, e in enumerate(record.entries):
        if not is_direct_work(e.note_type) or i in voiced:
            continue
        kind = (e.note_type or "direct work").replace("_", " ")
        when = entry_date_phrase(record, i)
        if matcher.not_obtained.search(record.entry_text(i)):
            out.append(Finding("visit_without_child_voice", "info",
                               f"The {kind} {when} records why the child's views were not gained, "
                               f"but no child's voice; plan how to gain them next time.", entry=i))
        else:
            out.append(Finding("visit_without_child_voice", "warning",
                               f"The {kind} {when} does not record the child's words, views, wishes "
                               f"or feelings (or, for a baby, how they communicated).", entry=i))
    return out


def months_before(d: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (clamped to the month's last day)."""
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _parse(s: str | None) -> date | None:
    try:
        return date.fromisoformat(s) if s else None
    except ValueError:
        return None


def no_voice_recent(record: CaseRecord) -> list[Finding]:
    """A concern when the three months up to the last dated entry hold direct work but no voice."""
    dated = [(d, i) for i, e in enumerate(record.entries) if (d := _parse(e.date)) is not None]
    if not dated:
        return []
    last, last_i = max(dated)
    since = months_before(last, RECENT_MONTHS)
    window = [i for d, i in dated if since <= d <= last]
    if not any(is_direct_work(record.entries[i].note_type) for i in window):
        return []
    if _voiced(record) & set(window):
        return []
    return [Finding("no_child_voice_recent", "concern",
                    f"No child's voice is recorded between {since.isoformat()} and the last entry "
                    f"{entry_date_phrase(record, last_i)} (3 months).", entry=last_i)]
