"""Hotspot results in results.json, recomputed independently from the raw files and the packaged polygons.

LSOA counts come from the raw police.uk CSVs (pandas); LSOA neighbours are worked out here with
shapely by testing every pair of packaged polygons for a shared boundary or corner; Gi* is then
the textbook formula in numpy.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import shape

import locations_raw as raw
import safer
from locations_raw import ASB, BTP, CURRENT, WESTMINSTER

BOUNDARIES = Path(safer.__file__).parent / "data" / "geography" / "lsoa_boundaries_westminster_and_neighbours.geojson"


@pytest.fixture(scope="module")
def current_crime():
    street = raw.street()
    return street[(street["lad_code"] == WESTMINSTER) & (street["Reported by"] != BTP)
                  & (street["Crime type"] != ASB) & street["period"].isin(CURRENT)]


def test_lsoa_gi_star_matches_an_independent_computation(demo_results, current_crime):
    units = demo_results["hotspots"]["lsoa"]["units"]
    codes = [u["code"] for u in units]
    counts = current_crime.groupby("lsoa_code").size().reindex(codes, fill_value=0).to_numpy(dtype=float)
    assert [u["count"] for u in units] == counts.tolist()

    features = {f["properties"]["lsoa_code"]: shape(f["geometry"])
                for f in json.loads(BOUNDARIES.read_text())["features"]}
    polygons = [features[c] for c in codes]
    n = len(codes)
    w = np.eye(n)  # star form: each LSOA counts itself
    for i in range(n):
        for j in range(i + 1, n):
            if polygons[i].intersects(polygons[j]):  # shares a boundary or a corner (queen contiguity)
                w[i, j] = w[j, i] = 1.0
    xbar = counts.mean()
    s = np.sqrt((counts ** 2).mean() - xbar ** 2)
    expected = [((w[i] * counts).sum() - xbar * w[i].sum())
                / (s * np.sqrt((n * (w[i] ** 2).sum() - w[i].sum() ** 2) / (n - 1))) for i in range(n)]
    np.testing.assert_allclose([u["z"] for u in units], expected, atol=1e-3)

    hot = {u["code"] for u in units if u["class"] == "hot spot"}
    assert hot and hot <= {"E01033595", "E01004734", "E01004763", "E01004736", "E01004765", "E01033596",
                           "E01004735", "E01004761", "E01004762"}  # within the West End and St James's cluster
    lsoa = demo_results["hotspots"]["lsoa"]
    assert lsoa["correction"] == "fdr" and lsoa["permutations"] == 999
    assert all(u["p_adjusted"] <= lsoa["alpha"] for u in units if u["class"] != "not significant")


def test_every_record_is_accounted_for_on_the_grid(demo_results, current_crime):
    points = demo_results["hotspots"]["points"]
    assert points["records"] == len(current_crime)
    blank = (current_crime["Longitude"] == "") | (current_crime["Latitude"] == "")
    assert points["without_coordinates"] == int(blank.sum())
    assert points["used"] == (points["records"] - points["without_coordinates"]
                              - points["outside_british_national_grid"] - points["outside_area_grid"])
    grid = demo_results["hotspots"]["grid"]
    assert sum(u["count"] for u in grid["units"]) == points["used"]
    assert grid["cell_size_m"] == 250 and grid["crs"] == "EPSG:27700"


def test_hotspots_over_time_are_classified_over_eight_quarters(demo_results):
    over_time = demo_results["hotspots"]["over_time"]
    assert len(over_time["periods"]) == 8
    assert over_time["periods"][0]["first_month"] == "2016-07" and over_time["periods"][-1]["last_month"] == "2018-06"
    tally = over_time["tally"]
    assert sum(tally.values()) == demo_results["hotspots"]["grid"]["cells"]
    cells = demo_results["hotspots"]["grid"]["units"]
    persistent = [c for c in cells if c["over_time"] == "persistent"]
    assert len(persistent) == tally["persistent"] > 0
    assert all(c["hot_periods"] >= 0.8 * 8 for c in persistent)
    kde = demo_results["hotspots"]["kde"]
    assert kde["peak_ward"] == "West End" and kde["bandwidth_source"] == "chosen by Scott's rule"
