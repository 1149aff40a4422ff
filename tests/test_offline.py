"""Scoring never reaches beyond the machine: every non-loopback connection is refused."""
from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

LOOPBACK = ("127.", "::1", "localhost")


@pytest.fixture
def no_network(monkeypatch):
    attempts: list[object] = []

    def guard(address) -> None:
        host = address[0] if isinstance(address, tuple) else str(address)
        if not str(host).startswith(LOOPBACK):
            attempts.append(address)
            raise OSError(f"notes-qa test: network access to {address!r} is forbidden")

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self, address):
        guard(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        guard(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        guard((host,))
        return real_getaddrinfo(host, *args, **kwargs)

    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


def test_offline_scoring_opens_no_connection(no_network, tmp_path: Path) -> None:
    from notes_qa.pipeline import build_pipeline
    from notes_qa.scoring import score_paths

    fam = tmp_path / "family-1"
    fam.mkdir()
    (fam / "Mia.txt").write_text(
        "01/02/2025 Home visit - SW Ann Bell\nMia said \"I want to stay with nain.\"\n"
        "It was agreed the case will step down to early help as there are no further concerns.\n")
    (fam / "Leo.txt").write_text(
        "01/02/2025 Home visit - SW Ann Bell\nLeo reached for his mam and settled.\n")
    nlp = build_pipeline()
    records = list(score_paths([str(tmp_path)], nlp=nlp))
    assert len(records) == 2
    assert no_network == []


def test_offline_guard_really_blocks(no_network) -> None:
    with pytest.raises(OSError, match="forbidden"):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
    assert no_network


def test_offline_no_hub_libraries_imported_by_scoring() -> None:
    """No model-hub or NLTK code is even imported by the default pipeline.

    (spaCy itself imports ``requests`` for its download command and thinc imports torch when
    installed; neither connects, which the socket guard above proves.)
    """
    import subprocess

    code = ("import sys, notes_qa.scoring as s; from notes_qa.pipeline import build_pipeline;"
            "build_pipeline(); bad=[m for m in ('huggingface_hub','nltk','transformers',"
            "'sentence_transformers','datasets') if m in sys.modules]; print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
