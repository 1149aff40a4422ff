"""The --manifest: metadata overrides folder inference; bad rows and missing paths are records."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from notes_qa.errors import UsageError
from notes_qa.readers import read_groups, read_manifest
from notes_qa.records import CaseFile, ErrorRecord

NOTE = "12/03/2025 Home visit - SW Rhian Evans\nVisited {name}.\n"
HEADER = ("Path,Child_ID,Child_Name,Family_ID,Gender,Date_of_Birth,Age,Legal_Status,"
          "Placement_Start,Team,Worker\n")


def _doc(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NOTE.format(name=path.stem))
    return path


def _flat(groups) -> list[CaseFile | ErrorRecord]:  # type: ignore[no-untyped-def]
    return [c for g in groups for c in g]


def test_manifest_overrides_folder_inference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    monkeypatch.chdir(tmp_path)
    _doc(tmp_path / "data" / "family-17" / "Mia.txt")
    _doc(tmp_path / "data" / "family-17" / "Leo.txt")
    (tmp_path / "data" / "manifest.csv").write_text(
        HEADER + "./family-17/../family-17/Mia.txt,C-101,Amelia,F17,female,04/02/2015,9,"
        "Looked after,2024-11-01,North,Rhian Evans\n")
    groups = list(read_groups(["data"], manifest="data/manifest.csv"))
    assert [[c.case_id for c in g] for g in groups] == [["family-17/Leo"], ["F17/C-101"]]
    mia = groups[1][0]
    m = mia.meta
    assert (m.child_id, m.child_name, m.family_id, m.gender) == ("C-101", "Amelia", "F17",
                                                                 "female")
    assert (m.date_of_birth, m.age, m.legal_status, m.placement_start) == (
        "2015-02-04", 9.0, "looked_after", "2024-11-01")
    assert (m.team, m.worker, m.provenance) == ("North", "Rhian Evans", "manifest")
    assert list(mia.sources) == [str(Path("data/family-17/Mia.txt"))]


def test_manifest_blank_cells_keep_folder_values(tmp_path: Path) -> None:
    _doc(tmp_path / "fam" / "Mia.txt")
    man = tmp_path / "m.csv"
    man.write_text("path,child_id,child_name,family_id\nfam/Mia.txt,C1,,\n")
    ((case,),) = list(read_groups([str(tmp_path)], manifest=man))
    assert (case.case_id, case.meta.child_name, case.meta.family_id) == ("fam/C1", "Mia", "fam")


def test_manifest_json_documents_are_inputs(tmp_path: Path) -> None:
    _doc(tmp_path / "docs" / "a.txt")
    _doc(tmp_path / "docs" / "b.txt")
    man = tmp_path / "children.json"
    man.write_text(json.dumps([
        {"path": "docs/b.txt", "child_id": "B", "child_name": "Bea", "family_id": "F",
         "age": 7},
        {"path": "docs/a.txt", "child_id": "A", "child_name": "Al", "family_id": "F"},
    ]))
    groups = list(read_groups([], manifest=str(man)))
    assert [[c.case_id for c in g] for g in groups] == [["F/B", "F/A"]]
    assert list(groups[0][0].sources) == [str(tmp_path / "docs" / "b.txt")]
    assert groups[0][0].meta.age == 7.0


def test_manifest_bad_rows_and_missing_paths(tmp_path: Path) -> None:
    _doc(tmp_path / "a.txt")
    _doc(tmp_path / "b.txt")
    _doc(tmp_path / "c.txt")
    man = tmp_path / "m.csv"
    man.write_text("path,child_id,date_of_birth,age\n"
                   "a.txt,,,\n"                 # no child_id: row skipped
                   "b.txt,B,31/02/2015,\n"      # impossible date: scored without it
                   "gone.txt,G,,\n"             # listed but absent
                   "c.txt,C,,nine\n"            # age not a number
                   "c.txt,C2,,\n")              # repeats a path
    records = _flat(read_groups([str(tmp_path)], manifest=man))
    errors = [(r.source, r.error) for r in records if isinstance(r, ErrorRecord)]
    assert errors == [(f"{man}#row=0", "bad_manifest_row"), (f"{man}#row=1", "bad_manifest_row"),
                      (f"{man}#row=3", "bad_manifest_row"), (f"{man}#row=4", "bad_manifest_row"),
                      (str(tmp_path / "gone.txt"), "not_found")]
    cases = {r.case_id: r for r in records if isinstance(r, CaseFile)}
    assert sorted(cases) == ["B", "C", "a"]  # the other inputs were still read
    assert cases["B"].meta.date_of_birth is None and cases["B"].meta.provenance == "manifest"
    assert cases["C"].meta.age is None
    assert "31/02/2015" in records[1].message


def test_manifest_inside_scanned_folder_is_not_a_table(tmp_path: Path) -> None:
    _doc(tmp_path / "fam" / "Mia.txt")
    man = tmp_path / "manifest.csv"
    man.write_text("path,child_id\nfam/Mia.txt,M1\n")
    records = _flat(read_groups([str(tmp_path)], manifest=man))
    assert [r.case_id for r in records] == ["fam/M1"]  # no missing_text_column error


@pytest.mark.parametrize("content, name", [("child_id\nC1\n", "m.csv"), ("{not json", "m.json"),
                                           ('{"a": 1}', "m.json")])
def test_manifest_unusable_is_usage_error(tmp_path: Path, content: str, name: str) -> None:
    man = tmp_path / name
    man.write_text(content)
    with pytest.raises(UsageError):
        read_groups([str(tmp_path)], manifest=man)


def test_manifest_missing_file_is_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        read_manifest(tmp_path / "nope.csv")
