"""A warehouse made by an earlier version of safer gains the columns a newer one fills, and keeps its records."""

from __future__ import annotations

from safer.sources.contracts import contract
from safer.sources.contracts.build import contract_format
from safer.warehouse.connect import open_warehouse, run
from safer.warehouse.ingest import ingest_paths


def _columns(con, table: str) -> list[str]:
    return [c for (c,) in run(con, "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                                   "ORDER BY column_index", [table])]


def test_reopening_an_older_warehouse_adds_missing_columns_and_loads_into_them(tmp_path):
    path = tmp_path / "w.duckdb"
    wh = open_warehouse(path)
    full = _columns(wh.duckdb, "las_assaults")
    # An older warehouse: no coordinates in the ambulance table, and one record already loaded.
    for column in ("longitude", "latitude", "lsoa_from_coordinates"):
        run(wh.duckdb, f"ALTER TABLE las_assaults DROP COLUMN {column}")
    run(wh.duckdb, "INSERT INTO las_assaults (record_key, source_file, source_line, lsoa_code) "
                   "VALUES ('LAS-OLD-1', 'old.csv', 2, 'E01004736')")
    wh.close()

    wh = open_warehouse(path)
    assert sorted(_columns(wh.duckdb, "las_assaults")) == sorted(full)
    assert run(wh.duckdb, "SELECT record_key, lsoa_code, longitude FROM las_assaults") == \
        [("LAS-OLD-1", "E01004736", None)]

    fmt = contract_format(contract("las-assaults"))
    header = ",".join(fmt.columns)
    example = {c.name: c.example for c in contract("las-assaults").columns}
    row = ",".join(f'"{example[c]}"' if "," in str(example[c]) else str(example[c]) for c in fmt.columns)
    csv = tmp_path / "las-assaults.csv"
    csv.write_text(f"{header}\n{row}\n", encoding="utf-8")
    (result,) = ingest_paths(wh, [csv], expected=fmt)
    assert (result.rows_read, result.rows_loaded) == (1, 1)
    loaded = run(wh.duckdb, "SELECT longitude IS NOT NULL FROM las_assaults WHERE record_key <> 'LAS-OLD-1'")
    assert loaded == [(example["Longitude"] not in ("", None),)]
    wh.close()
