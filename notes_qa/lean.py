"""Start-up without torch: import spaCy so that thinc does not import torch.

thinc (spaCy's ML library) imports torch whenever it is installed, for its PyTorch wrappers.
The default notes-qa pipeline never uses them, and the import costs ~1.5 s and ~190 MB per
process (2.1 s → 0.6 s for ``import spacy`` on the development machine). notes-qa's own
processes — the ``notes-qa`` command, its worker processes and Spark Python workers — call
:func:`import_spacy_lean` before anything imports spaCy. Library users are untouched: importing
``notes_qa`` never does this, since their own pipelines may need thinc's torch support.

torch itself stays importable afterwards (the optional transformers backend imports it
directly); only thinc's ``has_torch`` is False. Set ``NOTES_QA_THINC_TORCH=1`` to turn this off.
"""
from __future__ import annotations

import os
import sys
from typing import Any


def import_spacy_lean() -> bool:
    """Import spaCy with torch hidden from thinc; True if it was done, False if spaCy or torch
    was already imported (nothing to change) or the environment turns it off."""
    if os.environ.get("NOTES_QA_THINC_TORCH") or "thinc" in sys.modules or "torch" in sys.modules:
        return False
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` raises ImportError
    try:
        import spacy  # noqa: F401
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    return True


class LeanFactory:
    """A pipeline factory for notes-qa's own scoring processes (the command, its workers).
    Picklable when ``factory`` is.

    It imports spaCy lean first (:func:`import_spacy_lean`), so that a process which may never
    need spaCy, such as ``notes-qa score``'s parent when worker processes do the scoring,
    imports it only if it scores a family itself. After building, it moves everything alive
    (the pipeline, its models, rules and compiled patterns: several hundred thousand objects)
    out of the garbage collector's sight with :func:`gc.freeze`: they live as long as the
    process, and full collections would otherwise walk them all again and again while a batch
    runs. ``NOTES_QA_GC_FREEZE=0`` turns that off.
    """

    def __init__(self, factory: Any) -> None:
        self.factory = factory

    def __call__(self) -> Any:
        import_spacy_lean()
        nlp = self.factory()
        freeze_long_lived()
        return nlp


def freeze_long_lived() -> bool:
    """Move everything alive out of the garbage collector's sight (:func:`gc.freeze`), as
    :class:`LeanFactory` does once a pipeline is built (unless ``NOTES_QA_GC_FREEZE=0``);
    whether it did."""
    if os.environ.get("NOTES_QA_GC_FREEZE", "1") == "0":
        return False
    import gc

    gc.collect()
    gc.freeze()
    return True
