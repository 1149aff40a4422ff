"""Synthetic, labelled case-note corpus generator (all text invented).

``generate_corpus(families, seed, out)`` writes documents, a manifest, labels, ``datasets`` saves and a
dataset card; ``main(argv)`` is ``notes-qa corpus generate``.
"""
from __future__ import annotations

from .generate import STATUTORY_HOOKS, family_splits, generate_corpus, main

__all__ = ["generate_corpus", "main", "family_splits", "STATUTORY_HOOKS"]
