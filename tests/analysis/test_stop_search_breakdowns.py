"""Stop and search in Westminster, recomputed from the raw police.uk files with pandas and geopandas."""

from __future__ import annotations

import gzip
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

import safer
from policeuk_samples import copy_warehouse_file
from safer.assessment.scope import resolve_scope
from safer.assessment.stop_search import compute_stop_search
from safer.config import Config
from safer.warehouse.connect import open_warehouse

RAW = Path(__file__).resolve().parents[3] / "shared" / "data" / "real" / "met_stop_and_search_westminster_bbox"
GEOGRAPHY = Path(safer.__file__).parent / "data" / "geography"

pytestmark = pytest.mark.skipif(not RAW.exists(), reason="shared real data not available")


@pytest.fixture(scope="module")
def section(demo_warehouse, tmp_path_factory):
    path = copy_warehouse_file(demo_warehouse.path, tmp_path_factory.mktemp("ss") / "w.duckdb")
    with open_warehouse(path) as wh:
        scope = resolve_scope(Config(partnership="T", area=("E09000033",), end_month="2018-06"), wh)
        return compute_stop_search(scope)


@pytest.fixture(scope="module")
def raw_westminster() -> pd.DataFrame:
    """Every raw search placed in Westminster by geopandas (a point on a border goes to the lower LSOA code)."""
    searches = pd.concat([pd.read_csv(p, dtype=str) for p in sorted(RAW.glob("*/*.csv"))], ignore_index=True)
    searches["month"] = pd.to_datetime(searches["Date"], utc=True).dt.strftime("%Y-%m")
    points = gpd.GeoDataFrame(searches, geometry=gpd.points_from_xy(searches["Longitude"].astype(float),
                                                                     searches["Latitude"].astype(float)), crs=4326)
    lsoas = gpd.read_file(GEOGRAPHY / "lsoa_boundaries_westminster_and_neighbours.geojson")
    joined = gpd.sjoin(points, lsoas[["lsoa_code", "geometry"]], predicate="intersects", how="left")
    joined = joined.sort_values("lsoa_code").loc[lambda d: ~d.index.duplicated(keep="first")].sort_index()
    lookup = pd.read_csv(gzip.open(GEOGRAPHY / "lsoa_lookup.csv.gz"), usecols=["lsoa_code", "lad_code"])
    joined = joined.merge(lookup, on="lsoa_code", how="left")
    return joined[joined["lad_code"] == "E09000033"]


def _in(frame: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    return frame[(frame["month"] >= first) & (frame["month"] <= last)]


def test_totals_by_period_and_month(section, raw_westminster):
    current, previous = _in(raw_westminster, "2017-07", "2018-06"), _in(raw_westminster, "2016-07", "2017-06")
    assert (section.total.previous, section.total.current) == (len(previous), len(current))
    monthly = raw_westminster.groupby("month").size()
    assert {f"{m.month:%Y-%m}": m.count for m in section.monthly} == monthly.to_dict()
    assert [f"{m.month:%Y-%m}" for m in section.sparse_months] == ["2018-02", "2018-03"]  # no coordinates in the source


def test_breakdowns_match_the_raw_files(section, raw_westminster):
    current, previous = _in(raw_westminster, "2017-07", "2018-06"), _in(raw_westminster, "2016-07", "2017-06")
    for rows, column in ((section.by_object, "Object of search"), (section.by_age, "Age range"),
                         (section.by_gender, "Gender"), (section.by_ethnicity, "Officer-defined ethnicity")):
        got = {r.category: (r.change.previous, r.change.current) for r in rows}
        now = current[column].fillna("Not recorded").value_counts().to_dict()
        before = previous[column].fillna("Not recorded").value_counts().to_dict()
        assert got == {k: (before.get(k, 0), now.get(k, 0)) for k in set(now) | set(before)}, column


def test_arrest_rate_counts_both_wordings_of_arrest(section, raw_westminster):
    current = _in(raw_westminster, "2017-07", "2018-06")
    arrests = current["Outcome"].isin(["Arrest", "Suspect arrested"]).sum()
    assert (section.arrest_rate.current_hits, section.arrest_rate.current_searches) == (arrests, len(current))
    assert section.arrest_rate.current == round(100 * arrests / len(current), 1)
    outcome = {r.category: r.change.current for r in section.by_outcome}
    assert outcome["Arrest"] == arrests
    assert outcome["No further action"] == current["Outcome"].isin(
        ["Nothing found - no further action", "A no further action disposal"]).sum()


def test_a_box_cut_around_the_area_is_not_taken_for_the_force(section):
    assert not section.coverage.covered
    assert section.comparator_total is None
    thin = {d.lad_name for d in section.coverage.thin_districts}
    assert {"Wandsworth", "Southwark", "Brent"} <= thin  # barely touched by the box
    assert section.coverage.unchecked_districts > 0  # most Met boroughs lie outside the shipped boundaries
