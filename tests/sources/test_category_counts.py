"""Police category tables: row checks quarantine bad rows, whole-file checks refuse overlapping or missing periods."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

import safer
from policeuk_samples import quarantine_rows
from safer.errors import SourceError
from safer.sources.category_counts import categories, category_key
from safer.warehouse.connect import run
from safer.warehouse.ingest import ingest_paths

HEADER = "area,period_start,period_end,major_category,minor_category,count"


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_a_good_table_loads_every_row_with_its_typed_values(tmp_path, warehouse):
    path = _write(tmp_path / "counts.csv", [
        "E09000033,2017-07,2017-07,Burglary,Burglary Residential,140",
        "E09000033,2017-07,2017-07,Theft & Handling,Theft Person,800",
        "E09000033,2017-08,2017-08,THEFT AND HANDLING,theft person,760",
        "E09000033,2017-07,2017-08,Flag,Racist & Religious hate crime,211",
        "E09000033,2017-07,2017-08,Shoplifting,,350",
    ])
    result = ingest_paths(warehouse, [path])[0]
    assert (result.format, result.rows_read, result.rows_loaded, result.rows_quarantined) == ("category-counts", 5, 5, 0)
    rows = run(warehouse.duckdb, "SELECT category_key, sum(count) FROM category_counts GROUP BY 1 ORDER BY 1")
    assert rows == [("burglary|burglary residential", 140), ("flag|racist and religious hate crime", 211),
                    ("shoplifting|", 350), ("theft and handling|theft person", 1560)]
    first, last = run(warehouse.duckdb, "SELECT min(period_start), max(period_end) FROM category_counts")[0]
    assert (str(first), str(last)) == ("2017-07-01", "2017-08-01")


def test_bad_rows_are_quarantined_row_by_row_with_reasons(tmp_path, warehouse):
    path = _write(tmp_path / "counts.csv", [
        "E09000033,2017-07,2017-07,Burglary,Burglary Residential,140",  # line 2: fine
        "E09000033,2017-07,2017-07,Burglary,Burglary of Castles,3",  # unknown category
        "E09000033,2017-07,2017-07,Robbery,Personal Property,-4",  # negative count
        "E09000033,2017-07,2017-07,Robbery,Business Property,2.5",  # not a whole number
        "E09000033,2017-13,2017-07,Drugs,Possession of Drugs,10",  # not a month
        "E09000033,2017-07,2017-06,Drugs,Drug Trafficking,10",  # ends before it starts
        "Westminster,2017-07,2017-07,Drugs,Other Drugs,1",  # not an ONS code
        "E09000033,2017-07,2017-07,Flag,Pickpocket hate crime,1",  # unknown flag
        "E09000033,2017-07,2017-07,Drugs,Other Drugs",  # a field short
    ])
    result = ingest_paths(warehouse, [path])[0]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (9, 1, 8)
    found = {line: (field, reason) for line, field, reason, _ in quarantine_rows(warehouse.duckdb)}
    assert found[3][0] == "major_category" and "'Burglary / Burglary of Castles' is not a known crime category" in found[3][1]
    assert found[4][0] == "count" and "is negative" in found[4][1]
    assert found[5][0] == "count" and "'2.5' is not a whole number" in found[5][1]
    assert found[6][0] == "period_start" and "'2017-13' is not a month" in found[6][1]
    assert found[7][0] == "period_end" and "period ends (2017-06) before it starts (2017-07)" in found[7][1]
    assert found[8][0] == "area" and "'Westminster' is not an ONS area code" in found[8][1]
    assert found[9][0] == "major_category" and "Flag / Pickpocket hate crime" in found[9][1]
    assert found[10][0] == "(whole row)" and "expected 6 comma-separated fields, found 5" in found[10][1]


def test_overlapping_periods_for_one_area_and_category_refuse_the_file(tmp_path, warehouse):
    path = _write(tmp_path / "counts.csv", [
        "E09000033,2017-01,2017-12,Burglary,Burglary Residential,1500",
        "E09000033,2017-06,2017-06,Burglary,Burglary Residential,120",
        "E09000033,2017-06,2017-06,Robbery,Personal Property,200",
    ])
    with pytest.raises(SourceError, match=r"lines 2 and 3 \(E09000033, Burglary / Burglary Residential: "
                                          r"2017-01 to 2017-12 and 2017-06\)"):
        ingest_paths(warehouse, [path])
    assert run(warehouse.duckdb, "SELECT count(*) FROM category_counts")[0][0] == 0
    assert run(warehouse.duckdb, "SELECT count(*) FROM ingest_ledger")[0][0] == 0


def test_a_missing_month_refuses_the_file(tmp_path, warehouse):
    path = _write(tmp_path / "counts.csv", [
        "E09000033,2017-07,2017-07,Burglary,Burglary Residential,140",
        "E09000033,2017-09,2017-09,Burglary,Burglary Residential,150",
        "E23000001,2017-07,2017-09,Burglary,Burglary Residential,5000",
    ])
    with pytest.raises(SourceError, match="E09000033 has no row covering 2017-08"):
        ingest_paths(warehouse, [path])
    assert run(warehouse.duckdb, "SELECT count(*) FROM category_counts")[0][0] == 0


def test_reingesting_the_same_table_is_a_no_op(tmp_path, warehouse):
    path = _write(tmp_path / "counts.csv", ["E09000033,2017-07,2017-07,Burglary,Burglary Residential,140"])
    ingest_paths(warehouse, [path])
    again = ingest_paths(warehouse, [path])[0]
    assert again.already_loaded
    assert run(warehouse.duckdb, "SELECT sum(count) FROM category_counts")[0][0] == 140


def test_a_corrected_reissue_loads_once_and_counts_its_repeated_figures_as_duplicates(tmp_path, warehouse):
    first = _write(tmp_path / "counts-v1.csv", [
        "E09000033,2017-07,2017-07,Burglary,Burglary Residential,140",
        "E09000033,2017-07,2017-07,Theft & Handling,Theft Person,800",
    ])
    corrected = _write(tmp_path / "counts-v2.csv", [
        "E09000033,2017-07,2017-07,Burglary,Burglary Residential,141",  # the same figure, corrected
        "E09000033,2017-07,2017-07,Theft & Handling,Theft Person,800",
        "E09000033,2017-08,2017-08,Burglary,Burglary Residential,120",  # a new month
    ])
    ingest_paths(warehouse, [first])
    result = ingest_paths(warehouse, [corrected])[0]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_duplicate) == (3, 1, 0, 2)
    rows = run(warehouse.duckdb, "SELECT period_start, major_category, count, source_file FROM category_counts "
                                 "ORDER BY 1, 2")
    assert [(str(m), c, n, Path(f).name) for m, c, n, f in rows] == [
        ("2017-07-01", "Burglary", 140, "counts-v1.csv"), ("2017-07-01", "Theft & Handling", 800, "counts-v1.csv"),
        ("2017-08-01", "Burglary", 120, "counts-v2.csv")]


def test_every_spelling_of_a_category_means_one_thing():
    """The packaged mapping read independently: one (major, minor) pair, once normalised, never maps two ways."""
    path = Path(safer.__file__).parent / "data" / "reference" / "mps_categories.csv"
    meanings = defaultdict(set)
    for row in csv.DictReader(path.open(encoding="utf-8")):
        key = " ".join(row["major"].replace("&", " and ").lower().split()) + "|" + \
              " ".join(row["minor"].replace("&", " and ").lower().split())
        meanings[key].add((row["police_uk_crime_type"], row["ho_cost_row"]))
    assert all(len(m) == 1 for m in meanings.values()), {k: m for k, m in meanings.items() if len(m) > 1}
    known = categories()
    for key, meaning in meanings.items():
        (crime_type, cost_row), = meaning
        assert (known[key].police_uk_crime_type or "", known[key].ho_cost_row or "") == (crime_type, cost_row)
    assert known[category_key("Flag", "Anti-semitic")].flag == "Antisemitic hate crime"
