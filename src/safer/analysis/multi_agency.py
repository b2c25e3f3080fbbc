"""The multi-agency picture: each partner dataset's volume and change, where it concentrates, who it
involves, and the area's wards side by side across datasets.

Partner records are placed by LSOA where they have one, otherwise by ward, otherwise (aggregate
tables) by the area code they are counted for (:func:`place_records`). Every count is over the
records' ``month`` (the month of the event, or of an aggregate row), so the periods match the
police figures. An aggregate table gives a ``weight`` column (its counts) to sum instead of rows.

The figures are worked out from two small tables of counts per dataset (:func:`partner_counts`
and :func:`area_place_counts`), so a dataset costs two queries whatever its size.

Example:
    >>> las, lookup = wh.table("las_assaults"), wh.table("geo_lsoa")  # doctest: +SKIP
    >>> placed = place_records(las, lookup, lsoa="lsoa_code", ward="ward_code")  # doctest: +SKIP
    >>> places = area_place_counts(placed, ["E09000033"], current)  # doctest: +SKIP
    >>> top_places(places, "ward", 2).top_share  # doctest: +SKIP
    48.2
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import pandas as pd

from safer.analysis.change import Change, ShareOfComparator, percent_of
from safer.analysis.concentration import UnitCount
from safer.analysis.periods import Period

PLACE_COLUMNS = ("place_lsoa", "place_lsoa_name", "place_ward", "place_ward_name", "place_lad")


def place_records(records: ibis.Table, geography: ibis.Table, *, lsoa: str | None = None, ward: str | None = None,
                  area: str | None = None) -> ibis.Table:
    """Add ``place_lsoa``, ``place_lsoa_name``, ``place_ward``, ``place_ward_name`` and ``place_lad``.

    The LSOA (via the lookup) wins over the ward given, which wins over the area code; a record
    none of them places keeps NULLs (it is counted nowhere but never dropped).
    """
    if not (lsoa or ward or area):
        raise ValueError("give the column holding an LSOA code, a ward code or an area code")
    lsoas = geography.select(g_lsoa=geography.lsoa_code, g_lsoa_name=geography.lsoa_name,
                             g_lsoa_ward=geography.ward_code)
    wards = geography.select(g_ward=geography.ward_code, g_ward_name=geography.ward_name,
                             g_ward_lad=geography.lad_code).distinct()
    t = records
    if lsoa:
        t = t.left_join(lsoas, t[lsoa] == lsoas.g_lsoa)
    ward_sources = [t.g_lsoa_ward] if lsoa else []
    ward_sources += [t[c] for c in (ward, area) if c]
    t = t.mutate(place_ward_key=ibis.coalesce(*ward_sources) if len(ward_sources) > 1 else ward_sources[0])
    t = t.left_join(wards, t.place_ward_key == wards.g_ward)
    lad = ibis.coalesce(t.g_ward_lad, t[area]) if area else t.g_ward_lad
    return t.mutate(
        place_lsoa=t.g_lsoa if lsoa else ibis.null().cast("string"),
        place_lsoa_name=t.g_lsoa_name if lsoa else ibis.null().cast("string"),
        place_ward=t.g_ward, place_ward_name=t.g_ward_name, place_lad=lad,
    ).drop(*([c for c in ("g_lsoa", "g_lsoa_name", "g_lsoa_ward") if lsoa] + ["place_ward_key", "g_ward",
                                                                              "g_ward_name", "g_ward_lad"]))


def in_area(placed: ibis.Table, lad_codes: Sequence[str]) -> ibis.Table:
    """Placed records in the given local authorities."""
    return placed.filter(placed.place_lad.isin(list(lad_codes)))


def in_period(records: ibis.Table, period: Period) -> ibis.Table:
    return records.filter((records.month >= period.first) & (records.month < period.end_exclusive))


def _total(records: ibis.Table, weight: str | None) -> ibis.Expr:
    return records[weight].sum() if weight else records.count()


def period_change(records: ibis.Table, current: Period, previous: Period, weight: str | None = None) -> Change:
    """Records (or the sum of ``weight``) in the previous and the current period."""
    both = records.filter((records.month >= previous.first) & (records.month < current.end_exclusive))
    is_current = both.month >= current.first
    value = both[weight] if weight else ibis.literal(1)
    row = both.aggregate(now=(is_current.ifelse(value, 0)).sum(), before=((~is_current).ifelse(value, 0)).sum()
                         ).execute().iloc[0]
    return Change.between(_int(row["before"]), _int(row["now"]))


AREA, REST, ELSEWHERE, UNPLACED = "area", "rest of comparator", "elsewhere", "unplaced"


def partner_counts(placed: ibis.Table, area_lads: Sequence[str], comparator_lads: Sequence[str], current: Period,
                   previous: Period, *, columns: Sequence[str] = (), weight: str | None = None) -> pd.DataFrame:
    """One small table of counts that every figure of a dataset is worked out from.

    Rows: ``where`` (:data:`AREA`, :data:`REST` of the comparator, :data:`ELSEWHERE`, :data:`UNPLACED`),
    ``period`` ("current", "previous" or "other"), the ``columns`` asked for (blank as "Unknown"),
    ``n`` (records, or the sum of ``weight``) and ``synthetic`` (records flagged synthetic).
    """
    t = placed
    area = t.place_lad.isin(list(area_lads))
    rest = t.place_lad.isin([c for c in comparator_lads if c not in set(area_lads)])
    where = (ibis.cases((t.place_lad.isnull(), UNPLACED), (area, AREA), (rest, REST), else_=ELSEWHERE))
    period = ibis.cases(((t.month >= current.first) & (t.month < current.end_exclusive), "current"),
                        ((t.month >= previous.first) & (t.month < previous.end_exclusive), "previous"),
                        else_="other")
    keys = {"where": where, "period": period, **{c: t[c].cast("string").fill_null("Unknown") for c in columns}}
    synthetic = t.synthetic.cast("int64").sum() if "synthetic" in t.columns else ibis.literal(0)
    counted = t.group_by(**keys).aggregate(n=_total(t, weight), records=t.count(), synthetic=synthetic).execute()
    for column in ("n", "records", "synthetic"):
        counted[column] = counted[column].fillna(0).astype("int64")
    return counted


def area_place_counts(placed: ibis.Table, area_lads: Sequence[str], period: Period, *, lsoa: bool = True,
                      weight: str | None = None) -> pd.DataFrame:
    """The area's records in ``period`` by ward (and LSOA): ``place_ward``, ``place_ward_name``,
    ``place_lsoa``, ``place_lsoa_name``, ``n``."""
    t = in_period(in_area(placed, area_lads), period)
    keys = ["place_ward", "place_ward_name"] + (["place_lsoa", "place_lsoa_name"] if lsoa else [])
    counted = t.group_by(keys).aggregate(n=_total(t, weight)).execute()
    counted["n"] = counted["n"].fillna(0).astype("int64")
    return counted


@dataclass(frozen=True)
class Volume(ShareOfComparator):
    """A dataset's volume in the area and its comparator, both periods, and the area's share."""

    area: Change
    comparator: Change | None  # None when the data holds nothing for the rest of the comparator

    def as_dict(self) -> dict[str, object]:
        return {"area": self.area.as_dict(), "comparator": self.comparator.as_dict() if self.comparator else None,
                "share_of_comparator_previous": self.share_previous, "share_of_comparator_current": self.share_current}


def _sum(counts: pd.DataFrame, where: Sequence[str], period: str, **match: str) -> int:
    rows = counts[counts["where"].isin(list(where)) & (counts["period"] == period)]
    for column, value in match.items():
        rows = rows[rows[column] == value]
    return int(rows["n"].sum())


def comparator_covered(counts: pd.DataFrame) -> bool:
    """Whether the rest of the comparator has any records in either period (else only the area's are loaded)."""
    return bool(counts[(counts["where"] == REST) & counts["period"].isin(["current", "previous"])]["n"].sum() > 0)


def volume(counts: pd.DataFrame) -> Volume:
    """The area's change, and the comparator's (area included) when the data covers it (see ``partner_counts``)."""
    area = Change.between(_sum(counts, [AREA], "previous"), _sum(counts, [AREA], "current"))
    comparator = Change.between(_sum(counts, [AREA, REST], "previous"), _sum(counts, [AREA, REST], "current"))
    return Volume(area, comparator if comparator_covered(counts) else None)


@dataclass(frozen=True)
class CategoryChange:
    """One category (injury type, incident type, strand ...) in both periods, area and comparator."""

    category: str
    area: Change
    comparator: Change | None

    def as_dict(self) -> dict[str, object]:
        return {"category": self.category, "area": self.area.as_dict(),
                "comparator": self.comparator.as_dict() if self.comparator else None,
                "share_of_comparator_current": percent_of(self.area.current,
                                                      self.comparator.current if self.comparator else None)}


def category_changes(counts: pd.DataFrame, column: str) -> tuple[CategoryChange, ...]:
    """Each value of ``column``: its change in the area and the comparator, largest now first."""
    covered = comparator_covered(counts)
    relevant = counts[counts["where"].isin([AREA, REST]) & counts["period"].isin(["current", "previous"])]
    rows = []
    for value in sorted(set(relevant[column])):
        area = Change.between(_sum(counts, [AREA], "previous", **{column: value}),
                              _sum(counts, [AREA], "current", **{column: value}))
        comparator = Change.between(_sum(counts, [AREA, REST], "previous", **{column: value}),
                                    _sum(counts, [AREA, REST], "current", **{column: value}))
        rows.append(CategoryChange(str(value), area, comparator if covered else None))
    return tuple(sorted(rows, key=lambda r: (-r.area.current, -r.area.previous, r.category)))


@dataclass(frozen=True)
class Concentration:
    """The places holding most of the area's records, and how much they hold together."""

    places: tuple[UnitCount, ...]  # share: % of the area's records
    total: int  # all the area's records in the period
    places_in_area: int  # how many such places the area has (e.g. 128 LSOAs)

    @property
    def top_count(self) -> int:
        return sum(p.count for p in self.places)

    @property
    def top_share(self) -> float | None:
        return percent_of(self.top_count, self.total)

    def as_dict(self) -> dict[str, object]:
        return {"places": [p.as_dict() for p in self.places], "total": self.total,
                "places_in_area": self.places_in_area, "top_count": self.top_count, "top_share": self.top_share}


def top_places(place_counts: pd.DataFrame, level: str, n: int, *, places_in_area: int = 0) -> Concentration:
    """The ``n`` places (``level`` "ward" or "lsoa") with most records; ties by code (see ``area_place_counts``)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    code, name = f"place_{level}", f"place_{level}_name"
    total = int(place_counts["n"].sum())
    placed = place_counts[place_counts[code].notna()]
    grouped = placed.groupby([code, name], dropna=False)["n"].sum().reset_index()
    grouped = grouped.sort_values(["n", code], ascending=[False, True]).head(n)
    places = tuple(UnitCount(str(c), str(nm), int(k), percent_of(int(k), total) or 0.0)
                   for c, nm, k in zip(grouped[code], grouped[name], grouped["n"]))
    return Concentration(places, total, places_in_area)


@dataclass(frozen=True)
class ProfileRow:
    value: str
    area: int
    comparator: int | None

    def as_dict(self, area_total: int, comparator_total: int | None) -> dict[str, object]:
        return {"value": self.value, "area": self.area, "area_share": percent_of(self.area, area_total),
                "comparator": self.comparator,
                "comparator_share": percent_of(self.comparator, comparator_total) if self.comparator is not None else None}


@dataclass(frozen=True)
class DemographicProfile:
    """Records by one attribute (age band, sex) in the area and its comparator, with shares."""

    attribute: str
    rows: tuple[ProfileRow, ...]
    comparator_covered: bool

    @property
    def area_total(self) -> int:
        return sum(r.area for r in self.rows)

    @property
    def comparator_total(self) -> int | None:
        return sum(r.comparator or 0 for r in self.rows) if self.comparator_covered else None

    def row(self, value: str) -> ProfileRow:
        for row in self.rows:
            if row.value == value:
                return row
        raise KeyError(value)

    def as_dict(self) -> dict[str, object]:
        return {"attribute": self.attribute, "comparator_covered": self.comparator_covered,
                "area_total": self.area_total, "comparator_total": self.comparator_total,
                "rows": [r.as_dict(self.area_total, self.comparator_total) for r in self.rows]}


def demographic_profile(counts: pd.DataFrame, column: str, *, period: str = "current",
                        order: Sequence[str] = ()) -> DemographicProfile:
    """Each value of ``column`` in the area and the comparator (area included) in ``period``; rows in
    ``order`` first, then any other value."""
    covered = comparator_covered(counts)
    present = set(counts[counts["where"].isin([AREA, REST]) & (counts["period"] == period)][column])
    values = [v for v in order if v in present] + sorted(v for v in present if v not in set(order))
    rows = tuple(ProfileRow(v, _sum(counts, [AREA], period, **{column: v}),
                            _sum(counts, [AREA, REST], period, **{column: v}) if covered else None) for v in values)
    return DemographicProfile(column, rows, covered)


@dataclass(frozen=True)
class WardTable:
    """The area's wards side by side across datasets: each dataset's count and share per ward."""

    datasets: tuple[str, ...]
    wards: tuple[tuple[str, str], ...]  # (code, name), highest average share across the datasets first
    counts: tuple[tuple[int, ...], ...]  # one row per ward, one count per dataset
    totals: tuple[int, ...]  # each dataset's area total (records with no ward included)

    def share(self, ward_index: int, dataset_index: int) -> float | None:
        return percent_of(self.counts[ward_index][dataset_index], self.totals[dataset_index])

    def as_dict(self) -> dict[str, object]:
        return {"datasets": list(self.datasets), "totals": list(self.totals),
                "rows": [{"ward_code": code, "ward_name": name, "counts": list(self.counts[i]),
                          "shares": [self.share(i, j) for j in range(len(self.datasets))]}
                         for i, (code, name) in enumerate(self.wards)]}


def ward_table(place_counts: dict[str, pd.DataFrame], wards: Sequence[tuple[str, str]]) -> WardTable:
    """Every ward of the area with each dataset's count (see ``area_place_counts``)."""
    names = tuple(place_counts)
    per_dataset = [place_counts[n].groupby("place_ward")["n"].sum().to_dict() for n in names]
    totals = tuple(int(place_counts[n]["n"].sum()) for n in names)
    def average_share(ward: tuple[str, str]) -> float:
        return sum(d.get(ward[0], 0) / t for d, t in zip(per_dataset, totals) if t) / max(len(names), 1)

    ordered = sorted(wards, key=lambda w: (-average_share(w), w[1]))
    counts = tuple(tuple(int(d.get(code, 0)) for d in per_dataset) for code, _ in ordered)
    return WardTable(names, tuple(ordered), counts, totals)


@dataclass(frozen=True)
class Snapshot:
    """A measure counted at points in time (e.g. a quarter): the latest, and the same point a year before."""

    measure: str
    month: str  # YYYY-MM of the latest point in the period
    area: Change  # previous = a year before the latest point
    comparator: Change | None

    @property
    def category(self) -> str:
        return self.measure

    def as_dict(self) -> dict[str, object]:
        return {"category": self.measure, "month": self.month, "area": self.area.as_dict(),
                "comparator": self.comparator.as_dict() if self.comparator else None,
                "share_of_comparator_current": percent_of(self.area.current,
                                                      self.comparator.current if self.comparator else None)}


def snapshots(area: ibis.Table, comparator: ibis.Table | None, column: str, weight: str, period: Period
              ) -> tuple[Snapshot, ...]:
    """For each measure, its latest point in ``period`` and the point twelve months earlier."""
    def by_month(records: ibis.Table) -> dict[tuple[str, object], int]:
        counted = (records.group_by(key=records[column], month=records.month)
                   .aggregate(n=records[weight].sum()).execute())
        return {(str(k), _first_of_month(m)): _int(n)
                for k, m, n in zip(counted["key"], counted["month"], counted["n"])}

    area_counts = by_month(area)
    comp_counts = by_month(comparator) if comparator is not None else {}
    latest: dict[str, object] = {}
    for key, month in area_counts:
        if period.first <= month < period.end_exclusive and (key not in latest or month > latest[key]):
            latest[key] = month
    out = []
    for key, last_month in latest.items():
        year_before = last_month.replace(year=last_month.year - 1)
        area_change = Change.between(area_counts.get((key, year_before), 0), area_counts.get((key, last_month), 0))
        comp_change = Change.between(comp_counts.get((key, year_before), 0), comp_counts.get((key, last_month), 0))
        comp = comp_change if comp_change.current > area_change.current else None
        out.append(Snapshot(key, f"{last_month:%Y-%m}", area_change, comp))
    return tuple(sorted(out, key=lambda s: s.measure))


@dataclass(frozen=True)
class Rate:
    """A rate (numerator / denominator, %) for one group, in the area and in other areas."""

    group: str
    month: str  # the period (e.g. cohort) it is for, YYYY-MM
    numerator: int
    denominator: int
    previous: float | None  # the area's rate a year earlier
    others: tuple[tuple[str, float | None], ...]  # (area code, rate) for the region and country

    @property
    def rate(self) -> float | None:
        return percent_of(self.numerator, self.denominator)

    def as_dict(self) -> dict[str, object]:
        return {"group": self.group, "month": self.month, "numerator": self.numerator,
                "denominator": self.denominator, "rate": self.rate, "previous_rate": self.previous,
                "others": [{"area_code": code, "rate": rate} for code, rate in self.others]}


def rates(records: ibis.Table, column: str, numerator: str, denominator: str, area_codes: Sequence[str],
          other_codes: Sequence[str], area_column: str) -> tuple[Rate, ...]:
    """For each group: the latest rate of the area (its codes summed), a year earlier, and other areas'."""
    t = records
    latest_month = t.filter(t[area_column].isin(list(area_codes))).month.max().execute()
    if latest_month is None or str(latest_month) in ("NaT", "None"):
        return ()
    latest = _first_of_month(latest_month)
    year_before = latest.replace(year=latest.year - 1)

    def totals(codes: Sequence[str], month) -> dict[str, tuple[int, int]]:
        rows = t.filter(t[area_column].isin(list(codes)) & (t.month == month))
        got = rows.group_by(key=rows[column]).aggregate(num=rows[numerator].sum(), den=rows[denominator].sum()
                                                        ).execute()
        return {str(k): (_int(a), _int(b)) for k, a, b in zip(got["key"], got["num"], got["den"])}

    now, before = totals(area_codes, latest), totals(area_codes, year_before)
    others = {code: totals([code], latest) for code in other_codes}
    out = []
    for group, (num, den) in now.items():
        prev = before.get(group)
        out.append(Rate(group, f"{latest:%Y-%m}", num, den, percent_of(*prev) if prev else None,
                        tuple((code, percent_of(*others[code][group]) if group in others[code] else None)
                              for code in other_codes)))
    return tuple(sorted(out, key=lambda r: r.group))


def _first_of_month(value):
    from datetime import date

    text = str(value)[:10]
    return date(int(text[:4]), int(text[5:7]), 1)



def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
