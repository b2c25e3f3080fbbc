"""Open the warehouse: an embedded DuckDB file reached through Ibis.

Analysis code only ever sees Ibis tables (``Warehouse.table``), so it runs on any
engine Ibis supports. Loading uses DuckDB directly (``Warehouse.duckdb``): bulk CSV
reading and transactions are engine-specific and live in ``safer.warehouse.loader``.

Which engine answers ``Warehouse.table`` is the warehouse's ``engine``
(``safer.warehouse.engines``): DuckDB over the file itself by default, or Spark
over a Parquet copy of it (``EngineChoice("pyspark")``). :func:`open_configured`
opens the warehouse and engine a ``safer.toml`` names.

Example:
    >>> with open_warehouse(Path("safer.duckdb")) as wh:  # doctest: +SKIP
    ...     wh.table("crimes").count().execute()
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import ibis
from ibis.backends.duckdb import Backend as DuckDBBackend

from safer.errors import WarehouseError
from safer.sources.places import register_place_function
from safer.warehouse.engines import Engine, EngineChoice
from safer.warehouse.engines.duckdb import DuckDBEngine
from safer.warehouse.schema import added_columns_ddl, all_ddl

if TYPE_CHECKING:
    from safer.config import Config

GEOGRAPHY_FILE = "data/geography/lsoa_lookup.csv.gz"


@dataclass
class Warehouse:
    """An open warehouse: the DuckDB file (Ibis backend and raw connection) and the engine analyses query."""

    path: Path
    ibis: DuckDBBackend
    engine: Engine = field(default=None)  # type: ignore[assignment]  (None: the DuckDB file itself)

    def __post_init__(self) -> None:
        if self.engine is None:
            self.engine = DuckDBEngine(self.ibis)

    @property
    def duckdb(self) -> duckdb.DuckDBPyConnection:
        return self.ibis.con

    def table(self, name: str) -> ibis.Table:
        """An Ibis table expression over a warehouse table, on the warehouse's engine."""
        return self.engine.table(name)

    def table_names(self) -> list[str]:
        """Every table the analyses can read, on the warehouse's engine."""
        return self.engine.table_names()

    def publish(self) -> None:
        """After loading: bring the engine's copy of the data up to date (a no-op for DuckDB)."""
        self.engine.publish()

    def close(self) -> None:
        try:
            self.engine.close()
        finally:
            self.ibis.disconnect()

    def __enter__(self) -> "Warehouse":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    """Execute one statement and fetch all of its result, leaving the connection free for Ibis."""
    return con.execute(sql, params).fetchall() if params is not None else con.execute(sql).fetchall()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """The single value a one-row, one-column query returns."""
    return run(con, sql, params)[0][0]


def open_warehouse(path: Path, *, create: bool = True, engine: EngineChoice | None = None) -> Warehouse:
    """Open (and, if ``create``, initialise) the warehouse file at ``path``.

    A new warehouse gets every table and the packaged LSOA -> ward -> local
    authority lookup. ``engine`` chooses what runs the analyses (default: DuckDB on
    this file; see ``safer.warehouse.engines``). Raises WarehouseError if the file is
    missing and ``create`` is False, or if it cannot be opened.
    """
    path = Path(path)
    if not create and not path.exists():
        raise WarehouseError(f"{path}: no warehouse here; load data first with `safer ingest PATH...`")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        backend = ibis.duckdb.connect(str(path))
    except Exception as exc:  # duckdb raises several IO/lock error types
        raise WarehouseError(f"{path}: cannot open the warehouse ({exc}); is another safer process using it?") from exc
    warehouse = Warehouse(path=path, ibis=backend)
    _ensure_schema(warehouse.duckdb)
    register_place_function(warehouse.duckdb)  # partner rows giving only coordinates are placed as they load
    if engine is not None and engine.name == "pyspark":
        from safer.warehouse.engines.pyspark import SparkEngine  # PySpark is optional: imported only when used

        warehouse.engine = SparkEngine(warehouse.duckdb, engine.parquet_for(path), master=engine.spark_master,
                                       options=engine.spark_options, cache=engine.spark_cache)
    return warehouse


def open_configured(config: "Config", *, create: bool = True) -> Warehouse:
    """Open the warehouse file and engine that ``config`` (``safer.toml``) names."""
    return open_warehouse(config.warehouse, create=create, engine=config.engine_choice)


def _ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in all_ddl():
        run(con, ddl)
    existing: dict[str, set[str]] = {}
    for table, column in run(con, "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND database_name = current_database() AND schema_name = 'main'"):
        existing.setdefault(table, set()).add(column)
    for ddl in added_columns_ddl(existing):  # a warehouse made by an earlier version of safer
        run(con, ddl)
    if scalar(con, "SELECT count(*) FROM geo_lsoa") == 0:
        lookup = resources.files("safer").joinpath(GEOGRAPHY_FILE)
        with resources.as_file(lookup) as lookup_path:
            run(
                con,
                "INSERT INTO geo_lsoa BY NAME SELECT * FROM read_csv(?, header=true, all_varchar=false, "
                "types={'population_2019': 'BIGINT', 'population_2011': 'BIGINT', 'households_2011': 'BIGINT'})",
                [str(lookup_path)],
            )
