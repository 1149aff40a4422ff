"""Segmentation of raw exports into dated entries."""
from __future__ import annotations

import pytest

from notes_qa.errors import ConfigError
from notes_qa.segmentation import SegmentationRules, Segmenter, normalise_note_type, parse_date, segment


def starts(text: str) -> list[str]:
    return [text[e.start:e.end].split("\n", 1)[0] for e in segment(text).entries]


@pytest.mark.parametrize("header,date,author,note_type", [
    ("12/03/2025 Home visit - SW Rhian Evans", "2025-03-12", "Rhian Evans", "home_visit"),
    ("Case Note | Date: 04/02/2025 | Author: Dewi Price | Type: Telephone Call", "2025-02-04",
     "Dewi Price", "phone_call"),
    ("[2025-02-04] Telephone call — Duty", "2025-02-04", None, "phone_call"),
    ("Date of contact: 4 Feb 2025 | Worker: Ann Bell | Contact type: School visit", "2025-02-04",
     "Ann Bell", "school_visit"),
    ("CASE NOTE 04.02.25 HV (Sioned P, SW)", "2025-02-04", "Sioned P", "home_visit"),
    ("3rd March 2025 - Strategy meeting - TM Carys Wyn", "2025-03-03", "Carys Wyn",
     "strategy_discussion"),
    ("Supervision – Huw Rees TM – 19.05.25", "2025-05-19", "Huw Rees", "supervision"),
    ("2025-06-01 09:30 | Care and Support Plan | Elin Jones", "2025-06-01", "Elin Jones",
     "care_and_support_plan"),
    ("14/10/2025 09:12 REFERRAL IN - Kelly Morris SSW", "2025-10-14", "Kelly Morris", "referral"),
])
def test_segmentation_header_styles(header: str, date: str, author: str | None, note_type: str) -> None:
    text = f"{header}\nSeen Mia at home. She was chatty.\n{header}\nSecond entry body.\n"
    entries = segment(text).entries
    assert len(entries) == 2
    e = entries[0]
    assert (e.date, e.author, e.note_type) == (date, author, note_type)
    assert text[e.start:e.end].startswith(header)
    assert entries[1].start == text.index(header, 1)


def test_segmentation_block_headers_with_title_line() -> None:
    text = ("Children's Services export\nChild: Mia Evans\nDOB: 02/03/2015\n\n"
            "Case Note\nDate: 01/04/2025 10:15\nAuthor: Manon Edwards\nType: Home Visit\n"
            "Subject: visit\nMia seen alone.\n\n"
            "Case Note\nDate: 08/04/2025\nAuthor: Manon Edwards\nType: Phone call\nMum rang.\n")
    res = segment(text)
    assert [e.date for e in res.entries] == ["2025-04-01", "2025-04-08"]
    assert [e.note_type for e in res.entries] == ["home_visit", "phone_call"]
    assert all(text[e.start:e.end].startswith("Case Note\nDate:") for e in res.entries)
    assert res.entries[0].author == "Manon Edwards"
    body = text[res.entries[0].body_start:res.entries[0].end]
    assert body.startswith("Mia seen alone.")
    assert res.preamble == {"child_name": "Mia Evans", "date_of_birth": "2015-03-02"}


def test_segmentation_noise_never_starts_or_splits_an_entry() -> None:
    text = ("OFFICIAL-SENSITIVE\n01/02/2025 Home visit - SW Ann Bell\nSeen Tom.\nPage 3 of 12\n"
            "OFFICIAL-SENSITIVE\nSWYDDOGOL - SENSITIF\nPrinted 02/05/2025 09:41\n"
            "Tom played football.\n05/02/2025 Phone call - SW Ann Bell\nSchool rang.\n")
    res = segment(text)
    assert [e.date for e in res.entries] == ["2025-02-01", "2025-02-05"]
    assert "Tom played football." in text[res.entries[0].start:res.entries[0].end]


@pytest.mark.parametrize("line", [
    "12/12/2024 was the last time he saw his mum.",
    "Next visit: 30/01/2025",
    "Review date: 27/02/2025",
    "Signed: T Pugh 10/09/2025",
    "Sent: Wednesday, 5 March 2025 13:42",
    "> Sent: 12 June 2025 14:32",
    "- 16/01/2025 SW to see Mason at school.",
    "  [14/01/2026 21:14] A: thanks for today",
    "Plan continues; RCPC 22/05/2025.",
    "Case file: Carter, Riley (DOB 08/09/2011)",
])
def test_segmentation_body_dates_are_not_headers(line: str) -> None:
    text = f"01/02/2025 Home visit - SW Ann Bell\nSeen Tom.\n{line}\nMore text.\n"
    assert len(segment(text).entries) == 1


def test_segmentation_no_header_is_one_undated_entry() -> None:
    text = "Seen Mia at school. She said she is happy.\n"
    entries = segment(text).entries
    assert len(entries) == 1
    assert (entries[0].start, entries[0].end, entries[0].date) == (0, len(text), None)


def test_segmentation_tab_separated_rows() -> None:
    text = ("04/02/2025\tHome visit\tRhian Evans\tSeen Mia alone. She said hi.\n"
            "11/02/2025\tPhone call\tRhian Evans\tMum rang.\n")
    entries = segment(text).entries
    assert [(e.date, e.note_type, e.author) for e in entries] == [
        ("2025-02-04", "home_visit", "Rhian Evans"), ("2025-02-11", "phone_call", "Rhian Evans")]


def test_segmentation_entries_tile_the_text_after_the_preamble() -> None:
    text = "Title\n01/02/2025 Visit - A Bell\nx\n02/02/2025 Visit - A Bell\ny"
    res = segment(text)
    assert res.entries[0].start == res.preamble_end == 6
    assert res.entries[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(res.entries, res.entries[1:]))


@pytest.mark.parametrize("raw,expected", [
    ("Home Visit", "home_visit"), ("HV", "home_visit"), ("Telephone call", "phone_call"),
    ("CIN review", "review"), ("C&S plan", "care_and_support_plan"),
    ("Child Protection Plan", "child_protection_plan"), ("Ymweliad Cartref / Home Visit", "home_visit"),
    ("Life story book session", "life_story_book_session"), ("", None),
])
def test_segmentation_note_type_normalisation(raw: str, expected: str | None) -> None:
    assert normalise_note_type(raw) == expected


@pytest.mark.parametrize("raw,iso", [
    ("04/02/2025", "2025-02-04"), ("4/2/25", "2025-02-04"), ("04.02.25", "2025-02-04"),
    ("2025-02-04", "2025-02-04"), ("3rd March 2025", "2025-03-03"), ("4 Feb 2025", "2025-02-04"),
    ("31/02/2025", None), ("1.5 hours", None),
])
def test_segmentation_uk_dates_only(raw: str, iso: str | None) -> None:
    assert parse_date(raw) == iso


def test_segmentation_rules_reject_unknown_keys() -> None:
    with pytest.raises(ConfigError, match="E101"):
        SegmentationRules.from_dict({"header_keyz": []})


def test_segmentation_custom_rules_from_dict() -> None:
    from notes_qa.segmentation.segmenter import default_rules

    rules = default_rules()
    data = {k: getattr(rules, k) for k in SegmentationRules.KEYS}
    data["title_words"] = data["title_words"] + ["cofnod"]
    seg = Segmenter(data)
    res = seg.segment("COFNOD 04.02.25 HV (Sioned P, SW)\nbody\n")
    assert res.entries[0].date == "2025-02-04"


def test_segmentation_dates_never_span_lines() -> None:
    text = ("01 May 2025 10:00 - Home visit - Ann Bell (SW)\nSeen. Next visit 25 October.\n\n"
            "20 October 2025 09:30 - Duty contact - Ann Bell (SW)\nCaller rang. I will ring on Friday.\n\n"
            "19 November 2025 17:30 - Assessment - Ann Bell (SW)\nDone.\n")
    assert [e.date for e in segment(text).entries] == ["2025-05-01", "2025-10-20", "2025-11-19"]


def test_segmentation_short_codes_map_to_visit_types() -> None:
    assert normalise_note_type("SV") == "statutory_visit"
    assert normalise_note_type("DW") == "direct_work"
    assert normalise_note_type("1:1 session") == "direct_work"


def test_segmentation_tab_rows_type_comes_from_header_cells_not_the_note() -> None:
    text = ("19/02/2025\\tInformation received\\tDuty SW\\tSchool nurse raises concerns about lunches.\n"
            "20/02/2025\\tASMT\\tAnn Bell\\tAssessment completed today.\n").replace("\\t", "\t")
    entries = segment(text).entries
    assert [e.note_type for e in entries] == ["information_received", "assessment"]
    assert text[entries[0].body_start:entries[0].end].startswith("School nurse raises")
