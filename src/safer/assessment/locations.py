"""Locations: where crime concentrates, ward tables, hotspots over time and vulnerable localities.

Four sections of the assessment, each computed from the shared :class:`Scope`:

* ``compute_concentration``: top-N shares, units holding half and 80%, Lorenz curve and Gini,
  by LSOA and by ward, for all crime, anti-social behaviour and each crime type;
* ``compute_wards``: every ward's crime by type in both periods, its rank in the area and the
  comparator, and the LSOAs its crime concentrates in;
* ``compute_hotspots``: counts on LSOA polygons and a regular grid (British National Grid),
  Getis-Ord Gi* with permutation inference and multiple-testing correction, kernel density,
  and the classification of grid cells over consecutive periods;
* ``compute_vli``: the Vulnerable Localities Index from the warehouse's burglary and
  criminal damage and the partnership's indicator file (skipped, with a note, without one).

Boundaries come from the packaged files (``safer.geography``); results carry them (not
serialised) so the report can draw maps and write GeoJSON without touching the warehouse.

Example:
    >>> hotspots = compute_hotspots(scope)  # doctest: +SKIP
    >>> hotspots.lsoa.hot, hotspots.parameters["permutations"]  # doctest: +SKIP
    (9, 999)
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import shapely

from safer.analysis.concentration import Concentration, concentration, concentration_by
from safer.analysis.getis_ord import GiStar, gi_star
from safer.analysis.grid import Grid, regular_grid
from safer.analysis.hotspot_classes import HotspotClasses, classify_hotspots
from safer.analysis.kde import KernelDensity, all_at_one_place, kernel_density
from safer.analysis.periods import Period, add_months
from safer.analysis.selection import asb_only, crime_only
from safer.analysis.vli import CRIME_INDICATORS, Vli, crime_counts, vulnerable_localities_index
from safer.analysis.wards import WardTable, ward_table
from safer.assessment.scope import Scope
from safer.errors import ConfigError, SourceError, located
from safer.geography import (Boundaries, load_lsoa_boundaries, load_ward_boundaries, to_british_national_grid,
                             wards_from_lsoas)

ALL_CRIME = "All crime"


# --------------------------------------------------------------------------- boundaries


@dataclass(frozen=True)
class AreaGeometry:
    """The area's ward and LSOA polygons (EPSG:27700), and what could not be drawn."""

    wards: Boundaries | None
    lsoas: Boundaries | None
    outline: object | None  # shapely geometry of the whole area
    lsoas_without_polygon: tuple[str, ...]
    notes: tuple[str, ...]
    ward_of_lsoa: dict[str, str] = field(default_factory=dict)  # LSOA code -> ward name

    def as_dict(self) -> dict[str, object]:
        return {"wards": self.wards.as_dict() if self.wards else None,
                "lsoas": self.lsoas.as_dict() if self.lsoas else None,
                "lsoas_without_polygon": list(self.lsoas_without_polygon), "notes": list(self.notes)}


def area_geometry(scope: Scope) -> AreaGeometry:
    """Ward and LSOA polygons for the scope's area, from the packaged boundary files."""
    frame = (scope.geography.filter(scope.geography.lad_code.isin(list(scope.config.area)))
             .select("lsoa_code", "ward_code", "ward_name").execute())
    return _area_geometry(tuple(sorted(zip(frame["lsoa_code"], frame["ward_code"], frame["ward_name"]))))


@functools.lru_cache(maxsize=4)
def _area_geometry(lsoa_wards: tuple[tuple[str, str, str], ...]) -> AreaGeometry:
    codes = [lsoa for lsoa, _, _ in lsoa_wards]
    ward_of = {lsoa: name for lsoa, _, name in lsoa_wards}
    notes = []
    lsoas = _packaged_lsoas().subset(codes)
    missing = tuple(sorted(set(codes) - set(lsoas.frame["code"])))
    if missing:
        notes.append(f"{len(missing)} of the area's {len(codes)} LSOAs have no polygon in the packaged boundaries "
                     f"({lsoas.source}); their crime is counted in every table but cannot be mapped.")
    ward_codes = {ward for _, ward, _ in lsoa_wards}
    wards = _packaged_wards().subset(ward_codes)
    if set(wards.frame["code"]) != ward_codes and lsoas.loaded:
        wards = wards_from_lsoas(lsoas, {lsoa: (ward, name) for lsoa, ward, name in lsoa_wards})
        notes.append("Ward outlines were made by joining the area's LSOA polygons by ward.")
    if lsoas.failed or wards.failed:
        failed = len(lsoas.failed) + len(wards.failed)
        notes.append(f"{failed} boundary polygon(s) could not be loaded and are left off the maps.")
    if not lsoas.loaded and not wards.loaded:
        return AreaGeometry(None, None, None, missing, (*notes, "No boundaries are packaged for this area, so "
                                                        "maps and polygon hotspots are left out."), ward_of)
    outline_from = wards if wards.loaded else lsoas
    outline = shapely.union_all(outline_from.frame.geometry.values).buffer(0)
    return AreaGeometry(wards if wards.loaded else None, lsoas if lsoas.loaded else None, outline, missing,
                        tuple(notes), ward_of)


@functools.lru_cache(maxsize=1)
def _packaged_lsoas() -> Boundaries:
    return load_lsoa_boundaries()


@functools.lru_cache(maxsize=1)
def _packaged_wards() -> Boundaries:
    return load_ward_boundaries()


def _area_lsoas(scope: Scope) -> ibis.Table:
    return scope.geography.filter(scope.geography.lad_code.isin(list(scope.config.area)))


def _in_period(records: ibis.Table, period: Period) -> ibis.Table:
    return records.filter((records.month >= period.first) & (records.month < period.end_exclusive))


# --------------------------------------------------------------------------- concentration


@dataclass(frozen=True)
class ConcentrationSection:
    top_n: tuple[int, ...]
    lsoa: Concentration
    ward: Concentration
    asb: Concentration | None
    by_type: tuple[Concentration, ...]
    geometry: AreaGeometry | None = field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict[str, object]:
        return {"top_n": list(self.top_n), "lsoa": self.lsoa.as_dict(), "ward": self.ward.as_dict(),
                "asb_lsoa": self.asb.as_dict(counts=False) if self.asb else None,
                "by_crime_type": [c.as_dict(counts=False) for c in self.by_type]}


def compute_concentration(scope: Scope) -> ConcentrationSection:
    """How concentrated the area's crime is, by LSOA and by ward, in the current period."""
    units = _area_lsoas(scope)
    top_n = scope.config.concentration_top_n
    crime = crime_only(scope.area)
    common = dict(top_n=top_n, previous=scope.previous)
    lsoa = concentration(crime, units, scope.current, subject=ALL_CRIME, **common)
    ward = concentration(crime, units, scope.current, unit_column="ward_code", name_column="ward_name",
                         unit_label="ward", subject=ALL_CRIME, **common)
    asb = concentration(asb_only(scope.area), units, scope.current, subject="Anti-social behaviour", **common)
    by_type = tuple(concentration_by(crime, units, scope.current, by="crime_type", **common).values())
    return ConcentrationSection(top_n=tuple(sorted(set(top_n))), lsoa=lsoa, ward=ward,
                                asb=asb if asb.crimes else None, by_type=by_type, geometry=area_geometry(scope))


# --------------------------------------------------------------------------- wards


@dataclass(frozen=True)
class WardsSection:
    table: WardTable
    comparator_name: str
    geometry: AreaGeometry | None = field(default=None, compare=False, repr=False)

    @property
    def rows(self):
        return self.table.rows

    def as_dict(self) -> dict[str, object]:
        return {**self.table.as_dict(), "comparator": self.comparator_name}


def compute_wards(scope: Scope) -> WardsSection:
    """Every ward's crime by type, with ranks in the area and (where covered) the comparator."""
    geography = scope.geography
    comparator_lsoas = geography.filter(geography.lad_code.isin(list(scope.comparator_lads)))
    table = ward_table(crime_only(scope.area), crime_only(scope.comparator), _area_lsoas(scope), comparator_lsoas,
                       scope.current, scope.previous, covered=scope.covered_types)
    return WardsSection(table=table, comparator_name=scope.comparator_name, geometry=area_geometry(scope))


# --------------------------------------------------------------------------- hotspots


@dataclass(frozen=True)
class PointAccounting:
    """Where every crime record of the period went on the way to the grid."""

    records: int
    without_coordinates: int
    outside_british_national_grid: int
    outside_area_grid: int

    @property
    def used(self) -> int:
        return self.records - self.without_coordinates - self.outside_british_national_grid - self.outside_area_grid

    def as_dict(self) -> dict[str, object]:
        return {"records": self.records, "without_coordinates": self.without_coordinates,
                "outside_british_national_grid": self.outside_british_national_grid,
                "outside_area_grid": self.outside_area_grid, "used": self.used}


@dataclass(frozen=True)
class HotspotPeriods:
    """Gi* on the grid in each consecutive period, and the resulting class of every cell."""

    periods: tuple[Period, ...]
    hot_cells: tuple[int, ...]  # hot spot cells in each period
    classes: HotspotClasses

    def as_dict(self) -> dict[str, object]:
        return {**self.classes.as_dict(),
                "periods": [{**p.as_dict(), "hot_cells": n} for p, n in zip(self.periods, self.hot_cells)]}


@dataclass(frozen=True)
class Hotspots:
    subject: str
    period: Period
    parameters: dict[str, object]
    lsoa: GiStar | None
    lsoa_names: dict[str, str]
    grid: Grid | None
    grid_gi: GiStar | None
    over_time: HotspotPeriods | None
    kde: KernelDensity | None
    kde_peak_ward: str | None
    points: PointAccounting
    records_without_polygon: int
    notes: tuple[str, ...]
    records_outside_lookup: int = 0  # crime records anywhere whose LSOA code the lookup does not hold
    lsoas_outside_lookup: int = 0
    geometry: AreaGeometry | None = field(default=None, compare=False, repr=False)

    @property
    def significant_lsoas(self) -> list[int]:
        """Positions of the LSOA hot spots (strongest first), then of the cold spots."""
        if self.lsoa is None:
            return []
        chosen = [i for i, c in enumerate(self.lsoa.classes) if c != "not significant"]
        return sorted(chosen, key=lambda i: (self.lsoa.classes[i] != "hot spot", -abs(self.lsoa.z[i])))

    def as_dict(self) -> dict[str, object]:
        lsoa = None
        if self.lsoa is not None:
            lsoa = self.lsoa.as_dict()
            for unit in lsoa["units"]:
                unit["name"] = self.lsoa_names.get(unit["code"], unit["code"])
        grid = None
        if self.grid is not None and self.grid_gi is not None:
            grid = {**self.grid.as_dict(), **self.grid_gi.as_dict()}
            if self.over_time is not None:
                for unit, cls, n in zip(grid["units"], self.over_time.classes.classes,
                                        self.over_time.classes.hot_periods):
                    unit["over_time"] = cls
                    unit["hot_periods"] = n
        return {
            "subject": self.subject, "period": self.period.as_dict(), "parameters": self.parameters,
            "lsoa": lsoa, "grid": grid, "over_time": self.over_time.as_dict() if self.over_time else None,
            "kde": {**self.kde.as_dict(), "peak_ward": self.kde_peak_ward} if self.kde else None,
            "points": self.points.as_dict(), "records_without_polygon": self.records_without_polygon,
            "outside_lookup": {"records": self.records_outside_lookup, "lsoas": self.lsoas_outside_lookup},
            "boundaries": self.geometry.as_dict() if self.geometry else None, "notes": list(self.notes),
        }


def compute_hotspots(scope: Scope) -> Hotspots:
    """Gi* hotspots on LSOAs and a grid, kernel density, and how grid hotspots changed over time."""
    cfg = scope.config
    geometry = area_geometry(scope)
    crime = crime_only(scope.area)
    parameters = _hotspot_parameters(scope)
    gi_options = dict(permutations=cfg.hotspot_permutations, seed=cfg.hotspot_seed,
                      correction=cfg.hotspot_correction, alpha=cfg.hotspot_significance)

    lsoa_gi, names, without_polygon = None, {}, 0
    if geometry.lsoas is not None and geometry.lsoas.loaded >= 3:
        lsoa_gi, names, without_polygon = _lsoa_gi(crime, scope.current, geometry.lsoas,
                                                   parameters["lsoa_weights"], gi_options)
    periods = _classification_periods(scope, cfg.hotspot_period_months)
    points = _points(crime, Period(periods[0].first if periods else scope.current.first, scope.current.last))
    current = points[points["month"] >= pd.Timestamp(scope.current.first)]
    on_grid = _GridHotspots()
    if geometry.outline is not None:
        on_grid = _grid_hotspots(current, points, periods, geometry, parameters, gi_options, cfg)
    if on_grid.kde is not None:
        parameters["kde_bandwidth_m"] = round(on_grid.kde.bandwidth, 1)
        parameters["kde_bandwidth_source"] = on_grid.kde.bandwidth_source
    records, without, outside = _accounting(current)
    outside_lookup = _outside_lookup(scope)
    return Hotspots(
        subject=ALL_CRIME, period=scope.current, parameters=parameters, lsoa=lsoa_gi, lsoa_names=names,
        grid=on_grid.grid, grid_gi=on_grid.gi, over_time=on_grid.over_time, kde=on_grid.kde,
        kde_peak_ward=on_grid.peak_ward,
        points=PointAccounting(records=records, without_coordinates=without, outside_british_national_grid=outside,
                               outside_area_grid=on_grid.outside),
        records_without_polygon=without_polygon, notes=(*geometry.notes, *on_grid.notes),
        records_outside_lookup=outside_lookup[0], lsoas_outside_lookup=outside_lookup[1], geometry=geometry)


@dataclass(frozen=True)
class _GridHotspots:
    grid: Grid | None = None
    gi: GiStar | None = None
    over_time: HotspotPeriods | None = None
    kde: KernelDensity | None = None
    peak_ward: str | None = None
    outside: int = 0
    notes: tuple[str, ...] = ()


def _grid_hotspots(current: pd.DataFrame, points: pd.DataFrame, periods: Sequence[Period], geometry: AreaGeometry,
                   parameters: dict, gi_options: dict, cfg) -> _GridHotspots:
    """Grid counts and Gi* for the current period, Gi* classes over the periods, and the kernel density."""
    grid = regular_grid(geometry.outline, cell_size=cfg.grid_cell_metres)
    usable = current[current["usable"]]
    counts, outside = grid.counts(usable["x"], usable["y"], usable["n"])
    gi = gi_star(counts, grid.neighbour_matrix(), grid.codes, weights_label=parameters["grid_weights"],
                 **gi_options)
    over_time, notes = None, ()
    if len(periods) >= 2:
        over_time = _over_time(grid, points, periods, parameters["grid_weights"], gi_options)
    else:
        notes = ("The data do not reach back over two whole periods, so hotspots are not classified over time.",)
    kde, peak_ward = None, None
    if cfg.kde_bandwidth_metres or not all_at_one_place(usable["x"].to_numpy(), usable["y"].to_numpy()):
        kde, peak_ward = _density(usable, geometry, cfg)
    else:
        notes = (*notes, ("Every mapped crime is at one map point, so the density surface has no spread to choose "
                          "a bandwidth from and is not drawn; set locations.kde_bandwidth_metres to draw it."))
    return _GridHotspots(grid, gi, over_time, kde, peak_ward, outside, notes)


def _outside_lookup(scope: Scope) -> tuple[int, int]:
    """(records, LSOA codes) of the current period's crime anywhere whose LSOA the lookup does not hold."""
    unknown = _in_period(crime_only(scope.located), scope.current)
    unknown = unknown.filter(unknown.lsoa_code.notnull() & unknown.lad_code.isnull())
    found = unknown.aggregate(records=unknown.count(), lsoas=unknown.lsoa_code.nunique()).execute().iloc[0]
    return int(found["records"] or 0), int(found["lsoas"] or 0)


def _hotspot_parameters(scope: Scope) -> dict[str, object]:
    cfg = scope.config
    return {
        "grid_cell_m": cfg.grid_cell_metres, "kde_cell_m": cfg.kde_cell_metres,
        "kde_bandwidth_setting_m": cfg.kde_bandwidth_metres or None,
        "permutations": cfg.hotspot_permutations, "seed": cfg.hotspot_seed, "correction": cfg.hotspot_correction,
        "significance": cfg.hotspot_significance, "period_months": cfg.hotspot_period_months,
        "crs": "EPSG:27700 (British National Grid)",
        "lsoa_weights": "queen contiguity (LSOAs sharing a boundary or a corner), binary, own LSOA included",
        "grid_weights": "queen contiguity (the 8 surrounding cells), binary, own cell included",
    }


def _lsoa_gi(crime: ibis.Table, period: Period, lsoas: Boundaries, label: str, options: dict
             ) -> tuple[GiStar, dict, int]:
    from libpysal.weights import Queen

    now = _in_period(crime, period)
    counted = now.group_by("lsoa_code").aggregate(n=now.count()).execute()
    counts = dict(zip(counted["lsoa_code"], counted["n"]))
    frame = lsoas.frame
    values = np.array([counts.get(code, 0) for code in frame["code"]], dtype=float)
    without_polygon = int(sum(n for code, n in counts.items() if code not in set(frame["code"])))
    weights = Queen.from_dataframe(frame, use_index=False, silence_warnings=True)
    result = gi_star(values, weights.sparse, tuple(frame["code"]), weights_label=label, **options)
    return result, dict(zip(frame["code"], frame["name"])), without_polygon


def _points(crime: ibis.Table, span: Period) -> pd.DataFrame:
    """Crimes per month and map point in ``span``, projected; ``usable`` is False without a usable point."""
    records = _in_period(crime, span)
    counted = records.group_by(["month", "longitude", "latitude"]).aggregate(n=records.count()).execute()
    counted["month"] = pd.to_datetime(counted["month"])
    x, y, usable = to_british_national_grid(counted["longitude"].to_numpy(dtype=float),
                                            counted["latitude"].to_numpy(dtype=float))
    counted["x"], counted["y"], counted["usable"] = x, y, usable
    counted["n"] = counted["n"].astype(float)
    return counted


def _accounting(points: pd.DataFrame) -> tuple[int, int, int]:
    total = int(points["n"].sum())
    blank = points["longitude"].isna() | points["latitude"].isna()
    without = int(points.loc[blank, "n"].sum())
    outside = int(points.loc[~blank & ~points["usable"], "n"].sum())
    return total, without, outside


def _classification_periods(scope: Scope, months: int) -> tuple[Period, ...]:
    """Consecutive periods of ``months`` ending with the current period, back to the previous period's start."""
    start = scope.previous.first if scope.first_month <= scope.previous.first else scope.current.first
    periods = []
    last = scope.current.last
    while True:
        first = add_months(last, -(months - 1))
        if first < start or first < scope.first_month:
            break
        periods.append(Period(first, last))
        last = add_months(first, -1)
    return tuple(reversed(periods))


def _over_time(grid: Grid, points: pd.DataFrame, periods: Sequence[Period], label: str, options: dict
               ) -> HotspotPeriods:
    weights = grid.neighbour_matrix()
    usable = points[points["usable"]]
    hot, hot_cells = [], []
    for period in periods:
        chosen = usable[(usable["month"] >= pd.Timestamp(period.first))
                        & (usable["month"] < pd.Timestamp(period.end_exclusive))]
        counts, _ = grid.counts(chosen["x"], chosen["y"], chosen["n"])
        result = gi_star(counts, weights, grid.codes, weights_label=label, **options)
        flags = [c == "hot spot" for c in result.classes]
        hot.append(flags)
        hot_cells.append(sum(flags))
    classes = classify_hotspots(np.array(hot).T)
    return HotspotPeriods(periods=tuple(periods), hot_cells=tuple(hot_cells), classes=classes)


def _density(usable: pd.DataFrame, geometry: AreaGeometry, cfg) -> tuple[KernelDensity | None, str | None]:
    if usable.empty:
        return None, None
    left, bottom, right, top = geometry.outline.bounds
    margin = 2 * cfg.kde_cell_metres
    kde = kernel_density(usable["x"], usable["y"], weights=usable["n"], cell_size=cfg.kde_cell_metres,
                         bandwidth=cfg.kde_bandwidth_metres or None,
                         extent=(left - margin, right + margin, bottom - margin, top + margin))
    peak_x, peak_y, _ = kde.peak
    ward = None
    if geometry.wards is not None:
        inside = geometry.wards.frame[geometry.wards.frame.contains(shapely.Point(peak_x, peak_y))]
        ward = str(inside["name"].iloc[0]) if len(inside) else None
    return kde, ward


# --------------------------------------------------------------------------- vulnerable localities


@dataclass(frozen=True)
class IndicatorFile:
    """The partnership's VLI indicator CSV, checked: one row per unit and year."""

    path: Path
    unit: str  # "ward" or "LSOA"
    frame: pd.DataFrame  # code, year, households (optional), indicators...
    rows_read: int
    left_out: tuple[tuple[int, str, str], ...]  # (line, code, reason)


@dataclass(frozen=True)
class VliSection:
    available: bool
    note: str | None
    vli: Vli | None
    source: str | None
    unit: str | None
    denominator: str | None
    crime_periods: dict[int, str]
    rows_read: int
    left_out: tuple[tuple[int, str, str], ...]
    notes: tuple[str, ...]
    indicator_values: dict[str, dict[str, float]] = field(default_factory=dict)  # code -> latest indicators
    geometry: AreaGeometry | None = field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict[str, object]:
        base = {"available": self.available, "note": self.note, "source": self.source, "unit": self.unit,
                "crime_denominator": self.denominator,
                "crime_periods": {str(y): label for y, label in self.crime_periods.items()},
                "rows_read": self.rows_read,
                "left_out": [{"line": line, "code": code, "reason": reason} for line, code, reason in self.left_out],
                "notes": list(self.notes)}
        if self.vli is not None:
            base.update(self.vli.as_dict())
        return base


def compute_vli(scope: Scope) -> VliSection:
    """The Vulnerable Localities Index by ward (or LSOA), or a data-gap note without an indicator file."""
    path = scope.config.vli_indicators_path
    geometry = area_geometry(scope)
    if path is None:
        return VliSection(available=False, note=(
            "No deprivation and population indicator file was supplied, so the Vulnerable Localities Index is "
            "not computed. Give one in safer.toml ([vli] indicators = \"file.csv\"); its columns are described "
            "in docs/contracts/vli-indicators.md."), vli=None, source=None, unit=None, denominator=None,
            crime_periods={}, rows_read=0, left_out=(), notes=(), geometry=geometry)
    indicators = read_vli_indicators(path, scope.geography)
    return _vli_from_file(scope, indicators, geometry)


def read_vli_indicators(path: Path, geography: ibis.Table) -> IndicatorFile:
    """Read and check the VLI indicator CSV (docs/contracts/vli-indicators.md).

    Malformed values raise SourceError naming the file, line and column; rows whose code is
    not a 2018 ward or 2011 LSOA in the lookup are left out and listed.
    """
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"vli.indicators: {path} does not exist; give the path of the indicator CSV "
                          "(relative to safer.toml) or leave it empty")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except UnicodeDecodeError as exc:
        raise SourceError(located(path.name, f"not UTF-8 text ({exc}); save the file as UTF-8 CSV")) from exc
    if not rows:
        raise SourceError(located(path.name, "the file is empty; expected a header row with area_code and year"))
    header = [h.strip() for h in rows[0]]
    missing = [c for c in ("area_code", "year") if c not in header]
    if missing:
        raise SourceError(located(path.name, f"missing column(s) {', '.join(missing)}; the columns are "
                                             f"[{', '.join(header)}]. See docs/contracts/vli-indicators.md", line=1))
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise SourceError(located(path.name, f"column(s) {', '.join(duplicates)} appear twice; keep one", line=1))
    known = _lookup_units(geography)
    numeric = [h for h in header if h not in ("area_code", "area_name", "year")]
    records, left_out, seen, kinds = [], [], {}, set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise SourceError(located(path.name, f"has {len(row)} fields but the header has {len(header)}; "
                                                 "check for unquoted commas", line=line))
        values = dict(zip(header, (cell.strip() for cell in row)))
        code = values["area_code"]
        if not code:
            raise SourceError(located(path.name, "blank; give the ward or LSOA code", line=line, field="area_code"))
        year = values["year"]
        if not re.fullmatch(r"(19|20)\d\d", year):
            raise SourceError(located(path.name, f"'{year}' is not a year; expected e.g. 2018", line=line,
                                      field="year"))
        kind = known.get(code)
        if kind is None:
            left_out.append((line, code, "not a 2018 ward or 2011 LSOA code in the lookup"))
            continue
        kinds.add(kind)
        if (code, int(year)) in seen:
            raise SourceError(located(path.name, f"{code} {year} is also on line {seen[(code, int(year))]}; give "
                                                 "one row per area and year", line=line, field="area_code"))
        seen[(code, int(year))] = line
        record = {"code": code, "year": int(year)}
        for column in numeric:
            record[column] = _number(values[column], path.name, line, column)
        records.append(record)
    if len(kinds) > 1:
        raise SourceError(located(path.name, "mixes ward and LSOA codes; give one kind of area per file"))
    if not records:
        raise SourceError(located(path.name, "no rows with a known ward or LSOA code; check area_code holds 2018 "
                                             "ward codes (E05...) or 2011 LSOA codes (E01...)"))
    frame = pd.DataFrame(records, columns=["code", "year", *numeric])
    return IndicatorFile(path=path, unit=kinds.pop(), frame=frame, rows_read=len(rows) - 1,
                         left_out=tuple(left_out))


def _lookup_units(geography: ibis.Table) -> dict[str, str]:
    frame = geography.select("lsoa_code", "ward_code").execute()
    units = {code: "LSOA" for code in frame["lsoa_code"]}
    units.update({code: "ward" for code in frame["ward_code"] if code})
    return units


def _number(text: str, file_name: str, line: int, column: str) -> float:
    if text == "":
        raise SourceError(located(file_name, "blank; every indicator needs a value for every area and year",
                                  line=line, field=column))
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise SourceError(located(file_name, f"'{text}' is not a number", line=line, field=column)) from None
    if not np.isfinite(value) or value < 0:
        raise SourceError(located(file_name, f"'{text}' must be a number of 0 or more", line=line, field=column))
    return value


def _vli_from_file(scope: Scope, indicators: IndicatorFile, geometry: AreaGeometry) -> VliSection:
    cfg = scope.config
    unit_column = "ward_code" if indicators.unit == "ward" else "lsoa_code"
    name_column = "ward_name" if indicators.unit == "ward" else "lsoa_name"
    geography = scope.geography
    lookup = geography.select("lsoa_code", "lsoa_name", "ward_code", "ward_name", "lad_code", "households_2011"
                              ).execute()
    names = dict(zip(lookup[unit_column], lookup[name_column]))
    unit_lad = dict(zip(lookup[unit_column], lookup["lad_code"]))
    households_2011 = lookup.groupby(unit_column)["households_2011"].sum().to_dict()
    area_units = {code for code, lad in unit_lad.items() if lad in set(cfg.area)}
    frame = indicators.frame.copy()
    notes: list[str] = []

    provided = [name for name in CRIME_INDICATORS if name in frame.columns]
    if provided:
        notes.append(f"{', '.join(provided)} taken from the indicator file rather than counted from police records.")
    denominator = "households in the indicator file" if "households" in frame.columns else \
        "Census 2011 households (packaged LSOA lookup)"
    crime_periods: dict[int, str] = {}
    usable_years = []
    for year in sorted(frame["year"].unique()):
        period = _period_for_year(scope, int(year))
        if period is None and len(provided) < len(CRIME_INDICATORS):
            notes.append(f"{year} left out: the police records loaded do not cover the 12 months ending "
                         f"{scope.current.last:%B} {year}, needed for its burglary and criminal damage rates.")
            continue
        usable_years.append(int(year))
        if period is not None:
            crime_periods[int(year)] = period.label
    frame = frame[frame["year"].isin(usable_years)].copy()
    if frame.empty:
        return VliSection(available=False, note="No year in the indicator file can be matched with police records; "
                          "see the notes.", vli=None, source=indicators.path.name, unit=indicators.unit,
                          denominator=denominator, crime_periods=crime_periods, rows_read=indicators.rows_read,
                          left_out=indicators.left_out, notes=tuple(notes), geometry=geometry)

    outside = set(frame["code"]) - area_units
    covered = all(t in scope.covered_types for t in CRIME_INDICATORS.values())
    reference = None
    if outside and len(provided) < len(CRIME_INDICATORS):
        comparator = set(scope.comparator_lads)
        if covered and all(unit_lad.get(code) in comparator for code in outside):
            notes.append(f"The reference average is taken over all {frame['code'].nunique()} areas in the file.")
        else:
            reference = area_units
            notes.append(f"The indicator file lists {len(outside)} areas outside {scope.area_name}, but the police "
                         "records loaded do not cover burglary and criminal damage there, so the reference "
                         f"average is taken over {scope.area_name}'s areas only (100 = its average).")
    crime = crime_only(scope.territorial)
    for year in usable_years:
        period = _period_for_year(scope, year)
        if period is None:
            continue
        counts = crime_counts(crime, period, unit_column)
        mask = frame["year"] == year
        if "households" in frame.columns:
            households = frame.loc[mask, "households"]
        else:
            households = frame.loc[mask, "code"].map(households_2011).astype(float)
        if (households <= 0).any() or households.isna().any():
            bad = frame.loc[mask & ((households <= 0) | households.isna()).reindex(frame.index, fill_value=False),
                            "code"]
            raise SourceError(f"{indicators.path.name}: no households for {', '.join(bad)} in {year}, so crime "
                              "rates cannot be computed; add a households column")
        for name in CRIME_INDICATORS:
            if name in provided:
                continue
            frame.loc[mask, name] = (frame.loc[mask, "code"].map(counts[name]).fillna(0) * 1000.0
                                     / households.to_numpy())
    frame = frame.drop(columns=[c for c in ("households", "population") if c in frame.columns])
    frame = frame[["code", "year", *[c for c in frame.columns if c not in ("code", "year")]]]
    try:
        vli = vulnerable_localities_index(frame, names=names, weights=dict(cfg.vli_weights),
                                          lower_is_more_vulnerable=cfg.vli_lower_is_more_vulnerable,
                                          reference=reference, units=area_units)
    except ValueError as exc:
        raise ConfigError(f"vli: {exc}") from None
    latest = frame[frame["year"] == max(usable_years)].set_index("code")
    values = {code: {k: float(v) for k, v in row.items() if k != "year"} for code, row in latest.iterrows()
              if code in area_units}
    return VliSection(available=True, note=None, vli=vli, source=indicators.path.name, unit=indicators.unit,
                      denominator=denominator, crime_periods=crime_periods, rows_read=indicators.rows_read,
                      left_out=indicators.left_out, notes=tuple(notes), indicator_values=values, geometry=geometry)


def _period_for_year(scope: Scope, year: int) -> Period | None:
    """The assessment-length period ending in the current period's last calendar month of ``year``."""
    months = len(scope.current.months)
    last = scope.current.last.replace(year=year)
    period = Period(add_months(last, -(months - 1)), last)
    if period.first < scope.first_month or period.last > scope.current.last:
        return None
    return period
