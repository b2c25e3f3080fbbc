"""Integrated Offender Management: offending before, during and after time on the cohort, and the RAG mix.

As the ID-IOM quarterly report the 2018 assessment used: for each spell of a member who has left
the cohort, three windows are compared:

- **before**: the ``window_months`` (3) before the start date;
- **during**: from the start date to the end date, inclusive;
- **after**: the ``window_months`` after the end date.

For each window: the offences (by offence date), their cost of crime (the offence's own estimated
cost, else the Home Office unit cost of its category; offences with neither are counted and left
uncosted), and the mean interval in days between consecutive offences in the window. Windows are
of different lengths (the seed's "on average 511 days" during), so counts and costs are also given
**per 100 days at liberty**: the window's days less any days in custody that overlap it (when
custody periods are supplied), so time in prison does not pass for reformed behaviour.

The spells compared are those that ended in the year ending ``window_months`` before the period
ends, so that every after-window is complete: for a period July 2017 to June 2018, spells that
ended April 2017 to March 2018 (the seed: "worked with since April 2017 and left before April 2018").

Example:
    >>> impact = iom_before_during_after(spells, offences, current)  # doctest: +SKIP
    >>> [w.offences for w in impact.windows]  # doctest: +SKIP
    [34, 156, 10]
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

import ibis
import pandas as pd

from safer.analysis.periods import Period, add_months

WINDOWS = ("before", "during", "after")
RAG_ORDER = ("Red", "Amber", "Green", "Blue")
UNKNOWN = "Not recorded"


@dataclass(frozen=True)
class WindowTotals:
    """Offending of every compared spell in one window."""

    window: str
    members: int
    members_offending: int
    offences: int
    offences_costed: int
    cost: float
    days_at_liberty: int
    intervals: int  # gaps between consecutive offences within the window
    interval_days: int  # their total length

    @property
    def mean_interval_days(self) -> float | None:
        return round(self.interval_days / self.intervals, 1) if self.intervals else None

    @property
    def offences_per_100_days(self) -> float | None:
        return round(100.0 * self.offences / self.days_at_liberty, 2) if self.days_at_liberty else None

    @property
    def cost_per_100_days(self) -> float | None:
        return round(100.0 * self.cost / self.days_at_liberty, 0) if self.days_at_liberty else None


@dataclass(frozen=True)
class IomImpact:
    period: Period
    window_months: int
    left_from: date  # spells compared ended on or after this date ...
    left_to: date  # ... and on or before this one
    members: int  # spells compared
    windows: tuple[WindowTotals, ...]  # before, during, after
    fewer_after: int  # spells with fewer offences per 100 days at liberty after than before
    more_after: int  # spells with more offences per 100 days at liberty after than before
    custody_known: bool

    def window(self, name: str) -> WindowTotals:
        return self.windows[WINDOWS.index(name)]


def shift_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later (or earlier), clamped to the month's length.

    >>> shift_months(date(2018, 5, 31), -3), shift_months(date(2017, 11, 30), 3)
    (datetime.date(2018, 2, 28), datetime.date(2018, 2, 28))
    """
    first = add_months(date(day.year, day.month, 1), months)
    return date(first.year, first.month, min(day.day, calendar.monthrange(first.year, first.month)[1]))


def iom_before_during_after(spells: ibis.Table, offences: ibis.Table, period: Period, *, window_months: int = 3,
                            custody: ibis.Table | None = None) -> IomImpact:
    """Offending in the windows before, during and after each completed spell on the cohort.

    ``spells``: ``person_id``, ``start_date``, ``end_date``. ``offences``: ``person_id``,
    ``offence_date``, ``cost`` (null when not known). ``custody`` (optional): ``person_id``,
    ``custody_start``, ``custody_end``.
    """
    if window_months < 1:
        raise ValueError("window_months must be at least 1")
    left_from = add_months(period.first, -window_months)
    left_to = add_months(period.end_exclusive, -window_months) - timedelta(days=1)
    s = spells.mutate(start_date=spells.start_date.cast("date"), end_date=spells.end_date.cast("date"))
    chosen = s.filter(s.end_date.notnull() & (s.end_date >= left_from) & (s.end_date <= left_to)
                      & (s.end_date >= s.start_date)).select("person_id", "start_date", "end_date").distinct()
    members = chosen.execute()
    people = chosen.select("person_id").distinct()
    their_offences = offences.join(people, "person_id").select(
        "person_id", offence_date=offences.offence_date.cast("date"), cost=offences.cost).execute()
    custody_rows = None
    if custody is not None:
        custody_rows = custody.join(people, "person_id").select(
            "person_id", custody_start=custody.custody_start.cast("date"),
            custody_end=custody.custody_end.cast("date")).execute()
    return _compare(members, their_offences, custody_rows, period, window_months, left_from, left_to)


def _compare(members, offences, custody, period: Period, window_months: int, left_from: date,
             left_to: date) -> IomImpact:
    by_person: dict[str, list[tuple[date, float | None]]] = defaultdict(list)
    for person, day, cost in zip(offences["person_id"], offences["offence_date"], offences["cost"]):
        by_person[str(person)].append((_as_date(day), None if _missing(cost) else float(cost)))
    held: dict[str, list[tuple[date, date]]] = defaultdict(list)
    if custody is not None:
        for person, first, last in zip(custody["person_id"], custody["custody_start"], custody["custody_end"]):
            held[str(person)].append((_as_date(first), None if _missing(last) else _as_date(last)))
    totals = {w: defaultdict(float) for w in WINDOWS}
    fewer = more = 0
    for person, start, end in zip(members["person_id"], members["start_date"], members["end_date"]):
        person, start, end = str(person), _as_date(start), _as_date(end)
        spans = {"before": (shift_months(start, -window_months), start - timedelta(days=1)),
                 "during": (start, end), "after": (end + timedelta(days=1), shift_months(end, window_months))}
        rates = {}
        for window, (first, last) in spans.items():
            days = (last - first).days + 1 - _custody_days(held.get(person, []), first, last)
            dates = sorted(d for d, _ in by_person.get(person, []) if first <= d <= last)
            costs = [c for d, c in by_person.get(person, []) if first <= d <= last and c is not None]
            gaps = [(b - a).days for a, b in pairwise(dates)]
            t = totals[window]
            t["members"] += 1
            t["members_offending"] += bool(dates)
            t["offences"] += len(dates)
            t["offences_costed"] += len(costs)
            t["cost"] += sum(costs)
            t["days"] += max(days, 0)
            t["intervals"] += len(gaps)
            t["interval_days"] += sum(gaps)
            rates[window] = len(dates) / days if days > 0 else None
        if rates["before"] is not None and rates["after"] is not None:
            fewer += rates["after"] < rates["before"]
            more += rates["after"] > rates["before"]
    windows = tuple(WindowTotals(window=w, members=int(t["members"]), members_offending=int(t["members_offending"]),
                                 offences=int(t["offences"]), offences_costed=int(t["offences_costed"]),
                                 cost=round(t["cost"], 2), days_at_liberty=int(t["days"]),
                                 intervals=int(t["intervals"]), interval_days=int(t["interval_days"]))
                    for w, t in totals.items())
    return IomImpact(period=period, window_months=window_months, left_from=left_from, left_to=left_to,
                     members=len(members), windows=windows, fewer_after=int(fewer), more_after=int(more),
                     custody_known=custody is not None)


def _custody_days(periods: list[tuple[date, date | None]], first: date, last: date) -> int:
    """Days from ``first`` to ``last`` spent in custody (a custody period still open runs to the window's end)."""
    covered: set[date] = set()
    for start, end in periods:
        lo, hi = max(start, first), min(end or last, last)
        day = lo
        while day <= hi:
            covered.add(day)
            day += timedelta(days=1)
    return len(covered)


def _missing(value) -> bool:
    """None, NaN or NaT, as pandas gives a missing value."""
    return value is None or bool(pd.isna(value))


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def rag_mix(spells: ibis.Table, on: date) -> dict[str, int]:
    """People on the cohort on ``on`` by their RAG status (``spells``: person_id, start_date, end_date, rag)."""
    s = spells.mutate(start_date=spells.start_date.cast("date"), end_date=spells.end_date.cast("date"))
    day = ibis.literal(on)
    current = s.filter((s.start_date <= day) & (s.end_date.isnull() | (s.end_date >= day)))
    latest = ibis.window(group_by="person_id", order_by=[ibis.desc(current.start_date)])
    current = current.mutate(n=ibis.row_number().over(latest)).filter(lambda t: t.n == 0)
    counted = current.group_by("rag").aggregate(n=current.count()).execute()
    found = {(UNKNOWN if _missing(r) else str(r)): int(n) for r, n in zip(counted["rag"], counted["n"])}
    return {status: found.get(status, 0) for status in (*RAG_ORDER, *sorted(set(found) - set(RAG_ORDER)))}
