"""read_groups: folder-as-family, order, streaming, and bad inputs that never stop the batch."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import pytest

from notes_qa.readers import read_groups
from notes_qa.records import CaseFile, ErrorRecord
from conftest import make_pdf

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "contract" / "samples"
NOTE = "12/03/2025 Home visit - SW Rhian Evans\nVisited {name} at home.\n"


def _doc(path: Path, name: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(NOTE.format(name=name or path.stem), encoding="utf-8")
    return path


def _summary(groups: list[list[CaseFile | ErrorRecord]]) -> list[list[str]]:
    return [[c.case_id if isinstance(c, CaseFile) else f"!{c.error}" for c in g] for g in groups]


def test_groups_folder_as_family(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _doc(tmp_path / "data" / "family-17" / "Mia.txt")
    _doc(tmp_path / "data" / "family-17" / "Leo_Jones.md")
    _doc(tmp_path / "data" / "family-2" / "Ann.txt")
    _doc(tmp_path / "data" / "lone.txt")
    groups = list(read_groups(["data/"]))
    assert _summary(groups) == [["family-17/Leo_Jones", "family-17/Mia"], ["family-2/Ann"],
                                ["lone"]]
    leo, mia = groups[0]
    assert list(mia.sources) == ["data/family-17/Mia.txt"]  # the user's spelling, joined
    assert (mia.meta.child_id, mia.meta.child_name, mia.meta.family_id) == (
        "Mia", "Mia", "family-17")
    assert (leo.meta.child_id, leo.meta.child_name) == ("Leo_Jones", "Leo")
    assert leo.meta.provenance == "folder"
    (lone,) = groups[2]
    assert (lone.meta.family_id, lone.meta.child_name) == (None, None)
    assert lone.sources["data/lone.txt"].startswith("12/03/2025")


def test_groups_file_arguments_have_no_family(tmp_path: Path) -> None:
    a = _doc(tmp_path / "family-1" / "Mia.txt")
    b = _doc(tmp_path / "family-1" / "Leo.txt")
    groups = list(read_groups([str(a), str(b)]))
    assert _summary(groups) == [["Mia"], ["Leo"]]  # argument order, no family


def test_groups_nested_folder_family_is_immediate_parent(tmp_path: Path) -> None:
    _doc(tmp_path / "area" / "fam-9" / "Zoe.txt")
    (case,), = list(read_groups([str(tmp_path)]))
    assert case.meta.family_id == "fam-9"


def test_groups_skip_hidden_lock_files_and_duplicates(tmp_path: Path) -> None:
    _doc(tmp_path / "f" / "Mia.txt")
    _doc(tmp_path / "f" / ".hidden.txt")
    _doc(tmp_path / ".git" / "x.txt")
    (tmp_path / "f" / "~$Mia.docx").write_bytes(b"\x00lock")
    groups = list(read_groups([str(tmp_path), str(tmp_path / "f" / "Mia.txt")]))
    assert _summary(groups) == [["f/Mia"]]


def test_groups_case_ids_unique(tmp_path: Path) -> None:
    import docx

    _doc(tmp_path / "fam" / "Mia.txt")
    d = docx.Document()
    d.add_paragraph("12/03/2025 Home visit")
    d.save(str(tmp_path / "fam" / "Mia.docx"))
    groups = list(read_groups([str(tmp_path)]))
    # Mia.docx sorts first and keeps the plain id; the clash adds the extension.
    assert _summary(groups) == [["fam/Mia", "fam/Mia.txt"]]
    assert [c.meta.child_id for c in groups[0]] == ["Mia", "Mia"]


def test_groups_tables_and_documents_share_families(tmp_path: Path) -> None:
    _doc(tmp_path / "in" / "fam-1" / "Mia.txt")
    _doc(tmp_path / "in" / "solo.txt")
    table = tmp_path / "notes.csv"
    table.write_text("child_id,family_id,text\nC7,fam-1,Leo note\nC8,,Other note\n")
    groups = list(read_groups([str(tmp_path / "in"), str(table)]))
    assert _summary(groups) == [["fam-1/Mia", "fam-1/C7"], ["solo"], ["C8"]]


def test_groups_order_is_deterministic(tmp_path: Path) -> None:
    for fam in ("b", "a", "c10", "c9"):
        for child in ("Zed", "amy", "Bob"):
            _doc(tmp_path / fam / f"{child}.txt")
    runs = [[[(c.case_id, c.sources) for c in g] for g in read_groups([str(tmp_path)])]
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert [g[0][0] for g in runs[0]] == ["a/Bob", "b/Bob", "c10/Bob", "c9/Bob"]
    assert [c for c, _ in runs[0][0]] == ["a/Bob", "a/Zed", "a/amy"]


def test_groups_documents_read_when_group_is_yielded(tmp_path: Path) -> None:
    _doc(tmp_path / "f1" / "Mia.txt")
    later = _doc(tmp_path / "f2" / "Leo.txt")
    groups = read_groups([str(tmp_path)])
    assert isinstance(next(groups)[0], CaseFile)
    os.remove(later)  # not read yet: removing it now must show when the group comes
    (err,) = next(groups)
    assert isinstance(err, ErrorRecord) and err.error == "not_found"


def test_groups_read_error_stays_in_its_family(tmp_path: Path) -> None:
    _doc(tmp_path / "fam" / "Mia.txt")
    (tmp_path / "fam" / "Leo.txt").write_bytes(b"")
    (group,) = list(read_groups([str(tmp_path)]))
    assert _summary([group]) == [["!empty", "fam/Mia"]]


# --- every bad input gives its error record and the rest of the batch is still read ---------

def _empty(d: Path) -> str:
    p = d / "empty.txt"
    p.write_bytes(b"  \r\n ")
    return str(p)


def _binary(d: Path) -> str:
    p = d / "photo.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    return str(p)


def _corrupt_docx(d: Path) -> str:
    p = d / "broken.docx"
    p.write_bytes(b"PK\x03\x04 truncated")
    return str(p)


def _scanned_pdf(d: Path) -> str:
    p = d / "scan.pdf"
    p.write_bytes(make_pdf([None]))
    return str(p)


def _csv_without_text(d: Path) -> str:
    p = d / "notes.csv"
    p.write_text("child_id,note\nC1,Visited.\n")
    return str(p)


def _missing(d: Path) -> str:
    return str(d / "does-not-exist.txt")


def _unsupported(d: Path) -> str:
    p = d / "notes.rtf"
    p.write_text("{\\rtf1 hi}")
    return str(p)


@pytest.mark.parametrize("make, code", [
    (_empty, "empty"), (_binary, "binary"), (_corrupt_docx, "corrupt_docx"),
    (_scanned_pdf, "no_text_layer"), (_csv_without_text, "missing_text_column"),
    (_missing, "not_found"), (_unsupported, "unsupported_type"),
])
def test_groups_bad_input_does_not_stop_batch(tmp_path: Path, make: Callable[[Path], str],
                                              code: str) -> None:
    before = _doc(tmp_path / "Mia.txt")
    bad = make(tmp_path)
    after = _doc(tmp_path / "Leo.txt")
    records = [c for g in read_groups([str(before), bad, str(after)]) for c in g]
    assert [type(r).__name__ for r in records] == ["CaseFile", "ErrorRecord", "CaseFile"]
    err = records[1]
    assert (err.source, err.error) == (bad, code)
    assert err.message and err.to_dict()["schema"] == "notes-qa/error@1"
    assert records[0].sources[str(before)].startswith("12/03/2025")
    assert records[2].sources[str(after)].endswith("Visited Leo at home.\n")


def test_groups_bad_input_inside_folder_does_not_stop_batch(tmp_path: Path) -> None:
    _doc(tmp_path / "a.txt")
    _corrupt_docx(tmp_path)
    _scanned_pdf(tmp_path)
    _doc(tmp_path / "z.txt")
    groups = list(read_groups([str(tmp_path)]))
    assert _summary(groups) == [["a"], ["!corrupt_docx"], ["!no_text_layer"], ["z"]]


def test_groups_read_failure_does_not_stop_batch(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    good = _doc(tmp_path / "Mia.txt")
    failing = _doc(tmp_path / "Leo.txt")
    real_open = open

    def flaky_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(file) == str(failing):
            raise OSError(5, "Input/output error")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", flaky_open)
    records = [c for g in read_groups([str(failing), str(good)]) for c in g]
    assert isinstance(records[0], ErrorRecord)
    assert (records[0].source, records[0].error) == (str(failing), "read_failed")
    assert "Input/output error" in records[0].message
    assert isinstance(records[1], CaseFile) and records[1].sources[str(good)]


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/contract/samples not present")
def test_groups_contract_samples_family_folder() -> None:
    groups = list(read_groups([str(SAMPLES)]))
    assert len(groups) == 1
    (group,) = groups
    assert [c.case_id for c in group] == ["family-bryn/Cerys", "family-bryn/Osian"]
    assert all(c.meta.family_id == "family-bryn" for c in group)
    assert [c.meta.child_name for c in group] == ["Cerys", "Osian"]
    for c in group:
        (source,) = c.sources
        assert source == os.path.join(str(SAMPLES), "family-bryn", f"{c.meta.child_id}.txt")
        assert "\r" not in c.sources[source] and c.sources[source].strip()
