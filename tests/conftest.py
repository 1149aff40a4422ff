"""Shared fixtures. Tests never touch the network: see test_offline.py."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def shared_path(*parts: str) -> Path:
    return SHARED.joinpath(*parts)


needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="../shared is not present")


@pytest.fixture(scope="session")
def nlp():
    """The default notes-qa pipeline, built once per test session."""
    from notes_qa.pipeline import build_pipeline

    return build_pipeline()
