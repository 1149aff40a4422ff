"""Plain-text exports: decoding, universal newlines, empty and binary files, read failures."""
from __future__ import annotations

import codecs
import tracemalloc
from pathlib import Path

import pytest

from notes_qa.errors import InputError
from notes_qa.readers import decode_bytes, read_document
from notes_qa.readers import text as text_mod


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    p = tmp_path / name
    p.write_bytes(data)
    return str(p)


def test_text_decode_utf8() -> None:
    assert decode_bytes("Siân — café".encode("utf-8")) == "Siân — café"


def test_text_decode_strips_utf8_bom(tmp_path: Path) -> None:
    path = _write(tmp_path, "bom.txt", codecs.BOM_UTF8 + "12/03/2025 Home visit\nSiân".encode())
    text = read_document(path)
    assert text.startswith("12/03/2025")
    assert "\ufeff" not in text


def test_text_decode_cp1252_fallback(tmp_path: Path) -> None:
    path = _write(tmp_path, "win.txt", b"caf\xe9 \x93quoted\x94 \x96 dash")
    assert read_document(path) == "café \u201cquoted\u201d \u2013 dash"


def test_text_decode_latin1_last_resort() -> None:
    # 0x81 is undefined in Windows-1252 and invalid UTF-8.
    assert decode_bytes(b"a\x81b\xe9") == "a\x81b\xe9"


def test_text_decode_utf16_with_bom(tmp_path: Path) -> None:
    path = _write(tmp_path, "u16.txt", "Mia said \u201chi\u201d\r\n".encode("utf-16"))
    assert read_document(path) == "Mia said \u201chi\u201d\n"


@pytest.mark.parametrize("raw", [b"one\r\ntwo\rthree\n", b"one\ntwo\nthree\n",
                                 b"one\r\ntwo\r\nthree\r\n"])
def test_text_universal_newlines(tmp_path: Path, raw: bytes) -> None:
    assert read_document(_write(tmp_path, "n.md", raw)) == "one\ntwo\nthree\n"


def test_text_newlines_normalised_before_offsets(tmp_path: Path) -> None:
    text = read_document(_write(tmp_path, "n.txt", b"ab\r\ncd"))
    assert text.index("cd") == 3


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n  "])
def test_text_empty_rejected(tmp_path: Path, raw: bytes) -> None:
    with pytest.raises(InputError) as exc:
        read_document(_write(tmp_path, "e.txt", raw))
    assert exc.value.code == "empty"


@pytest.mark.parametrize("raw", [b"PK\x03\x04\x14\x00\x00\x00 some zip", bytes(range(1, 32)) * 20])
def test_text_binary_rejected(tmp_path: Path, raw: bytes) -> None:
    with pytest.raises(InputError) as exc:
        read_document(_write(tmp_path, "b.txt", raw))
    assert exc.value.code == "binary"


def test_text_few_control_chars_still_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "ok.txt", b"Visit note\x0c\nPage break above\x1a")
    assert read_document(path).startswith("Visit note")


def test_text_not_found(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_document(str(tmp_path / "nope.txt"))
    assert exc.value.code == "not_found"


def test_text_read_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "f.txt", b"hello")

    def failing_open(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(InputError) as exc:
        text_mod.read_bytes(path)
    assert exc.value.code == "read_failed"
    assert "Permission denied" in exc.value.message


def test_text_unsupported_extension(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_document(_write(tmp_path, "note.rtf", b"{\\rtf1 hi}"))
    assert exc.value.code == "unsupported_type"


def test_text_large_export_memory(tmp_path: Path) -> None:
    """A 50 MB export (CRLF, one non-ASCII character) is read with peak memory well under 1 GB."""
    block = ("12/03/2025 Home visit - SW Rhian Evans\r\n"
             "Visited Mia at home; she said she likes school.\r\n") * 1000
    p = tmp_path / "big.txt"
    with open(p, "wb") as f:
        f.write("Siân\r\n".encode())
        while f.tell() < 50_000_000:
            f.write(block.encode())
    tracemalloc.start()
    try:
        text = read_document(str(p))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "\r" not in text and len(text) > 48_000_000
    assert peak < 400_000_000, peak  # measured: ~150 MB for this file
