"""One-page profiles of the partnership's priority wards (``partnership.priority_wards``).

Each profile brings together what the assessment knows about the ward: its population and
households (packaged ONS figures), the Vulnerable Localities Index and indicators where an
indicator file was given, crime by type in both periods with its rank and share in the area,
the LSOA holding most of its crime, anti-social behaviour, crime recorded by separately
reported forces, and the ward's figures in every other dataset loaded into the warehouse.

Other datasets are placed in the ward by their ward code, their LSOA code or, for point
data such as stop and search, by which ward polygon holds the point. Counts from 1 up to the
disclosure threshold in partner (person-level) datasets are suppressed.

Example:
    >>> profiles = compute_ward_profiles(scope)  # doctest: +SKIP
    >>> profiles.profiles[0].name, profiles.profiles[0].crime.rank_in_area  # doctest: +SKIP
    ('Church Street', 10)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import numpy as np
import pandas as pd
import shapely

from safer.analysis.change import Change
from safer.analysis.periods import Period
from safer.analysis.selection import asb_only, in_lads, reported_by
from safer.analysis.vli import VliRow
from safer.analysis.wards import WardRow
from safer.assessment.locations import AreaGeometry, VliSection, area_geometry, compute_vli, compute_wards
from safer.assessment.scope import Scope
from safer.errors import ConfigError
from safer.geography import to_british_national_grid
from safer.sources.formats import registered_formats
from safer.warehouse.connect import run

_POLICE_LABELS = {"outcomes": "Crime outcomes recorded (police.uk outcomes files)",
                  "stop-and-search": "Stop and searches (police.uk, placed by their map point)"}


@dataclass(frozen=True)
class DatasetCount:
    """One dataset's records in the ward, in both periods."""

    dataset: str
    table: str
    change: Change | None  # None when suppressed
    suppressed: bool
    placed_by: str  # "ward code", "LSOA code" or "map point in the ward polygon"

    def as_dict(self) -> dict[str, object]:
        counts = self.change.as_dict() if self.change else {"previous": None, "current": None, "change": None,
                                                             "pct_change": None}
        return {"dataset": self.dataset, "table": self.table, **counts, "suppressed": self.suppressed,
                "placed_by": self.placed_by}


@dataclass(frozen=True)
class WardProfile:
    code: str
    name: str
    population: int | None
    population_source: str
    population_share: float | None  # % of the area's residents
    households: int | None  # Census 2011
    crime: WardRow
    wards_in_area: int
    asb: Change
    separate_forces: tuple[tuple[str, Change], ...]
    vli: VliRow | None
    indicators: dict[str, float]
    other_datasets: tuple[DatasetCount, ...]

    @property
    def top_lsoa(self):
        return self.crime.top_lsoas[0] if self.crime.top_lsoas else None

    def as_dict(self) -> dict[str, object]:
        return {
            "ward_code": self.code, "ward_name": self.name,
            "population": {"residents": self.population, "source": self.population_source,
                           "share_of_area": self.population_share, "households_2011": self.households},
            "crime": self.crime.as_dict(), "wards_in_area": self.wards_in_area, "asb": self.asb.as_dict(),
            "separate_forces": [{"force": force, **change.as_dict()} for force, change in self.separate_forces],
            "vli": self.vli.as_dict() if self.vli else None, "indicators": self.indicators,
            "other_datasets": [d.as_dict() for d in self.other_datasets],
        }


@dataclass(frozen=True)
class WardProfiles:
    profiles: tuple[WardProfile, ...]
    note: str | None
    disclosure_threshold: int
    geometry: AreaGeometry | None = field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict[str, object]:
        return {"note": self.note, "wards": [p.as_dict() for p in self.profiles],
                "disclosure_threshold": self.disclosure_threshold}


def compute_ward_profiles(scope: Scope) -> WardProfiles:
    """A profile of every priority ward named in the configuration."""
    codes = scope.config.priority_wards
    geometry = area_geometry(scope)
    threshold = scope.config.disclosure_threshold
    if not codes:
        return WardProfiles((), "No priority wards are set; list them in safer.toml (partnership.priority_wards) "
                                "to get a profile of each.", threshold, geometry)
    population = _population(scope)
    unknown = [code for code in codes if code not in population.index]
    if unknown:
        known = ", ".join(f"{c} {n}" for c, n in zip(population.index, population["ward_name"]))
        raise ConfigError(f"partnership.priority_wards: {', '.join(unknown)} not a ward of {scope.area_name}; "
                          f"its wards are {known}")
    wards = compute_wards(scope)
    vli = compute_vli(scope)
    asb = _ward_changes(asb_only(scope.area), codes, scope.current, scope.previous)
    separate = {force: _ward_changes(in_lads(reported_by(scope.located, [force], include=True), scope.config.area),
                                     codes, scope.current, scope.previous)
                for force in scope.config.separate_forces}
    others = _other_datasets(scope, codes, geometry)
    total_population = population["residents"].sum()
    profiles = []
    for code in codes:
        row = population.loc[code]
        residents = None if pd.isna(row["residents"]) else int(row["residents"])
        profiles.append(WardProfile(
            code=code, name=str(row["ward_name"]), population=residents, population_source=_population_source(scope),
            population_share=round(100.0 * residents / float(total_population), 1) if residents and total_population
            else None,
            households=None if pd.isna(row["households"]) else int(row["households"]),
            crime=wards.table.row(code), wards_in_area=len(wards.table.rows), asb=asb[code],
            separate_forces=tuple((force, changes[code]) for force, changes in separate.items()
                                  if changes[code].previous or changes[code].current),
            vli=_vli_row(vli, code), indicators=vli.indicator_values.get(code, {}) if vli.unit == "ward" else {},
            other_datasets=tuple(_suppressed(d, threshold) for d in others.get(code, ())),
        ))
    return WardProfiles(tuple(profiles), None, threshold, geometry)


def _population(scope: Scope) -> pd.DataFrame:
    geo = scope.geography.filter(scope.geography.lad_code.isin(list(scope.config.area)))
    column = "population_2019" if _has_2019(scope) else "population_2011"
    frame = (geo.group_by(["ward_code", "ward_name"])
             .aggregate(residents=geo[column].sum(), households=geo.households_2011.sum()).execute())
    return frame.set_index("ward_code").sort_values("ward_name")


def _has_2019(scope: Scope) -> bool:
    geo = scope.geography.filter(scope.geography.lad_code.isin(list(scope.config.area)))
    return bool(geo.aggregate(missing=geo.population_2019.isnull().sum()).execute()["missing"].iloc[0] == 0)


def _population_source(scope: Scope) -> str:
    return ("ONS mid-2019 population estimate" if _has_2019(scope) else "Census 2011 usual residents")


def _vli_row(vli: VliSection, code: str) -> VliRow | None:
    if vli.vli is None or vli.unit != "ward":
        return None
    return next((row for row in vli.vli.rows if row.code == code), None)


def _ward_changes(records: ibis.Table, codes: tuple[str, ...], current: Period, previous: Period
                  ) -> dict[str, Change]:
    both = records.filter((records.month >= previous.first) & (records.month < current.end_exclusive)
                          & records.ward_code.isin(list(codes)))
    is_current = both.month >= current.first
    counted = both.group_by("ward_code").aggregate(previous=(~is_current).cast("int64").sum(),
                                                   current=is_current.cast("int64").sum()).execute()
    found = {w: Change.between(int(p), int(c))
             for w, p, c in zip(counted["ward_code"], counted["previous"], counted["current"])}
    return {code: found.get(code, Change.between(0, 0)) for code in codes}


@dataclass(frozen=True)
class _Dataset:
    """One warehouse table of records other than street crime, however many formats load into it."""

    table: str
    label: str
    person_level: bool
    columns: tuple[str, ...]
    synthetic_rows: int


def _other_datasets(scope: Scope, codes: tuple[str, ...], geometry: AreaGeometry) -> dict[str, list[DatasetCount]]:
    """Every non-street record table with data, counted in each priority ward."""
    result: dict[str, list[DatasetCount]] = {code: [] for code in codes}
    for dataset in _datasets(scope):
        table = scope.warehouse.table(dataset.table)
        columns = set(dataset.columns)
        if "lsoa_code" in columns:
            geo = scope.geography.select(lsoa=scope.geography.lsoa_code, lsoa_ward=scope.geography.ward_code)
            joined = table.left_join(geo, table.lsoa_code == geo.lsoa)
            ward = joined.lsoa_ward if "ward_code" not in columns else joined.ward_code.coalesce(joined.lsoa_ward)
            placed = "LSOA code" if "ward_code" not in columns else "ward code, or LSOA code"
            changes = _ward_changes(joined.select(month=joined.month, ward_code=ward), codes, scope.current,
                                    scope.previous)
        elif "ward_code" in columns:
            changes, placed = _ward_changes(table, codes, scope.current, scope.previous), "ward code"
        elif {"longitude", "latitude"} <= columns and geometry.wards is not None:
            changes = _points_in_wards(table, codes, geometry, scope.current, scope.previous)
            if changes is None:
                continue
            placed = "map point in the ward polygon"
        else:
            continue  # aggregate tables by local authority cannot be placed in a ward
        label = dataset.label + (" (synthetic records)" if dataset.synthetic_rows else "")
        for code in codes:
            result[code].append(DatasetCount(label, dataset.table, changes[code], dataset.person_level, placed))
    return result


def _datasets(scope: Scope) -> list[_Dataset]:
    formats: dict[str, list] = {}
    for fmt in registered_formats():
        if fmt.table != "crimes":
            formats.setdefault(fmt.table, []).append(fmt)
    datasets = []
    for table, (columns, synthetic) in _tables_with_rows(scope, set(formats)).items():
        first = formats[table][0]
        label, level = _POLICE_LABELS.get(first.name), "incident"
        if label is None:
            label, level = _contract_label(first)
        if level == "aggregate":
            continue
        person = level == "person" or any(f.identifying for f in formats[table])
        datasets.append(_Dataset(table, label, person, columns, synthetic))
    return sorted(datasets, key=lambda d: (d.label not in _POLICE_LABELS.values(), d.label))


def _contract_label(fmt) -> tuple[str, str]:
    """(title, level) of the partner dataset contract a format comes from."""
    try:
        from safer.sources.contracts import contract

        found = contract(fmt.name.split(" (")[0])
        agency = found.agency.split(" (")[0]
        return (found.title if agency in found.title else f"{found.title} ({agency})"), found.level
    except Exception:  # not a contract format: fall back on the format's own description
        return fmt.description[:1].upper() + fmt.description[1:], "incident"


def _tables_with_rows(scope: Scope, tables: set[str]) -> dict[str, tuple[tuple[str, ...], int]]:
    """Of ``tables``, those that exist, have a ``month`` column and hold rows: their columns and synthetic rows.

    Two standard SQL statements in all, however many dataset formats are registered.
    """
    con = scope.warehouse.duckdb
    columns: dict[str, list[str]] = {}
    for table, column in run(con, "SELECT table_name, column_name FROM information_schema.columns"):
        if table in tables:
            columns.setdefault(table, []).append(column)
    candidates = sorted(t for t, cols in columns.items() if "month" in cols)
    if not candidates:
        return {}
    parts = []
    for t in candidates:
        synthetic = "count(*) FILTER (WHERE synthetic)" if "synthetic" in columns[t] else "0"
        parts.append(f"SELECT '{t}' AS name, count(*) AS n, {synthetic} AS s FROM \"{t}\"")
    counts = run(con, " UNION ALL ".join(parts))
    return {name: (tuple(columns[name]), int(s or 0)) for name, n, s in counts if n}


def _points_in_wards(table: ibis.Table, codes: tuple[str, ...], geometry: AreaGeometry, current: Period,
                     previous: Period) -> dict[str, Change] | None:
    both = table.filter((table.month >= previous.first) & (table.month < current.end_exclusive))
    is_current = both.month >= current.first
    counted = both.group_by(["longitude", "latitude"]).aggregate(
        previous=(~is_current).cast("int64").sum(), current=is_current.cast("int64").sum()).execute()
    if counted.empty:
        return None
    x, y, usable = to_british_national_grid(counted["longitude"].to_numpy(dtype=float),
                                            counted["latitude"].to_numpy(dtype=float))
    frame = geometry.wards.frame.set_index("code")
    result = {}
    for code in codes:
        if code not in frame.index:
            result[code] = Change.between(0, 0)
            continue
        inside = np.zeros(len(counted), dtype=bool)
        inside[usable] = shapely.contains_xy(frame.geometry.loc[code], x[usable], y[usable])
        result[code] = Change.between(int(counted.loc[inside, "previous"].sum()),
                                      int(counted.loc[inside, "current"].sum()))
    return result


def _suppressed(count: DatasetCount, threshold: int) -> DatasetCount:
    """Partner (person-level) counts from 1 to the threshold are withheld in published tables."""
    if not count.suppressed or count.change is None:
        return DatasetCount(count.dataset, count.table, count.change, False, count.placed_by)
    hidden = any(1 <= n <= threshold for n in (count.change.previous, count.change.current))
    return DatasetCount(count.dataset, count.table, None if hidden else count.change, hidden, count.placed_by)
