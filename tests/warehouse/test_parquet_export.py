"""The Parquet dataset the pyspark engine reads: partitioned by month and force, complete, kept current.

The exported files are read back with pyarrow (not with safer, nor with DuckDB's COPY that wrote
them) and compared with the warehouse tables queried in plain SQL. No Spark is started here.
"""

from __future__ import annotations

import json
import sys

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from policeuk_samples import STREET_HEADER, copy_warehouse_file, street, write_csv

from safer.errors import WarehouseError
from safer.warehouse.connect import open_warehouse
from safer.warehouse.engines import EngineChoice
from safer.warehouse.engines.parquet import export_parquet
from safer.warehouse.ingest import ingest_paths

HIVE = ds.partitioning(pa.schema([("month", pa.date32()), ("force", pa.string())]), flavor="hive")


@pytest.fixture(scope="module")
def demo_export(demo_warehouse, tmp_path_factory):
    """The demo warehouse (a copy) and its Parquet export."""
    folder = tmp_path_factory.mktemp("demo-export")
    path = copy_warehouse_file(demo_warehouse.path, folder / "w.duckdb")
    con = duckdb.connect(str(path))
    result = export_parquet(con, folder / "parquet")
    yield con, result
    con.close()


def _warehouse_tables(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                      "WHERE table_type = 'BASE TABLE' AND table_schema = 'main'").fetchall()}


def _read_back(folder) -> pa.Table:
    return ds.dataset(folder, format="parquet", partitioning=HIVE).to_table()


def test_every_warehouse_table_is_exported_and_police_records_are_partitioned(demo_export):
    con, result = demo_export
    assert {t.name for t in result.tables} == _warehouse_tables(con)
    assert set(result.rewritten) == _warehouse_tables(con)
    for name in ("crimes", "outcomes", "stop_searches"):
        assert result.table(name).partitioned_by == ("month", "force")
    for name in ("geo_lsoa", "ingest_ledger"):
        assert result.table(name).partitioned_by == ()
        assert [p.name for p in (result.dataset / name).iterdir()] == ["data_0.parquet"]
    manifest = json.loads((result.dataset / "_manifest.json").read_text())
    assert manifest["tables"]["crimes"]["rows"] == con.execute("SELECT count(*) FROM crimes").fetchone()[0]


def test_each_partition_folder_holds_exactly_its_month_and_forces_records(demo_export):
    con, result = demo_export
    expected = {(str(m), f): n for m, f, n in
                con.execute("SELECT month, force, count(*) FROM crimes GROUP BY ALL").fetchall()}
    found = {}
    for folder in sorted((result.dataset / "crimes").glob("month=*/force=*")):
        month = folder.parent.name.removeprefix("month=")
        force = folder.name.removeprefix("force=")
        found[(month, force)] = sum(pq.read_metadata(f).num_rows for f in folder.glob("*.parquet"))
    assert found == expected
    assert len(found) == 48  # 24 months, Metropolitan Police and British Transport Police files
    assert {f for _, f in found} == {"metropolitan", "btp"}


@pytest.mark.parametrize("table", ["crimes", "outcomes", "stop_searches", "geo_lsoa", "ingest_ledger"])
def test_the_dataset_holds_every_row_and_value_of_the_table(demo_export, table):
    con, result = demo_export
    columns = [c for c, _ in result.table(table).columns]
    key = {"geo_lsoa": ["lsoa_code"], "ingest_ledger": ["file_sha256"]}.get(table, ["record_key"])
    warehouse = con.sql(f"SELECT {', '.join(columns)} FROM {table}").to_arrow_table()
    exported = _read_back(result.dataset / table).select(columns).cast(warehouse.schema)
    assert exported.num_rows == warehouse.num_rows > 0
    order = [(k, "ascending") for k in key]
    warehouse, exported = warehouse.sort_by(order), exported.sort_by(order)
    different = [c for c in columns if not warehouse.column(c).equals(exported.column(c))]
    assert not different, f"{table}: columns {different} differ"


def test_exporting_an_unchanged_warehouse_rewrites_nothing(demo_export):
    con, result = demo_export
    files = {p: p.stat().st_mtime_ns for p in result.dataset.rglob("*.parquet")}
    again = export_parquet(con, result.dataset)
    assert again.rewritten == ()
    assert {p: p.stat().st_mtime_ns for p in result.dataset.rglob("*.parquet")} == files


def _month_file(folder, month: str, ids: range, bad: int = 0):
    lines = [street(crime_id=f"{i:064x}", month=month) for i in ids]
    lines += [street(crime_id=f"{10_000 + i:064x}", month="2018-13") for i in range(bad)]
    return write_csv(folder / f"{month}-metropolitan-street.csv", STREET_HEADER, lines)


def test_loading_more_rewrites_only_the_tables_that_changed(tmp_path):
    engine = EngineChoice("pyspark", parquet_path=tmp_path / "pq")
    with open_warehouse(tmp_path / "w.duckdb", engine=engine) as wh:
        ingest_paths(wh, [_month_file(tmp_path, "2018-01", range(5))])
        first = wh.engine.publish()
        assert wh.engine.session is None, "publishing must not start Spark"
        ingest_paths(wh, [_month_file(tmp_path, "2018-02", range(5, 12), bad=2)])
        second = wh.engine.publish()
    assert "geo_lsoa" in first.rewritten
    assert set(second.rewritten) == {"crimes", "ingest_ledger", "quarantine"}
    counts = {p.parent.parent.name: pq.read_metadata(p).num_rows
              for p in (tmp_path / "pq" / "crimes").rglob("*.parquet")}
    assert counts == {"month=2018-01-01": 5, "month=2018-02-01": 7}
    assert _read_back(tmp_path / "pq" / "quarantine").num_rows == 2


def test_a_table_missing_from_disk_or_a_damaged_manifest_is_written_again(tmp_path):
    with open_warehouse(tmp_path / "w.duckdb") as wh:
        ingest_paths(wh, [_month_file(tmp_path, "2018-01", range(3))])
        first = export_parquet(wh.duckdb, tmp_path / "pq")
        import shutil

        shutil.rmtree(tmp_path / "pq" / "crimes")  # as if the export stopped before swapping it in
        assert export_parquet(wh.duckdb, tmp_path / "pq").rewritten == ("crimes",)
        (tmp_path / "pq" / "_manifest.json").write_text("{not json")
        assert set(export_parquet(wh.duckdb, tmp_path / "pq").rewritten) == {t.name for t in first.tables}
    assert _read_back(tmp_path / "pq" / "crimes").num_rows == 3


def test_empty_tables_are_one_file_that_still_has_every_column(warehouse, tmp_path):
    result = export_parquet(warehouse.duckdb, tmp_path / "pq")
    outcomes = result.table("outcomes")
    assert outcomes.rows == 0 and outcomes.partitioned_by == ()
    schema = pq.read_schema(tmp_path / "pq" / "outcomes" / "data_0.parquet")
    described = warehouse.duckdb.execute("DESCRIBE outcomes").fetchall()
    assert schema.names == [row[0] for row in described]
    assert schema.field("month").type == pa.date32()


def test_the_default_dataset_sits_beside_the_warehouse_file(tmp_path):
    with open_warehouse(tmp_path / "borough.duckdb", engine=EngineChoice("pyspark")) as wh:
        wh.publish()
    assert (tmp_path / "borough-parquet" / "_manifest.json").exists()


def test_an_unwritable_dataset_folder_says_which_setting_to_change(warehouse, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the dataset should go")
    with pytest.raises(WarehouseError) as info:
        export_parquet(warehouse.duckdb, blocker / "pq")
    assert "not-a-folder" in str(info.value) and "warehouse.parquet_path" in str(info.value)


def test_without_pyspark_the_engine_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now fails
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with open_warehouse(tmp_path / "w.duckdb", engine=EngineChoice("pyspark")) as wh, \
            pytest.raises(WarehouseError) as info:
        wh.table("crimes")
    assert "PySpark is not installed" in str(info.value) and "pip install" in str(info.value)
