"""Export the warehouse to a Parquet dataset, the form a distributed engine reads.

The embedded DuckDB file stays the one place records are validated, de-duplicated
and ledgered; this module copies its tables out with DuckDB's ``COPY ... TO``
(DuckDB SQL, so it lives here rather than in portable code). Layout::

    <dataset>/crimes/month=2018-06-01/force=metropolitan/data_0.parquet
    <dataset>/crimes/month=2018-06-01/force=btp/data_0.parquet
    <dataset>/geo_lsoa/data_0.parquet
    <dataset>/_manifest.json

Every table is a folder. Tables with both a ``month`` (DATE) and a ``force`` column
(the police.uk record tables) are partitioned Hive-style by month and force, so an
engine reading one borough's months touches only those folders; a NULL force (a file
whose name does not follow police.uk's) is written as ``force=__HIVE_DEFAULT_PARTITION__``,
which Spark and DuckDB both read back as NULL. Other tables (lookup, ledger,
quarantine, partner datasets without those columns) are a single file.

``_manifest.json`` records each table's row count, a checksum of its contents and its
columns. An export rewrites only the tables whose count, checksum or columns differ
from the manifest, so exporting an unchanged warehouse costs one scan of each table.
A rewritten table is written beside the dataset first and then swapped in, and the
manifest is written last: after a crash the manifest disagrees with the warehouse
and the next export writes the table again.

Example:
    >>> result = export_parquet(wh.duckdb, Path("safer-parquet"))  # doctest: +SKIP
    >>> result.rewritten  # doctest: +SKIP
    ('crimes', 'geo_lsoa', 'ingest_ledger', 'outcomes', 'quarantine', 'stop_searches')
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from safer.errors import WarehouseError

MANIFEST = "_manifest.json"
MANIFEST_VERSION = 1
PARTITION_COLUMNS = ("month", "force")


@dataclass(frozen=True)
class TableExport:
    """One table as the manifest describes it."""

    name: str
    rows: int
    checksum: str  # sum of row hashes: changes when any row is added, removed or changed
    columns: tuple[tuple[str, str], ...]  # (name, DuckDB type), in warehouse order
    partitioned_by: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"rows": self.rows, "checksum": self.checksum, "columns": [list(c) for c in self.columns],
                "partitioned_by": list(self.partitioned_by)}


@dataclass(frozen=True)
class ParquetExport:
    """What an export left on disk: every table, and which ones it had to write again."""

    dataset: Path
    tables: tuple[TableExport, ...]
    rewritten: tuple[str, ...]

    def table(self, name: str) -> TableExport:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)

    def as_dict(self) -> dict[str, object]:
        return {"dataset": str(self.dataset), "rewritten": list(self.rewritten),
                "tables": {t.name: t.as_dict() for t in self.tables}}


def export_parquet(con: duckdb.DuckDBPyConnection, dataset: Path) -> ParquetExport:
    """Bring the Parquet dataset at ``dataset`` up to date with every table of the warehouse.

    Raises WarehouseError when the folder cannot be written.
    """
    dataset = Path(dataset)
    try:
        dataset.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"{dataset}: cannot create the Parquet dataset folder ({exc}); set "
                             "warehouse.parquet_path in safer.toml to a folder you can write") from exc
    known = _read_manifest(dataset)
    tables = tuple(_describe(con, name) for name in _table_names(con))
    rewritten = []
    for table in tables:
        if known.get(table.name) != table.as_dict() or not (dataset / table.name).is_dir():
            _write_table(con, table, dataset)
            rewritten.append(table.name)
    if rewritten or set(known) != {t.name for t in tables}:
        _write_manifest(dataset, tables)
    return ParquetExport(dataset=dataset, tables=tables, rewritten=tuple(rewritten))


def read_manifest(dataset: Path) -> dict[str, TableExport]:
    """The tables of an exported dataset, by name; raises WarehouseError when there is none."""
    raw = _read_manifest(Path(dataset))
    if not raw:
        raise WarehouseError(f"{dataset}: no Parquet dataset here (no {MANIFEST}); run `safer ingest` with "
                             "warehouse.engine = \"pyspark\" to write it")
    return {name: TableExport(name=name, rows=int(t["rows"]), checksum=str(t["checksum"]),
                              columns=tuple((c[0], c[1]) for c in t["columns"]),
                              partitioned_by=tuple(t["partitioned_by"])) for name, t in raw.items()}


def _table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                       "AND table_type = 'BASE TABLE' AND table_catalog = current_database() "
                       "ORDER BY table_name").fetchall()
    return [name for (name,) in rows]


def _describe(con: duckdb.DuckDBPyConnection, name: str) -> TableExport:
    columns = tuple((col, str(kind)) for col, kind, *_ in con.execute(f'DESCRIBE "{name}"').fetchall())
    types = dict(columns)
    rows, checksum = con.execute(
        f"SELECT count(*), coalesce(sum(hash({', '.join(_quoted(c) for c, _ in columns)})::HUGEINT), 0) "
        f'FROM "{name}"').fetchone()
    partitioned = (rows > 0 and types.get("month") == "DATE" and types.get("force") == "VARCHAR")
    return TableExport(name=name, rows=int(rows), checksum=str(checksum), columns=columns,
                       partitioned_by=PARTITION_COLUMNS if partitioned else ())


def _write_table(con: duckdb.DuckDBPyConnection, table: TableExport, dataset: Path) -> None:
    staging = dataset / f".{table.name}.{uuid.uuid4().hex[:8]}.partial"
    target = dataset / table.name
    try:
        if table.partitioned_by:
            con.execute(f"COPY \"{table.name}\" TO '{_sql_path(staging)}' (FORMAT parquet, COMPRESSION zstd, "
                        f"PARTITION_BY ({', '.join(table.partitioned_by)}))").fetchall()
        else:
            staging.mkdir()
            con.execute(f"COPY \"{table.name}\" TO '{_sql_path(staging / 'data_0.parquet')}' "
                        "(FORMAT parquet, COMPRESSION zstd)").fetchall()
        retired = dataset / f".{table.name}.{uuid.uuid4().hex[:8]}.old"
        if target.exists():
            target.rename(retired)
        staging.rename(target)
        shutil.rmtree(retired, ignore_errors=True)
    except (OSError, duckdb.Error) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise WarehouseError(f"{target}: cannot write the Parquet copy of table {table.name} ({exc}); check "
                             "the folder is writable and has space, then run `safer ingest` again") from exc


def _read_manifest(dataset: Path) -> dict[str, dict]:
    path = dataset / MANIFEST
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # unreadable: export everything again
    if raw.get("version") != MANIFEST_VERSION:
        return {}
    return raw.get("tables", {})


def _write_manifest(dataset: Path, tables: tuple[TableExport, ...]) -> None:
    document = {"version": MANIFEST_VERSION, "tables": {t.name: t.as_dict() for t in tables}}
    partial = dataset / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(document, indent=2), encoding="utf-8")
    os.replace(partial, dataset / MANIFEST)


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
