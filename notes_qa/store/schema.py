"""The DuckDB tables of the results history (one row set per run; nothing is overwritten).

Every table but ``runs`` carries ``run_id``; ``case_id`` joins cases, entries, spans and
findings within a run. Views ``latest_*`` hold each case's most recent result.
"""
from __future__ import annotations

#: table → [(column, DuckDB type)], in insertion order.
TABLES: dict[str, list[tuple[str, str]]] = {
    "runs": [
        ("run_id", "VARCHAR PRIMARY KEY"), ("started_at", "TIMESTAMP"), ("finished_at", "TIMESTAMP"),
        ("status", "VARCHAR"), ("tool_version", "VARCHAR"), ("model_versions", "JSON"),
        ("inputs", "JSON"), ("rules", "VARCHAR"), ("n_cases", "INTEGER"), ("n_errors", "INTEGER"),
    ],
    "cases": [
        ("run_id", "VARCHAR"), ("case_id", "VARCHAR"), ("child_id", "VARCHAR"),
        ("child_name", "VARCHAR"), ("family_id", "VARCHAR"), ("team", "VARCHAR"),
        ("worker", "VARCHAR"), ("n_entries", "INTEGER"), ("first_date", "DATE"),
        ("last_date", "DATE"), ("child_voice_coverage", "DOUBLE"), ("rationale_coverage", "DOUBLE"),
        ("sibling_copy_share", "DOUBLE"), ("plain_language", "DOUBLE"), ("n_findings", "INTEGER"),
        ("n_concerns", "INTEGER"), ("n_warnings", "INTEGER"), ("n_info", "INTEGER"),
        ("extra", "JSON"),
    ],
    "entries": [
        ("run_id", "VARCHAR"), ("case_id", "VARCHAR"), ("entry", "INTEGER"), ("source", "VARCHAR"),
        ("start", "INTEGER"), ("end", "INTEGER"), ("date", "DATE"), ("month", "VARCHAR"),
        ("author", "VARCHAR"), ("note_type", "VARCHAR"), ("team", "VARCHAR"), ("worker", "VARCHAR"),
        ("is_direct_work", "BOOLEAN"), ("is_plan", "BOOLEAN"), ("has_child_voice", "BOOLEAN"),
        ("n_child_voice", "INTEGER"), ("n_decisions", "INTEGER"),
        ("n_decisions_with_rationale", "INTEGER"), ("plain_language", "DOUBLE"),
    ],
    "spans": [
        ("run_id", "VARCHAR"), ("case_id", "VARCHAR"), ("span", "INTEGER"), ("label", "VARCHAR"),
        ("entry", "INTEGER"), ("start", "INTEGER"), ("end", "INTEGER"), ("text", "VARCHAR"),
        ("kind", "VARCHAR"), ("score", "DOUBLE"), ("has_rationale", "BOOLEAN"),
        ("decision", "INTEGER"), ("similarity", "DOUBLE"), ("match_case_id", "VARCHAR"),
        ("match_entry", "INTEGER"), ("match_start", "INTEGER"), ("match_end", "INTEGER"),
        ("detail", "VARCHAR"), ("suggestion", "VARCHAR"), ("attrs", "JSON"),
    ],
    "findings": [
        ("run_id", "VARCHAR"), ("case_id", "VARCHAR"), ("finding", "INTEGER"), ("code", "VARCHAR"),
        ("severity", "VARCHAR"), ("message", "VARCHAR"), ("entry", "INTEGER"), ("date", "DATE"),
        ("spans", "INTEGER[]"), ("extra", "JSON"),
    ],
    "errors": [
        ("run_id", "VARCHAR"), ("source", "VARCHAR"), ("error", "VARCHAR"), ("message", "VARCHAR"),
    ],
}

VIEWS: dict[str, str] = {
    # Each case's most recent result (by run start time) across all runs.
    "latest_cases": """
        SELECT c.* FROM cases c JOIN runs r USING (run_id)
        QUALIFY row_number() OVER (PARTITION BY c.case_id
                                   ORDER BY r.started_at DESC, r.run_id DESC) = 1""",
    "latest_entries": "SELECT e.* FROM entries e JOIN latest_cases USING (run_id, case_id)",
    "latest_spans": "SELECT s.* FROM spans s JOIN latest_cases USING (run_id, case_id)",
    "latest_findings": "SELECT f.* FROM findings f JOIN latest_cases USING (run_id, case_id)",
}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_statements() -> list[str]:
    out = []
    for table, cols in TABLES.items():
        body = ", ".join(f"{quote(c)} {t}" for c, t in cols)
        out.append(f"CREATE TABLE IF NOT EXISTS {table} ({body})")
    for view, sql in VIEWS.items():
        out.append(f"CREATE OR REPLACE VIEW {view} AS {sql.strip()}")
    return out
