"""The multi-agency picture: placing partner records, volumes and change, categories, top places,
demographic profiles and the side-by-side ward table.

Hand-made records with answers counted by hand, and the demo's synthetic ambulance data recounted with
pandas and the ONS lookup from the real data folder.
"""

from __future__ import annotations

from datetime import date
from importlib import resources

import geopandas as gpd
import ibis
import pandas as pd
import pytest
from real_data import ONS_WARD_LOOKUP

from safer.analysis.multi_agency import (AREA, ELSEWHERE, REST, UNPLACED, area_place_counts, category_changes,
                                         demographic_profile, partner_counts, place_records, snapshots, top_places,
                                         volume, ward_table)
from safer.analysis.periods import Period

CURRENT = Period(date(2017, 7, 1), date(2018, 6, 1))
LOOKUP = ONS_WARD_LOOKUP
BOUNDARIES = "data/geography/lsoa_boundaries_westminster_and_neighbours.geojson"
PREVIOUS = Period(date(2016, 7, 1), date(2017, 6, 1))
GEOGRAPHY = ibis.memtable(pd.DataFrame({
    "lsoa_code": ["L1", "L2", "L3", "L4", "L9"], "lsoa_name": ["A 1", "A 2", "A 3", "B 1", "C 1"],
    "ward_code": ["W1", "W1", "W2", "W3", "W9"], "ward_name": ["One", "One", "Two", "Three", "Nine"],
    "lad_code": ["AREA", "AREA", "AREA", "NEXT", "FAR"]}))


def _records(rows: list[tuple]) -> ibis.Table:
    frame = pd.DataFrame(rows, columns=["lsoa_code", "ward_code", "month", "kind", "sex"])
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    frame["synthetic"] = False
    return ibis.memtable(frame)


RECORDS = _records([
    ("L1", None, "2017-08-01", "Theft", "Male"),      # area, current
    ("L1", "W3", "2017-09-01", "Theft", "Female"),    # LSOA wins over the ward given: area
    (None, "W2", "2018-01-01", "Violence", "Male"),    # ward only: area
    ("L2", None, "2018-06-01", "Violence", None),     # area, current, sex unknown
    ("L3", None, "2016-12-01", "Theft", "Male"),      # area, previous
    ("L4", None, "2017-10-01", "Theft", "Female"),    # rest of comparator, current
    ("L4", None, "2017-01-01", "Violence", "Male"),   # rest, previous
    ("L9", None, "2017-10-01", "Theft", "Male"),      # elsewhere
    ("XX", None, "2017-10-01", "Theft", "Male"),      # an LSOA the lookup does not hold: unplaced
    (None, None, "2017-10-01", "Theft", "Male"),      # no place at all: unplaced
    ("L1", None, "2018-07-01", "Theft", "Male"),      # area, after the period
])


@pytest.fixture(scope="module")
def counts() -> pd.DataFrame:
    placed = place_records(RECORDS, GEOGRAPHY, lsoa="lsoa_code", ward="ward_code")
    return partner_counts(placed, ["AREA"], ["AREA", "NEXT"], CURRENT, PREVIOUS, columns=["kind", "sex"])


def test_records_are_placed_by_lsoa_then_ward_and_none_is_dropped():
    placed = place_records(RECORDS, GEOGRAPHY, lsoa="lsoa_code", ward="ward_code").execute()
    assert len(placed) == 11
    assert placed["place_lad"].tolist().count("AREA") == 6
    assert placed[placed["ward_code"] == "W3"]["place_ward"].tolist() == ["W1"]  # the LSOA's ward, not W3
    assert placed[placed["lsoa_code"].isna() & (placed["ward_code"] == "W2")]["place_lad"].tolist() == ["AREA"]
    assert placed["place_lad"].isna().sum() == 2


def test_aggregate_rows_are_placed_by_their_area_code():
    rows = ibis.memtable(pd.DataFrame({"area": ["AREA", "W3", "E12000007"], "n": [1, 2, 3]}))
    placed = place_records(rows, GEOGRAPHY, area="area").execute().sort_values("n")
    assert placed["place_lad"].tolist() == ["AREA", "NEXT", "E12000007"]


def test_volume_and_share_of_the_comparator(counts):
    v = volume(counts)
    assert (v.area.previous, v.area.current) == (1, 4)
    assert (v.comparator.previous, v.comparator.current) == (2, 5)  # the area is part of its comparator
    assert v.share_current == 80.0 and v.share_previous == 50.0
    assert set(counts["where"]) == {AREA, REST, ELSEWHERE, UNPLACED}
    assert counts[counts["where"] == UNPLACED]["records"].sum() == 2


def test_category_changes_largest_first(counts):
    rows = {r.category: r for r in category_changes(counts, "kind")}
    assert [r.category for r in category_changes(counts, "kind")] == ["Theft", "Violence"]
    assert (rows["Theft"].area.previous, rows["Theft"].area.current) == (1, 2)
    assert (rows["Violence"].comparator.previous, rows["Violence"].comparator.current) == (1, 2)


def test_demographic_profile_against_the_comparator(counts):
    profile = demographic_profile(counts, "sex", order=("Female", "Male", "Unknown"))
    assert [(r.value, r.area, r.comparator) for r in profile.rows] == [
        ("Female", 1, 2), ("Male", 2, 2), ("Unknown", 1, 1)]
    shares = profile.as_dict()["rows"]
    assert shares[0]["area_share"] == 25.0 and shares[0]["comparator_share"] == 40.0


def test_top_places_and_their_share():
    placed = place_records(RECORDS, GEOGRAPHY, lsoa="lsoa_code", ward="ward_code")
    places = area_place_counts(placed, ["AREA"], CURRENT)
    wards = top_places(places, "ward", 1, places_in_area=2)
    assert [(p.code, p.count, p.share) for p in wards.places] == [("W1", 3, 75.0)]
    lsoas = top_places(places, "lsoa", 5)
    assert [(p.code, p.count) for p in lsoas.places] == [("L1", 2), ("L2", 1)]
    assert lsoas.total == 4 and lsoas.top_share == 75.0  # the ward-only record has no LSOA but counts in the total
    table = ward_table({"first": places, "second": places}, [("W2", "Two"), ("W1", "One"), ("W5", "Five")])
    assert table.wards[0] == ("W1", "One") and table.counts == ((3, 3), (1, 1), (0, 0))
    assert table.share(0, 1) == 75.0


def test_snapshots_compare_the_latest_point_with_a_year_before():
    rows = ibis.memtable(pd.DataFrame({
        "measure": ["New", "New", "New", "Street"], "people": [330, 310, 294, 299],
        "month": [date(2017, 4, 1), date(2018, 1, 1), date(2018, 4, 1), date(2018, 5, 1)]}))
    result = {s.measure: s for s in snapshots(rows, None, "measure", "people", CURRENT)}
    assert (result["New"].month, result["New"].area.previous, result["New"].area.current) == ("2018-04", 330, 294)
    assert result["Street"].area.previous == 0


def test_demo_ambulance_assaults_recounted_from_the_synthetic_file(demo_output, demo_results):
    raw = pd.read_csv(demo_output / "synthetic-partner-data" / "incident-and-aggregate"
                      / "synthetic-las-assaults.csv", dtype=str, keep_default_na=False)
    lookup = pd.read_csv(LOOKUP, dtype=str)
    ward_of = dict(zip(lookup["LSOA11CD"], lookup["WD18CD"]))
    lad_of_ward = dict(zip(lookup["WD18CD"], lookup["LAD18CD"]))
    raw["ward"] = raw["LSOA code"].map(ward_of).where(raw["LSOA code"] != "", raw["Ward code"])
    only_point = raw[(raw["ward"] == "") & (raw["Longitude"] != "")]  # placed by the LSOA polygon holding the point
    with resources.as_file(resources.files("safer").joinpath(BOUNDARIES)) as path:
        polygons = gpd.read_file(path)[["lsoa_code", "geometry"]]
    points = gpd.GeoDataFrame(index=only_point.index, crs=polygons.crs, geometry=gpd.points_from_xy(
        only_point["Longitude"].astype(float), only_point["Latitude"].astype(float)))
    within = gpd.sjoin(points, polygons, predicate="within").groupby(level=0)["lsoa_code"].min()
    raw.loc[within.index, "ward"] = within.map(ward_of)
    raw["lad"] = raw["ward"].map(lad_of_ward)
    current = raw[(raw["Incident datetime"] >= "2017-07-01") & (raw["Incident datetime"] < "2018-07-01")]
    previous = raw[(raw["Incident datetime"] >= "2016-07-01") & (raw["Incident datetime"] < "2017-07-01")]
    area_now, area_before = current[current["lad"] == "E09000033"], previous[previous["lad"] == "E09000033"]
    result = demo_results["partnership"]["datasets"]["las-assaults"]
    assert result["synthetic"] is True
    volume = result["volume"]["area"]
    assert (volume["previous"], volume["current"]) == (len(area_before), len(area_now)) == (1820, 1795)
    comparator_lads = set(demo_results["meta"]["comparator"]["lad_codes"])
    comparator_now = current[current["lad"].isin(comparator_lads)]
    assert result["volume"]["comparator"]["current"] == len(comparator_now)
    top = area_now["ward"].value_counts()
    assert [(p["code"], p["count"]) for p in result["top_wards"]["places"][:2]] == list(top.head(2).items())
    female = result["demographics"]["patient_sex"]["rows"]
    shares = {r["value"]: r for r in female}
    assert shares["Female"]["area_share"] == pytest.approx(100 * (area_now["Patient sex"] == "Female").mean(), abs=0.05)
    assert shares["Female"]["comparator_share"] == pytest.approx(
        100 * (comparator_now["Patient sex"] == "Female").mean(), abs=0.05)
