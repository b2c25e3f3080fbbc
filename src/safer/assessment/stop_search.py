"""Stop and search in the area: volumes by month, object, outcome (and arrest rate), age, gender, ethnicity.

police.uk stop-and-search files have no LSOA column, so each search's map point is placed by
point in polygon against the LSOA boundaries safer ships (Westminster and the boroughs around it;
``safer.sources.policeuk_api.place_points``); searches without a point, or outside those
boundaries, are counted but cannot be placed in the area.

The comparator (every search in the files loaded for the area's force) is used only when the
files evidently cover it, judged as the overview judges crime types: each of the comparator's
other local authorities must have searches in at least a quarter as large a share of its LSOAs
as the area has (``DEFAULT_MIN_RATIO``), and every one of them must lie within the shipped
boundaries, or it cannot be checked. A file cut to a box around the area fails this.

Example:
    >>> section = compute_stop_search(scope)  # doctest: +SKIP
    >>> section.arrest_rate.current  # doctest: +SKIP
    14.2
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ibis
import pandas as pd

from safer.analysis.change import Change
from safer.analysis.coverage import DEFAULT_MIN_RATIO
from safer.analysis.periods import Period
from safer.analysis.stop_search import (CategoryChange, MonthCount, SearchRate, breakdown, monthly_counts,
                                        search_rate, sparse_months, total_change, with_outcome_group)
from safer.assessment.scope import Scope
from safer.sources.policeuk_api import place_points, shipped_lsoas

OUTCOMES_FILE = "data/reference/stop_search_outcomes.csv"
AGE_ORDER = ("under 10", "10-17", "18-24", "25-34", "over 34")


@dataclass(frozen=True)
class Placement:
    """Where the searches of the assessment's two periods could be placed."""

    searches: int
    without_point: int
    outside_boundaries: int
    in_area: int

    def as_dict(self) -> dict[str, object]:
        return {"searches": self.searches, "without_point": self.without_point,
                "outside_boundaries": self.outside_boundaries, "in_area": self.in_area}


@dataclass(frozen=True)
class DistrictShare:
    lad_code: str
    lad_name: str
    lsoa_share: float  # share of its LSOAs with at least one search in the current period

    def as_dict(self) -> dict[str, object]:
        return {"lad_code": self.lad_code, "lad_name": self.lad_name, "lsoa_share": round(self.lsoa_share, 4)}


@dataclass(frozen=True)
class SearchCoverage:
    area_lsoa_share: float
    districts: tuple[DistrictShare, ...]  # the comparator's other districts within the shipped boundaries
    unchecked_districts: int  # the comparator's other districts outside them
    min_ratio: float

    @property
    def thin_districts(self) -> tuple[DistrictShare, ...]:
        return tuple(d for d in self.districts if d.lsoa_share < self.min_ratio * self.area_lsoa_share)

    @property
    def covered(self) -> bool:
        return bool(self.districts) and not self.thin_districts and self.unchecked_districts == 0

    def as_dict(self) -> dict[str, object]:
        return {"area_lsoa_share": round(self.area_lsoa_share, 4), "districts": [d.as_dict() for d in self.districts],
                "thin_districts": [d.lad_name for d in self.thin_districts],
                "unchecked_districts": self.unchecked_districts, "min_ratio": self.min_ratio, "covered": self.covered}


@dataclass(frozen=True)
class StopSearch:
    total: Change
    monthly: tuple[MonthCount, ...]
    sparse_months: tuple[MonthCount, ...]  # months with far fewer searches than usual (likely data gaps)
    by_object: tuple[CategoryChange, ...]
    by_outcome: tuple[CategoryChange, ...]
    by_age: tuple[CategoryChange, ...]
    by_gender: tuple[CategoryChange, ...]
    by_ethnicity: tuple[CategoryChange, ...]  # officer-defined ethnicity
    arrest_rate: SearchRate
    further_action_rate: SearchRate
    comparator_total: Change | None
    comparator_arrest_rate: SearchRate | None
    coverage: SearchCoverage
    placement: Placement
    current: Period
    previous: Period

    @property
    def available(self) -> bool:
        return self.placement.searches > 0

    def as_dict(self) -> dict[str, object]:
        return {
            "current": self.current.as_dict(), "previous": self.previous.as_dict(),
            "total": self.total.as_dict(), "monthly": [m.as_dict() for m in self.monthly],
            "sparse_months": [m.as_dict() for m in self.sparse_months],
            "by_object": [r.as_dict() for r in self.by_object], "by_outcome": [r.as_dict() for r in self.by_outcome],
            "by_age": [r.as_dict() for r in self.by_age], "by_gender": [r.as_dict() for r in self.by_gender],
            "by_ethnicity": [r.as_dict() for r in self.by_ethnicity],
            "arrest_rate": self.arrest_rate.as_dict(), "further_action_rate": self.further_action_rate.as_dict(),
            "comparator": {"covered": self.coverage.covered,
                           "total": self.comparator_total.as_dict() if self.comparator_total else None,
                           "arrest_rate": self.comparator_arrest_rate.as_dict() if self.comparator_arrest_rate
                           else None,
                           "coverage": self.coverage.as_dict()},
            "placement": self.placement.as_dict(),
        }


@lru_cache(maxsize=1)
def outcome_groups() -> pd.DataFrame:
    """The reference table of stop-and-search outcomes (``data/reference/stop_search_outcomes.csv``)."""
    text = resources.files("safer").joinpath(OUTCOMES_FILE).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    return pd.DataFrame({"outcome": [r["outcome"] for r in rows], "group": [r["group"] for r in rows],
                         "arrest": [r["arrest"] == "yes" for r in rows],
                         "further_action": [r["further_action"] == "yes" for r in rows]})


def compute_stop_search(scope: Scope) -> StopSearch:
    """Every stop-and-search result for the scope's area and periods."""
    current, previous = scope.current, scope.previous
    searches = scope.warehouse.table("stop_searches")
    in_periods = searches.filter((searches.month >= previous.first) & (searches.month < current.end_exclusive))
    placed = _placed(in_periods, scope)
    grouped = with_outcome_group(placed, ibis.memtable(outcome_groups()))
    area = grouped.filter(grouped.lad_code.isin(list(scope.config.area)))
    placement = _placement(placed, scope)
    coverage = _coverage(placed, scope, current)
    order = list(dict.fromkeys(outcome_groups()["group"]))
    comparator_total = comparator_rate = None
    if coverage.covered:
        force = _main_force(area)
        everything = grouped.filter(grouped.force == force) if force else grouped
        comparator_total = total_change(everything, current, previous)
        comparator_rate = search_rate(everything, "arrest", current, previous, "arrest rate")
    span = Period(previous.first, current.last)
    monthly = monthly_counts(area, span)
    return StopSearch(
        total=total_change(area, current, previous), monthly=monthly, sparse_months=sparse_months(monthly),
        by_object=breakdown(area, "object_of_search", current, previous),
        by_outcome=breakdown(area, "outcome_group", current, previous, order=order),
        by_age=breakdown(area, "age_range", current, previous, order=AGE_ORDER),
        by_gender=breakdown(area, "gender", current, previous),
        by_ethnicity=breakdown(area, "officer_defined_ethnicity", current, previous),
        arrest_rate=search_rate(area, "arrest", current, previous, "arrest rate"),
        further_action_rate=search_rate(area, "further_action", current, previous, "further action rate"),
        comparator_total=comparator_total, comparator_arrest_rate=comparator_rate,
        coverage=coverage, placement=placement, current=current, previous=previous,
    )


def _placed(searches: ibis.Table, scope: Scope) -> ibis.Table:
    """Searches with the ``lsoa_code`` and ``lad_code`` of their point (NULL where it cannot be placed)."""
    points = (searches.filter(searches.longitude.notnull() & searches.latitude.notnull())
              .select("longitude", "latitude").distinct().execute())
    places = place_points(list(points["longitude"]), list(points["latitude"]))
    frame = pd.DataFrame({"pt_longitude": points["longitude"].astype("float64"),
                          "pt_latitude": points["latitude"].astype("float64"),
                          "pt_lsoa": pd.Series([p.lsoa_code if p else None for p in places], dtype="string")})
    lookup = ibis.memtable(frame)
    joined = searches.left_join(lookup, (searches.longitude == lookup.pt_longitude)
                                & (searches.latitude == lookup.pt_latitude))
    joined = joined.mutate(lsoa_code=joined.pt_lsoa).drop("pt_longitude", "pt_latitude", "pt_lsoa")
    geo = scope.geography.select(geo_lsoa=scope.geography.lsoa_code, lad_code=scope.geography.lad_code)
    return joined.left_join(geo, joined.lsoa_code == geo.geo_lsoa).drop("geo_lsoa")


def _placement(placed: ibis.Table, scope: Scope) -> Placement:
    counted = placed.aggregate(
        searches=placed.count(),
        without_point=(placed.longitude.isnull() | placed.latitude.isnull()).cast("int64").sum(),
        outside=(placed.longitude.notnull() & placed.latitude.notnull() & placed.lsoa_code.isnull())
        .cast("int64").sum(),
        in_area=placed.lad_code.isin(list(scope.config.area)).cast("int64").sum(),
    ).execute().fillna(0).iloc[0]
    return Placement(int(counted["searches"]), int(counted["without_point"]), int(counted["outside"]),
                     int(counted["in_area"]))


def _coverage(placed: ibis.Table, scope: Scope, period: Period) -> SearchCoverage:
    shipped = shipped_lsoas()
    rest = [lad for lad in scope.comparator_lads if lad not in set(scope.config.area)]
    geo = scope.geography.filter(scope.geography.lad_code.isin(list(scope.config.area) + rest))
    geo = geo.select("lsoa_code", "lad_code", "lad_name").execute()
    geo = geo[geo["lsoa_code"].isin(shipped)]
    in_period = placed.filter((placed.month >= period.first) & (placed.month < period.end_exclusive)
                              & placed.lsoa_code.notnull())
    touched = set(in_period.select("lsoa_code").distinct().execute()["lsoa_code"])
    shares = {}
    for (lad_code, lad_name), rows in geo.groupby(["lad_code", "lad_name"]):
        shares[lad_code] = (lad_name, sum(code in touched for code in rows["lsoa_code"]) / len(rows))
    area_lsoas = geo[geo["lad_code"].isin(list(scope.config.area))]["lsoa_code"]
    area_share = sum(code in touched for code in area_lsoas) / len(area_lsoas) if len(area_lsoas) else 0.0
    districts = tuple(DistrictShare(lad, shares[lad][0], shares[lad][1]) for lad in sorted(rest) if lad in shares)
    unchecked = sum(1 for lad in rest if lad not in shares)
    return SearchCoverage(area_share, districts, unchecked, DEFAULT_MIN_RATIO)


def _main_force(area: ibis.Table) -> str | None:
    counted = area.group_by("force").aggregate(n=area.count()).order_by(ibis.desc("n")).limit(1).execute()
    return str(counted["force"].iloc[0]) if len(counted) and counted["force"].iloc[0] is not None else None
