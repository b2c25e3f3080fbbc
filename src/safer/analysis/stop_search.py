"""Stop and search: volumes, what was searched for, what happened, and who was searched.

Each breakdown counts searches by one column in the previous and current periods, with the
change and its significance. Outcomes are grouped (the police.uk wording changed over the years,
e.g. "Suspect arrested" and "Arrest") by a reference table passed in with columns ``outcome``,
``group``, ``arrest`` and ``further_action`` (booleans); the arrest rate is arrests as a % of
searches, and the further-action rate counts every outcome other than no further action.

The tables need a ``month`` column (the search's month) and the breakdown columns of the
``stop_searches`` warehouse table.

Example:
    >>> by_object = breakdown(searches, "object_of_search", current, previous)  # doctest: +SKIP
    >>> by_object[0].category, by_object[0].change.current  # doctest: +SKIP
    ('Controlled drugs', 10234)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import ibis

from safer.analysis.change import Change
from safer.analysis.periods import Period
from safer.analysis.significance import Significance, proportion_change

NOT_RECORDED = "Not recorded"
OTHER_OUTCOME = "Other outcome"
SPARSE_SHARE = 0.25


@dataclass(frozen=True)
class CategoryChange:
    category: str
    change: Change
    share_current: float | None  # % of the current period's searches

    def as_dict(self) -> dict[str, object]:
        return {"category": self.category, **self.change.as_dict(), "share_current": self.share_current}


@dataclass(frozen=True)
class MonthCount:
    month: date
    count: int

    def as_dict(self) -> dict[str, object]:
        return {"month": f"{self.month:%Y-%m}", "count": self.count}


@dataclass(frozen=True)
class SearchRate:
    """A share of searches (e.g. ending in arrest) in both periods, with its change and test."""

    name: str
    previous_hits: int
    previous_searches: int
    current_hits: int
    current_searches: int

    @property
    def previous(self) -> float | None:
        return _pct(self.previous_hits, self.previous_searches)

    @property
    def current(self) -> float | None:
        return _pct(self.current_hits, self.current_searches)

    @property
    def change_pp(self) -> float | None:
        if not self.previous_searches or not self.current_searches:
            return None
        return round(100.0 * (self.current_hits / self.current_searches
                              - self.previous_hits / self.previous_searches), 1)

    @property
    def significance(self) -> Significance:
        return proportion_change(self.previous_hits, self.previous_searches, self.current_hits,
                                 self.current_searches)

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "previous_hits": self.previous_hits, "previous_searches": self.previous_searches,
                "current_hits": self.current_hits, "current_searches": self.current_searches,
                "previous": self.previous, "current": self.current, "change_pp": self.change_pp,
                "significance": self.significance.as_dict()}


def with_outcome_group(searches: ibis.Table, groups: ibis.Table) -> ibis.Table:
    """``searches`` with ``outcome_group``, ``arrest`` and ``further_action`` from the reference table.

    A blank outcome is "Not recorded"; an outcome the table does not know is "Other outcome" and
    counts as further action (something other than no further action was recorded).
    """
    ref = groups.select(ref_outcome=groups.outcome, ref_group=groups.group, ref_arrest=groups.arrest,
                        ref_further=groups.further_action)
    joined = searches.left_join(ref, searches.outcome == ref.ref_outcome)
    group = ibis.cases((joined.outcome.isnull(), NOT_RECORDED), else_=joined.ref_group).fill_null(OTHER_OUTCOME)
    return joined.mutate(outcome_group=group, arrest=joined.ref_arrest.fill_null(False),
                         further_action=ibis.ifelse(joined.outcome.isnull(), False,
                                                    joined.ref_further.fill_null(True))
                         ).drop("ref_outcome", "ref_group", "ref_arrest", "ref_further")


def breakdown(searches: ibis.Table, column: str, current: Period, previous: Period,
              order: Sequence[str] | None = None) -> tuple[CategoryChange, ...]:
    """Searches by ``column`` in both periods; blanks are "Not recorded".

    Rows are in ``order`` (categories not in it follow), or most searches in the current period first.
    """
    in_either = searches.filter((searches.month >= previous.first) & (searches.month < current.end_exclusive))
    category = in_either[column].cast("string").fill_null(NOT_RECORDED)
    now = in_either.month >= current.first
    counted = (in_either.mutate(category=category)
               .group_by("category")
               .aggregate(current=now.cast("int64").sum(), previous=(~now).cast("int64").sum())
               .execute())
    total_current = int(counted["current"].sum()) if len(counted) else 0
    rows = [CategoryChange(str(c), Change.between(int(p), int(n)), _pct(int(n), total_current))
            for c, p, n in zip(counted["category"], counted["previous"], counted["current"])]
    if order is not None:
        rank = {name: i for i, name in enumerate(order)}
        rows.sort(key=lambda r: (rank.get(r.category, len(rank)), r.category == NOT_RECORDED, -r.change.current,
                                 r.category))
    else:
        rows.sort(key=lambda r: (r.category == NOT_RECORDED, -r.change.current, r.category))
    return tuple(rows)


def total_change(searches: ibis.Table, current: Period, previous: Period) -> Change:
    """All searches in the previous and current periods."""
    in_either = searches.filter((searches.month >= previous.first) & (searches.month < current.end_exclusive))
    now = in_either.month >= current.first
    counted = in_either.aggregate(current=now.cast("int64").sum(), previous=(~now).cast("int64").sum()).execute()
    return Change.between(int(counted["previous"].fillna(0).iloc[0]), int(counted["current"].fillna(0).iloc[0]))


def monthly_counts(searches: ibis.Table, span: Period) -> tuple[MonthCount, ...]:
    """Searches in every month of ``span`` (months with none included, as 0)."""
    in_span = searches.filter((searches.month >= span.first) & (searches.month < span.end_exclusive))
    counted = in_span.group_by("month").aggregate(n=in_span.count()).execute()
    found = {date(m.year, m.month, 1): int(n) for m, n in zip(counted["month"], counted["n"])}
    return tuple(MonthCount(m, found.get(m, 0)) for m in span.months)


def sparse_months(monthly: Sequence[MonthCount], share: float = SPARSE_SHARE) -> tuple[MonthCount, ...]:
    """Months with fewer searches than ``share`` of the median month: usually a gap in the source
    files (e.g. searches published without map points cannot be placed), not a real fall.

    >>> [m.count for m in sparse_months([MonthCount(date(2018, i, 1), n) for i, n in enumerate([600, 30, 590], 1)])]
    [30]
    """
    counts = sorted(m.count for m in monthly)
    if not counts:
        return ()
    middle = len(counts) // 2
    median = counts[middle] if len(counts) % 2 else (counts[middle - 1] + counts[middle]) / 2
    return tuple(m for m in monthly if m.count < share * median)


def search_rate(searches: ibis.Table, flag: str, current: Period, previous: Period, name: str) -> SearchRate:
    """The share of searches whose boolean column ``flag`` is true, in both periods."""
    in_either = searches.filter((searches.month >= previous.first) & (searches.month < current.end_exclusive))
    now = in_either.month >= current.first
    hit = in_either[flag].fill_null(False)
    counted = in_either.aggregate(
        ph=(hit & ~now).cast("int64").sum(), pn=(~now).cast("int64").sum(),
        ch=(hit & now).cast("int64").sum(), cn=now.cast("int64").sum()).execute().fillna(0).iloc[0]
    return SearchRate(name, int(counted["ph"]), int(counted["pn"]), int(counted["ch"]), int(counted["cn"]))


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None
