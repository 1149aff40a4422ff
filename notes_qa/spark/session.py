"""A Spark session for notes-qa: bound to 127.0.0.1 in local mode, quiet logs."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[2]"


def get_session(master: str | None = None, app_name: str = "notes-qa",
                shuffle_partitions: int | None = None) -> "SparkSession":
    """Get (or create) a Spark session.

    ``master`` defaults to ``local[2]``; on a cluster (spark-submit, Databricks) pass None and
    the session the platform configured is used as it is. Local mode binds the driver to
    127.0.0.1 and turns the UI off, so nothing listens on the network.
    """
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    master = master or os.environ.get("NOTES_QA_SPARK_MASTER") or DEFAULT_MASTER
    local = master.startswith("local")
    b = SparkSession.builder.appName(app_name).master(master)
    if local:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        b = (b.config("spark.driver.host", "127.0.0.1")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false"))
    parts = shuffle_partitions or (2 * _local_cores(master) if local else 200)
    b = (b.config("spark.sql.shuffle.partitions", str(parts))
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.sql.execution.arrow.pyspark.enabled", "true")
         # Families are scored whole in one Arrow batch; keep batches of entries modest.
         .config("spark.sql.execution.arrow.maxRecordsPerBatch", "512")
         .config("spark.python.worker.reuse", "true"))
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _local_cores(master: str) -> int:
    """N of ``local[N]`` (``local[*]``: the machine's cores; ``local``: 1)."""
    inner = master[master.find("[") + 1:master.find("]")] if "[" in master else "1"
    inner = inner.split(",")[0].strip()
    if inner == "*":
        return os.cpu_count() or 1
    try:
        return max(1, int(inner))
    except ValueError:
        return 2
