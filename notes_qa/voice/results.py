"""Case-level findings of this room (filled in by the room's issue)."""
from __future__ import annotations

from ..records import CaseRecord, Finding


def case_findings(record: CaseRecord) -> list[Finding]:
    return []
