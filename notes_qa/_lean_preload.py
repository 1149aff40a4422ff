"""Imported first by notes-qa's worker processes: spaCy without thinc's torch (:mod:`notes_qa.lean`)."""
from .lean import import_spacy_lean

import_spacy_lean()
