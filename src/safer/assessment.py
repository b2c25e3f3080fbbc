"""Compute a strategic assessment: every result the report shows, from the warehouse.

This is the one place that decides which records each analysis sees (the area,
the comparator, the separately reported forces) and which periods apply. The
analysis functions it calls are pure; the report only formats what this returns.

Example:
    >>> with open_warehouse(cfg.warehouse) as wh:  # doctest: +SKIP
    ...     result = build_assessment(cfg, wh)
    >>> result.overview.by_type.total.area.pct_change  # doctest: +SKIP
    4.6
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import ibis

from safer import __version__
from safer.analysis.comparison import PeriodComparison, period_comparison
from safer.analysis.coverage import Coverage, comparator_coverage, force_comparator_lads
from safer.analysis.daily_average import DailyAverages, daily_averages
from safer.analysis.data_quality import DataQuality, data_quality
from safer.analysis.periods import Period, add_months, assessment_periods, parse_month
from safer.analysis.seasonality import SeasonalExtremes, seasonal_extremes
from safer.analysis.selection import asb_only, crime_only, in_lads, reported_by, with_geography
from safer.analysis.trends import MonthlyTrend, monthly_trend
from safer.config import Config
from safer.errors import ConfigError, WarehouseError
from safer.warehouse.connect import Warehouse

Step = Callable[[str], None]


@dataclass(frozen=True)
class Meta:
    partnership: str
    area_codes: tuple[str, ...]
    area_name: str
    force: str
    comparator_name: str
    comparator_lads: tuple[str, ...]
    current: Period
    previous: Period
    separate_forces: tuple[str, ...]
    disclosure_threshold: int
    data_notes: tuple[str, ...]
    generated_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    def as_dict(self) -> dict[str, object]:
        return {
            "partnership": self.partnership, "area": {"lad_codes": list(self.area_codes), "name": self.area_name},
            "force": self.force,
            "comparator": {"name": self.comparator_name, "lad_codes": list(self.comparator_lads)},
            "current_period": self.current.as_dict(), "previous_period": self.previous.as_dict(),
            "separately_reported_forces": list(self.separate_forces),
            "disclosure": {
                "threshold": self.disclosure_threshold,
                "rule": (f"Counts from 1 to {self.disclosure_threshold} derived from person-level data are "
                         "suppressed in published tables. Police recorded crime counts are aggregate, "
                         "not person-level, and are shown in full."),
                "person_level_tables": [],
            },
            "data_notes": list(self.data_notes),
            "generated_at": self.generated_at, "safer_version": __version__,
        }


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


@dataclass(frozen=True)
class Assessment:
    meta: Meta
    overview: Overview
    data_quality: DataQuality

    def as_dict(self) -> dict[str, object]:
        return {"meta": self.meta.as_dict(), "overview": self.overview.as_dict(),
                "data_quality": self.data_quality.as_dict()}


def build_assessment(config: Config, warehouse: Warehouse, on_step: Step | None = None) -> Assessment:
    """Run every analysis of the assessment for ``config`` over ``warehouse``."""
    step = on_step or (lambda _: None)
    geography = warehouse.table("geo_lsoa")
    located = with_geography(warehouse.table("crimes"), geography)

    step("Choosing the area and periods")
    area_name = _area_name(geography, config.area)
    territorial = reported_by(located, config.separate_forces, include=False)
    area = in_lads(territorial, config.area)
    last_month = _last_month(config, area)
    current, previous = assessment_periods(last_month, config.period_months)
    force = _main_force(area)
    if isinstance(config.comparator, str):
        comparator_lads = force_comparator_lads(territorial, geography, [force])
        comparator = territorial.filter(territorial.falls_within == force)
        comparator_name = force
    else:
        comparator_lads = tuple(sorted(set(config.comparator) | set(config.area)))
        comparator = in_lads(territorial, comparator_lads)
        comparator_name = f"{len(comparator_lads)} local authorities"

    step("Checking comparator coverage")
    coverage_now = comparator_coverage(territorial, geography, config.area, comparator_lads, current)
    coverage_before = comparator_coverage(territorial, geography, config.area, comparator_lads, previous)
    covered = {t for t, c in coverage_now.items() if c.covered and t in coverage_before and coverage_before[t].covered}

    step("Comparing periods by crime type")
    by_type = period_comparison(crime_only(area), crime_only(comparator), current, previous, covered=covered)
    asb = period_comparison(asb_only(area), asb_only(comparator), current, previous, covered=covered)

    step("Monthly trends and daily averages")
    first_month = _first_month(area)
    span = Period(min(first_month, previous.first), current.last)
    crime_trend = monthly_trend(crime_only(area), span, series="crime excluding anti-social behaviour")
    asb_trend = monthly_trend(asb_only(area), span, series="anti-social behaviour")
    periods = [current, previous]
    two_years_ago = Period(add_months(previous.first, -config.period_months), add_months(previous.first, -1))
    if first_month <= two_years_ago.first:
        periods.append(two_years_ago)
    crime_average = daily_averages(crime_only(area), periods)
    asb_average = daily_averages(asb_only(area), periods)
    in_data = Period(max(first_month, span.first), current.last)
    seasonality = seasonal_extremes(monthly_trend(crime_only(area), in_data, series="crime"))

    step("Separately reported forces")
    separate = []
    for other in config.separate_forces:
        theirs = in_lads(reported_by(located, [other], include=True), config.area)
        table = period_comparison(crime_only(theirs), crime_only(theirs), current, previous, covered=())
        if table.total.area.previous or table.total.area.current:
            separate.append(ForceTable(other, table))

    step("Data quality")
    quality = data_quality(warehouse.table("ingest_ledger"), warehouse.table("quarantine"), located)

    meta = Meta(
        partnership=config.partnership, area_codes=config.area, area_name=area_name, force=force,
        comparator_name=comparator_name, comparator_lads=comparator_lads, current=current, previous=previous,
        separate_forces=config.separate_forces, disclosure_threshold=config.disclosure_threshold,
        data_notes=config.data_notes,
    )
    overview = Overview(
        crime_trend=crime_trend, asb_trend=asb_trend, by_type=by_type, asb=asb, daily_average=crime_average,
        asb_daily_average=asb_average, seasonality=seasonality, separate_forces=tuple(separate),
        coverage=tuple(coverage_now[t] for t in sorted(coverage_now)),
    )
    return Assessment(meta=meta, overview=overview, data_quality=quality)


def _area_name(geography: ibis.Table, lad_codes: tuple[str, ...]) -> str:
    found = (geography.filter(geography.lad_code.isin(list(lad_codes)))
             .select("lad_code", "lad_name").distinct().execute())
    known = dict(zip(found["lad_code"], found["lad_name"]))
    missing = [code for code in lad_codes if code not in known]
    if missing:
        raise ConfigError(f"partnership.area: {', '.join(missing)} not found in the LSOA lookup (2018 local "
                          "authority codes); check the code, e.g. E09000033 for Westminster")
    return " and ".join(known[code] for code in lad_codes)


def _last_month(config: Config, area: ibis.Table) -> date:
    if config.end_month:
        return parse_month(config.end_month)
    latest = area.month.max().execute()
    if latest is None or str(latest) == "NaT":
        raise WarehouseError("no street records fall in the area; load police.uk street files covering "
                             f"{', '.join(config.area)} with `safer ingest PATH...`")
    return date(latest.year, latest.month, 1)


def _first_month(area: ibis.Table) -> date:
    earliest = area.month.min().execute()
    if earliest is None or str(earliest) == "NaT":
        raise WarehouseError("no street records fall in the area; load police.uk street files first")
    return date(earliest.year, earliest.month, 1)


def _main_force(area: ibis.Table) -> str:
    counted = area.group_by("falls_within").aggregate(n=area.count()).order_by(ibis.desc("n")).limit(1).execute()
    if counted.empty:
        raise WarehouseError("no street records fall in the area; load police.uk street files first")
    return str(counted["falls_within"].iloc[0])
