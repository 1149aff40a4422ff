"""``notes-qa score --engine spark [--master URL] INPUT... --out DIR``: Parquet out.

Writes ``DIR/cases`` (case and error records: flat columns and the contract JSON in
``record``), ``DIR/spans`` and ``DIR/findings`` as Parquet, each through a temporary folder
renamed when complete (``DIR.partial`` → ``DIR``), so an interrupted job never leaves a
complete-looking output. Exit status and stderr lines follow the contract: 1 when some
input was rejected, 2 for a usage error.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path


def run_spark_score(args: argparse.Namespace) -> int:
    from ..atomic import partial_path

    if not args.out:
        print("notes-qa: --engine spark needs --out DIR (a folder for the Parquet output)",
              file=sys.stderr)
        return 2
    if getattr(args, "resume", False):
        print("notes-qa: --resume is for --engine local; a Spark job reruns failed tasks itself",
              file=sys.stderr)
        return 2
    if args.manifest:
        print("notes-qa: --engine spark reads note tables; --manifest is for documents",
              file=sys.stderr)
        return 2
    try:
        import pyspark  # noqa: F401
    except ImportError:
        print("notes-qa: --engine spark needs pyspark (pip install 'notes-qa[spark]')",
              file=sys.stderr)
        return 2
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        print("notes-qa: --engine spark needs Java 17 or later (set JAVA_HOME)", file=sys.stderr)
        return 2

    from .io import read_notes
    from .score import _flat, score_dataframe
    from .session import get_session

    out = Path(args.out)
    tmp = partial_path(out)
    if tmp.exists():
        shutil.rmtree(tmp)
    spark = get_session(args.master)
    notes, errors = read_notes(spark, args.inputs)
    components = getattr(args, "pipeline_components", None)
    frames = []
    if notes is not None:
        cases, spans, findings = score_dataframe(notes, rules=args.rules,
                                                 pipeline_components=components)
        frames = [("cases", cases), ("spans", spans), ("findings", findings)]
    if errors:
        err_df = spark.createDataFrame([_flat(e) for e in errors],
                                       _records_ddl()).drop("spans_flat", "findings_flat")
        if frames:
            frames[0] = ("cases", frames[0][1].unionByName(err_df))
        else:
            frames = [("cases", err_df)]
    for name, df in frames:
        df.write.mode("overwrite").parquet(str(tmp / name))
    tmp.mkdir(parents=True, exist_ok=True)
    rejected = 0
    if frames:
        for row in (spark.read.parquet(str(tmp / "cases")).filter("record_type = 'error'")
                    .select("source", "message", "error").toLocalIterator()):
            rejected += 1
            print(f"notes-qa: {row.source}: {row.message} [{row.error}]", file=sys.stderr)
    if out.exists():
        shutil.rmtree(out)
    os.replace(tmp, out)
    if not args.quiet:
        n = spark.read.parquet(str(out / "cases")).count() if frames else 0
        print(f"notes-qa: {n - rejected} case files scored, {rejected} rejected -> {out}",
              file=sys.stderr)
    return 1 if rejected else 0


def _records_ddl() -> str:
    from .score import RECORD_DDL

    return RECORD_DDL


__all__ = ["run_spark_score"]
