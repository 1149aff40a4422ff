"""Bytes → text for ``.txt``/``.md`` exports (and the decoding shared by CSV tables).

Decoding order: UTF-8 (a leading BOM is dropped), UTF-16/32 when the file starts with
their BOM, then Windows-1252, then Latin-1 (which never fails). Newlines are made universal
(``\\r\\n`` and ``\\r`` become ``\\n``) before any offset is counted.

Every reader gets its bytes from :func:`read_bytes`, the one place files are opened, so an
``OSError`` turns into ``read_failed`` (or ``not_found``) in one place.
"""
from __future__ import annotations

import codecs

from ..errors import InputError, input_error

#: Bytes counted as control characters when sniffing for binary content
#: (C0 controls except tab, newline, vertical tab, form feed and carriage return; and DEL).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13)) + b"\x7f"
_PRINTABLE = bytes(b for b in range(256) if b not in _CONTROL)
#: How much of a file is sniffed for control characters, and the share that makes it binary.
SNIFF_BYTES = 65536
CONTROL_SHARE = 0.30


def read_bytes(path: str) -> bytes:
    """The bytes of ``path``; ``not_found`` / ``read_failed`` as :class:`InputError`."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError as exc:
        raise input_error(path, "not_found") from exc
    except OSError as exc:
        raise input_error(path, "read_failed", exc.strerror or type(exc).__name__) from exc


def looks_binary(data: bytes) -> bool:
    """True when ``data`` holds NUL bytes, or its start is mostly control characters."""
    if b"\x00" in data:
        return True
    sample = data[:SNIFF_BYTES]
    if not sample:
        return False
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls / len(sample) > CONTROL_SHARE


def decode_bytes(data: bytes) -> str:
    """Decode ``data`` as UTF-8 (BOM dropped), BOM-marked UTF-16/32, else Windows-1252/Latin-1.

    Newlines are left as they are; see :func:`normalise_newlines`.
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError:
            data = data[3:]
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        try:
            return data.decode("utf-32")
        except UnicodeDecodeError:
            pass
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d)
        return data.decode("latin-1")


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n`` (no copy when there is no ``\\r``)."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _has_unicode_bom(data: bytes) -> bool:
    return data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def text_from_bytes(data: bytes, source: str) -> str:
    """Checked, decoded, newline-normalised text of a plain-text export.

    Raises ``empty`` for a file with no text (whitespace only counts as empty) and ``binary``
    for one with NUL bytes or mostly control characters.
    """
    if not data:
        raise input_error(source, "empty")
    # UTF-16/32 text has NUL bytes by design, so it is sniffed after decoding.
    wide = _has_unicode_bom(data)
    if not wide and looks_binary(data):
        raise input_error(source, "binary")
    text = decode_bytes(data)
    del data
    if wide and _has_control_text(text):
        raise input_error(source, "binary")
    text = normalise_newlines(text)
    if not text or text.isspace():
        raise input_error(source, "empty")
    return text


def _has_control_text(text: str) -> bool:
    """The decoded form of :func:`looks_binary` (used for UTF-16/32 input)."""
    sample = text[:SNIFF_BYTES]
    if "\x00" in sample:
        return True
    if not sample:
        return False
    controls = sum(1 for ch in sample if ch in _CONTROL_CHARS)
    return controls / len(sample) > CONTROL_SHARE


_CONTROL_CHARS = frozenset(chr(b) for b in _CONTROL)


def read_text_file(path: str) -> str:
    """Text of a ``.txt``/``.md`` export at ``path`` (see :func:`text_from_bytes`)."""
    return text_from_bytes(read_bytes(path), path)


__all__ = ["read_bytes", "decode_bytes", "normalise_newlines", "looks_binary",
           "text_from_bytes", "read_text_file", "InputError"]
