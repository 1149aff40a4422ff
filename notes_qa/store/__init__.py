"""The results history: every scoring run appended to an embedded DuckDB database.

See ``README.md`` beside this file for the tables, the default location and example queries.
DuckDB is imported only when a database is opened.
"""
from __future__ import annotations

from .writer import (DEFAULT_DB_NAME, ENV_VAR, RunWriter, append_run, connect, default_db_path,
                     pipeline_versions)

__all__ = ["RunWriter", "append_run", "connect", "default_db_path", "pipeline_versions",
           "DEFAULT_DB_NAME", "ENV_VAR"]
