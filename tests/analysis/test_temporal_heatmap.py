"""The hour x weekday table, its top and bottom 10% of cells, peak times and the night-time share.

Expected values come from hand-made events whose answers are counted by hand or by pandas, and the
marked cells are recomputed independently with numpy from the rule: 17 cells (10% of 168, rounded),
ties at the threshold included.
"""

from __future__ import annotations

import json
from importlib import resources

import geopandas as gpd
import ibis
import numpy as np
import pandas as pd
from real_data import ONS_WARD_LOOKUP
import pytest

from safer.analysis.temporal import (NIGHT_TIME_ECONOMY, HourWeekdayTable, TimeWindow, hour_weekday_table, peak_times,
                                     temporal_profile, window_share)


def _independent_marks(counts: np.ndarray, k: int = 17) -> tuple[set, set]:
    values = np.sort(counts.ravel())
    top, bottom = values[-k], values[k - 1]
    if top <= bottom:
        return set(), set()
    tops = {(int(h), int(d)) for h, d in zip(*np.nonzero((counts >= top) & (counts > 0)))}
    bottoms = {(int(h), int(d)) for h, d in zip(*np.nonzero(counts <= bottom))}
    return tops, bottoms


def _table(counts: np.ndarray) -> HourWeekdayTable:
    return HourWeekdayTable(tuple(tuple(int(c) for c in row) for row in counts))


@pytest.mark.parametrize("seed", range(6))
def test_marked_cells_match_an_independent_recount(seed):
    rng = np.random.default_rng(seed)
    counts = rng.poisson(rng.uniform(0.5, 30), size=(24, 7))  # ties are common at these counts
    table = _table(counts)
    tops, bottoms = _independent_marks(counts)
    assert set(table.top_cells) == tops and set(table.bottom_cells) == bottoms
    assert len(tops) >= 17 and len(bottoms) >= 17
    assert all(counts[h, d] > counts[h2, d2] for h, d in tops for h2, d2 in bottoms)


def test_a_flat_table_marks_nothing_and_zero_cells_are_never_top():
    assert _table(np.full((24, 7), 5)).top_cells == ()
    sparse = np.zeros((24, 7), int)
    sparse[17, 4] = 3  # one busy cell: 167 cells of 0 are all "bottom", and no empty cell is "top"
    table = _table(sparse)
    assert table.top_cells == () and table.thresholds is None


def test_the_table_counts_events_by_local_hour_and_weekday():
    stamps = pd.to_datetime(["2018-06-01 17:05", "2018-06-01 17:59", "2018-06-02 00:30", "2018-06-03 23:59",
                             "2018-06-04 05:00", "2018-06-08 17:20"])  # Fri, Fri, Sat, Sun, Mon, Fri
    table = hour_weekday_table(ibis.memtable(pd.DataFrame({"when": stamps})), "when")
    assert table.counts[17][4] == 3 and table.counts[0][5] == 1 and table.counts[23][6] == 1
    assert table.counts[5][0] == 1 and table.total == 6
    assert table.weekday_totals == (1, 0, 0, 0, 3, 1, 1)


def test_night_time_share_uses_20_00_to_04_59():
    counts = np.zeros((24, 7), int)
    counts[19, 0] = 10  # 19:xx is outside
    counts[20, 1] = 5   # 20:xx inside
    counts[4, 2] = 3    # 04:xx inside
    counts[5, 3] = 2    # 05:xx outside
    share = window_share(_table(counts), NIGHT_TIME_ECONOMY)
    assert (share.count, share.total, share.share) == (8, 20, 40.0)
    assert NIGHT_TIME_ECONOMY.label == "20:00 to 04:59" and len(NIGHT_TIME_ECONOMY.hours) == 9
    assert TimeWindow(22, 2).hours == (22, 23, 0, 1)
    with pytest.raises(ValueError):
        TimeWindow(5, 5)


def test_peak_day_and_hours_of_the_seed_btp_table():
    """The seed: "Friday remains the peak time for offending with BTP and the hours of 17:00 to 18:59"."""
    btp = np.array([
        [35, 35, 32, 26, 54, 48, 55], [5, 3, 3, 2, 2, 27, 29], [4, 3, 0, 3, 0, 15, 16], [2, 1, 3, 2, 3, 13, 18],
        [4, 5, 1, 0, 4, 22, 33], [8, 3, 4, 6, 2, 21, 17], [15, 10, 9, 5, 10, 8, 22], [23, 24, 23, 31, 20, 11, 18],
        [53, 52, 44, 55, 33, 13, 20], [59, 40, 60, 51, 58, 20, 19], [26, 26, 49, 34, 43, 26, 16],
        [28, 25, 24, 21, 23, 41, 18], [26, 23, 36, 29, 34, 37, 23], [23, 22, 29, 28, 34, 32, 32],
        [43, 43, 40, 35, 28, 36, 34], [27, 35, 54, 46, 51, 48, 34], [45, 37, 44, 35, 57, 54, 37],
        [54, 54, 72, 52, 76, 57, 49], [63, 64, 74, 72, 68, 73, 53], [52, 28, 55, 51, 57, 64, 30],
        [34, 36, 38, 36, 52, 52, 30], [35, 30, 36, 44, 53, 43, 29], [25, 20, 27, 41, 40, 40, 23],
        [21, 16, 24, 27, 55, 53, 17]])
    peak = peak_times(_table(btp))
    assert (peak.day_name, peak.day_count) == ("Friday", 857)
    assert (peak.hours.window.label, peak.hours.count) == ("17:00 to 18:59", 414 + 467)
    assert peak.busiest[0] == (17, 4, 76)


def test_temporal_results_of_the_demo_match_the_generated_btp_file(demo_output, demo_results):
    """The demo's BTP table, recounted from its synthetic CSV with pandas, and its marks recomputed."""
    path = demo_output / "synthetic-partner-data" / "incident-and-aggregate" / "synthetic-btp-incidents.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    lookup = pd.read_csv(ONS_WARD_LOOKUP, dtype=str)
    westminster = set(lookup[lookup["LAD18CD"] == "E09000033"]["LSOA11CD"])
    raw["lsoa"] = raw["LSOA code"]
    only_point = raw[(raw["lsoa"] == "") & (raw["Longitude"] != "")]  # placed by the LSOA polygon holding the point
    boundaries = "data/geography/lsoa_boundaries_westminster_and_neighbours.geojson"
    with resources.as_file(resources.files("safer").joinpath(boundaries)) as polygons_file:
        polygons = gpd.read_file(polygons_file)[["lsoa_code", "geometry"]]
    points = gpd.GeoDataFrame(index=only_point.index, crs=polygons.crs, geometry=gpd.points_from_xy(
        only_point["Longitude"].astype(float), only_point["Latitude"].astype(float)))
    within = gpd.sjoin(points, polygons, predicate="within").groupby(level=0)["lsoa_code"].min()
    raw.loc[within.index, "lsoa"] = within
    raw = raw[raw["lsoa"].isin(westminster)]
    when = pd.to_datetime(raw["Incident datetime"], format="%Y-%m-%d %H:%M")
    when = when[(when >= "2017-07-01") & (when < "2018-07-01")]
    expected = pd.crosstab(when.dt.hour, when.dt.day_of_week).reindex(index=range(24), columns=range(7), fill_value=0)
    result = demo_results["temporal"]["datasets"]["btp-incidents"]
    counts = np.array(result["hour_weekday"]["counts"])
    assert (counts == expected.to_numpy()).all()
    tops, bottoms = _independent_marks(counts)
    assert {(c["hour"], ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].index(
        c["weekday"])) for c in result["hour_weekday"]["top_cells"]} == tops
    assert len(result["hour_weekday"]["bottom_cells"]) == len(bottoms)
    assert result["synthetic"] is True
    night = when.dt.hour.isin([20, 21, 22, 23, 0, 1, 2, 3, 4]).mean() * 100
    assert result["night_time_economy"]["share"] == pytest.approx(night, abs=0.05)
    json.dumps(result)


def test_a_profile_of_no_events_has_no_shares():
    empty = ibis.memtable(pd.DataFrame({"when": pd.to_datetime(pd.Series([], dtype="datetime64[ns]"))}))
    profile = temporal_profile(empty, "when")
    assert profile.table.total == 0 and profile.night_time.share is None and profile.peak.busiest == ()
