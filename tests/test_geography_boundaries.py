"""Packaged boundaries load whole, project to metres correctly, and bad polygons are counted, not dropped."""

from __future__ import annotations

import json

import numpy as np
import pytest

import locations_raw as raw
from safer.geography import GeographyError, load_lsoa_boundaries, load_ward_boundaries, read_boundaries, \
    to_british_national_grid


def test_packaged_boundaries_load_every_polygon():
    wards = load_ward_boundaries()
    lsoas = load_lsoa_boundaries()
    assert (wards.loaded, wards.features_read, wards.failed) == (20, 20, ())
    assert (lsoas.loaded, lsoas.features_read, lsoas.failed) == (1179, 1179, ())
    assert wards.frame.crs.to_epsg() == 27700 and lsoas.frame.crs.to_epsg() == 27700


def test_projected_areas_match_the_census_hectares():
    """The lookup's Census 2011 hectares are independent of the boundaries: areas in metres must agree."""
    lookup = raw.lookup()
    westminster = lookup[lookup["lad_code"] == raw.WESTMINSTER]
    lsoas = load_lsoa_boundaries(westminster["lsoa_code"])
    assert lsoas.loaded == 128
    hectares = lsoas.frame.area.sum() / 10_000
    assert hectares == pytest.approx(westminster["hectares"].astype(float).sum(), rel=0.05)


def test_points_outside_great_britain_or_blank_are_unusable():
    x, y, usable = to_british_national_grid([-0.134, np.nan, 40.0, -0.134], [51.51, 51.5, 51.5, 0.0])
    assert usable.tolist() == [True, False, False, False]
    assert np.isnan(x[1:]).all() and 528_000 < x[0] < 531_000 and 179_000 < y[0] < 182_000


def test_bad_features_are_counted_with_their_reason(tmp_path):
    square = [[[-0.14, 51.51], [-0.13, 51.51], [-0.13, 51.52], [-0.14, 51.52], [-0.14, 51.51]]]
    bow_tie = [[[-0.14, 51.51], [-0.13, 51.52], [-0.13, 51.51], [-0.14, 51.52], [-0.14, 51.51]]]
    features = [
        {"type": "Feature", "properties": {"code": "A", "name": "Good"}, "geometry": {"type": "Polygon",
                                                                                      "coordinates": square}},
        {"type": "Feature", "properties": {"code": "B"}, "geometry": None},
        {"type": "Feature", "properties": {"code": "C"}, "geometry": {"type": "Point", "coordinates": [0, 51]}},
        {"type": "Feature", "properties": {"code": "D"}, "geometry": {"type": "Polygon", "coordinates": [[[0]]]}},
        {"type": "Feature", "properties": {"code": "E"}, "geometry": {"type": "Polygon", "coordinates": bow_tie}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": square}},
    ]
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    result = read_boundaries(path, kind="ward", code_field="code", name_field="name")
    assert result.features_read == 6
    assert list(result.frame["code"]) == ["A", "E"]
    assert result.repaired == 1
    assert [(f.feature, f.code) for f in result.failed] == [(2, "B"), (3, "C"), (4, "D"), (6, None)]
    assert "no geometry" in result.failed[0].reason and "Point" in result.failed[1].reason
    assert result.as_dict()["loaded"] == 2


def test_an_unreadable_file_is_an_error_that_says_what_to_do(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text("{not json")
    with pytest.raises(GeographyError, match="broken.geojson"):
        read_boundaries(path, kind="ward", code_field="code", name_field="name")
