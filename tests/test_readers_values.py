"""Column values: UK day-first dates, ages, placeholders, legal status, stem words."""
from __future__ import annotations

import datetime as dt

import pytest

from notes_qa.readers.values import (clean, first_word, normalise_legal_status, parse_age,
                                     parse_date)


@pytest.mark.parametrize("text, iso", [
    ("2025-02-04", "2025-02-04"),
    ("2025-02-04T14:30:00", "2025-02-04"),
    ("2025/2/4", "2025-02-04"),
    ("04/02/2025", "2025-02-04"),
    ("4/2/25", "2025-02-04"),
    ("04-02-2025", "2025-02-04"),
    ("04.02.25", "2025-02-04"),
    ("04/02/2025 14:30", "2025-02-04"),
    ("4 February 2025 at 2.30pm", "2025-02-04"),
    ("4 February 2025", "2025-02-04"),
    ("3rd March 2025", "2025-03-03"),
    ("Tuesday 4 Feb 2025", "2025-02-04"),
    ("4 Sept 2025", "2025-09-04"),
    ("12/03/98", "1998-03-12"),
])
def test_values_parse_date_uk_forms(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["31/02/2025", "13/13/2025", "next week", "", "  ", "unknown",
                                  "4 Flob 2025", None])
def test_values_parse_date_rejects_non_dates(text: str | None) -> None:
    assert parse_date(text) is None


def test_values_parse_date_is_day_first() -> None:
    assert parse_date("04/02/2025") == "2025-02-04"  # 4 February, never 2 April


def test_values_parse_date_accepts_date_objects() -> None:
    assert parse_date(dt.date(2025, 2, 4)) == "2025-02-04"
    assert parse_date(dt.datetime(2025, 2, 4, 9, 0)) == "2025-02-04"


def test_values_parse_age() -> None:
    assert parse_age("7") == 7.0
    assert parse_age(7) == 7.0
    assert parse_age("7.5 years") == 7.5
    assert parse_age("") is None
    assert parse_age(float("nan")) is None
    with pytest.raises(ValueError):
        parse_age("seven")


def test_values_clean_blanks_and_numbers() -> None:
    assert clean("  Mia ") == "Mia"
    assert clean("N/A") is None
    assert clean(float("nan")) is None
    assert clean(12.0) == "12"
    assert clean(None) is None


def test_values_legal_status_normalised() -> None:
    assert normalise_legal_status("Looked After") == "looked_after"
    assert normalise_legal_status("CP") == "child_protection"
    assert normalise_legal_status("Care & Support") == "care_and_support"
    assert normalise_legal_status("Special Guardianship") == "special_guardianship"
    assert normalise_legal_status("") is None


@pytest.mark.parametrize("stem, word", [("Mia", "Mia"), ("Mia_Jones", "Mia"),
                                        ("mia-jones", "mia"), ("Leo Smith.v2", "Leo")])
def test_values_first_word_of_stem(stem: str, word: str) -> None:
    assert first_word(stem) == word
