"""Peak and lowest calendar months, averaged over every year in the data.

Example:
    >>> seasonal_extremes(trend).peak[0].month_name  # doctest: +SKIP
    'December'
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass

from safer.analysis.trends import MonthlyTrend


@dataclass(frozen=True)
class CalendarMonth:
    month: int
    month_name: str
    mean_daily_average: float
    years: int  # how many years of data the mean is over

    def as_dict(self) -> dict[str, object]:
        return {"month": self.month, "month_name": self.month_name,
                "mean_daily_average": round(self.mean_daily_average, 3), "years": self.years}


@dataclass(frozen=True)
class SeasonalExtremes:
    """Calendar months ranked by their mean daily average; ``peak`` and ``lowest`` first."""

    ranked: tuple[CalendarMonth, ...]

    @property
    def peak(self) -> tuple[CalendarMonth, ...]:
        return self.ranked[:2]

    @property
    def lowest(self) -> CalendarMonth:
        return self.ranked[-1]

    def as_dict(self) -> dict[str, object]:
        return {"ranked": [m.as_dict() for m in self.ranked],
                "peak": [m.as_dict() for m in self.peak], "lowest": self.lowest.as_dict()}


def seasonal_extremes(trend: MonthlyTrend) -> SeasonalExtremes:
    """Mean daily average of each calendar month across years, highest first.

    Raises ValueError when the trend has no months.
    """
    if not trend.points:
        raise ValueError("the trend has no months to rank")
    by_month: dict[int, list[float]] = defaultdict(list)
    for point in trend.points:
        by_month[point.month.month].append(point.daily_average)
    months = [CalendarMonth(m, calendar.month_name[m], sum(v) / len(v), len(v)) for m, v in by_month.items()]
    months.sort(key=lambda m: (-m.mean_daily_average, m.month))
    return SeasonalExtremes(ranked=tuple(months))
