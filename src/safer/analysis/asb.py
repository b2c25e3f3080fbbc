"""Anti-social behaviour from every source: police-recorded incidents and council reports side by side.

Each source gets the same treatment as crime in the overview: the monthly daily average with its
moving average (the trend), the change between the two periods, the daily average in each, and its
share of the comparator where the comparator's records are loaded. A source that was not supplied
is reported as missing, with what that means, rather than silently left out.

Example:
    >>> result = asb_sources({"police": (police_area, police_comparator), "council": None},  # doctest: +SKIP
    ...                      span, current, previous)
    >>> result.notes[0]  # doctest: +SKIP
    'Council-recorded anti-social behaviour was not supplied, ...'
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis

from safer.analysis.change import Change, percent_of
from safer.analysis.multi_agency import period_change
from safer.analysis.periods import Period
from safer.analysis.trends import MonthlyTrend, monthly_trend

SOURCE_NAMES = {"police": "Police-recorded anti-social behaviour (police.uk)",
                "council": "Council-recorded anti-social behaviour reports"}


@dataclass(frozen=True)
class AsbSource:
    """One source of ASB records for the area."""

    source: str  # "police" or "council"
    trend: MonthlyTrend
    change: Change
    current_days: int
    previous_days: int
    comparator: Change | None  # None when the comparator's records are not loaded for this source
    synthetic: bool = False

    @property
    def per_day_current(self) -> float:
        return self.change.current / self.current_days

    @property
    def per_day_previous(self) -> float:
        return self.change.previous / self.previous_days

    @property
    def share_current(self) -> float | None:
        return percent_of(self.change.current, self.comparator.current if self.comparator else None)

    @property
    def share_previous(self) -> float | None:
        return percent_of(self.change.previous, self.comparator.previous if self.comparator else None)

    def as_dict(self) -> dict[str, object]:
        return {"source": self.source, "name": SOURCE_NAMES.get(self.source, self.source), "synthetic": self.synthetic,
                "area": self.change.as_dict(), "per_day_current": round(self.per_day_current, 3),
                "per_day_previous": round(self.per_day_previous, 3),
                "comparator": self.comparator.as_dict() if self.comparator else None,
                "share_of_comparator_previous": self.share_previous,
                "share_of_comparator_current": self.share_current, "monthly": self.trend.as_dict()}


@dataclass(frozen=True)
class AsbSources:
    sources: tuple[AsbSource, ...]
    missing: tuple[str, ...]  # sources not supplied
    notes: tuple[str, ...]

    def source(self, name: str) -> AsbSource | None:
        return next((s for s in self.sources if s.source == name), None)

    def as_dict(self) -> dict[str, object]:
        return {"sources": {s.source: s.as_dict() for s in self.sources}, "missing": list(self.missing),
                "notes": list(self.notes)}


def asb_sources(supplied: dict[str, tuple[ibis.Table, ibis.Table | None] | None], span: Period, current: Period,
                previous: Period, *, synthetic: dict[str, bool] | None = None) -> AsbSources:
    """Trend, change and comparator share of each source; ``None`` marks a source not supplied.

    ``supplied`` maps a source name to (the area's records, the comparator's records or None);
    every table needs a ``month`` column.
    """
    synthetic = synthetic or {}
    sources, missing, notes = [], [], []
    for name, tables in supplied.items():
        if tables is None:
            missing.append(name)
            continue
        area, comparator = tables
        change = period_change(area, current, previous)
        if change.current == 0 and change.previous == 0:
            missing.append(name)
            continue
        comparator_change = period_change(comparator, current, previous) if comparator is not None else None
        if comparator_change is not None and comparator_change.current <= change.current:
            comparator_change = None  # only the area's own records are loaded
        trend = monthly_trend(area, span, series=SOURCE_NAMES.get(name, name))
        sources.append(AsbSource(name, trend, change, current.days, previous.days, comparator_change,
                                 synthetic.get(name, False)))
    for name in missing:
        other = [s for s in sources if s.source != name]
        if other:
            notes.append(f"{SOURCE_NAMES.get(name, name)} were not supplied, so the "
                         f"{other[0].source} trend cannot be compared with them.")
        else:
            notes.append(f"{SOURCE_NAMES.get(name, name)} were not supplied.")
    for s in sources:
        if s.comparator is None:
            notes.append(f"The {s.source} records loaded do not cover the comparator, so no share of the "
                         "comparator is given for them.")
    return AsbSources(tuple(sources), tuple(missing), tuple(notes))

