"""``score_dataframe``: the local scoring flow as Spark stages.

1. *cells* (``mapInPandas``): every contract cell becomes the string the local reader would
   see after :func:`~notes_qa.readers.values.clean` (dates as ISO), plus the row's grouping
   keys (child, family, has-text).
2. Spark SQL: a table with no text at all becomes an ``empty`` error record; a ``note_id``
   used twice in a table keeps only its first row (the others are ``TABLE#row=N``); a child
   takes the family of its first row that names one; the group key is that family, else the
   child, else the row itself (a child without a family is never lumped with others).
3. *assemble* (``applyInPandas`` by group): :func:`notes_qa.readers.tables.cases_from_rows`
   builds exactly the local :class:`~notes_qa.records.CaseFile` objects, then entries are cut,
   siblings linked and each entry's pipeline context fixed (cheap; one row out per entry).
4. *annotate* (``mapInPandas``): the spaCy pipeline over each entry (the per-document work),
   built once per Python worker.
5. *family step* (``applyInPandas`` by group): spans put back on their records, siblings
   compared, summary and findings: one row per record with its contract JSON.

Row order inside a table (for ``TABLE#row=N`` sources and "first row wins" metadata) is the
DataFrame's order, or the ``_nqa_file``/``_nqa_row`` columns :func:`notes_qa.spark.read_notes`
adds.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import json
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from . import CONTRACT_COLUMNS

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

FILE, SOURCE, ROW = "_nqa_file", "_nqa_source", "_nqa_row"
CHILD, FAM, HAS_TEXT, NID, GKEY = "_nqa_child", "_nqa_fam", "_nqa_has_text", "_nqa_nid", "_nqa_gkey"
META_COLS = CONTRACT_COLUMNS[1:]
ERROR_SCHEMA = "notes-qa/error@1"

ENTRY_DDL = (f"{GKEY} string, kind string, case_idx int, entry_idx int, case_json string, "
             "entry_json string, text string, context_json string")
ANNOTATED_DDL = ENTRY_DDL + ", spans_json string, scores_json string"
RECORD_DDL = ("record_type string, case_id string, child_id string, child_name string, "
              "family_id string, source string, error string, message string, "
              "n_entries int, n_spans int, n_findings int, child_voice_coverage double, "
              "rationale_coverage double, sibling_copy_share double, plain_language double, "
              "record string, spans_flat string, findings_flat string")
SPAN_DDL = ("array<struct<span_index:int, label:string, entry:int, source:string, "
            "entry_date:string, note_type:string, start:int, end:int, text:string, kind:string, "
            "score:double, has_rationale:boolean, decision:int, similarity:double, "
            "match_case_id:string, match_entry:int, match_start:int, match_end:int, "
            "detail:string, suggestion:string, attrs:string>>")
FINDING_DDL = ("array<struct<finding_index:int, code:string, severity:string, message:string, "
               "entry:int, entry_date:string, spans:array<int>, extra:string>>")

# --- worker-side state: one pipeline per Python worker process ---------------------------

_NLP: dict[Any, Any] = {}


def _pipeline(components: tuple[str, ...] | None) -> Any:
    nlp = _NLP.get(components)
    if nlp is None:
        from ..lean import LeanFactory
        from ..parallel import PipelineFactory

        # a Spark Python worker is our own process (see notes_qa.lean)
        nlp = _NLP[components] = LeanFactory(PipelineFactory(components))()
    return nlp


# --- stage 1: cells and keys ---------------------------------------------------------------

def _py(value: Any) -> Any:
    """A pandas/numpy cell as a plain Python value (None for missing)."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and value != value:
        return None
    try:
        import pandas as pd

        if value is pd.NaT or value is pd.NA:
            return None
    except ImportError:  # pragma: no cover
        pass
    return value


def text_cell(value: Any) -> str | None:
    """The ``text`` cell as the local reader sees it (not stripped: offsets count)."""
    v = _py(value)
    if v is None:
        return None
    return v if isinstance(v, str) else str(v)


def meta_cell(value: Any) -> str | None:
    """Any other cell as a string the local reader treats exactly like the raw value."""
    from ..readers.values import clean, parse_date

    v = _py(value)
    if isinstance(v, (_dt.date, _dt.datetime)) or hasattr(v, "to_pydatetime"):
        return parse_date(v)
    return clean(v)


def _cells(batches: Iterable["pd.DataFrame"]) -> Iterator["pd.DataFrame"]:
    import pandas as pd

    from ..readers.tables import _row_text

    for pdf in batches:
        out: dict[str, Any] = {FILE: pdf[FILE].to_numpy(), SOURCE: pdf[SOURCE].to_numpy(),
                               ROW: pdf[ROW].to_numpy()}
        text = [text_cell(v) for v in pdf["text"]]
        out["text"] = text
        for c in META_COLS:
            out[c] = [meta_cell(v) for v in pdf[c]]
        has = [_row_text(t) is not None for t in text]
        out[CHILD] = out["child_id"]
        out[FAM] = [f if h else None for f, h in zip(out["family_id"], has)]
        out[NID] = [n if h else None for n, h in zip(out["note_id"], has)]
        out[HAS_TEXT] = has
        yield pd.DataFrame(out)


CELLS_DDL = (f"{FILE} int, {SOURCE} string, {ROW} long, text string, "
             + ", ".join(f"{c} string" for c in META_COLS)
             + f", {CHILD} string, {FAM} string, {NID} string, {HAS_TEXT} boolean")


# --- stage 3: assemble case files, cut entries, link siblings -----------------------------

def _rows_by_table(pdf: "pd.DataFrame") -> list[tuple[str, list[tuple[int, dict[str, Any]]]]]:
    pdf = pdf.sort_values([FILE, ROW], kind="stable")
    tables: list[tuple[str, list[tuple[int, dict[str, Any]]]]] = []
    last = None
    cols = list(CONTRACT_COLUMNS)
    for rec in pdf[[FILE, SOURCE, ROW, *cols]].itertuples(index=False, name=None):
        f, src, n = rec[0], rec[1], rec[2]
        row = {c: (None if v is None or (isinstance(v, float) and v != v) else v)
               for c, v in zip(cols, rec[3:])}
        if f != last:
            tables.append((src, []))
            last = f
        tables[-1][1].append((int(n), row))
    return tables


def assemble_group(pdf: "pd.DataFrame") -> list[Any]:
    """The group's case files and error records, as the local reader gives them."""
    from ..readers.tables import cases_from_rows, merge_case
    from ..records import CaseFile

    units: list[Any] = []
    children: dict[str, CaseFile] = {}
    for source, rows in _rows_by_table(pdf):
        table = cases_from_rows(source, rows, require_text=False)
        for case in table.cases:  # as readers._add_table: one child in two tables is one file
            if case.meta.child_id in table.by_child:
                known = children.get(case.meta.child_id)
                if known is not None:
                    merge_case(known, case)
                    fid = known.meta.family_id
                    known.case_id = f"{fid}/{known.meta.child_id}" if fid else known.meta.child_id
                    continue
                children[case.meta.child_id] = case
            units.append(case)
        units.extend(table.errors)
    return units


def _analysis_failed(cases: Sequence[Any], exc: BaseException) -> list[dict[str, Any]]:
    from ..errors import input_error

    out = []
    for c in cases:
        err = input_error(next(iter(c.sources), c.case_id), "analysis_failed",
                          f"{type(exc).__name__}: {exc}")
        out.append({"schema": ERROR_SCHEMA, "source": err.source, "error": err.code,
                    "message": err.message})
    return out


def _assemble(pdf: "pd.DataFrame") -> "pd.DataFrame":
    import pandas as pd

    from ..pipeline import context_for
    from ..records import CaseFile, ErrorRecord
    from ..scoring import link_siblings, segment_case

    gkey = pdf[GKEY].iloc[0]
    rows: list[dict[str, Any]] = []

    def add(kind: str, case_idx: int = -1, entry_idx: int = -1, case: Any = None,
            entry: Any = None, text: str | None = None, context: Any = None) -> None:
        rows.append({GKEY: gkey, "kind": kind, "case_idx": case_idx, "entry_idx": entry_idx,
                     "case_json": None if case is None else json.dumps(case, ensure_ascii=False),
                     "entry_json": None if entry is None else json.dumps(entry, ensure_ascii=False),
                     "text": text,
                     "context_json": None if context is None else json.dumps(context)})

    units = assemble_group(pdf)
    cases = [u for u in units if isinstance(u, CaseFile)]
    for u in units:
        if isinstance(u, ErrorRecord):
            add("error", case=u.to_dict())
    try:
        records = [segment_case(c) for c in cases]
        if len(records) > 1 and records[0].meta.family_id:
            link_siblings(records)
    except Exception as exc:  # as score_groups: one broken family must not stop the batch
        for err in _analysis_failed(cases, exc):
            add("error", case=err)
        records = []
    for k, r in enumerate(records):
        head = {"case_id": r.case_id, "meta": dataclasses.asdict(r.meta)}
        if not r.entries:
            add("case0", k, -1, case=head)
        for i, e in enumerate(r.entries):
            add("entry", k, i, case=head, entry=dataclasses.asdict(e),
                text=r.sources[e.source], context=context_for(r, i))
    return pd.DataFrame(rows, columns=[GKEY, "kind", "case_idx", "entry_idx", "case_json",
                                       "entry_json", "text", "context_json"])


# --- stage 4: the per-document pipeline ----------------------------------------------------

def _annotate_batches(components: tuple[str, ...] | None, batch_size: int = 64):
    def run(batches: Iterable["pd.DataFrame"]) -> Iterator["pd.DataFrame"]:
        import pandas as pd

        from ..pipeline import add_doc_results
        from ..records import CaseRecord, ChildMeta, Entry

        nlp = _pipeline(components)
        for pdf in batches:
            spans_out: list[str | None] = [None] * len(pdf)
            scores_out: list[str | None] = [None] * len(pdf)
            idx = [i for i, k in enumerate(pdf["kind"]) if k == "entry"]
            minis, docs = [], []
            for i in idx:
                e = json.loads(pdf["entry_json"].iat[i])
                text = pdf["text"].iat[i]
                entry = Entry(source=e["source"], start=e["start"], end=e["end"])
                mini = CaseRecord(case_id="", meta=ChildMeta(child_id=""),
                                  sources={e["source"]: text}, entries=[entry])
                doc = nlp.make_doc(text[e["start"]:e["end"]])
                doc._.nqa_context = json.loads(pdf["context_json"].iat[i])
                minis.append(mini)
                docs.append(doc)
            try:
                for i, mini, doc in zip(idx, minis, nlp.pipe(docs, batch_size=batch_size)):
                    add_doc_results(mini, 0, doc)
                    spans_out[i] = json.dumps([[s.label, s.start, s.end, s.text, s.attrs]
                                               for s in mini.spans], ensure_ascii=False)
                    scores_out[i] = json.dumps(mini.entries[0].scores)
            except Exception as exc:  # marks the families; the family step reports them
                msg = json.dumps({"failed": f"{type(exc).__name__}: {exc}"})
                for i in idx:
                    if spans_out[i] is None:
                        spans_out[i] = msg
            cols = {c: pdf[c].tolist() for c in pdf.columns}
            cols["spans_json"] = spans_out
            cols["scores_json"] = scores_out
            yield pd.DataFrame(cols)

    return run


# --- stage 5: the family step --------------------------------------------------------------

def _flat(d: dict[str, Any], rec: Any = None) -> dict[str, Any]:
    """One output row: flat columns, the contract JSON, and flat span/finding lists."""
    is_error = d.get("schema") == ERROR_SCHEMA
    row: dict[str, Any] = {"record_type": "error" if is_error else "case",
                           "record": json.dumps(d, ensure_ascii=False)}
    if is_error:
        row.update(source=d["source"], error=d["error"], message=d["message"],
                   spans_flat="[]", findings_flat="[]")
        return row
    summary = d["summary"]
    row.update(case_id=d["case_id"], child_id=d["child_id"], child_name=d["child_name"],
               family_id=d["family_id"], n_entries=len(d["entries"]), n_spans=len(d["spans"]),
               n_findings=len(d["findings"]),
               **{k: (None if summary.get(k) is None else float(summary[k]))
                  for k in ("child_voice_coverage", "rationale_coverage", "sibling_copy_share",
                            "plain_language")})
    entries = d["entries"]

    def entry_field(i: Any, name: str) -> Any:
        return entries[i][name] if isinstance(i, int) and 0 <= i < len(entries) else None

    spans = []
    for j, s in enumerate(d["spans"]):
        match = s.get("match") if isinstance(s.get("match"), dict) else {}
        attrs = {k: v for k, v in s.items() if k not in ("label", "entry", "start", "end", "text")}
        spans.append({
            "span_index": j, "label": s["label"], "entry": s["entry"],
            "source": entry_field(s["entry"], "source"),
            "entry_date": entry_field(s["entry"], "date"),
            "note_type": entry_field(s["entry"], "note_type"),
            "start": s["start"], "end": s["end"], "text": s["text"],
            "kind": _str_or_none(s.get("kind")), "score": _num(s.get("score")),
            "has_rationale": s.get("has_rationale") if isinstance(s.get("has_rationale"), bool)
            else None,
            "decision": s.get("decision") if isinstance(s.get("decision"), int) else None,
            "similarity": _num(s.get("similarity")),
            "match_case_id": _str_or_none(match.get("case_id")),
            "match_entry": _int(match.get("entry")), "match_start": _int(match.get("start")),
            "match_end": _int(match.get("end")), "detail": _str_or_none(s.get("detail")),
            "suggestion": _str_or_none(s.get("suggestion")),
            "attrs": json.dumps(attrs, ensure_ascii=False)})
    findings = []
    for j, f in enumerate(d["findings"]):
        extra = {k: v for k, v in f.items()
                 if k not in ("code", "severity", "message", "entry", "spans")}
        findings.append({"finding_index": j, "code": f["code"], "severity": f["severity"],
                         "message": f["message"], "entry": _int(f.get("entry")),
                         "entry_date": entry_field(f.get("entry"), "date"),
                         "spans": f.get("spans"), "extra": json.dumps(extra, ensure_ascii=False)})
    row["spans_flat"] = json.dumps(spans, ensure_ascii=False)
    row["findings_flat"] = json.dumps(findings, ensure_ascii=False)
    return row


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _str_or_none(v: Any) -> str | None:
    return None if v is None else str(v)


RECORD_COLUMNS = [c.split()[0] for c in RECORD_DDL.split(", ")]


def _family_step(rules: str):
    def run(pdf: "pd.DataFrame") -> "pd.DataFrame":
        import pandas as pd

        from ..findings import finalise
        from ..records import CaseRecord, ChildMeta, Entry, Span
        from ..siblings import compare_family

        out: list[dict[str, Any]] = []
        errors = pdf[pdf["kind"] == "error"]
        for cj in errors["case_json"]:
            out.append(_flat(json.loads(cj)))
        body = pdf[pdf["kind"] != "error"].sort_values(["case_idx", "entry_idx"], kind="stable")
        records: dict[int, CaseRecord] = {}
        failed: str | None = None
        for row in body.itertuples(index=False):
            k = int(row.case_idx)
            rec = records.get(k)
            if rec is None:
                head = json.loads(row.case_json)
                rec = records[k] = CaseRecord(case_id=head["case_id"],
                                              meta=ChildMeta(**head["meta"]), sources={})
            if row.kind != "entry":
                continue
            entry = Entry(**json.loads(row.entry_json))
            rec.sources[entry.source] = row.text
            i = len(rec.entries)
            rec.entries.append(entry)
            spans = json.loads(row.spans_json) if row.spans_json else []
            if isinstance(spans, dict):
                failed = spans.get("failed") or "annotation failed"
                continue
            entry.scores.update(json.loads(row.scores_json or "{}"))
            offset = len(rec.spans)
            for label, start, end, text, attrs in spans:
                if label == "rationale" and isinstance(attrs.get("decision"), int):
                    attrs["decision"] += offset  # record-wide span index, as local annotate
                rec.spans.append(Span(label=label, entry=i, start=start, end=end, text=text,
                                      attrs=attrs))
        recs = [records[k] for k in sorted(records)]
        try:
            if failed:
                raise RuntimeError(failed)
            if len(recs) > 1 and recs[0].meta.family_id:
                compare_family(recs)
            for r in recs:
                finalise(r, rules=rules)
            dicts = [r.to_dict() for r in recs]
        except Exception as exc:
            dicts = _analysis_failed(recs, exc)
        for d in dicts:
            out.append(_flat(d))
        return pd.DataFrame({c: pd.Series([r.get(c) for r in out], dtype=object)
                             for c in RECORD_COLUMNS})

    return run


# --- the driver side -----------------------------------------------------------------------

def normalise_columns(df: "DataFrame") -> "DataFrame":
    """Contract column names (matched case-insensitively, spaces ignored), missing ones null.

    Raises ValueError when there is no ``text`` column.
    """
    from pyspark.sql import functions as F

    found: dict[str, str] = {}
    for name in df.columns:
        key = name.strip().lstrip("\ufeff").strip().lower()
        if key and key not in found:
            found[key] = name
    if "text" not in found:
        raise ValueError("the notes have no 'text' column; columns found: "
                         + ", ".join(df.columns[:12]))
    cols = [F.col(f"`{found[c]}`").alias(c) if c in found else F.lit(None).cast("string").alias(c)
            for c in CONTRACT_COLUMNS]
    internal = [F.col(c) for c in (FILE, SOURCE, ROW) if c in df.columns]
    return df.select(*cols, *internal)


def add_row_numbers(df: "DataFrame") -> "DataFrame":
    """Number each table's rows 0.. in the DataFrame's order (``_nqa_row``), per ``_nqa_file``.

    Uses ``monotonically_increasing_id`` (partition index in the upper bits) and the
    per-partition counts, so it needs one small job and no shuffle of the rows.
    """
    from pyspark.sql import functions as F

    mid = "_nqa_mid"
    pid = "_nqa_pid"
    df = df.withColumn(mid, F.monotonically_increasing_id()).withColumn(
        pid, F.shiftright(F.col(mid), 33))
    counts = sorted((r[FILE], r[pid], r["count"])
                    for r in df.groupBy(FILE, pid).count().collect())
    offsets, running, last_file = [], 0, None
    for f, p, n in counts:
        if f != last_file:
            running, last_file = 0, f
        offsets.append((f, p, running))
        running += n
    spark = df.sparkSession
    if not offsets:
        return df.withColumn(ROW, F.lit(0).cast("long")).drop(mid, pid)
    off = spark.createDataFrame(offsets, f"{FILE} int, {pid} long, _nqa_off long")
    mask = (1 << 33) - 1
    return (df.join(F.broadcast(off), [FILE, pid])
            .withColumn(ROW, F.col("_nqa_off") + F.col(mid).bitwiseAND(F.lit(mask)))
            .drop(mid, pid, "_nqa_off"))


def empty_table_errors(df: "DataFrame") -> tuple[list[dict[str, Any]], set[int]]:
    """Error records for tables with no text in any row (as the local reader's ``empty``)."""
    from pyspark.sql import functions as F

    from ..errors import input_error

    rows = (df.groupBy(FILE, SOURCE)
            .agg(F.max(F.col("text").cast("string").rlike(r"(?U)\S").cast("int")).alias("t"))
            .filter(F.coalesce(F.col("t"), F.lit(0)) == 0).collect())
    errors = []
    for r in sorted(rows, key=lambda r: r[FILE]):
        err = input_error(r[SOURCE], "empty", "no row has any text")
        errors.append({"schema": ERROR_SCHEMA, "source": err.source, "error": err.code,
                       "message": err.message})
    return errors, {r[FILE] for r in rows}


def group_cells(df: "DataFrame") -> "DataFrame":
    """Stage 1 and 2: the rows as local-reader cells, each with its group key ``_nqa_gkey``
    (``f:FAMILY``, else ``c:CHILD``, else ``r:FILE:ROW``: a child without a family is a group
    of its own)."""
    from pyspark.sql import functions as F

    cells = df.mapInPandas(_cells, CELLS_DDL)
    # A note_id used twice in a table: only its first text row keeps it.
    dups = (cells.filter(F.col(NID).isNotNull()).groupBy(FILE, NID)
            .agg(F.min(ROW).alias("_nqa_first"), F.count(F.lit(1)).alias("_nqa_n"))
            .filter(F.col("_nqa_n") > 1).drop("_nqa_n"))
    cells = (cells.join(dups, [FILE, NID], "left")
             .withColumn("note_id", F.when(F.col("_nqa_first").isNull()
                                           | (F.col("_nqa_first") == F.col(ROW)),
                                           F.col("note_id")))
             .drop("_nqa_first"))
    # A child's family: that of its first text row naming one (rows in table order).
    fam = (cells.filter(F.col(CHILD).isNotNull()).groupBy(CHILD)
           .agg(F.expr(f"min_by({FAM}, struct({FILE}, {ROW})) FILTER (WHERE {FAM} IS NOT NULL)")
                .alias("_nqa_child_fam")))
    cells = cells.join(fam, [CHILD], "left")
    gkey = F.coalesce(
        F.concat(F.lit("f:"), F.when(F.col(CHILD).isNotNull(), F.col("_nqa_child_fam"))
                 .otherwise(F.col(FAM))),
        F.concat(F.lit("c:"), F.col(CHILD)),
        F.concat(F.lit("r:"), F.col(FILE).cast("string"), F.lit(":"), F.col(ROW).cast("string")))
    cells = cells.withColumn(GKEY, gkey).drop("_nqa_child_fam")

    return cells


def score_dataframe(df: "DataFrame", source_name: str = "notes", rules: str = "wales",
                    pipeline_components: Sequence[str] | None = None,
                    persist: bool = True) -> tuple["DataFrame", "DataFrame", "DataFrame"]:
    """Score a DataFrame of notes (one row per entry, the contract's table columns).

    Returns ``(cases, spans, findings)``:

    - ``cases``: one row per case record *and* per error record (``record_type`` "case" or
      "error"), flat typed columns (ids, counts, the four summary values; ``source``, ``error``,
      ``message`` for errors) and ``record``, the record's contract JSON exactly as
      ``notes-qa score`` writes it;
    - ``spans``: one row per span (case ids, label, entry source/date/note type, offsets,
      text, the label's fields flattened, ``attrs`` as JSON);
    - ``findings``: one row per finding (code, severity, message, entry and its date, span
      indexes, extra fields as JSON).

    ``source_name`` plays the table's path in sources (``NAME#NOTE_ID``); a DataFrame from
    :func:`notes_qa.spark.read_notes` carries each file's own. ``pipeline_components`` picks
    the spaCy components (default: the full pipeline). The cases DataFrame is persisted
    (memory and disk) so the three results are computed once; ``cases.unpersist()`` frees it.
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    spark = df.sparkSession
    if FILE not in df.columns:
        df = df.withColumn(FILE, F.lit(0)).withColumn(SOURCE, F.lit(source_name))
    df = normalise_columns(df)
    if ROW not in df.columns:
        df = add_row_numbers(df)
    df = df.withColumn(FILE, F.col(FILE).cast("int")).withColumn(ROW, F.col(ROW).cast("long"))

    errors, empty_files = empty_table_errors(df)
    if empty_files:
        df = df.filter(~F.col(FILE).isin(sorted(empty_files)))

    cells = group_cells(df)
    entries = cells.groupBy(GKEY).applyInPandas(_assemble, ENTRY_DDL)
    components = None if pipeline_components is None else tuple(pipeline_components)
    annotated = entries.mapInPandas(_annotate_batches(components), ANNOTATED_DDL)
    records = annotated.groupBy(GKEY).applyInPandas(_family_step(rules), RECORD_DDL)
    if errors:
        extra = spark.createDataFrame([_flat(e) for e in errors], RECORD_DDL)
        records = records.unionByName(extra)
    if persist:
        records = records.persist(StorageLevel.MEMORY_AND_DISK)

    cases = records.drop("spans_flat", "findings_flat")
    cases_ids = [F.col("case_id"), F.col("child_id"), F.col("family_id")]
    spans = (records.filter(F.col("record_type") == "case")
             .select(*cases_ids, F.explode(F.from_json("spans_flat", SPAN_DDL)).alias("s"))
             .select(*cases_ids, "s.*"))
    findings = (records.filter(F.col("record_type") == "case")
                .select(*cases_ids, F.explode(F.from_json("findings_flat", FINDING_DDL))
                        .alias("f"))
                .select(*cases_ids, "f.*"))
    return cases, spans, findings


__all__ = ["score_dataframe", "normalise_columns", "add_row_numbers", "assemble_group",
           "text_cell", "meta_cell"]
