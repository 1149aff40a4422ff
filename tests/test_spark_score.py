"""notes_qa.spark: the same records as the local path, on Spark local[2]."""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest

from notes_qa.spark.score import meta_cell, text_cell

LIGHT = ["notes_qa_sentences"]


def _has_java() -> bool:
    import os

    return shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))


def _has_pyspark() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return True


needs_spark = [pytest.mark.spark, pytest.mark.slow,
               pytest.mark.skipif(not (_has_java() and _has_pyspark()),
                                  reason="needs pyspark and Java")]


def test_spark_cells_are_what_the_local_reader_sees() -> None:
    import datetime as dt

    from notes_qa.readers.values import clean, parse_age, parse_date

    assert meta_cell(12.0) == clean(12.0) == "12"
    assert meta_cell(float("nan")) is None and meta_cell("  ") is None
    assert meta_cell(True) == "true"
    assert parse_date(meta_cell(dt.date(2025, 3, 1))) == parse_date(dt.date(2025, 3, 1))
    assert parse_date(meta_cell(dt.datetime(2025, 3, 1, 14, 5))) == "2025-03-01"
    assert parse_age(meta_cell(7)) == parse_age(7) == 7.0
    assert text_cell("  Seen Mia.\r\n") == "  Seen Mia.\r\n"  # offsets count: never stripped


@pytest.fixture(scope="module")
def spark():
    if not (_has_java() and _has_pyspark()):
        pytest.skip("needs pyspark and Java")
    from notes_qa.spark import get_session

    session = get_session("local[2]")
    yield session
    session.stop()


def _tables(tmp_path: Path) -> list[str]:
    """A small generated corpus as a Parquet table, plus a JSONL table of awkward rows."""
    from notes_qa.corpus import generate_corpus
    from notes_qa.spark.tables import write_corpus_table

    generate_corpus(3, 5, tmp_path / "corpus", docx_share=0.0, hf=False, card=False)
    main = tmp_path / "notes.parquet"
    write_corpus_table(tmp_path / "corpus", main)
    odd = [
        # two children with no family: each is its own case file, never siblings
        {"text": "12/03/2025 Home visit. Seen Ffion alone; she said \"I like my room\".",
         "child_id": "L-1", "child_name": "Ffion", "age": 9, "note_id": "x1"},
        {"text": "Phone call to school about Osian's attendance. Agreed to meet.",
         "child_id": "L-2", "child_name": "Osian", "date": "13/03/2025", "note_id": "x1"},
        # a row without child_id is a case file of its own
        {"text": "Duty note: referral received from the school nurse.", "note_id": "d-9"},
        # the same child again, naming a family: the child's first value counts (as locally)
        {"text": "Ffion seen at contact. She was smiling.", "child_id": "L-1",
         "family_id": "fam-late", "age": "9", "note_id": "x2"},
        # a child whose every row is blank: an `empty` error record
        {"text": "   ", "child_id": "B-1"},
    ]
    extra = tmp_path / "extra.jsonl"
    extra.write_text("".join(json.dumps(r) + "\n" for r in odd))
    blank = tmp_path / "blank.csv"
    blank.write_text("text,child_id\n ,A\n")
    # an export saved by Excel on Windows: Windows-1252, not UTF-8
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes('child_id,child_name,date,text\nW-1,Siân,14/03/2025,"Home visit. Siân said ‘I feel safe’ – she smiled."\n'
                       .encode("cp1252"))
    return [str(main), str(extra), str(blank), str(legacy)]


@pytest.mark.spark
@pytest.mark.slow
def test_spark_records_equal_the_local_records(spark, tmp_path: Path) -> None:
    from notes_qa.batch import run_score
    from notes_qa.cli import build_parser

    inputs = _tables(tmp_path)
    local_out = tmp_path / "local.jsonl"
    args = build_parser().parse_args(["score", *inputs, "--out", str(local_out), "--workers", "1",
                                      "--quiet"])
    args.pipeline_components = LIGHT
    assert run_score(args) == 1  # the blank child and the blank table are rejected
    local = sorted(local_out.read_text(encoding="utf-8").splitlines())

    out = tmp_path / "spark-out"
    args = build_parser().parse_args(["score", *inputs, "--engine", "spark", "--master",
                                      "local[2]", "--out", str(out), "--quiet"])
    args.pipeline_components = LIGHT
    assert run_score(args) == 1
    assert not Path(str(out) + ".partial").exists()
    cases = spark.read.parquet(str(out / "cases"))
    got = sorted(r.record for r in cases.select("record").collect())
    assert got == local
    assert len(local) > 8

    # The flat tables agree with the records they were cut from.
    recs = [json.loads(l) for l in local if '"notes-qa/case@1"' in l]
    spans = spark.read.parquet(str(out / "spans"))
    findings = spark.read.parquet(str(out / "findings"))
    assert spans.count() == sum(len(r["spans"]) for r in recs)
    assert findings.count() == sum(len(r["findings"]) for r in recs)
    row = spans.orderBy("case_id", "span_index").first()
    rec = next(r for r in recs if r["case_id"] == row.case_id)
    first = rec["spans"][row.span_index]
    assert (row.label, row.start, row.end, row.text) == (first["label"], first["start"],
                                                          first["end"], first["text"])
    assert row.source == rec["entries"][first["entry"]]["source"]
    errors = {r.source: r.error for r in cases.filter("record_type = 'error'").collect()}
    assert errors == {f"{inputs[1]}#child_id=B-1": "empty", inputs[2]: "empty"}


@pytest.mark.spark
@pytest.mark.slow
def test_spark_children_without_a_family_are_groups_of_their_own(spark) -> None:
    from notes_qa.spark.score import GKEY, group_cells, normalise_columns

    rows = [("Seen A.", "A", None, "n1"), ("Seen B.", "B", None, "n2"),
            ("Seen C.", "C", "fam", "n3"), ("Seen D.", "D", "fam", "n4"),
            ("Duty note.", None, None, "n5"), ("Seen E.", "E", None, "n6"),
            ("Seen E again.", "E", "fam", "n7")]
    df = spark.createDataFrame(rows, "text string, child_id string, family_id string, "
                                     "note_id string")
    df = df.withColumn("_nqa_file", df.text.isNull().cast("int")) \
        .withColumn("_nqa_source", df.text.substr(0, 0))
    from notes_qa.spark.score import add_row_numbers

    keys = {r.child_id or r.note_id: r[GKEY]
            for r in group_cells(add_row_numbers(normalise_columns(df))).collect()}
    assert keys["B"] == "c:B" and keys["C"] == keys["D"] == "f:fam"
    assert keys["A"] == "c:A"
    assert keys["E"] == "f:fam"  # a child's family is the first one its rows name
    assert keys["n5"].startswith("r:")
    assert len({keys["A"], keys["B"], keys["n5"]}) == 3


def test_spark_csv_encoding_follows_the_local_reader(tmp_path: Path) -> None:
    from notes_qa.readers.text import decode_bytes
    from notes_qa.spark.io import _C1, _CP1252, _csv_encoding

    cases = {"utf8.csv": ("text\nSiân ‘hi’\n".encode("utf-8"), "UTF-8"),
             "bom.csv": (b"\xef\xbb\xbf" + "text\nSiân\n".encode("utf-8"), "UTF-8"),
             "excel.csv": ("text\nSiân ‘hi’ – ok\n".encode("cp1252"), "windows-1252"),
             "latin.csv": (b"text\nSi\xe2n \x81\n", "ISO-8859-1"),
             "utf16.csv": ("text\nSiân\n".encode("utf-16"), "UTF-16")}
    for name, (data, want) in cases.items():
        (tmp_path / name).write_bytes(data)
        assert _csv_encoding(str(tmp_path / name)) == want, name
    # reading as ISO-8859-1 then mapping 0x80-0x9F gives exactly what the local reader decodes
    raw = "text\nSiân ‘hi’ – ok €\n".encode("cp1252")
    as_latin1 = raw.decode("latin-1").translate(str.maketrans(_C1, _CP1252))
    assert as_latin1 == decode_bytes(raw)
