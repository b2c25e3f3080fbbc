"""Monthly counts, the monthly daily average and its moving average.

The monthly daily average (count / days in the month) takes out the effect of
months having different lengths; the moving daily average over ``window`` months
(total count / total days over the window) gives the trend line.

Example:
    >>> trend = monthly_trend(crime, first=date(2016, 7, 1), last=date(2018, 6, 1))  # doctest: +SKIP
    >>> trend.points[-1].moving_daily_average  # doctest: +SKIP
    150.2
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis

from safer.analysis.periods import Period, days_in_month


@dataclass(frozen=True)
class MonthlyPoint:
    month: date
    count: int
    days: int
    daily_average: float
    moving_daily_average: float | None  # None until ``window`` months of data are available

    def as_dict(self) -> dict[str, object]:
        return {"month": f"{self.month:%Y-%m}", "count": self.count, "days": self.days,
                "daily_average": round(self.daily_average, 3),
                "moving_daily_average": None if self.moving_daily_average is None
                else round(self.moving_daily_average, 3)}


@dataclass(frozen=True)
class MonthlyTrend:
    """One series (e.g. crime excluding ASB) month by month."""

    series: str
    window_months: int
    points: tuple[MonthlyPoint, ...]

    def as_dict(self) -> dict[str, object]:
        return {"series": self.series, "window_months": self.window_months,
                "points": [p.as_dict() for p in self.points]}


def monthly_counts(records: ibis.Table, span: Period) -> dict[date, int]:
    """Number of records in each month of ``span``; months with none count 0."""
    in_span = records.filter((records.month >= span.first) & (records.month < span.end_exclusive))
    counted = in_span.group_by("month").aggregate(count=in_span.count()).execute()
    by_month = {_as_date(m): int(c) for m, c in zip(counted["month"], counted["count"])}
    return {m: by_month.get(m, 0) for m in span.months}


def monthly_trend(records: ibis.Table, span: Period, *, series: str, window_months: int = 12) -> MonthlyTrend:
    """Counts, monthly daily average and moving daily average for every month of ``span``."""
    if window_months < 1:
        raise ValueError("window_months must be at least 1")
    counts = monthly_counts(records, span)
    months = list(counts)
    points = []
    for i, month in enumerate(months):
        days = days_in_month(month)
        moving = None
        if i + 1 >= window_months:
            window = months[i + 1 - window_months:i + 1]
            moving = sum(counts[m] for m in window) / sum(days_in_month(m) for m in window)
        points.append(MonthlyPoint(month, counts[month], days, counts[month] / days, moving))
    return MonthlyTrend(series=series, window_months=window_months, points=tuple(points))


def _as_date(value) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    return value.date() if hasattr(value, "date") else date.fromisoformat(str(value)[:10])
