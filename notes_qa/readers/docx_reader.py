"""``.docx`` → text: body paragraphs and tables in document order.

A table row becomes one line, its cells joined by ``" | "`` (merged cells once); paragraphs
inside a cell are kept on their own lines, so a long note cell keeps its structure. Content
controls (``w:sdt``) are read through. Page headers and footers are left out: in exports they
are banners (``OFFICIAL-SENSITIVE``), not notes.

python-docx (imported lazily) defines the text. It loads and wraps every part of the package,
which costs about as much per word as tokenising and sentence-splitting the text, so the usual
layout is read straight from ``word/document.xml`` with lxml instead, giving exactly the text
python-docx gives (:func:`_fast_text`; tested against it). A file the fast reader does not
handle (a vertically merged table cell, the main part elsewhere, anything unreadable) goes
through python-docx as before, with its errors.
"""
from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING, Any, Iterator

from ..errors import input_error
from . import text as _text

if TYPE_CHECKING:
    from docx.table import Table

CELL_SEPARATOR = " | "


def _cell_text(cell: object) -> str:
    from docx.table import Table as _Table
    from docx.text.paragraph import Paragraph

    parts: list[str] = []
    for block in cell.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, _Table):
            parts.extend(_table_lines(block))
    return "\n".join(parts).strip("\n")


def _table_lines(table: "Table") -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            key = id(cell._tc)
            if key in seen:  # a horizontally merged cell is listed once per grid column
                continue
            seen.add(key)
            cells.append(_cell_text(cell))
        if any(c.strip() for c in cells):
            yield CELL_SEPARATOR.join(cells)


def _body_lines(container: object, parent: object) -> Iterator[str]:
    """Lines of the block-level children of ``container`` (body or sdtContent), in order."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for el in container.iterchildren():  # type: ignore[attr-defined]
        if el.tag == qn("w:p"):
            yield Paragraph(el, parent).text  # type: ignore[arg-type]
        elif el.tag == qn("w:tbl"):
            yield from _table_lines(Table(el, parent))  # type: ignore[arg-type]
        elif el.tag == qn("w:sdt"):
            content = el.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_lines(content, parent)


def docx_text(data: bytes, source: str) -> str:
    """Text of a ``.docx`` given as bytes; ``corrupt_docx`` / ``empty`` as InputError."""
    if not data:
        raise input_error(source, "empty")
    text = _fast_text(data)
    if text is not None:
        return _finish(text, source)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        text = "\n".join(_body_lines(body, document._body))
    except Exception as exc:  # python-docx raises zipfile, KeyError, lxml and ValueError errors
        raise input_error(source, "corrupt_docx", type(exc).__name__) from exc
    return _finish(text, source)


def _finish(text: str, source: str) -> str:
    text = _text.normalise_newlines(text.replace("\x0b", "\n"))
    if not text or text.isspace():
        raise input_error(source, "empty")
    return text


# -- the fast reader -------------------------------------------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _SDT, _SDT_CONTENT, _TR, _TC, _R, _HYPERLINK = (
    _W + t for t in ("p", "tbl", "sdt", "sdtContent", "tr", "tc", "r", "hyperlink"))
_T, _TAB, _BR, _CR, _NB_HYPHEN, _PTAB = (_W + t for t in ("t", "tab", "br", "cr", "noBreakHyphen", "ptab"))
_BR_TYPE = _W + "type"
_V_MERGE = f"{_W}tcPr/{_W}vMerge"
#: what python-docx reads each run child as (``w:br`` depends on its type, ``w:t`` is its text)
_RUN_CHARS = {_TAB: "\t", _CR: "\n", _NB_HYPHEN: "-", _PTAB: "\t"}
_MAIN_PART = "word/document.xml"
_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_MAIN_TARGET = re.compile(r"/?word/document\.xml")


class _Unhandled(Exception):
    """A layout the fast reader leaves to python-docx."""


def _fast_text(data: bytes) -> str | None:
    """The text python-docx would give for ``data``, or None to ask python-docx."""
    try:
        from lxml import etree

        with zipfile.ZipFile(io.BytesIO(data)) as z:
            # python-docx reads the part that the package relationship names, of the main type
            rels = etree.fromstring(z.read("_rels/.rels"))
            targets = [r.get("Target", "") for r in rels if r.get("Type") == _OFFICE_DOCUMENT]
            types = etree.fromstring(z.read("[Content_Types].xml"))
            main_type = [t.get("ContentType") for t in types
                         if (t.get("PartName") or "").lower() == "/" + _MAIN_PART]
            if len(targets) != 1 or not _MAIN_TARGET.fullmatch(targets[0]) or main_type != [_MAIN_TYPE]:
                return None
            xml = z.read(_MAIN_PART)
        # python-docx's parser settings, so the same text nodes
        root = etree.fromstring(xml, etree.XMLParser(remove_blank_text=True, resolve_entities=False))
        body = root.find(_W + "body")
        if body is None:
            return None
        return "\n".join(_fast_blocks(body))
    except Exception:  # _Unhandled, or anything odd: python-docx decides, and reports it
        return None


def _fast_blocks(container: Any) -> Iterator[str]:
    """As :func:`_body_lines`: the lines of a body's or content control's block children."""
    for el in container.iterchildren(_P, _TBL, _SDT):
        if el.tag == _P:
            yield _fast_paragraph(el)
        elif el.tag == _TBL:
            yield from _fast_table(el)
        else:
            content = el.find(_SDT_CONTENT)
            if content is not None:
                yield from _fast_blocks(content)


def _fast_paragraph(p: Any) -> str:
    """``Paragraph.text``: the text of its runs, hyperlinks' runs included."""
    parts: list[str] = []
    for child in p.iterchildren(_R, _HYPERLINK):
        for r in (child,) if child.tag == _R else child.iterchildren(_R):
            for el in r.iterchildren(_T, _TAB, _BR, _CR, _NB_HYPHEN, _PTAB):
                tag = el.tag
                if tag == _T:
                    parts.append(el.text or "")
                elif tag == _BR:
                    if el.get(_BR_TYPE, "textWrapping") == "textWrapping":
                        parts.append("\n")  # a page or column break reads as nothing
                else:
                    parts.append(_RUN_CHARS[tag])
    return "".join(parts)


def _fast_table(tbl: Any) -> Iterator[str]:
    """As :func:`_table_lines`; a vertically merged cell is left to python-docx, which repeats
    the merged cell's text on each row it spans."""
    for tr in tbl.iterchildren(_TR):
        cells = []
        for tc in tr.iterchildren(_TC):
            if tc.find(_V_MERGE) is not None:
                raise _Unhandled
            cells.append("\n".join(_fast_cell(tc)).strip("\n"))
        if any(c.strip() for c in cells):
            yield CELL_SEPARATOR.join(cells)


def _fast_cell(tc: Any) -> Iterator[str]:
    """As :func:`_cell_text`: a cell's paragraphs and nested tables (not its content controls)."""
    for el in tc.iterchildren(_P, _TBL):
        if el.tag == _P:
            yield _fast_paragraph(el)
        else:
            yield from _fast_table(el)


def read_docx(path: str) -> str:
    """Text of the ``.docx`` at ``path``."""
    return docx_text(_text.read_bytes(path), path)
