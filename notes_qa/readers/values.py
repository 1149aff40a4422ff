"""Column values from manifests and note tables: dates, ages, ids, legal status.

Dates are UK day-first only (``04/02/2025`` is 4 February). Accepted forms, each optionally
followed by a time (``14:30``, ``T14:30:00``): ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``dd/mm/yyyy``,
``dd/mm/yy``, ``dd-mm-yyyy``, ``dd.mm.yyyy``, ``dd.mm.yy``, ``d Month yyyy``, ``3rd March 2025``,
``d Mon yy`` (with or without a leading weekday). Two-digit years below 70 are 20xx.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any

MONTHS: dict[str, int] = {}
for _i, _name in enumerate(("january", "february", "march", "april", "may", "june", "july",
                            "august", "september", "october", "november", "december"), 1):
    MONTHS[_name] = _i
    MONTHS[_name[:3]] = _i
MONTHS["sept"] = 9

_TIME = r"(?:(?:\s+at\s+|[ T,]+)\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?\s*(?:am|pm)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+)?"
_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})" + _TIME + r"$", re.I)
_NUMERIC = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME + r"$", re.I)
_WORDY = re.compile(_WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s-]+([a-z]+)\.?,?[\s-]+(\d{4}|\d{2})"
                    + _TIME + r"$", re.I)

_LEGAL_STATUS = {
    "looked_after": "looked_after", "lac": "looked_after", "cla": "looked_after",
    "looked_after_child": "looked_after", "child_looked_after": "looked_after",
    "child_protection": "child_protection", "cp": "child_protection",
    "cpr": "child_protection", "child_protection_register": "child_protection",
    "care_and_support": "care_and_support", "care_support": "care_and_support",
    "c_s": "care_and_support", "casp": "care_and_support",
    "care_and_support_plan": "care_and_support", "child_in_need": "care_and_support",
}


def _year(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        n += 2000 if n < 70 else 1900
    return n


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(value: Any) -> str | None:
    """An ISO ``YYYY-MM-DD`` string for ``value``, or None when it is blank or not a date.

    ``value`` may be a string in one of the module's forms, or a ``date``/``datetime``
    (as Parquet gives them).
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp, without importing pandas
        try:
            return value.to_pydatetime().date().isoformat()
        except (ValueError, AttributeError):
            return None
    s = clean(value)
    if s is None:
        return None
    m = _ISO.match(s)
    if m:
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    m = _NUMERIC.match(s)
    if m:
        return _iso(_year(m[4]), int(m[3]), int(m[1]))
    m = _WORDY.match(s)
    if m:
        month = MONTHS.get(m[2].lower())
        if month is None:
            return None
        return _iso(_year(m[3]), month, int(m[1]))
    return None


#: Cell values that mean "no value" in exported spreadsheets.
BLANKS = frozenset({"n/a", "na", "none", "null", "nan", "nat", "unknown", "not known", "tbc",
                    "-", "--", "?"})


def clean(value: Any) -> str | None:
    """A cell as a stripped string; None for blanks, placeholders (:data:`BLANKS`), NaN and
    None. ``12.0`` becomes ``"12"``."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
    if isinstance(value, bool):
        return str(value).lower()
    s = str(value).strip()
    return None if not s or s.lower() in BLANKS else s


_AGE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:y|yr|yrs|year|years)?(?:\s*old)?$", re.I)


def parse_age(value: Any) -> float | None:
    """Age in years as a float (``"7"``, ``7``, ``"7.5"``, ``"7 years"``); None if blank.

    Raises ``ValueError`` for a value that is present but not an age.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        age = float(value)
    else:
        s = clean(value)
        if s is None:
            return None
        m = _AGE.match(s)
        if not m:
            raise ValueError(f"age {s!r} is not a number of years")
        age = float(m[1])
    if age < 0 or age > 130:
        raise ValueError(f"age {value!r} is out of range")
    return age


def snake_case(s: str) -> str:
    """Lower-case snake_case form of ``s`` (``"Looked After"`` → ``"looked_after"``)."""
    s = s.strip().lower().replace("&", " and ")
    return re.sub(r"[^0-9a-z]+", "_", s).strip("_")


def normalise_legal_status(value: Any) -> str | None:
    """One of ``looked_after``, ``child_protection``, ``care_and_support`` where recognised;
    any other value is kept in snake_case (it drives no rule)."""
    s = clean(value)
    if s is None:
        return None
    key = snake_case(s)
    return _LEGAL_STATUS.get(key, key or None)


_WORD_SPLIT = re.compile(r"[\s_.\-]+")


def first_word(stem: str) -> str:
    """The first word of a file stem as written (``"Mia_Jones"`` → ``"Mia"``)."""
    for part in _WORD_SPLIT.split(stem):
        if part:
            return part
    return stem
