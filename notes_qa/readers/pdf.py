"""``.pdf`` → text from its text layer (pypdf, lazy). Pages are joined with ``"\\n"``.

A PDF whose pages give no text (a scan) is rejected as ``no_text_layer`` rather than scored
as an empty case file; one pypdf cannot parse (or cannot decrypt with an empty password) is
``corrupt_pdf``.
"""
from __future__ import annotations

import io
import logging

from ..errors import input_error
from . import text as _text


def pdf_text(data: bytes, source: str) -> str:
    """Text layer of a PDF given as bytes."""
    if not data:
        raise input_error(source, "empty")
    try:
        from pypdf import PdfReader

        # pypdf logs every repaired defect as a warning; keep stderr for our one-line reasons.
        logging.getLogger("pypdf").setLevel(logging.ERROR)
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("encrypted with a password")
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many kinds (PdfReadError, KeyError, ValueError...)
        detail = str(exc) if "encrypted" in str(exc) else type(exc).__name__
        raise input_error(source, "corrupt_pdf", detail) from exc
    text = _text.normalise_newlines("\n".join(pages))
    if not text or text.isspace():
        raise input_error(source, "no_text_layer")
    return text


def read_pdf(path: str) -> str:
    """Text layer of the PDF at ``path``."""
    return pdf_text(_text.read_bytes(path), path)
