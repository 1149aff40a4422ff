"""Statutory-practice checks (filled in by issue 9)."""
from __future__ import annotations

from ..records import CaseRecord, Finding


def check_case(record: CaseRecord, rules: str = "wales") -> list[Finding]:
    return []
