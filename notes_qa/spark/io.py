"""Read note tables (Parquet, CSV, JSON Lines) into one Spark DataFrame of notes.

Each file keeps its path as opened (the ``TABLE`` of ``TABLE#NOTE_ID`` sources) and its
rows' order (``TABLE#row=N``), as the local reader does. Files are enumerated with the local
reader's rules (folders recursively, in its deterministic order).
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Sequence

from .score import FILE, ROW, SOURCE, add_row_numbers, normalise_columns

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


def _csv_delimiter(path: str) -> str:
    """The most common of , ; tab | in the header line (as the local reader picks it)."""
    from ..readers.text import decode_bytes

    with open(path, "rb") as fh:
        head = fh.read(65536)
    text = decode_bytes(head) if head else ""
    first = text.split("\n", 1)[0]
    return max((",", ";", "\t", "|"), key=first.count) if first else ","


def _csv_encoding(path: str) -> str:
    """How the local reader decodes this CSV file (:func:`notes_qa.readers.text.decode_bytes`):
    "UTF-8" (a BOM is fine), "UTF-16"/"UTF-32" (BOM-marked), "windows-1252", else "ISO-8859-1". The
    file is checked in chunks, so a large table is never held whole."""
    import codecs

    with open(path, "rb") as fh:
        head = fh.read(4)
        if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            return "UTF-32"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "UTF-16"
        for name in ("utf-8", "cp1252"):
            fh.seek(0)
            decoder = codecs.getincrementaldecoder(name)()
            try:
                while chunk := fh.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return "UTF-8" if name == "utf-8" else "windows-1252"
    return "ISO-8859-1"


#: Spark 4 reads CSV only in a few charsets: a Windows-1252 file is read as ISO-8859-1 (the
#: same byte for byte but for 0x80-0x9F) and those characters are then mapped to Windows-1252's.
_C1 = "".join(chr(b) for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
_CP1252 = bytes(ord(c) for c in _C1).decode("cp1252")


def _as_string(col: Any, dtype: str) -> Any:
    """A cell as the string the local reader's ``clean`` makes of the typed value."""
    from pyspark.sql import functions as F

    if dtype in ("date", "timestamp", "timestamp_ntz"):
        return F.date_format(col, "yyyy-MM-dd")
    if dtype in ("double", "float"):  # 12.0 -> "12", as clean() does; NaN -> missing
        return (F.when(F.isnan(col), F.lit(None))
                .when(col == F.floor(col), col.cast("long").cast("string"))
                .otherwise(col.cast("string")))
    return col.cast("string")


def _read_one(spark: "SparkSession", path: str) -> "DataFrame":
    ext = os.path.splitext(path)[1].lower()
    if ext == ".parquet":
        return spark.read.parquet(path)
    if ext == ".jsonl":
        return spark.read.json(path)
    if ext == ".csv":
        encoding = _csv_encoding(path)
        df = (spark.read.option("header", True).option("multiLine", True)
              .option("escape", '"').option("sep", _csv_delimiter(path))
              .option("encoding", "ISO-8859-1" if encoding == "windows-1252" else encoding)
              .option("mode", "FAILFAST").csv(path))
        from pyspark.sql import functions as F

        if encoding == "windows-1252":
            df = df.select(*[F.translate(F.col(f"`{c}`"), _C1, _CP1252).alias(c) for c in df.columns])

        # The local reader skips rows whose every cell is blank.
        blank = [F.coalesce(F.trim(F.col(f"`{c}`")), F.lit("")) == "" for c in df.columns]
        all_blank = blank[0]
        for b in blank[1:]:
            all_blank = all_blank & b
        return df.filter(~all_blank)
    raise ValueError(f"{path}: not a note table")


def read_notes(spark: "SparkSession", paths: Sequence[str]
               ) -> tuple["DataFrame | None", list[dict[str, Any]]]:
    """``(notes, errors)``: the rows of every note table under ``paths`` and error records
    (contract dicts) for inputs that are not tables or cannot be read."""
    from pyspark.sql import functions as F

    from ..readers.folders import iter_inputs
    from ..readers.tables import input_record

    frames: list["DataFrame"] = []
    errors: list[dict[str, Any]] = []
    for item in iter_inputs([str(p) for p in paths], None):
        if item.kind == "error":
            assert item.error is not None
            errors.append(item.error.to_dict())
            continue
        if item.kind != "table":
            errors.append(input_record(item.source, "unsupported_type",
                                       "--engine spark reads note tables (.parquet, .csv, "
                                       ".jsonl); score documents with --engine local").to_dict())
            continue
        if os.path.getsize(item.source) == 0:
            errors.append(input_record(item.source, "empty").to_dict())
            continue
        try:
            df = normalise_columns(_read_one(spark, item.source))
        except ValueError as exc:
            code = "missing_text_column" if "'text'" in str(exc) else "bad_table"
            errors.append(input_record(item.source, code, str(exc).split(";")[-1].strip()
                                       if code == "missing_text_column" else None).to_dict())
            continue
        except Exception as exc:  # Spark's AnalysisException and friends
            errors.append(input_record(item.source, "bad_table",
                                       type(exc).__name__).to_dict())
            continue
        # Every value as a string or date: tables disagree on types, union needs one schema.
        df = df.select(*[_as_string(F.col(c), t).alias(c) for c, t in df.dtypes])
        frames.append(df.withColumn(FILE, F.lit(len(frames)))
                      .withColumn(SOURCE, F.lit(item.source)))
    if not frames:
        return None, errors
    notes = frames[0]
    for f in frames[1:]:
        notes = notes.unionByName(f)
    return add_row_numbers(notes), errors
