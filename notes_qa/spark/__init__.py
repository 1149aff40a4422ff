"""Score note tables on Apache Spark: the same records as the local path, at cluster scale.

::

    from notes_qa.spark import get_session, read_notes, score_dataframe
    spark = get_session("local[2]")
    notes = read_notes(spark, ["notes.parquet"])          # or any DataFrame of notes
    cases, spans, findings = score_dataframe(notes)

Per-document work (the spaCy pipeline over each entry) runs in ``mapInPandas``; the family
step (siblings compared, summary and findings) in ``applyInPandas`` grouped by family; the
pipeline is built once per Python worker. pyspark is imported only when these are used.
See ``README.md`` in this folder for running on a cluster (spark-submit, Databricks).
"""
from __future__ import annotations

from typing import Any

__all__ = ["score_dataframe", "read_notes", "get_session", "CONTRACT_COLUMNS"]

CONTRACT_COLUMNS = ("text", "note_id", "child_id", "child_name", "family_id", "date", "author",
                    "note_type", "gender", "date_of_birth", "age", "legal_status",
                    "placement_start", "team", "worker")


def __getattr__(name: str) -> Any:
    if name == "score_dataframe":
        from .score import score_dataframe
        return score_dataframe
    if name == "read_notes":
        from .io import read_notes
        return read_notes
    if name == "get_session":
        from .session import get_session
        return get_session
    raise AttributeError(name)
