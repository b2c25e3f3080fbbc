"""The scope of one assessment: which records are the area's, what they are compared with, and when.

Every section of the assessment starts from the same :class:`Scope`, so they all agree on the
area, the comparator and the periods.

Example:
    >>> scope = resolve_scope(config, warehouse)  # doctest: +SKIP
    >>> scope.current.label, scope.force  # doctest: +SKIP
    ('July 2017 to June 2018', 'Metropolitan Police Service')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis

from safer.analysis.coverage import comparator_coverage, force_comparator_lads
from safer.analysis.periods import Period, add_months, assessment_periods, parse_month
from safer.analysis.selection import in_lads, reported_by, with_geography
from safer.config import Config
from safer.errors import ConfigError, WarehouseError
from safer.warehouse.connect import Warehouse


@dataclass(frozen=True)
class Scope:
    config: Config
    warehouse: Warehouse
    geography: ibis.Table
    located: ibis.Table  # every street record, with ward and local authority columns
    territorial: ibis.Table  # located records except the separately reported forces'
    area: ibis.Table  # territorial records in the area
    comparator: ibis.Table  # territorial records of the comparator (the area included)
    area_name: str
    force: str
    comparator_name: str
    comparator_lads: tuple[str, ...]
    current: Period
    previous: Period
    first_month: date  # the area's earliest month of data
    covered_types: frozenset[str]  # crime types whose comparator figures the data supports
    coverage: tuple  # Coverage results for the current period, by crime type

    @property
    def two_years_ago(self) -> Period | None:
        """The period before the previous one, when the data reaches back that far."""
        length = len(self.current.months)
        before = Period(add_months(self.previous.first, -length), add_months(self.previous.first, -1))
        return before if self.first_month <= before.first else None


def resolve_scope(config: Config, warehouse: Warehouse) -> Scope:
    """Work out the area, comparator, periods and comparator coverage for ``config``."""
    geography = warehouse.table("geo_lsoa")
    located = with_geography(warehouse.table("crimes"), geography)
    area_name = _area_name(geography, config.area)
    territorial = reported_by(located, config.separate_forces, include=False)
    area = in_lads(territorial, config.area)
    first_month, latest = _month_range(area, config)
    last_month = parse_month(config.end_month) if config.end_month else latest
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
    now = comparator_coverage(territorial, geography, config.area, comparator_lads, current)
    before = comparator_coverage(territorial, geography, config.area, comparator_lads, previous)
    covered = frozenset(t for t, c in now.items() if c.covered and t in before and before[t].covered)
    return Scope(
        config=config, warehouse=warehouse, geography=geography, located=located, territorial=territorial,
        area=area, comparator=comparator, area_name=area_name, force=force, comparator_name=comparator_name,
        comparator_lads=comparator_lads, current=current, previous=previous, first_month=first_month,
        covered_types=covered, coverage=tuple(now[t] for t in sorted(now)),
    )


def _area_name(geography: ibis.Table, lad_codes: tuple[str, ...]) -> str:
    found = (geography.filter(geography.lad_code.isin(list(lad_codes)))
             .select("lad_code", "lad_name").distinct().execute())
    known = dict(zip(found["lad_code"], found["lad_name"]))
    missing = [code for code in lad_codes if code not in known]
    if missing:
        raise ConfigError(f"partnership.area: {', '.join(missing)} not found in the LSOA lookup (2018 local "
                          "authority codes); check the code, e.g. E09000033 for Westminster")
    return " and ".join(known[code] for code in lad_codes)


def _month_range(area: ibis.Table, config: Config) -> tuple[date, date]:
    bounds = area.aggregate(first=area.month.min(), last=area.month.max()).execute().iloc[0]
    if bounds["first"] is None or str(bounds["first"]) in ("NaT", "None"):
        raise WarehouseError("no street records fall in the area; load police.uk street files covering "
                             f"{', '.join(config.area)} with `safer ingest PATH...`")
    first, last = bounds["first"], bounds["last"]
    return date(first.year, first.month, 1), date(last.year, last.month, 1)


def _main_force(area: ibis.Table) -> str:
    counted = area.group_by("falls_within").aggregate(n=area.count()).order_by(ibis.desc("n")).limit(1).execute()
    return str(counted["falls_within"].iloc[0])
