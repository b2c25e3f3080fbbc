"""Police category tables: the period table by category and police.uk type, and the flagged-crime tables.

A category table (``category_counts``: area, period_start, period_end, category_key, count; see
``safer.sources.category_counts``) gives counts rather than records. A period's count is the sum
of the rows lying wholly inside it, and only when the rows cover every month of the period and
none straddles its edges; otherwise the period is not covered and nothing is guessed.

From those counts come the same results as from records:

- per-type counts give the overview's period table through
  ``safer.analysis.comparison.comparison_from_counts``, the same function that builds it from records;
- :func:`category_table` gives the force's own categories (major and minor) with their totals;
- :func:`flag_table` gives flagged crime (hate crime and its strands, domestic abuse, knife and gun
  crime, youth violence). Flags overlap the offence categories and each other, so they have no
  total row and are never added to other counts; hate crime strands are never added together.

Example:
    >>> counts = period_counts(wh.table("category_counts"), ["E09000033"], current)  # doctest: +SKIP
    >>> counts["burglary|burglary residential"]  # doctest: +SKIP
    1723
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import ibis

from safer.analysis.change import Change, ShareOfComparator
from safer.analysis.periods import Period, add_months


@dataclass(frozen=True)
class PeriodCounts:
    """Counts by category key for some areas over one period, or why the period is not covered."""

    period: Period
    counts: dict[str, int] | None  # None when the rows do not cover the period exactly
    labels: dict[str, tuple[str, str]]  # category key -> (major, minor) as written in the table
    reason: str | None = None

    @property
    def covered(self) -> bool:
        return self.counts is not None


def period_counts(counts: ibis.Table, area_codes: Sequence[str], period: Period) -> PeriodCounts:
    """Sum of the rows of ``area_codes`` lying wholly inside ``period``, by category key.

    Every area code must have rows covering every month of the period, and no row may start
    before the period and end inside it (or the reverse): such a row cannot be split by month.
    """
    rows = counts.filter(counts.area.isin(list(area_codes)))
    spans = rows.select("area", "period_start", "period_end").distinct().execute()
    by_area: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for area, first, last in zip(spans["area"], spans["period_start"], spans["period_end"]):
        by_area[str(area)].append((_month(first), _month(last)))
    reason = _coverage_problem(area_codes, by_area, period)
    if reason:
        return PeriodCounts(period, None, {}, reason)
    inside = rows.filter((rows.period_start >= period.first) & (rows.period_end <= period.last))
    summed = (inside.group_by("category_key")
              .aggregate(count=inside["count"].sum(), major=inside.major_category.min(),
                         minor=inside.minor_category.min())
              .execute())
    return PeriodCounts(
        period,
        {str(k): int(n) for k, n in zip(summed["category_key"], summed["count"])},
        {str(k): (str(a), "" if b is None or str(b) in ("None", "nan") else str(b))
         for k, a, b in zip(summed["category_key"], summed["major"], summed["minor"])},
    )


def overlapping_rows(counts: ibis.Table) -> list[tuple[str, str, str, str]]:
    """Rows loaded from different files that count the same area and category over overlapping months.

    Returns (area, category key, first file and line, second file and line) for each clash, so the
    assessment can refuse to add them up. Within one file this is refused at load time.
    """
    a = counts.select(a_area=counts.area, a_key=counts.category_key, a_first=counts.period_start,
                      a_last=counts.period_end, a_file=counts.source_file, a_line=counts.source_line,
                      a_id=counts.record_key)
    b = counts.select(b_area=counts.area, b_key=counts.category_key, b_first=counts.period_start,
                      b_last=counts.period_end, b_file=counts.source_file, b_line=counts.source_line,
                      b_id=counts.record_key)
    pairs = a.join(b, [a.a_area == b.b_area, a.a_key == b.b_key, a.a_first <= b.b_last, b.b_first <= a.a_last,
                       a.a_id < b.b_id])
    found = pairs.select("a_area", "a_key", "a_file", "a_line", "b_file", "b_line").limit(20).execute()
    return [(str(r.a_area), str(r.a_key), f"{r.a_file} line {r.a_line}", f"{r.b_file} line {r.b_line}")
            for r in found.itertuples(index=False)]


def by_group(previous: PeriodCounts, current: PeriodCounts, group_of: Mapping[str, str | None]
             ) -> dict[str, tuple[int, int]]:
    """``{group: (previous, current)}``: category counts added up by ``group_of[key]`` (None: left out)."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i, counts in enumerate((previous.counts or {}, current.counts or {})):
        for key, n in counts.items():
            group = group_of.get(key)
            if group:
                out[group][i] += n
    return {g: (p, c) for g, (p, c) in out.items()}


@dataclass(frozen=True)
class CategoryRow:
    major: str
    minor: str
    crime_type: str | None  # the police.uk crime type it belongs to
    area: Change
    comparator: Change | None

    def as_dict(self) -> dict[str, object]:
        return {"major": self.major, "minor": self.minor, "police_uk_crime_type": self.crime_type,
                "area": self.area.as_dict(), "comparator": self.comparator.as_dict() if self.comparator else None}


@dataclass(frozen=True)
class CategoryGroup:
    major: str
    rows: tuple[CategoryRow, ...]
    total: CategoryRow

    def as_dict(self) -> dict[str, object]:
        return {"major": self.major, "rows": [r.as_dict() for r in self.rows], "total": self.total.as_dict()}


@dataclass(frozen=True)
class CategoryTable:
    current: Period
    previous: Period
    groups: tuple[CategoryGroup, ...]
    total: CategoryRow

    def as_dict(self) -> dict[str, object]:
        return {"current": self.current.as_dict(), "previous": self.previous.as_dict(),
                "groups": [g.as_dict() for g in self.groups], "total": self.total.as_dict()}


def category_table(area: tuple[PeriodCounts, PeriodCounts], comparator: tuple[PeriodCounts, PeriodCounts] | None,
                   offence_keys: Collection[str], crime_type_of: Mapping[str, str | None]) -> CategoryTable:
    """The force's categories grouped by major category, each with its total, and the grand total.

    ``area`` and ``comparator`` are (previous, current) counts; only ``offence_keys`` (not flags,
    not anti-social behaviour) are shown and added up.
    """
    previous, current = area
    keys = sorted(k for k in set(previous.counts or {}) | set(current.counts or {}) if k in offence_keys)
    labels = {**previous.labels, **current.labels}
    grouped: dict[str, list[CategoryRow]] = defaultdict(list)
    majors: dict[str, str] = {}
    for key in keys:
        major_key = key.split("|", 1)[0]
        major, minor = labels[key]
        majors.setdefault(major_key, major)
        grouped[major_key].append(CategoryRow(
            major, minor or major, crime_type_of.get(key), _change(area, key),
            _change(comparator, key) if comparator else None))
    groups = []
    for major_key in sorted(grouped, key=lambda m: majors[m].lower()):
        rows = tuple(grouped[major_key])
        groups.append(CategoryGroup(majors[major_key], rows,
                                    _sum_rows(majors[major_key], f"{majors[major_key]} total", rows, comparator)))
    every = tuple(r for g in groups for r in g.rows)
    return CategoryTable(current.period, previous.period, tuple(groups), _sum_rows("Total", "Total", every, comparator))


@dataclass(frozen=True)
class FlagRow(ShareOfComparator):
    flag: str
    kind: str  # "hate crime", "hate crime strand" or "other"
    note: str
    area: Change
    comparator: Change | None

    def as_dict(self) -> dict[str, object]:
        return {"flag": self.flag, "kind": self.kind, "note": self.note, "area": self.area.as_dict(),
                "comparator": self.comparator.as_dict() if self.comparator else None,
                "share_of_comparator_previous": self.share_previous,
                "share_of_comparator_current": self.share_current}


def flag_table(area: tuple[PeriodCounts, PeriodCounts], comparator: tuple[PeriodCounts, PeriodCounts] | None,
               flag_of: Mapping[str, str], flags: Sequence[tuple[str, str, str]]) -> tuple[FlagRow, ...]:
    """One row per flag present, in the order of ``flags`` ((name, kind, note)); never a total.

    ``flag_of`` maps category keys (a flag's name and its aliases) to the flag's name; aliases of
    one flag are the same rows written differently, so their counts are added.
    """
    area_counts = by_group(*area, flag_of)
    comp_counts = by_group(*comparator, flag_of) if comparator else {}
    rows = []
    for name, kind, note in flags:
        if name not in area_counts and name not in comp_counts:
            continue
        comp = Change.between(*comp_counts.get(name, (0, 0))) if comparator else None
        rows.append(FlagRow(name, kind, note, Change.between(*area_counts.get(name, (0, 0))), comp))
    return tuple(rows)


def _change(pair: tuple[PeriodCounts, PeriodCounts], key: str) -> Change:
    previous, current = pair
    return Change.between((previous.counts or {}).get(key, 0), (current.counts or {}).get(key, 0))


def _sum_rows(major: str, label: str, rows: Sequence[CategoryRow], comparator) -> CategoryRow:
    area = Change.between(sum(r.area.previous for r in rows), sum(r.area.current for r in rows))
    comp = None
    if comparator:
        comp = Change.between(sum(r.comparator.previous for r in rows), sum(r.comparator.current for r in rows))
    return CategoryRow(major, label, None, area, comp)


def _coverage_problem(area_codes: Sequence[str], by_area: Mapping[str, list[tuple[date, date]]],
                      period: Period) -> str | None:
    for code in area_codes:
        spans = by_area.get(code)
        if not spans:
            return f"the category table has no rows for {code}"
        covered: set[date] = set()
        for first, last in spans:
            if first < period.first <= last or first <= period.last < last:
                return (f"a row for {code} runs from {first:%Y-%m} to {last:%Y-%m}, across the edge of "
                        f"{period.label}, so it cannot be counted in it")
            month = first
            while month <= last:
                covered.add(month)
                month = add_months(month, 1)
        missing = [m for m in period.months if m not in covered]
        if missing:
            return (f"the category table for {code} does not cover {missing[0]:%B %Y}"
                    + (f" and {len(missing) - 1} more month(s)" if len(missing) > 1 else "")
                    + f" of {period.label}")
    return None


def _month(value) -> date:
    return date(value.year, value.month, 1)

