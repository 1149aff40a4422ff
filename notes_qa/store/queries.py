"""The SQL queries documented in this package's README.md, by name.

The README is the single source: each query follows a ``<!-- query: NAME -->`` marker in a
```sql block. The dashboard runs these same queries, so the documentation cannot drift.
"""
from __future__ import annotations

import re
from functools import lru_cache

_QUERY = re.compile(r"<!-- query: (\w+) -->\s*```sql\n(.*?)```", re.S)


@lru_cache(maxsize=1)
def documented_queries() -> dict[str, str]:
    from ..resources import read_text

    return {m.group(1): m.group(2).strip() for m in _QUERY.finditer(read_text("notes_qa.store", "README.md"))}


def query(name: str) -> str:
    """The documented query ``name`` (e.g. ``per_worker_voice_coverage``)."""
    try:
        return documented_queries()[name]
    except KeyError:
        raise KeyError(f"no documented query {name!r}; known: {sorted(documented_queries())}") from None
