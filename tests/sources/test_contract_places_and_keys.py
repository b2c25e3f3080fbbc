"""Partner rows placed by coordinates, and aggregate figures identified by composite keys.

Where a row's point lies is worked out here independently of safer: the packaged LSOA GeoJSON is read
with geopandas and joined to the points (``within``), and wards come from the ONS LSOA-to-ward lookup
in the shared real data folder. Aggregate totals are summed from the hand-written rows.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from importlib import resources
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from real_data import ONS_WARD_LOOKUP

from safer.analysis.multi_agency import UNPLACED, partner_counts, place_records
from safer.analysis.periods import Period
from safer.sources.contracts import CONTRACTS, FORMATS, load_contract
from safer.warehouse.connect import run
from safer.warehouse.ingest import ingest_paths

BOUNDARIES = resources.files("safer").joinpath("data/geography/lsoa_boundaries_westminster_and_neighbours.geojson")
LAS = CONTRACTS["las-assaults"]
OUTSIDE = (-2.2426, 53.4808)  # Manchester: far from every shipped boundary


@pytest.fixture(scope="module")
def polygons() -> gpd.GeoDataFrame:
    with resources.as_file(BOUNDARIES) as path:
        return gpd.read_file(path)[["lsoa_code", "geometry"]]


@pytest.fixture(scope="module")
def ward_of() -> dict[str, str]:
    table = pd.read_csv(ONS_WARD_LOOKUP, dtype=str)
    return dict(zip(table["LSOA11CD"], table["WD18CD"]))


def _lsoas_containing(polygons: gpd.GeoDataFrame, lon: float, lat: float) -> list[str]:
    point = gpd.GeoDataFrame(geometry=[shapely.Point(lon, lat)], crs=polygons.crs)
    return sorted(gpd.sjoin(point, polygons, predicate="within")["lsoa_code"])


def _csv(path: Path, header: tuple[str, ...], rows: list[dict[str, str]]) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        assert set(row) <= set(header), set(row) - set(header)
        writer.writerow([row.get(column, "") for column in header])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _las(number: str, **place: str) -> dict[str, str]:
    return {"Incident number": number, "Incident datetime": "2018-03-31 23:15", "Injury type": "Minor Assault",
            "Patient age band": "20-24", "Patient sex": "Male", **place}


# --------------------------------------------------------------------------- places from coordinates

@pytest.mark.parametrize("name", ["las-assaults", "las-alcohol", "las-overdoses", "lfb-incidents", "btp-incidents",
                                  "tfl-incidents", "council-asb"])
def test_incident_contracts_with_locations_accept_coordinates_as_their_place(name):
    c = CONTRACTS[name]
    assert c.geography_required and c.placed_by_coordinates
    assert [col.type for col in c.coordinates] == ["longitude", "latitude"]
    assert not any(col.required for col in c.coordinates)


def test_a_coordinates_only_row_lands_in_the_lsoa_and_ward_whose_polygon_contains_it(warehouse, tmp_path, polygons,
                                                                                        ward_of):
    chosen = ["E01004763", "E01004734", "E01004713", "E01033596", "E01000001"]  # Westminster, and the City
    rows, expected = [], {}
    for i, code in enumerate(chosen):
        point = polygons[polygons["lsoa_code"] == code].geometry.iloc[0].representative_point()
        lon, lat = round(point.x, 6), round(point.y, 6)
        assert _lsoas_containing(polygons, lon, lat) == [code]  # inside that polygon and no other
        rows.append(_las(f"P{i}", Longitude=str(lon), Latitude=str(lat)))
        expected[f"P{i}"] = (code, ward_of[code], True)
    rows.append(_las("G1", **{"LSOA code": "E01004734", "Longitude": str(OUTSIDE[0]), "Latitude": str(OUTSIDE[1])}))
    expected["G1"] = ("E01004734", None, False)  # a code given wins; coordinates never override it
    rows.append(_las("W1", **{"Ward code": "E05000649", "Longitude": "-0.1338", "Latitude": "51.5158"}))
    expected["W1"] = (None, "E05000649", False)
    path = _csv(tmp_path / "las.csv", LAS.header, rows)
    (result,) = ingest_paths(warehouse, [path])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_duplicate) == \
        (len(rows), len(rows), 0, 0)
    stored = {n: (lsoa, ward, placed) for n, lsoa, ward, placed in run(
        warehouse.duckdb, "SELECT incident_number, lsoa_code, ward_code, lsoa_from_coordinates FROM las_assaults")}
    assert stored == expected
    # the place-based analyses place the records exactly as if the codes had been sent
    placed = place_records(warehouse.table("las_assaults"), warehouse.table("geo_lsoa"), lsoa="lsoa_code",
                           ward="ward_code").execute()
    by_number = dict(zip(placed["incident_number"], placed["place_ward"]))
    for number, code in ((f"P{i}", code) for i, code in enumerate(chosen)):
        assert by_number[number] == ward_of[code]


def test_a_point_outside_every_boundary_loads_unplaced_and_is_counted_as_unplaced(warehouse, tmp_path, polygons):
    assert _lsoas_containing(polygons, *OUTSIDE) == []
    inside = polygons[polygons["lsoa_code"] == "E01004763"].geometry.iloc[0].representative_point()
    rows = [_las("IN", Longitude=f"{inside.x:.6f}", Latitude=f"{inside.y:.6f}"),
            _las("OUT", Longitude=str(OUTSIDE[0]), Latitude=str(OUTSIDE[1])),
            _las("SEA", Longitude="-30.5", Latitude="45.1")]  # valid WGS84, outside Britain
    path = _csv(tmp_path / "las.csv", LAS.header, rows)
    (result,) = ingest_paths(warehouse, [path])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    stored = dict(run(warehouse.duckdb, "SELECT incident_number, lsoa_code FROM las_assaults"))
    assert stored == {"IN": "E01004763", "OUT": None, "SEA": None}
    placed = place_records(warehouse.table("las_assaults"), warehouse.table("geo_lsoa"), lsoa="lsoa_code",
                           ward="ward_code")
    current = Period(date(2017, 4, 1), date(2018, 3, 1))
    previous = Period(date(2016, 4, 1), date(2017, 3, 1))
    counts = partner_counts(placed, ["E09000033"], ["E09000033"], current, previous)
    assert int(counts[counts["where"] == UNPLACED]["records"].sum()) == 2
    assert int(counts[counts["where"] == "area"]["records"].sum()) == 1


def test_a_row_without_any_place_is_quarantined_with_file_line_and_field(warehouse, tmp_path):
    rows = [_las("OK", **{"LSOA code": "E01004734"}),
            _las("NONE"),                                   # line 3: no code, no coordinates
            _las("HALF", Latitude="51.5107"),               # line 4: a latitude without its longitude
            _las("BAD", Longitude="west", Latitude="51.5")]  # line 5: not a number
    path = _csv(tmp_path / "las-places.csv", LAS.header, rows)
    (result,) = ingest_paths(warehouse, [path])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_duplicate) == (4, 1, 3, 0)
    quarantined = {line: (source, field, reason) for source, line, field, reason in run(
        warehouse.duckdb, "SELECT source_file, line_no, field, reason FROM quarantine")}
    assert set(quarantined) == {3, 4, 5}
    assert all(source == str(path) for source, _, _ in quarantined.values())
    _, field, reason = quarantined[3]
    assert field == "LSOA code"
    assert "LSOA code, Ward code, Longitude and Latitude are all blank" in reason
    assert "a ward code or both Longitude and Latitude" in reason
    assert quarantined[4][1] == "Longitude" and "must both be given" in quarantined[4][2]
    assert quarantined[5][1] == "Longitude" and "'west' is not a longitude" in quarantined[5][2]


# --------------------------------------------------------------------------- composite keys of aggregate tables

AGGREGATES = sorted(name for name, c in CONTRACTS.items() if c.level == "aggregate")


@pytest.mark.parametrize("name", AGGREGATES)
def test_every_aggregate_contract_has_a_composite_key_naming_one_figure(name):
    c = CONTRACTS[name]
    roles = dict(c.roles)
    assert len(c.key) >= 3 and {roles["month"], roles["area"], roles["category"]} <= set(c.key)
    assert roles["count"] not in c.key and roles.get("numerator") not in c.key
    assert all(c.column(k).required and not c.column(k).identifies_person for k in c.key)
    assert FORMATS[name].key_columns == c.key


def _ledger_balances(result) -> bool:
    return result.rows_read == result.rows_loaded + result.rows_quarantined + result.rows_duplicate


def test_a_corrected_reissue_of_an_aggregate_table_does_not_change_totals(warehouse, tmp_path):
    header = CONTRACTS["hate-crime-counts"].header
    first = [("2018-01", "E09000033", "All hate crime", 140), ("2018-01", "E09000033", "Homophobic", 23),
             ("2018-02", "E09000033", "All hate crime", 151), ("2018-02", "E09000033", "Homophobic", 19)]
    # the re-issue corrects two figures, repeats one, and adds one new figure (March)
    reissue = [("2018-01", "E09000033", "All hate crime", 142), ("2018-01", "E09000033", "Homophobic", 23),
               ("2018-02", "E09000033", "Homophobic", 21), ("2018-03", "E09000033", "Homophobic", 17),
               ("2018-03", "E09000033", "Homophobic", 18)]  # the same figure twice in one file
    cols = ("Month", "Area code", "Strand", "Offences")
    a = _csv(tmp_path / "hate-2018-02.csv", header, [dict(zip(cols, map(str, r))) for r in first])
    b = _csv(tmp_path / "hate-2018-03.csv", header, [dict(zip(cols, map(str, r))) for r in reissue])
    (loaded_a,) = ingest_paths(warehouse, [a])
    (loaded_b,) = ingest_paths(warehouse, [b])
    keys_a = {r[:3] for r in first}
    new_b = [r for r in reissue if r[:3] not in keys_a]
    first_new = {}
    for r in new_b:
        first_new.setdefault(r[:3], r[3])  # first loaded wins
    assert (loaded_a.rows_read, loaded_a.rows_loaded, loaded_a.rows_duplicate) == (4, 4, 0)
    assert (loaded_b.rows_read, loaded_b.rows_loaded, loaded_b.rows_quarantined, loaded_b.rows_duplicate) == \
        (len(reissue), len(first_new), 0, len(reissue) - len(first_new))
    assert _ledger_balances(loaded_a) and _ledger_balances(loaded_b)
    expected_total = sum(r[3] for r in first) + sum(first_new.values())
    assert run(warehouse.duckdb, "SELECT sum(offences), count(*) FROM hate_crime_counts")[0] == \
        (expected_total, len(keys_a) + len(first_new))
    by_month = dict(run(warehouse.duckdb, "SELECT strftime(month, '%Y-%m'), sum(offences) FROM hate_crime_counts "
                                          "WHERE strand = 'Homophobic' GROUP BY ALL"))
    assert by_month == {"2018-01": 23, "2018-02": 19, "2018-03": 17}
    ledger = run(warehouse.duckdb, "SELECT rows_read, rows_loaded, rows_quarantined, rows_duplicate FROM ingest_ledger")
    assert all(read == loaded + quarantined + duplicate for read, loaded, quarantined, duplicate in ledger)


def test_a_reissued_rate_table_keeps_the_first_cohort_figures(warehouse, tmp_path):
    header = CONTRACTS["reoffending-rates"].header
    row = {"Cohort end": "2016-09", "Area code": "E09000033", "Offender group": "All", "Offenders": "4579",
           "Reoffenders": "1410", "Reoffences": "5210"}
    a = _csv(tmp_path / "mojA.csv", header, [row, {**row, "Offender group": "Adult", "Offenders": "4100",
                                                     "Reoffenders": "1238", "Reoffences": "4600"}])
    b = _csv(tmp_path / "mojB.csv", header, [{**row, "Reoffenders": "1500"}])
    results = ingest_paths(warehouse, [a, b])
    assert [(r.rows_loaded, r.rows_duplicate) for r in results] == [(2, 0), (0, 1)]
    assert run(warehouse.duckdb, "SELECT sum(offenders), sum(reoffenders) FROM reoffending_rates") == \
        [(4579 + 4100, 1410 + 1238)]


@pytest.mark.parametrize("key, complaint", [
    ('["Month", "Offences"]', "take ['Offences'] out of the key"),
    ('["Month", "Note"]', "key column 'Note' must be required"),
    ('["Month", "Colour"]', "key column 'Colour' is not one of the contract's columns"),
    ('["Month", "Month", "Area code"]', "names a column twice"),
    ('[]', "non-empty list"),
    (None, "an aggregate contract needs a key"),
])
def test_a_broken_aggregate_key_is_refused(tmp_path, key, complaint):
    text = ('name = "x-y"\ntitle = "t"\nagency = "a"\nlevel = "aggregate"\ndescription = "d"\n'
            + (f"key = {key}\n" if key is not None else "")
            + '[roles]\nmonth = "Month"\narea = "Area code"\ncount = "Offences"\n'
            '[[columns]]\nname = "Month"\ntype = "month"\nrequired = true\ndescription = "d"\n'
            '[[columns]]\nname = "Area code"\ntype = "area"\nrequired = true\ndescription = "d"\n'
            '[[columns]]\nname = "Note"\ntype = "text"\ndescription = "d"\n'
            '[[columns]]\nname = "Offences"\ntype = "integer"\nrequired = true\ndescription = "d"\n')
    path = tmp_path / "x-y.toml"
    path.write_text(text)
    with pytest.raises(ValueError) as info:
        load_contract(path)
    assert "x-y.toml" in str(info.value) and complaint in str(info.value)


def test_a_key_column_that_identifies_a_person_is_refused(tmp_path):
    path = tmp_path / "x-y.toml"
    path.write_text('name = "x-y"\ntitle = "t"\nagency = "a"\nlevel = "person"\ndescription = "d"\n'
                    'key = ["Case", "Name"]\n'
                    '[[columns]]\nname = "Case"\ntype = "text"\nrequired = true\ndescription = "d"\n'
                    '[[columns]]\nname = "Name"\ntype = "text"\nrequired = true\nidentifies_person = true\n'
                    'description = "d"\n')
    with pytest.raises(ValueError) as info:
        load_contract(path)
    assert "key column 'Name' must be required and must not identify a person" in str(info.value)
