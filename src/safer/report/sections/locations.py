"""The Locations chapter of the report: concentration, wards, hotspots and vulnerable localities.

Four report sections, one per assessment result (``concentration``, ``wards``, ``hotspots``,
``vli``), rendered one after the other as the chapter. Every number in a sentence comes
from the result, so the sentences, tables, maps and results.json agree. The hotspots and
wards sections also write GeoJSON beside the report.

Example:
    >>> concentration_findings(assessment)[0]  # doctest: +SKIP
    'A third of all crime in Westminster (34.8%) was in just 4 of its 128 LSOAs ...'
"""

from __future__ import annotations

import json

import altair as alt
import geopandas as gpd
import pandas as pd
import shapely

from safer.analysis.concentration import Concentration
from safer.assessment import Assessment
from safer.geography import to_wgs84
from safer.report import maps
from safer.report.charts import change_chart, render_svg
from safer.report.formatting import count, pct
from safer.report.sections.base import ReportSection

_FRACTIONS = ((1 / 4, "A quarter"), (1 / 3, "A third"), (1 / 2, "Half"), (2 / 3, "Two thirds"),
              (3 / 4, "Three quarters"))


# --------------------------------------------------------------------------- concentration


def concentration_findings(assessment: Assessment) -> list[str]:
    section = assessment.section("concentration")
    lsoa, ward = section.lsoa, section.ward
    area = assessment.meta.area_name
    ward_of = section.geometry.ward_of_lsoa if section.geometry else {}
    sentences = []
    if lsoa.crimes == 0:
        return [f"No crime was recorded in {area} in {lsoa.period.label}, so concentration is not measured."]
    first = lsoa.top[0]
    in_wards = _join(sorted({ward_of[u.code] for u in first.units if u.code in ward_of}))
    where = f", in {in_wards} ward{'s' if ' and ' in in_wards else ''}" if in_wards else ""
    sentences.append(f"{_fraction_phrase(first.share)} of all crime in {area} ({pct(first.share)}) was in just "
                     f"{first.n} of its {lsoa.units} LSOAs{where}. Half was in {lsoa.units_for_half} LSOAs and 80% "
                     f"in {lsoa.units_for_80}.")
    sentences.append(f"{lsoa.under_one_a_day} of the {lsoa.units} LSOAs averaged less than one crime a day "
                     f"({lsoa.period.label}); the Gini coefficient across LSOAs was {lsoa.gini:.2f} "
                     "(0 = crime spread evenly, 1 = all in one place).")
    if lsoa.persistence:
        kept = lsoa.persistence[0]
        if kept.kept == kept.n:
            sentences.append(f"All {kept.n} of this year's top {kept.n} LSOAs were also in the top {kept.n} the year "
                             "before: the places that concentrate crime are stable.")
        else:
            sentences.append(f"{kept.kept} of this year's top {kept.n} LSOAs were also in the top {kept.n} the year "
                             "before.")
    if len(ward.top[0].units) >= 2:
        a, b = ward.top[0].units[:2]
        sentences.append(f"{a.name} and {b.name} wards together held {pct(a.share + b.share)} of {area}'s crime "
                         f"({pct(a.share)} and {pct(b.share)}).")
    return sentences


def concentration_charts(assessment: Assessment) -> dict[str, str]:
    section = assessment.section("concentration")
    charts = {"lorenz": _lorenz_chart([section.lsoa, section.ward])}
    geometry = section.geometry
    if geometry is not None and geometry.lsoas is not None:
        counts = {u.code: u.count for u in section.lsoa.counts}
        charts["lsoa_map"] = maps.choropleth_map(
            geometry.lsoas.frame, counts, wards=_wards(geometry),
            title=f"Crime by LSOA, {section.lsoa.period.label}", legend_title="Crimes (quantile classes)")
    return charts


def _lorenz_chart(results: list[Concentration]) -> str:
    rows = []
    for result in results:
        for unit_share, crime_share in result.lorenz:
            rows.append({"units": unit_share * 100, "crime": crime_share * 100, "curve": f"By {result.unit}"})
    rows += [{"units": 0, "crime": 0, "curve": "Perfect equality"}, {"units": 100, "crime": 100,
                                                                     "curve": "Perfect equality"}]
    data = pd.DataFrame(rows)
    chart = (alt.Chart(data, title="Lorenz curve: share of crime against share of places")
             .mark_line()
             .encode(x=alt.X("units:Q", title="% of places (least crime first)"),
                     y=alt.Y("crime:Q", title="% of crime"),
                     color=alt.Color("curve:N", title=None, legend=alt.Legend(orient="bottom"),
                                     scale=alt.Scale(range=["#1f4e79", "#e67e22", "#9db4c0"])),
                     strokeDash=alt.condition(alt.datum.curve == "Perfect equality", alt.value([4, 4]),
                                              alt.value([1, 0])))
             .properties(width=420, height=300))
    return render_svg(chart)


def _concentration_contents(assessment: Assessment) -> list[tuple[str, str]]:
    return [("locations", "Locations: where crime concentrates")]


# --------------------------------------------------------------------------- wards


def wards_findings(assessment: Assessment) -> list[str]:
    section = assessment.section("wards")
    table = section.table
    area = assessment.meta.area_name
    if not table.rows or table.total.current == 0:
        return []
    top = table.rows[0]
    sentences = [f"{top.name} was the highest-crime ward in {area}, with {count(top.total.current)} crimes "
                 f"({pct(top.share_of_area)} of the area's crime), {_moved(top.total.pct_change)} on the year "
                 "before."]
    if top.top_lsoas:
        lsoa = top.top_lsoas[0]
        sentences.append(f"Within {top.name}, {pct(lsoa.share)} of the ward's crime was in one LSOA, "
                         f"{lsoa.name} ({lsoa.code}).")
    for leaders in table.leaders:
        ours = [(rank, w) for rank, w in enumerate(leaders.wards, start=1) if w.in_area]
        if ours:
            parts = [f"{w.name} {_ordinal_phrase(rank)}" for rank, w in ours]
            kind = "all crime" if leaders.crime_type == "Total" else leaders.crime_type.lower()
            sentences.append(f"For {kind}, {_join(parts)} volume of any ward across the {section.comparator_name} "
                             f"({leaders.of} wards).")
    risers = [r for r in table.rows if r.total.previous >= 50 and r.total.change > 0]
    if risers:
        biggest = max(risers, key=lambda r: r.total.pct_change or 0)
        sentences.append(f"The largest rise in percentage terms was in {biggest.name} "
                         f"({_signed_pct(biggest.total.pct_change)}, {count(biggest.total.previous)} to "
                         f"{count(biggest.total.current)}).")
    if not table.ranked_types:
        sentences.append(f"The data loaded do not cover crime across the {section.comparator_name}, so wards are "
                         "not ranked against the comparator's wards.")
    return sentences


def wards_charts(assessment: Assessment) -> dict[str, str]:
    section = assessment.section("wards")
    charts = {"change": change_chart([r.name for r in section.rows], [r.total.pct_change for r in section.rows],
                                     title=f"% change in crime by ward, {assessment.meta.area_name}")}
    geometry = section.geometry
    if geometry is not None and geometry.wards is not None:
        charts["map"] = maps.choropleth_map(
            geometry.wards.frame, {r.code: r.total.current for r in section.rows}, wards=_wards(geometry),
            title=f"Crime by ward, {section.table.current.label}", legend_title="Crimes (quantile classes)")
    return charts


def wards_files(assessment: Assessment) -> dict[str, str]:
    section = assessment.section("wards")
    if section.geometry is None or section.geometry.wards is None:
        return {}
    frame = section.geometry.wards.frame[["code", "name", "geometry"]].copy()
    rows = {r.code: r for r in section.rows}
    frame["crimes_previous"] = frame["code"].map(lambda c: rows[c].total.previous if c in rows else None)
    frame["crimes_current"] = frame["code"].map(lambda c: rows[c].total.current if c in rows else None)
    frame["pct_change"] = frame["code"].map(lambda c: rows[c].total.pct_change if c in rows else None)
    frame["rank_in_area"] = frame["code"].map(lambda c: rows[c].rank_in_area if c in rows else None)
    return {"wards.geojson": _geojson(frame)}


def _wards_contents(assessment: Assessment) -> list[tuple[str, str]]:
    return [("wards", "Crime by ward")]


# --------------------------------------------------------------------------- hotspots


def hotspots_findings(assessment: Assessment) -> list[str]:
    h = assessment.section("hotspots")
    p = h.parameters
    method = (f"Getis-Ord Gi*, {p['permutations']} permutations, "
              f"{'false discovery rate' if p['correction'] == 'fdr' else p['correction']} correction")
    sentences = []
    ward_of = h.geometry.ward_of_lsoa if h.geometry else {}
    if h.lsoa is not None:
        hot = [c for c, k in zip(h.lsoa.codes, h.lsoa.classes) if k == "hot spot"]
        wards = _join(sorted({ward_of[c] for c in hot if c in ward_of}))
        where = f", all in {wards} ward{'s' if ' and ' in wards else ''}" if wards else ""
        sentences.append(f"{len(hot)} of {len(h.lsoa.codes)} LSOAs were significant hot spots of crime in "
                         f"{h.period.label} ({method}){where}; {h.lsoa.cold} were cold spots.")
    if h.over_time is not None:
        tally = h.over_time.classes.tally()
        first, last = h.over_time.periods[0], h.over_time.periods[-1]
        sentences.append(f"Across {len(h.over_time.periods)} consecutive {p['period_months']}-month periods from "
                         f"{first.first:%B %Y} to {last.last:%B %Y}, {tally['persistent']} cells of the "
                         f"{p['grid_cell_m']:g} m grid were persistent hotspots, {tally['emerging']} emerging, "
                         f"{tally['former']} former and {tally['intermittent']} intermittent.")
    if h.kde is not None:
        where = f" in {h.kde_peak_ward} ward" if h.kde_peak_ward else ""
        sentences.append(f"Kernel density of crime peaks{where}, at {count(h.kde.peak[2])} crimes per square "
                         f"kilometre (bandwidth {h.kde.bandwidth:.0f} m, {h.kde.bandwidth_source}).")
    lost = h.points.without_coordinates + h.points.outside_british_national_grid + h.points.outside_area_grid
    if lost:
        sentences.append(f"{count(lost)} crime records could not be placed on the grid (no or out-of-range "
                         "coordinates, or outside the area's cells); they are counted in every other table.")
    return sentences


def hotspots_charts(assessment: Assessment) -> dict[str, str]:
    h = assessment.section("hotspots")
    geometry = h.geometry
    if geometry is None:
        return {}
    wards = _wards(geometry)
    charts = {}
    if h.kde is not None:
        charts["kde"] = maps.density_map(
            h.kde.density, h.kde.extent, outline=geometry.outline, wards=wards,
            title=f"Kernel density of crime, {h.period.label}",
            legend_title=f"Crimes per km² (bandwidth {h.kde.bandwidth:.0f} m)")
    if h.lsoa is not None:
        charts["lsoa_gi"] = maps.category_map(
            geometry.lsoas.frame, dict(zip(h.lsoa.codes, h.lsoa.classes)), maps.HOTSPOT_COLOURS, wards=wards,
            title=f"Gi* hot and cold spots by LSOA, {h.period.label}", legend_title="LSOAs (corrected p ≤ "
                                                                                    f"{h.parameters['significance']})")
    if h.grid is not None and h.grid_gi is not None:
        cells = gpd.GeoDataFrame({"code": h.grid.codes}, geometry=h.grid.polygons(), crs="EPSG:27700")
        charts["grid_gi"] = maps.category_map(
            cells, dict(zip(h.grid_gi.codes, h.grid_gi.classes)), maps.HOTSPOT_COLOURS, wards=wards,
            title=f"Gi* hot and cold spots, {h.parameters['grid_cell_m']:g} m grid, {h.period.label}",
            legend_title="Grid cells")
        if h.over_time is not None:
            charts["over_time"] = maps.category_map(
                cells, dict(zip(h.grid.codes, h.over_time.classes.classes)), maps.OVER_TIME_COLOURS, wards=wards,
                title=f"Hotspots over {len(h.over_time.periods)} periods of {h.parameters['period_months']} months",
                legend_title="Grid cells")
    return charts


def hotspots_files(assessment: Assessment) -> dict[str, str]:
    h = assessment.section("hotspots")
    files = {}
    if h.lsoa is not None and h.geometry is not None and h.geometry.lsoas is not None:
        frame = h.geometry.lsoas.frame[["code", "name", "geometry"]].copy()
        frame = frame.merge(_gi_frame(h.lsoa), on="code", how="left")
        frame["ward"] = frame["code"].map(h.geometry.ward_of_lsoa)
        files["hotspots-lsoa.geojson"] = _geojson(frame)
    if h.grid is not None and h.grid_gi is not None:
        frame = gpd.GeoDataFrame({"code": h.grid.codes}, geometry=h.grid.polygons(), crs="EPSG:27700")
        frame = frame.merge(_gi_frame(h.grid_gi), on="code", how="left")
        if h.over_time is not None:
            frame["over_time"] = list(h.over_time.classes.classes)
            frame["hot_periods"] = list(h.over_time.classes.hot_periods)
        files["hotspots-grid.geojson"] = _geojson(frame)
    return files


def _gi_frame(result) -> pd.DataFrame:
    return pd.DataFrame({"code": result.codes, "count": result.values, "gi_star_z": [round(z, 4) for z in result.z],
                         "p_sim": result.p_sim, "p_adjusted": [round(p, 4) for p in result.p_adjusted],
                         "class": result.classes})


def _hotspots_contents(assessment: Assessment) -> list[tuple[str, str]]:
    return [("hotspots", "Hotspots and how they changed")]


# --------------------------------------------------------------------------- vulnerable localities


def vli_findings(assessment: Assessment) -> list[str]:
    section = assessment.section("vli")
    if not section.available or section.vli is None:
        return [section.note]
    vli = section.vli
    latest = vli.years[-1]
    above = vli.above_average
    sentences = []
    if above:
        listed = _join([f"{r.name} ({r.latest.score:.1f})" for r in above])
        sentences.append(f"{len(above)} of {len(vli.rows)} {section.unit}s scored above the average of 100 on the "
                         f"Vulnerable Localities Index in {latest}: {listed}.")
    else:
        sentences.append(f"No {section.unit} scored above the average of 100 on the Vulnerable Localities Index in "
                         f"{latest}.")
    if vli.rows:
        top = vli.rows[0]
        change = f", {'up' if top.change > 0 else 'down'} {abs(top.change):.1f} points on {vli.years[-2]}" \
            if top.change else ""
        sentences.append(f"{top.name} was the most vulnerable {section.unit} ({top.latest.score:.1f}{change}).")
    if vli.priority:
        sentences.append(f"{_join([r.name for r in vli.priority])} scored over 200, the level at which the Jill "
                         "Dando Institute treats a neighbourhood as a priority.")
    return sentences


def vli_charts(assessment: Assessment) -> dict[str, str]:
    section = assessment.section("vli")
    geometry = section.geometry
    if section.vli is None or geometry is None:
        return {}
    polygons = geometry.wards if section.unit == "ward" else geometry.lsoas
    if polygons is None:
        return {}
    scores = {r.code: r.latest.score for r in section.vli.rows}
    bands = {code: ("over 200 (priority)" if s > 200 else "above average (over 100)" if s > 100
                    else "average or below (100 or less)") for code, s in scores.items()}
    palette = {"over 200 (priority)": "#7b241c", "above average (over 100)": "#e67e22",
               "average or below (100 or less)": "#eef1f4"}
    return {"map": maps.category_map(polygons.frame, bands, palette, wards=_wards(geometry),
                                     title=f"Vulnerable Localities Index, {section.vli.years[-1]}",
                                     legend_title=f"VLI score by {section.unit}")}


def _vli_contents(assessment: Assessment) -> list[tuple[str, str]]:
    return [("vli", "Vulnerable localities")]


# --------------------------------------------------------------------------- helpers


def _wards(geometry) -> gpd.GeoDataFrame | None:
    return geometry.wards.frame if geometry is not None and geometry.wards is not None else None


def _geojson(frame: gpd.GeoDataFrame) -> str:
    """GeoJSON in WGS84 longitude/latitude (RFC 7946), coordinates to about 10 cm."""
    out = to_wgs84(gpd.GeoDataFrame(frame, geometry="geometry", crs=frame.crs))
    out["geometry"] = shapely.set_precision(out.geometry.values, 1e-6)
    document = json.loads(out.to_json(na="null", show_bbox=False, drop_id=True))
    return json.dumps(document, ensure_ascii=False)


def _fraction_phrase(share: float) -> str:
    for value, words in _FRACTIONS:
        if abs(share - 100 * value) <= 2.0:
            return words
    return f"{pct(share)}"


def _ordinal_phrase(rank: int) -> str:
    if rank == 1:
        return "had the highest"
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"the {rank}{suffix} highest"


def _moved(pct_change: float | None) -> str:
    if pct_change is None:
        return "with no previous figure to compare"
    if pct_change == 0:
        return "unchanged"
    return f"{'up' if pct_change > 0 else 'down'} {abs(pct_change):.1f}%"


def _signed_pct(value: float | None) -> str:
    return "n/a" if value is None else f"{'+' if value > 0 else '−' if value < 0 else ''}{abs(value):.1f}%"


def _join(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


CONCENTRATION = ReportSection(key="concentration", template="sections/concentration.html.j2",
                              contents=_concentration_contents, findings=concentration_findings,
                              charts=concentration_charts)
WARDS = ReportSection(key="wards", template="sections/wards.html.j2", contents=_wards_contents,
                      findings=wards_findings, charts=wards_charts, files=wards_files)
HOTSPOTS = ReportSection(key="hotspots", template="sections/hotspots.html.j2", contents=_hotspots_contents,
                         findings=hotspots_findings, charts=hotspots_charts, files=hotspots_files)
VLI = ReportSection(key="vli", template="sections/vli.html.j2", contents=_vli_contents, findings=vli_findings,
                    charts=vli_charts)
SECTIONS = (CONCENTRATION, WARDS, HOTSPOTS, VLI)
