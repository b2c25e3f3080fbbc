"""Crime by ward: each ward's counts by crime type in both periods, its rank, and its busiest LSOAs.

Every ward of the area appears, with zeros where it had no crime. A ward's rank in the
comparator (e.g. "the highest-volume ward in the force") is given only for crime types the
loaded data covers across the comparator (see ``safer.analysis.coverage``); elsewhere
the comparator's figures would be a fringe of records and the rank would mislead.

Ranks count from 1 (the most crime); tied wards share the better rank.

Example:
    >>> table = ward_table(area, comparator, area_lsoas, comparator_lsoas, current, previous,
    ...                    covered={"Burglary"})  # doctest: +SKIP
    >>> table.rows[0].name, table.rows[0].rank_in_area  # doctest: +SKIP
    ('West End', 1)
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import ibis

from safer.analysis.change import Change
from safer.analysis.periods import Period

TOTAL = "Total"
DEFAULT_TOP_LSOAS = 3


@dataclass(frozen=True)
class TypeCount:
    crime_type: str
    change: Change

    def as_dict(self) -> dict[str, object]:
        return {"crime_type": self.crime_type, **self.change.as_dict()}


@dataclass(frozen=True)
class LsoaShare:
    code: str
    name: str
    count: int
    share: float  # % of the ward's crime in the current period

    def as_dict(self) -> dict[str, object]:
        return {"lsoa_code": self.code, "lsoa_name": self.name, "count": self.count, "share": self.share}


@dataclass(frozen=True)
class ComparatorRank:
    crime_type: str
    rank: int
    of: int  # wards in the comparator
    count: int

    def as_dict(self) -> dict[str, object]:
        return {"crime_type": self.crime_type, "rank": self.rank, "of": self.of, "count": self.count}


@dataclass(frozen=True)
class WardRow:
    code: str
    name: str
    total: Change
    by_type: tuple[TypeCount, ...]
    rank_in_area: int
    share_of_area: float  # % of the area's crime, current period
    lsoas: int
    lsoas_for_half: int | None  # fewest LSOAs holding half the ward's crime
    top_lsoas: tuple[LsoaShare, ...]
    comparator_ranks: tuple[ComparatorRank, ...]

    def count(self, crime_type: str) -> Change:
        for row in self.by_type:
            if row.crime_type == crime_type:
                return row.change
        return Change.between(0, 0)

    def as_dict(self) -> dict[str, object]:
        return {"ward_code": self.code, "ward_name": self.name, "total": self.total.as_dict(),
                "rank_in_area": self.rank_in_area, "share_of_area": self.share_of_area,
                "by_type": [t.as_dict() for t in self.by_type], "lsoas": self.lsoas,
                "lsoas_for_half": self.lsoas_for_half, "top_lsoas": [s.as_dict() for s in self.top_lsoas],
                "comparator_ranks": [r.as_dict() for r in self.comparator_ranks]}


@dataclass(frozen=True)
class LeadingWard:
    code: str
    name: str
    lad_name: str
    count: int
    in_area: bool

    def as_dict(self) -> dict[str, object]:
        return {"ward_code": self.code, "ward_name": self.name, "lad_name": self.lad_name, "count": self.count,
                "in_area": self.in_area}


@dataclass(frozen=True)
class ComparatorLeaders:
    """The comparator's highest-volume wards for one crime type (current period)."""

    crime_type: str
    wards: tuple[LeadingWard, ...]
    of: int

    def as_dict(self) -> dict[str, object]:
        return {"crime_type": self.crime_type, "of": self.of, "wards": [w.as_dict() for w in self.wards]}


@dataclass(frozen=True)
class WardTable:
    current: Period
    previous: Period
    crime_types: tuple[str, ...]
    rows: tuple[WardRow, ...]  # busiest ward first
    total: Change
    ranked_types: tuple[str, ...]  # types (and "Total") ranked across the comparator
    leaders: tuple[ComparatorLeaders, ...]

    def row(self, code: str) -> WardRow:
        for row in self.rows:
            if row.code == code:
                return row
        raise KeyError(code)

    def as_dict(self) -> dict[str, object]:
        return {"current": self.current.as_dict(), "previous": self.previous.as_dict(),
                "crime_types": list(self.crime_types), "wards": len(self.rows),
                "rows": [r.as_dict() for r in self.rows], "total": self.total.as_dict(),
                "comparator_ranked_types": list(self.ranked_types),
                "comparator_leaders": [lead.as_dict() for lead in self.leaders]}


def ward_table(area: ibis.Table, comparator: ibis.Table, area_lsoas: ibis.Table, comparator_lsoas: ibis.Table,
               current: Period, previous: Period, *, covered: Collection[str],
               top_lsoas: int = DEFAULT_TOP_LSOAS) -> WardTable:
    """Ward rows for the area's crime ``area`` (with ``ward_code`` and ``lsoa_code`` columns).

    ``area_lsoas`` and ``comparator_lsoas`` are the geography rows (``lsoa_code``, ``lsoa_name``,
    ``ward_code``, ``ward_name``, ``lad_name``) of the area and of the comparator;
    ``covered`` names the crime types whose comparator figures the data supports.
    """
    if top_lsoas < 1:
        raise ValueError(f"top_lsoas must be at least 1; got {top_lsoas}")
    wards = _wards(area_lsoas)
    counts = _ward_type_counts(area, current, previous)
    crime_types = tuple(sorted({t for (_, t) in counts}))
    lsoa_counts = _lsoa_counts(area, current)
    lsoa_names, lsoas_per_ward = _lsoas(area_lsoas)

    totals = {code: Change.between(sum(counts.get((code, t), (0, 0))[0] for t in crime_types),
                                   sum(counts.get((code, t), (0, 0))[1] for t in crime_types)) for code in wards}
    area_current = sum(t.current for t in totals.values())
    ranks = _ranks({code: totals[code].current for code in wards})
    ranked_types = tuple(t for t in crime_types if t in set(covered))
    if crime_types and len(ranked_types) == len(crime_types):
        ranked_types = (*ranked_types, TOTAL)
    comparator_counts = _comparator_counts(comparator, current, ranked_types)
    comparator_wards = _wards(comparator_lsoas)
    comparator_ranks = {t: _ranks({code: comparator_counts[t].get(code, 0) for code in comparator_wards})
                        for t in ranked_types}

    rows = []
    for code in sorted(wards, key=lambda c: (ranks[c], wards[c])):
        in_ward = sorted(((lsoa, n) for (ward, lsoa), n in lsoa_counts.items() if ward == code),
                         key=lambda item: (-item[1], item[0]))
        ward_current = totals[code].current
        rows.append(WardRow(
            code=code, name=wards[code], total=totals[code],
            by_type=tuple(TypeCount(t, Change.between(*counts.get((code, t), (0, 0)))) for t in crime_types),
            rank_in_area=ranks[code], share_of_area=_pct(ward_current, area_current),
            lsoas=lsoas_per_ward.get(code, 0), lsoas_for_half=_holding_half([n for _, n in in_ward]),
            top_lsoas=tuple(LsoaShare(lsoa, lsoa_names.get(lsoa, lsoa), n, _pct(n, ward_current))
                            for lsoa, n in in_ward[:top_lsoas]),
            comparator_ranks=tuple(ComparatorRank(t, comparator_ranks[t][code], len(comparator_wards),
                                                  comparator_counts[t].get(code, 0))
                                   for t in ranked_types if code in comparator_ranks[t]),
        ))
    leaders = tuple(_leaders(t, comparator_counts[t], comparator_wards, comparator_lsoas, set(wards))
                    for t in ranked_types)
    total = Change.between(sum(t.previous for t in totals.values()), area_current)
    return WardTable(current=current, previous=previous, crime_types=crime_types, rows=tuple(rows), total=total,
                     ranked_types=ranked_types, leaders=leaders)


def _wards(lsoas: ibis.Table) -> dict[str, str]:
    frame = lsoas.select("ward_code", "ward_name").distinct().execute()
    return {str(c): str(n) for c, n in zip(frame["ward_code"], frame["ward_name"]) if c is not None}


def _lsoas(lsoas: ibis.Table) -> tuple[dict[str, str], dict[str, int]]:
    frame = lsoas.select("lsoa_code", "lsoa_name", "ward_code").execute()
    per_ward = frame.groupby("ward_code")["lsoa_code"].nunique().to_dict()
    return dict(zip(frame["lsoa_code"], frame["lsoa_name"])), {str(k): int(v) for k, v in per_ward.items()}


def _in_periods(records: ibis.Table, current: Period, previous: Period) -> ibis.Table:
    return records.filter((records.month >= previous.first) & (records.month < current.end_exclusive))


def _ward_type_counts(records: ibis.Table, current: Period, previous: Period) -> dict[tuple[str, str], tuple[int, int]]:
    both = _in_periods(records, current, previous)
    is_current = both.month >= current.first
    counted = (both.group_by(["ward_code", "crime_type"])
               .aggregate(previous=(~is_current).cast("int64").sum(), current=is_current.cast("int64").sum())
               .execute())
    return {(str(w), str(t)): (int(p), int(c))
            for w, t, p, c in zip(counted["ward_code"], counted["crime_type"], counted["previous"],
                                  counted["current"])}


def _lsoa_counts(records: ibis.Table, current: Period) -> dict[tuple[str, str], int]:
    now = records.filter((records.month >= current.first) & (records.month < current.end_exclusive))
    counted = now.group_by(["ward_code", "lsoa_code"]).aggregate(n=now.count()).execute()
    return {(str(w), str(lsoa)): int(n) for w, lsoa, n in zip(counted["ward_code"], counted["lsoa_code"],
                                                             counted["n"])}


def _comparator_counts(records: ibis.Table, current: Period, types: tuple[str, ...]) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = {t: {} for t in types}
    if not types:
        return result
    now = records.filter((records.month >= current.first) & (records.month < current.end_exclusive)
                         & records.ward_code.notnull())
    counted = now.group_by(["ward_code", "crime_type"]).aggregate(n=now.count()).execute()
    for ward, crime_type, n in zip(counted["ward_code"], counted["crime_type"], counted["n"]):
        if crime_type in result:
            result[crime_type][str(ward)] = int(n)
        if TOTAL in result:
            result[TOTAL][str(ward)] = result[TOTAL].get(str(ward), 0) + int(n)
    return result


def _leaders(crime_type: str, counts: dict[str, int], wards: dict[str, str], lsoas: ibis.Table,
             in_area: set[str], top: int = 3) -> ComparatorLeaders:
    frame = lsoas.select("ward_code", "lad_name").distinct().execute()
    lad = dict(zip(frame["ward_code"], frame["lad_name"]))
    best = sorted(counts, key=lambda code: (-counts[code], code))[:top]
    return ComparatorLeaders(crime_type, tuple(LeadingWard(code, wards.get(code, code), str(lad.get(code, "")),
                                                           counts[code], code in in_area) for code in best),
                             of=len(wards))


def _ranks(values: dict[str, float]) -> dict[str, int]:
    """Competition ranks (1 = largest; ties share the better rank)."""
    ordered = sorted(values.values(), reverse=True)
    first = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {code: first[value] for code, value in values.items()}


def _holding_half(counts: list[int]) -> int | None:
    total = sum(counts)
    if total == 0:
        return None
    running = 0
    for position, n in enumerate(sorted(counts, reverse=True), start=1):
        running += n
        if 2 * running >= total:
            return position
    return len(counts)


def _pct(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0
