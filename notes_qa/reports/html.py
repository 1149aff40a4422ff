"""The one place that escapes text for HTML, and the page skeleton every report shares.

Rule: every value that comes from the notes, the records or the user (names, dates, paths,
span text, messages, suggestions) reaches the page only through :func:`escape`. Markup the
code writes itself (tags, class names, numbers it formats) is not escaped. Identifiers in
``id``/``href`` are built from indexes, never from the notes.
"""
from __future__ import annotations

import html as _html
import re

#: C0 controls (bar tab/newline/CR) cannot appear in HTML text; shown as U+FFFD instead.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: No scripts, no network: only inline styles and data: images. Blocks anything injected.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")


def escape(value: object) -> str:
    """HTML-escape any value for text or a double- or single-quoted attribute.

    ``None`` becomes the empty string; ``& < > " '`` become entities; control characters that
    HTML cannot carry become U+FFFD.
    """
    if value is None:
        return ""
    return _html.escape(_CONTROL.sub("\ufffd", str(value)), quote=True)


def page(title: str, body: str, css: str, csp: bool = True) -> str:
    """A complete self-contained HTML document (``body`` is markup built with :func:`escape`)."""
    meta_csp = (f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">\n'
                if csp else "")
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"{meta_csp}<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"referrer\" content=\"no-referrer\">\n"
            f"<title>{escape(title)}</title>\n<style>\n{css}\n</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def fmt_share(value: float | None) -> str:
    """0.625 → '63%'; None → '–'."""
    return "–" if value is None else f"{100 * value:.0f}%"


def fmt_score(value: float | None) -> str:
    """64.04 → '64.0'; None → '–'."""
    return "–" if value is None else f"{value:.1f}"
