"""The PySpark engine: the same analyses, run by Spark over the warehouse's Parquet copy.

How it works:

1. Loading is unchanged: files are validated, quarantined, ledgered and de-duplicated
   into the embedded DuckDB warehouse file (``safer.warehouse.loader``).
2. :meth:`SparkEngine.publish` (called by ``safer ingest``, and again before the first
   query) exports every table to the Parquet dataset (:mod:`.parquet`): records
   partitioned by month and force, rewriting only tables that changed.
3. On the first :meth:`SparkEngine.table` call, a SparkSession starts (or the running
   one is reused, e.g. inside ``spark-submit`` or a notebook) and each table is read
   from Parquet and registered as a temporary view. The analyses get Ibis tables on
   Ibis's PySpark backend, so the expressions they build are the ones DuckDB runs.

What is Spark-specific, and therefore here:

* the session settings safer needs: ``spark.sql.session.timeZone = UTC`` (dates and
  timestamps mean what they mean in DuckDB), Arrow for fetching results, no console
  progress bars; anything in ``warehouse.spark_options`` overrides them;
* ``SPARK_LOCAL_IP`` defaults to ``127.0.0.1`` for ``local`` masters, so local mode works
  on machines whose host name does not resolve;
* the read schema: each table's column types come from its Parquet files, and the
  partition columns get their warehouse types (``month`` DATE, ``force`` STRING) rather
  than Spark's guesses from folder names;
* caching (``warehouse.spark_cache = true``): an assessment scans the same few tables
  about a hundred times, so when the data fits in Spark's memory it pays to persist each
  table (memory, spilling to disk) the first time it is read. Off by default: on a national
  year in local mode with a 2 GB heap, caching made the assessment twice as slow.

Example:
    >>> wh = open_warehouse(Path("safer.duckdb"), engine=EngineChoice("pyspark"))  # doctest: +SKIP
    >>> wh.table("crimes").count().execute()  # doctest: +SKIP
    276538
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import duckdb
import ibis

from safer.errors import WarehouseError
from safer.warehouse.engines.parquet import ParquetExport, TableExport, export_parquet

#: Settings safer relies on; ``warehouse.spark_options`` may override any of them.
SESSION_DEFAULTS: tuple[tuple[str, str], ...] = (
    ("spark.sql.session.timeZone", "UTC"),
    ("spark.sql.execution.arrow.pyspark.enabled", "true"),
    ("spark.ui.showConsoleProgress", "false"),
)
INSTALL_HINT = "install it with `pip install 'safer[spark]'` (Spark also needs Java 17: `java -version`)"


class SparkEngine:
    """Ibis tables on Spark, read from the Parquet dataset exported from the warehouse file."""

    name = "pyspark"

    def __init__(self, con: duckdb.DuckDBPyConnection, dataset: Path, *, master: str,
                 options: tuple[tuple[str, str], ...] = (), cache: bool = False) -> None:
        self.con = con
        self.dataset = Path(dataset)
        self.master = master
        self.options = options
        self.cache = cache
        self.session = None
        self.backend = None
        self.export: ParquetExport | None = None
        self._owns_session = False
        self._views: dict[str, ibis.Table] = {}
        self._frames: dict[str, object] = {}  # the DataFrames behind the views (to unpersist)
        self._prefix = f"safer_{uuid.uuid4().hex[:8]}_"

    def publish(self) -> ParquetExport:
        """Export the warehouse to Parquet (only the tables that changed) and forget stale views."""
        self.export = export_parquet(self.con, self.dataset)
        if self.export.rewritten and self._views:
            self._drop_views()
        return self.export

    def table(self, name: str) -> ibis.Table:
        if name not in self._views:
            if self.export is None:
                self.publish()
            self._start()
            try:
                described = self.export.table(name)
            except KeyError:
                raise WarehouseError(f"{self.dataset}: the warehouse has no table '{name}'") from None
            frame = _read_table(self.session, self.dataset / name, described)
            if self.cache:
                from pyspark import StorageLevel

                frame = frame.persist(StorageLevel.MEMORY_AND_DISK)
            self._frames[name] = frame
            view = self._prefix + name
            frame.createOrReplaceTempView(view)
            self._views[name] = self.backend.table(view)
        return self._views[name]

    def table_names(self) -> list[str]:
        """The warehouse's tables (as of the last export; exports first if there was none)."""
        if self.export is None:
            self.publish()
        return sorted(t.name for t in self.export.tables)

    def close(self) -> None:
        if self.session is None:
            return
        try:
            self._drop_views()
            if self._owns_session:
                self.session.stop()
        except Exception:  # noqa: BLE001, S110  the JVM may be gone already (e.g. after running out of
            pass  # memory): nothing is left to release, and the error that killed it has been raised
        finally:
            self.session = self.backend = None

    def _start(self) -> None:
        if self.session is None:
            self.session, self._owns_session = start_session(self.master, self.options)
            self.backend = ibis.pyspark.connect(self.session)

    def _drop_views(self) -> None:
        if self.session is not None:
            for name in self._views:
                self.session.catalog.dropTempView(self._prefix + name)
            for frame in self._frames.values():
                frame.unpersist()
        self._views.clear()
        self._frames.clear()


def start_session(master: str, options: tuple[tuple[str, str], ...] = ()):
    """The SparkSession to run on, and whether safer started it (and so should stop it).

    Reuses the process's active session when there is one; its master then stays as it is.
    Raises WarehouseError when PySpark is missing or Spark cannot start.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise WarehouseError(f"warehouse.engine is \"pyspark\" but PySpark is not installed; {INSTALL_HINT}") from None
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    active = SparkSession.getActiveSession()
    builder = SparkSession.builder.appName("safer")
    if active is None:
        builder = builder.master(master)
    for key, value in (*SESSION_DEFAULTS, *options):
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # Spark reports a missing JVM, a bad master URL, ... as several exception types
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise WarehouseError(f"cannot start Spark with master '{master}' ({first_line}); check "
                             f"warehouse.spark_master in safer.toml, and that Java 17 is installed "
                             "(`java -version`)") from exc
    if active is None:
        session.sparkContext.setLogLevel("ERROR")
    return session, active is None


def spark_type(duckdb_type: str):
    """The Spark type of a partition column's warehouse type.

    >>> spark_type("DATE").simpleString(), spark_type("VARCHAR").simpleString()  # doctest: +SKIP
    ('date', 'string')
    """
    from pyspark.sql import types

    kinds = {"DATE": types.DateType, "VARCHAR": types.StringType, "BIGINT": types.LongType,
             "INTEGER": types.IntegerType, "BOOLEAN": types.BooleanType}
    if duckdb_type not in kinds:
        raise WarehouseError(f"a {duckdb_type} column cannot be a Parquet partition column; "
                             f"partition by one of {', '.join(kinds)}")
    return kinds[duckdb_type]()


def _read_table(session, folder: Path, table: TableExport):
    """A DataFrame over one exported table, with the warehouse's column order and partition types."""
    from pyspark.sql.types import StructType

    files = sorted(folder.rglob("*.parquet"))
    if not files:
        raise WarehouseError(f"{folder}: no Parquet files; delete {folder.parent / '_manifest.json'} and run "
                             "`safer ingest` again to rewrite the dataset")
    in_files = session.read.parquet(str(files[0])).schema  # reads one footer, not the data
    types = dict(table.columns)
    schema = StructType(list(in_files.fields))
    for column in table.partitioned_by:
        if column not in in_files.fieldNames():
            schema = schema.add(column, spark_type(types[column]))
    frame = session.read.schema(schema).option("basePath", str(folder)).parquet(str(folder))
    return frame.select(*[name for name, _ in table.columns])
