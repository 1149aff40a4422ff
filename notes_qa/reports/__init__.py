"""HTML case report, QA dashboard and flat summaries (self-contained: no scripts, no network).

    from notes_qa.reports import render_case_report, write_case_report
    html = render_case_report(records)              # CaseRecord objects or contract dicts

    from notes_qa.reports import render_dashboard, export_summary
    html = render_dashboard("notes-qa-results.duckdb")
    export_summary("notes-qa-results.duckdb", "summary.csv", format="csv")

All text from the notes reaches HTML through :func:`notes_qa.reports.html.escape` only.
"""
from __future__ import annotations

from typing import Any

_LAZY = {
    "render_case_report": "notes_qa.reports.case_report",
    "write_case_report": "notes_qa.reports.case_report",
    "load_thresholds": "notes_qa.reports.case_report",
    "load_results": "notes_qa.reports.case_report",
    "render_dashboard": "notes_qa.reports.dashboard",
    "write_dashboard": "notes_qa.reports.dashboard",
    "export_summary": "notes_qa.reports.dashboard",
    "ProgressBar": "notes_qa.reports.progress",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'notes_qa.reports' has no attribute {name!r}")
