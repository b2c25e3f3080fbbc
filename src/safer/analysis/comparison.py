"""Current period against the previous one, by crime type, for the area and its comparator.

Example:
    >>> table = period_comparison(area, comparator, current, previous, covered={"Burglary"})  # doctest: +SKIP
    >>> table.total.area.pct_change  # doctest: +SKIP
    9.2
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import ibis

from safer.analysis.change import Change, RowsByCrimeType, ShareOfComparator
from safer.analysis.periods import Period

TOTAL = "Total"


@dataclass(frozen=True)
class TypeComparison(ShareOfComparator):
    """One row of the period table."""

    crime_type: str
    area: Change
    comparator: Change | None  # None when the data does not cover the comparator for this type

    def as_dict(self) -> dict[str, object]:
        return {"crime_type": self.crime_type, "area": self.area.as_dict(),
                "comparator": self.comparator.as_dict() if self.comparator else None,
                "comparator_covered": self.comparator is not None,
                "share_of_comparator_previous": self.share_previous,
                "share_of_comparator_current": self.share_current}


@dataclass(frozen=True)
class PeriodComparison(RowsByCrimeType):
    current: Period
    previous: Period
    rows: tuple[TypeComparison, ...]
    total: TypeComparison


def counts_by_period(records: ibis.Table, current: Period, previous: Period, by: str = "crime_type"
                     ) -> dict[str, tuple[int, int]]:
    """``{group: (previous count, current count)}`` for records in either period."""
    in_either = records.filter((records.month >= previous.first) & (records.month < current.end_exclusive))
    is_current = in_either.month >= current.first
    counted = (in_either.group_by(by)
               .aggregate(current=is_current.cast("int64").sum(), previous=(~is_current).cast("int64").sum())
               .execute())
    return {group: (int(p), int(c)) for group, p, c in zip(counted[by], counted["previous"], counted["current"])}


def period_comparison(area: ibis.Table, comparator: ibis.Table, current: Period, previous: Period, *,
                      covered: Collection[str]) -> PeriodComparison:
    """Counts by crime type in both periods, with the comparator where ``covered`` names the type.

    The total row has a comparator only when every crime type in the table is covered.
    """
    return comparison_from_counts(counts_by_period(area, current, previous),
                                  counts_by_period(comparator, current, previous), current, previous, covered=covered)


def comparison_from_counts(area: Mapping[str, tuple[int, int]], comparator: Mapping[str, tuple[int, int]],
                           current: Period, previous: Period, *, covered: Collection[str]) -> PeriodComparison:
    """The overview's period table from ``{crime type: (previous, current)}`` counts.

    One row per type in the area (and per covered type in the comparator), the comparator only where
    ``covered`` names the type, and a comparator total only when every row is covered.
    """
    rows = []
    for crime_type in sorted(set(area) | {t for t in comparator if t in covered}):
        prev, cur = area.get(crime_type, (0, 0))
        comp = Change.between(*comparator.get(crime_type, (0, 0))) if crime_type in covered else None
        rows.append(TypeComparison(crime_type, Change.between(prev, cur), comp))
    total_area = Change.between(sum(r.area.previous for r in rows), sum(r.area.current for r in rows))
    all_covered = bool(rows) and all(r.comparator is not None for r in rows)
    total_comp = None
    if all_covered:
        total_comp = Change.between(sum(r.comparator.previous for r in rows), sum(r.comparator.current for r in rows))
    return PeriodComparison(current, previous, tuple(rows), TypeComparison(TOTAL, total_area, total_comp))

