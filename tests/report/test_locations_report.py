"""The Locations chapter as written by `safer demo`: GeoJSON beside the report, offline maps, sentences."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest


def _geojson(demo_output, name):
    document = json.loads((demo_output / name).read_text(encoding="utf-8"))
    assert document["type"] == "FeatureCollection"
    return document["features"]


def _coordinates(geometry):
    def walk(node):
        if isinstance(node[0], (int, float)):
            yield node
        else:
            for child in node:
                yield from walk(child)
    return list(walk(geometry["coordinates"]))


def test_hotspot_geojson_matches_results(demo_output, demo_results):
    lsoas = _geojson(demo_output, "hotspots-lsoa.geojson")
    units = {u["code"]: u for u in demo_results["hotspots"]["lsoa"]["units"]}
    assert len(lsoas) == len(units) == 128
    for feature in lsoas:
        props = feature["properties"]
        assert props["count"] == units[props["code"]]["count"]
        assert props["class"] == units[props["code"]]["class"]
        for lon, lat in _coordinates(feature["geometry"])[:5]:
            assert -0.25 < lon < -0.1 and 51.47 < lat < 51.55  # WGS84 longitude/latitude, in Westminster
    cells = _geojson(demo_output, "hotspots-grid.geojson")
    assert len(cells) == demo_results["hotspots"]["grid"]["cells"]
    assert {f["properties"]["over_time"] for f in cells} <= {"persistent", "emerging", "former", "intermittent",
                                                             "not a hotspot"}
    wards = _geojson(demo_output, "wards.geojson")
    assert sorted(f["properties"]["name"] for f in wards)[:2] == ["Abbey Road", "Bayswater"]
    west_end = next(f for f in wards if f["properties"]["name"] == "West End")["properties"]
    assert west_end["crimes_current"] == demo_results["wards"]["rows"][0]["total"]["current"]


def test_maps_are_inline_offline_svg_with_ward_names_and_legends(demo_output, demo_results):
    html = (demo_output / "assessment.html").read_text(encoding="utf-8")
    for map_id in ("map-lsoa-crime", "map-wards", "map-kde", "map-lsoa-gi", "map-grid-gi", "map-over-time"):
        start = html.index(f'id="{map_id}"')
        figure = html[start:html.index("</figure>", start)]
        assert "<svg" in figure, map_id
        assert ">West End<" in figure and ">Church Street<" in figure, map_id  # ward names as text
        assert not re.search(r'(?:xlink:)?href="(?:https?:)?//', figure), map_id  # nothing fetched
    gi_map = html[html.index('id="map-lsoa-gi"'):]
    hot = demo_results["hotspots"]["lsoa"]["hot_spots"]
    assert f">hot spot ({hot})<" in gi_map[:gi_map.index("</figure>")]
    assert ">Crimes per km²" in html or "Crimes per km" in html


def test_locations_findings_are_in_the_report(demo_output, demo_results):
    page = unescape((demo_output / "assessment.html").read_text(encoding="utf-8"))
    for key in ("concentration", "wards", "hotspots", "vli", "ward_profiles"):
        assert demo_results["findings"][key], key
        for sentence in demo_results["findings"][key]:
            assert f"<li>{sentence}</li>" in page
    first = demo_results["findings"]["concentration"][0]
    top = demo_results["concentration"]["lsoa"]["top"][0]
    assert first.startswith("A third of all crime in Westminster")
    assert f"({top['share']}%) was in just 4 of its 128 LSOAs" in first
    for section_id in ("locations", "wards", "hotspots", "vli", "ward-profiles"):
        assert f'<section id="{section_id}">' in page


def test_priority_ward_profiles_are_in_the_report(demo_output, demo_results):
    page = unescape((demo_output / "assessment.html").read_text(encoding="utf-8"))
    for profile in demo_results["ward_profiles"]["wards"]:
        assert f'id="ward-{profile["ward_code"]}"' in page
        assert f"{profile['ward_name']} ward ({profile['ward_code']})" in page


@pytest.mark.parametrize("key", ["concentration", "wards", "hotspots", "vli", "ward_profiles"])
def test_results_have_the_location_keys(demo_results, key):
    assert key in demo_results
    json.dumps(demo_results[key])
