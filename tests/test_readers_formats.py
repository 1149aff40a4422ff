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


def _python_docx_text(data: bytes) -> str:
    """The reader's text through python-docx alone (the definition the fast reader matches)."""
    import io

    import docx

    from notes_qa.readers.docx_reader import _body_lines

    document = docx.Document(io.BytesIO(data))
    return "\n".join(_body_lines(document.element.body, document._body))


def _awkward_docx() -> bytes:
    """A .docx with what the fast reader must read as python-docx does: tabs, line, page and
    column breaks, soft returns, non-breaking hyphens, absolute tabs, whitespace-only and empty
    runs, a hyperlink, a content control, a horizontally merged cell, a nested table, blank rows."""
    import io

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    d.add_paragraph("12/03/2025 Home visit\tSW Rhian Evans")
    p = d.add_paragraph("Mia said ")
    p.add_run("  ")
    p.add_run("")
    r = p.add_run("she wants to see Dad")
    r.add_break()
    r.add_text("after the break")
    from docx.enum.text import WD_BREAK

    p.add_run("page").add_break(WD_BREAK.PAGE)
    p.add_run("column").add_break(WD_BREAK.COLUMN)
    body = d.element.body
    sect = body[-1]
    raw = [
        f'<w:p {nsdecls("w", "r")}><w:r><w:t xml:space="preserve"> lead </w:t><w:cr/><w:t>soft</w:t>'
        '<w:noBreakHyphen/><w:t>hyphen</w:t><w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/>'
        '<w:t>end</w:t></w:r><w:hyperlink r:id="rId99"><w:r><w:t>a link</w:t></w:r></w:hyperlink>'
        '<w:r><w:t/></w:r></w:p>',
        f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Inside a content control</w:t></w:r>'
        '</w:p></w:sdtContent></w:sdt>',
        f'<w:p {nsdecls("w")}/>',
    ]
    for x in raw:
        sect.addprevious(parse_xml(x))
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "Strategy discussion"
    t.cell(0, 2).text = "Police attended."
    t.cell(1, 0).text = "14/03/2025"
    inner = t.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "nested"
    inner.cell(0, 1).text = "cells"
    t.cell(1, 2).text = "Two\nlines"
    t.cell(1, 2).add_paragraph("and a paragraph")
    d.add_paragraph("")
    d.add_paragraph("Closing line.")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_docx_fast_reader_matches_python_docx() -> None:
    from notes_qa.readers.docx_reader import _fast_text

    data = _awkward_docx()
    fast = _fast_text(data)
    assert fast is not None  # read without python-docx
    assert fast == _python_docx_text(data)
    assert "Inside a content control" in fast and "nested | cells" in fast and "a link" in fast


def test_docx_vertical_merge_left_to_python_docx(tmp_path: Path) -> None:
    import docx

    from notes_qa.readers.docx_reader import _fast_text

    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "Core group"
    t.cell(0, 1).text = "first"
    t.cell(1, 1).text = "second"
    path = tmp_path / "v.docx"
    d.save(str(path))
    assert _fast_text(path.read_bytes()) is None
    # python-docx repeats a vertically merged cell's text on each row it spans
    assert read_document(str(path)) == "Core group | first\nCore group | second"


def test_docx_corpus_files_read_as_python_docx_does(tmp_path: Path) -> None:
    from notes_qa.corpus.generate import _docx_bytes
    from notes_qa.readers.docx_reader import _fast_text

    data = _docx_bytes("CASE NOTES: Ffion Hughes\n\n03/02/2025 Home visit\n  Ffion (7) said \u201chi\u201d.", "Ffion")
    assert _fast_text(data) == _python_docx_text(data)


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
