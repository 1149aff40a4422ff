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


def voice_and_decisions():
    """``spacy.blank("en")`` + sentencizer + the voice and decision components, initialised."""
    import spacy

    import notes_qa.decisions.component  # noqa: F401
    import notes_qa.voice.component  # noqa: F401

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("notes_qa_child_voice")
    nlp.add_pipe("notes_qa_decisions")
    nlp.initialize()
    return nlp


def make_pdf(pages: list) -> bytes:
    """A minimal PDF; pages: list of list[str] lines (text layer) or None (an image-only page)."""
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            4: b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\xff\nendstream"}
    kids = []
    n = 5
    for lines in pages:
        if lines is None:
            content = b"q 612 0 0 792 0 0 cm /Im1 Do Q"
        else:
            parts = [b"BT /F1 12 Tf 72 720 Td"]
            for i, line in enumerate(lines):
                esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                parts.append((b"" if i == 0 else b"0 -16 Td ") + b"(" + esc.encode("latin-1") + b") Tj")
            parts.append(b"ET")
            content = b"\n".join(parts)
        objs[n + 1] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
        objs[n] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> "
                   b"/XObject << /Im1 4 0 R >> >> /Contents %d 0 R >>" % (n + 1))
        kids.append(n)
        n += 2
    objs[2] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for i in sorted(objs):
        offsets[i] = len(out)
        out += b"%d 0 obj\n" % i + objs[i] + b"\nendobj\n"
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for i in range(1, size):
        out += b"%010d 00000 n \n" % offsets[i]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)
