"""Documents: .docx paragraphs and tables in order; .pdf text layer; corrupt and scanned files."""
from __future__ import annotations

from pathlib import Path

import pytest

from notes_qa.errors import InputError
from notes_qa.readers import read_document
from conftest import make_pdf


def make_docx(path: Path) -> None:
    """A .docx with a title, a notes table (one merged cell, one two-paragraph cell), a
    paragraph after it, and a blank row that must not give a line."""
    import docx

    d = docx.Document()
    d.add_paragraph("CASE NOTES: Mia Jones")
    d.add_paragraph("12/03/2025 Home visit - SW Rhian Evans")
    table = d.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "Date"
    table.cell(0, 1).text = "Type"
    table.cell(0, 2).text = "Note"
    table.cell(1, 0).text = "14/03/2025"
    table.cell(1, 1).text = "Phone call"
    table.cell(1, 2).text = "Spoke to Mam."
    table.cell(1, 2).add_paragraph("Mia said \u201cI want to see Dad\u201d.")
    a = table.cell(2, 0).merge(table.cell(2, 2))
    a.text = ""
    d.add_paragraph("Closing paragraph after the table.")
    d.save(str(path))


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    path = tmp_path / "Mia.docx"
    make_docx(path)
    text = read_document(str(path))
    assert text.split("\n") == [
        "CASE NOTES: Mia Jones",
        "12/03/2025 Home visit - SW Rhian Evans",
        "Date | Type | Note",
        "14/03/2025 | Phone call | Spoke to Mam.",
        "Mia said \u201cI want to see Dad\u201d.",
        "Closing paragraph after the table.",
    ]


def test_docx_merged_cell_read_once(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    t = d.add_table(rows=1, cols=3)
    m = t.cell(0, 0).merge(t.cell(0, 1))
    m.text = "Strategy discussion"
    t.cell(0, 2).text = "Police and health attended."
    path = tmp_path / "m.docx"
    d.save(str(path))
    assert read_document(str(path)) == "Strategy discussion | Police and health attended."


def test_docx_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "bad.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(InputError) as exc:
        read_document(str(path))
    assert exc.value.code == "corrupt_docx"


def test_docx_text_file_renamed(tmp_path: Path) -> None:
    path = tmp_path / "plain.docx"
    path.write_text("12/03/2025 Home visit")
    with pytest.raises(InputError) as exc:
        read_document(str(path))
    assert exc.value.code == "corrupt_docx"


def test_docx_without_text_is_empty(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    with pytest.raises(InputError) as exc:
        read_document(str(path))
    assert exc.value.code == "empty"


def test_pdf_text_layer_pages_joined(tmp_path: Path) -> None:
    path = tmp_path / "Leo.pdf"
    path.write_bytes(make_pdf([["12/03/2025 Home visit - SW Rhian Evans", "Leo (6) was playing."],
                               ["14/03/2025 Phone call"]]))
    assert read_document(str(path)) == ("12/03/2025 Home visit - SW Rhian Evans\n"
                                        "Leo (6) was playing.\n14/03/2025 Phone call")


def test_pdf_scanned_has_no_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([None, None]))
    with pytest.raises(InputError) as exc:
        read_document(str(path))
    assert exc.value.code == "no_text_layer"


@pytest.mark.parametrize("data", [b"%PDF-1.4\n1 0 obj << /Type /Catalog", b"not a pdf at all"])
def test_pdf_corrupt(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    with pytest.raises(InputError) as exc:
        read_document(str(path))
    assert exc.value.code == "corrupt_pdf"
