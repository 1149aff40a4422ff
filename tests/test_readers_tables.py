"""Note tables: one row per entry, grouped by child_id, case-insensitive columns."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from notes_qa.errors import InputError
from notes_qa.readers import read_groups, read_table
from notes_qa.records import CaseFile, ErrorRecord

ROWS = [
    {"Note_ID": "n1", "Child_ID": "C2", "Child_Name": "Leo", "Family_ID": "fam-1",
     "DATE": "14/03/2025", "Author": "Rhian Evans", "Note_Type": "Phone call",
     "Text": "Spoke to Leo.\r\nHe was happy.", "Team": "North", "Gender": ""},
    {"Note_ID": "n2", "Child_ID": "C1", "Child_Name": "Mia", "Family_ID": "fam-1",
     "DATE": "2025-03-12", "Author": "Rhian Evans", "Note_Type": "Home visit",
     "Text": "Visited Mia.", "Team": "", "Gender": "girl"},
    {"Note_ID": "n3", "Child_ID": "C2", "Child_Name": "", "Family_ID": "fam-1",
     "DATE": "20/03/2025 10:15", "Author": "", "Note_Type": "",
     "Text": "Leo said \u201cno\u201d.", "Team": "", "Gender": "boy"},
]


def _csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> None:
    import csv

    with open(path, "w", newline="", encoding=encoding) as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def _jsonl(path: Path, rows: list[dict[str, str]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _parquet(path: Path, rows: list[dict[str, str]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), str(path))


@pytest.mark.parametrize("ext, writer", [(".csv", _csv), (".jsonl", _jsonl),
                                         (".parquet", _parquet)])
def test_tables_group_rows_by_child_id(tmp_path: Path, ext: str, writer) -> None:
    path = tmp_path / f"notes{ext}"
    writer(path, ROWS)
    table = read_table(str(path))
    assert [c.case_id for c in table.cases] == ["fam-1/C2", "fam-1/C1"]
    leo, mia = table.cases
    assert leo.meta.child_name == "Leo" and leo.meta.gender == "boy"
    assert leo.meta.family_id == "fam-1" and leo.meta.team == "North"
    assert leo.meta.provenance == "table"
    assert list(leo.sources) == [f"{path}#n1", f"{path}#n3"]
    assert leo.sources[f"{path}#n1"] == "Spoke to Leo.\nHe was happy."
    e0, e1 = leo.row_entries
    assert (e0.start, e0.end, e0.body_start) == (0, len("Spoke to Leo.\nHe was happy."), 0)
    assert (e0.date, e0.author, e0.note_type) == ("2025-03-14", "Rhian Evans", "Phone call")
    assert e0.extra == {"team": "North"}
    assert (e1.date, e1.author, e1.note_type) == ("2025-03-20", None, None)
    assert mia.meta.gender == "girl"
    assert mia.row_entries[0].date == "2025-03-12"


def test_tables_without_child_id_one_case_per_row(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    _csv(path, [{"TEXT": "First note.", "note_id": "A7"}, {"TEXT": "Second note.", "note_id": ""},
                {"TEXT": "Third note.", "note_id": "A7"}])
    table = read_table(str(path))
    assert [c.case_id for c in table.cases] == [f"{path}#A7", f"{path}#row=1", f"{path}#row=2"]
    assert [c.meta.child_id for c in table.cases] == ["A7", "row=1", "row=2"]
    assert table.cases[1].sources == {f"{path}#row=1": "Second note."}


def test_tables_blank_rows_skipped_and_blank_child_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    _csv(path, [{"child_id": "C1", "text": "Note one."}, {"child_id": "C1", "text": "  "},
                {"child_id": "C9", "text": ""}])
    table = read_table(str(path))
    assert [len(c.row_entries) for c in table.cases] == [1]
    assert [(e.source, e.error) for e in table.errors] == [(f"{path}#child_id=C9", "empty")]


def test_tables_missing_text_column(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    _csv(path, [{"child_id": "C1", "note": "Note one."}])
    with pytest.raises(InputError) as exc:
        read_table(str(path))
    assert exc.value.code == "missing_text_column"
    assert "note" in exc.value.message


def test_tables_cp1252_csv_and_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"Child_ID;Text\r\nC1;caf\xe9 \x93quoted\x94\r\n")
    (case,) = read_table(str(path)).cases
    assert list(case.sources.values()) == ["café \u201cquoted\u201d"]


def test_tables_bad_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text('{"text": "ok"}\n{"text": oops}\n')
    with pytest.raises(InputError) as exc:
        read_table(str(path))
    assert exc.value.code == "bad_table" and "line 2" in exc.value.message


def test_tables_corrupt_parquet(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    path.write_bytes(b"PAR1 not really parquet")
    with pytest.raises(InputError) as exc:
        read_table(str(path))
    assert exc.value.code == "bad_table"


def test_tables_all_blank_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    _csv(path, [{"text": ""}])
    with pytest.raises(InputError) as exc:
        read_table(str(path))
    assert exc.value.code == "empty"


def test_tables_same_child_across_tables_merged(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.jsonl"
    _csv(a, [{"child_id": "C1", "text": "From A."}])
    _jsonl(b, [{"child_id": "C1", "child_name": "Mia", "text": "From B."}])
    groups = list(read_groups([str(a), str(b)]))
    assert len(groups) == 1
    (case,) = groups[0]
    assert isinstance(case, CaseFile)
    assert case.meta.child_name == "Mia"
    assert [e.source for e in case.row_entries] == [f"{a}#row=0", f"{b}#row=0"]


def test_tables_families_grouped(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    _csv(path, [{"child_id": "C1", "family_id": "F1", "text": "a"},
                {"child_id": "C2", "family_id": "", "text": "b"},
                {"child_id": "C3", "family_id": "F1", "text": "c"}])
    groups = list(read_groups([str(path)]))
    assert [[c.case_id for c in g] for g in groups] == [["F1/C1", "F1/C3"], ["C2"]]
    assert not any(isinstance(c, ErrorRecord) for g in groups for c in g)
