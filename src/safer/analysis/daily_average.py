"""Average records per day in each period, and the difference ("N more crimes a day").

Example:
    >>> avg = daily_averages(crime, [current, previous, two_years_ago])  # doctest: +SKIP
    >>> round(avg.difference_per_day)  # doctest: +SKIP
    14
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis

from safer.analysis.periods import Period


@dataclass(frozen=True)
class PeriodAverage:
    period: Period
    count: int
    per_day: float

    def as_dict(self) -> dict[str, object]:
        return {**self.period.as_dict(), "count": self.count, "per_day": round(self.per_day, 2)}


@dataclass(frozen=True)
class DailyAverages:
    """Per-day averages, most recent period first."""

    periods: tuple[PeriodAverage, ...]

    @property
    def current(self) -> PeriodAverage:
        return self.periods[0]

    @property
    def previous(self) -> PeriodAverage:
        return self.periods[1]

    @property
    def difference_per_day(self) -> float:
        """Current minus previous, in records per day."""
        return self.current.per_day - self.previous.per_day

    def as_dict(self) -> dict[str, object]:
        return {"periods": [p.as_dict() for p in self.periods],
                "difference_per_day": round(self.difference_per_day, 2)}


def daily_averages(records: ibis.Table, periods: Sequence[Period]) -> DailyAverages:
    """Count and per-day average in each period (at least two, most recent first)."""
    if len(periods) < 2:
        raise ValueError("give at least the current and previous periods")
    first = min(p.first for p in periods)
    end = max(p.end_exclusive for p in periods)
    window = records.filter((records.month >= first) & (records.month < end))
    counted = window.group_by("month").aggregate(n=window.count()).execute()
    by_month = {str(m)[:7]: int(n) for m, n in zip(counted["month"], counted["n"])}
    averages = []
    for period in periods:
        count = sum(by_month.get(f"{m:%Y-%m}", 0) for m in period.months)
        averages.append(PeriodAverage(period, count, count / period.days))
    return DailyAverages(tuple(averages))
