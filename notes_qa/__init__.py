"""notes-qa: check the quality of children's social care case notes, offline.

The public API (heavy modules are imported lazily)::

    from notes_qa import score_paths, score_text, build_pipeline, segment
"""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "score_paths": "notes_qa.scoring",
    "score_text": "notes_qa.scoring",
    "score_groups": "notes_qa.scoring",
    "build_pipeline": "notes_qa.pipeline",
    "segment": "notes_qa.segmentation",
    "read_groups": "notes_qa.readers",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'notes_qa' has no attribute {name!r}")
