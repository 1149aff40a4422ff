"""``.docx`` → text: body paragraphs and tables in document order (python-docx, lazy).

A table row becomes one line, its cells joined by ``" | "`` (merged cells once); paragraphs
inside a cell are kept on their own lines, so a long note cell keeps its structure. Content
controls (``w:sdt``) are read through. Page headers and footers are left out: in exports they
are banners (``OFFICIAL-SENSITIVE``), not notes.
"""
from __future__ import annotations

import io
from typing import TYPE_CHECKING, Iterator

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
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        text = "\n".join(_body_lines(body, document._body))
    except Exception as exc:  # python-docx raises zipfile, KeyError, lxml and ValueError errors
        raise input_error(source, "corrupt_docx", type(exc).__name__) from exc
    text = _text.normalise_newlines(text.replace("\x0b", "\n"))
    if not text or text.isspace():
        raise input_error(source, "empty")
    return text


def read_docx(path: str) -> str:
    """Text of the ``.docx`` at ``path``."""
    return docx_text(_text.read_bytes(path), path)
