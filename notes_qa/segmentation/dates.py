"""UK (day-first) date parsing for headers, column values and bodies.

A date never spans a line break ("Next visit 25 October.\n\n20 ..." is not 25/10/2020).

Accepted: dd/mm/yyyy, dd/mm/yy, dd.mm.yy(yy), dd-mm-yyyy, yyyy-mm-dd, d Month yyyy,
3rd March 2025, Wednesday, 5 March 2025, 4 Feb 25. Never month-first: ``04/02/2025`` is 4 February.
"""
from __future__ import annotations

import datetime as _dt
import re

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
    # Welsh month names
    "ionawr": 1, "chwefror": 2, "mawrth": 3, "ebrill": 4, "mai": 5, "mehefin": 6,
    "gorffennaf": 7, "awst": 8, "medi": 9, "hydref": 10, "tachwedd": 11, "rhagfyr": 12,
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?[ \t]+)?"

#: One regex for every accepted form; named groups tell which form matched.
DATE_RE = re.compile(
    # every form starts with a digit or a weekday's first letter: the lookahead turns every
    # other position away at once, before the lookbehind (a third less time over case files)
    r"(?=[\dmtwfs])(?<![\w/.-])(?:"
    r"(?P<iso_y>(?:19|20)\d\d)-(?P<iso_m>\d{1,2})-(?P<iso_d>\d{1,2})"
    r"|(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>(?:19|20)?\d\d)"
    r"|" + _WEEKDAY + r"(?P<td>\d{1,2})(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?P<tm>" + _MONTH_ALT +
    r")\.?,?[ \t]+(?P<ty>(?:19|20)\d\d|'?\d\d)"
    r")(?![\w/]|\.\d)",
    re.I,
)
TIME_RE = re.compile(r"\b(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s*[ap]\.?m\.?)?\b|\b\d{1,2}\s*[ap]\.?m\.?\b", re.I)


def _year(y: str) -> int:
    y = y.lstrip("'")
    n = int(y)
    return n + 2000 if len(y) == 2 else n


def match_to_iso(m: re.Match[str]) -> str | None:
    """ISO date for a :data:`DATE_RE` match, or None if it is not a real date."""
    try:
        if m.group("iso_y"):
            d = _dt.date(int(m.group("iso_y")), int(m.group("iso_m")), int(m.group("iso_d")))
        elif m.group("d"):
            d = _dt.date(_year(m.group("y")), int(m.group("m")), int(m.group("d")))
        else:
            d = _dt.date(_year(m.group("ty")), MONTHS[m.group("tm").lower()], int(m.group("td")))
    except (ValueError, KeyError):
        return None
    return d.isoformat()


def parse_date(text: str | None) -> str | None:
    """The first UK date in ``text`` as ISO ``YYYY-MM-DD``, or None."""
    if not text:
        return None
    for m in DATE_RE.finditer(str(text)):
        iso = match_to_iso(m)
        if iso:
            return iso
    return None
