"""The family batch step: passages copied between siblings' files, name leaks, focus."""
from __future__ import annotations

from typing import Sequence

from ..records import CaseRecord


def compare_family(records: Sequence[CaseRecord]) -> None:
    """Compare every pair of siblings' records, adding spans (filled in by issue 5)."""
    for r in records:
        r.extra["siblings_compared"] = True
