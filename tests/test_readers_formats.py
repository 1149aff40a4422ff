"""Documents: .docx paragraphs and tables in order; .pdf text layer; corrupt and scanned files."""
from __future__ import annotations

from pathlib import Path

import pytest

from notes_qa.errors import InputError
from notes_qa.readers import read_document


def make_pdf(pages):
    """pages: list of list[str] lines (text layer) or None (an image-only page)."""
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
