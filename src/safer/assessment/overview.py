"""The overview of crime: trends, the period table by type, daily averages, seasonality, ASB.

Example:
    >>> overview = compute_overview(scope)  # doctest: +SKIP
    >>> overview.by_type.total.area.pct_change  # doctest: +SKIP
    9.0
"""

from __future__ import annotations

from dataclasses import dataclass

from safer.analysis.comparison import PeriodComparison, period_comparison
from safer.analysis.coverage import Coverage
from safer.analysis.daily_average import DailyAverages, daily_averages
from safer.analysis.periods import Period
from safer.analysis.seasonality import SeasonalExtremes, seasonal_extremes
from safer.analysis.selection import asb_only, crime_only, in_lads, reported_by
from safer.analysis.trends import MonthlyTrend, monthly_trend
from safer.assessment.scope import Scope


@dataclass(frozen=True)
class ForceTable:
    """Records of a separately reported force (e.g. British Transport Police) in the area."""

    force: str
    by_type: PeriodComparison

    def as_dict(self) -> dict[str, object]:
        return {"force": self.force, **self.by_type.as_dict()}


@dataclass(frozen=True)
class Overview:
    crime_trend: MonthlyTrend
    asb_trend: MonthlyTrend
    by_type: PeriodComparison
    asb: PeriodComparison
    daily_average: DailyAverages
    asb_daily_average: DailyAverages
    seasonality: SeasonalExtremes
    separate_forces: tuple[ForceTable, ...]
    coverage: tuple[Coverage, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "monthly": {"crime": self.crime_trend.as_dict(), "asb": self.asb_trend.as_dict()},
            "by_type": self.by_type.as_dict(),
            "daily_average": self.daily_average.as_dict(),
            "asb": {**self.asb.as_dict(), "daily_average": self.asb_daily_average.as_dict()},
            "seasonality": self.seasonality.as_dict(),
            "separate_forces": [f.as_dict() for f in self.separate_forces],
            "comparator_coverage": [c.as_dict() for c in self.coverage],
        }


def compute_overview(scope: Scope) -> Overview:
    """Every result of the overview section, for the scope's area and periods."""
    current, previous = scope.current, scope.previous
    covered = scope.covered_types
    by_type = period_comparison(crime_only(scope.area), crime_only(scope.comparator), current, previous,
                                covered=covered)
    asb = period_comparison(asb_only(scope.area), asb_only(scope.comparator), current, previous, covered=covered)

    span = Period(min(scope.first_month, previous.first), current.last)
    crime_trend = monthly_trend(crime_only(scope.area), span, series="crime excluding anti-social behaviour")
    asb_trend = monthly_trend(asb_only(scope.area), span, series="anti-social behaviour")
    periods = [current, previous] + ([scope.two_years_ago] if scope.two_years_ago else [])
    in_data = Period(max(scope.first_month, span.first), current.last)

    separate = []
    for force in scope.config.separate_forces:
        theirs = crime_only(in_lads(reported_by(scope.located, [force], include=True), scope.config.area))
        table = period_comparison(theirs, theirs, current, previous, covered=())
        if table.total.area.previous or table.total.area.current:
            separate.append(ForceTable(force, table))

    return Overview(
        crime_trend=crime_trend, asb_trend=asb_trend, by_type=by_type, asb=asb,
        daily_average=daily_averages(crime_only(scope.area), periods),
        asb_daily_average=daily_averages(asb_only(scope.area), periods),
        seasonality=seasonal_extremes(monthly_trend(crime_only(scope.area), in_data, series="crime")),
        separate_forces=tuple(separate), coverage=scope.coverage,
    )
