"""Dates for the statutory checks: ISO parsing, calendar months, working days.

Working days skip weekends and the England and Wales bank holidays shipped in
``rules/bank_holidays_england_wales.json`` (with provenance); for years outside that table the
regular statutory pattern is computed (no one-off days), which the data file documents.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from ..resources import load_json

_RULES_PKG = "notes_qa.statutory.rules"
BANK_HOLIDAYS_FILE = "bank_holidays_england_wales.json"


def parse_iso(value: str | None) -> dt.date | None:
    """A ``date`` from ``YYYY-MM-DD`` (None for missing or malformed values)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def add_months(d: dt.date, months: int) -> dt.date:
    """``d`` plus calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return dt.date(year, month, min(d.day, (nxt - dt.timedelta(days=1)).day))


def _easter(y: int) -> dt.date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(y, month, day)


def _monday(d: dt.date, step: int) -> dt.date:
    while d.weekday() != 0:
        d += dt.timedelta(days=step)
    return d


def regular_bank_holidays(year: int) -> frozenset[dt.date]:
    """The regular England and Wales pattern for ``year`` (no one-off proclamations)."""
    days: set[dt.date] = set()
    ny = dt.date(year, 1, 1)
    while ny.weekday() >= 5:
        ny += dt.timedelta(days=1)
    days.add(ny)
    easter = _easter(year)
    days |= {easter - dt.timedelta(days=2), easter + dt.timedelta(days=1)}
    days.add(_monday(dt.date(year, 5, 1), 1))
    days.add(_monday(dt.date(year, 5, 31), -1))
    days.add(_monday(dt.date(year, 8, 31), -1))
    xmas, boxing = dt.date(year, 12, 25), dt.date(year, 12, 26)
    if xmas.weekday() == 5:
        xmas, boxing = dt.date(year, 12, 27), dt.date(year, 12, 28)
    elif xmas.weekday() == 6:
        xmas = dt.date(year, 12, 27)
    elif boxing.weekday() == 5:
        boxing = dt.date(year, 12, 28)
    days |= {xmas, boxing}
    return frozenset(days)


@lru_cache(maxsize=1)
def _table() -> dict[int, frozenset[dt.date]]:
    data = load_json(_RULES_PKG, BANK_HOLIDAYS_FILE)
    return {int(y): frozenset(dt.date.fromisoformat(d) for d in ds) for y, ds in data["dates"].items()}


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[dt.date]:
    """Bank holidays in ``year``: the shipped table, else the computed regular pattern."""
    return _table().get(year) or regular_bank_holidays(year)


def is_working_day(d: dt.date) -> bool:
    """Monday to Friday and not a bank holiday."""
    return d.weekday() < 5 and d not in bank_holidays(d.year)


def add_working_days(d: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``d`` (``d`` itself is day 0, whatever it is)."""
    cur = d
    left = n
    while left > 0:
        cur += dt.timedelta(days=1)
        if is_working_day(cur):
            left -= 1
    return cur


def age_on(date_of_birth: dt.date | None, on: dt.date) -> float | None:
    """Age in years (fractional) on a date, or None without a date of birth."""
    if date_of_birth is None:
        return None
    return (on - date_of_birth).days / 365.25
