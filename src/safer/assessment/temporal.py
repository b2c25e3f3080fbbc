"""When things happen: the hour x weekday picture of every timed partner dataset supplied.

For each dataset whose contract gives events a time of day (ambulance, fire, transport and council
ASB records), over the area's records in the current period: the hour x weekday table with its top
and bottom 10% of cells, the peak day and hours, and the share in the night-time economy window
(default 20:00 to 04:59, :data:`NIGHT_TIME`).

Example:
    >>> result = compute_temporal(scope)  # doctest: +SKIP
    >>> result.profile("las-assaults").night_time.share  # doctest: +SKIP
    56.0
"""

from __future__ import annotations

from dataclasses import dataclass

from safer.analysis.multi_agency import in_area, in_period
from safer.analysis.temporal import NIGHT_TIME_ECONOMY, TemporalProfile, TimeWindow, temporal_profile
from safer.assessment.partnership import _records, place
from safer.assessment.scope import Scope
from safer.sources.contracts import CONTRACTS

#: The default night-time economy window (``[temporal]`` in ``safer.toml`` overrides it).
NIGHT_TIME = NIGHT_TIME_ECONOMY
PEAK_WINDOW_HOURS = 2


@dataclass(frozen=True)
class DatasetTimes:
    name: str
    title: str
    synthetic: bool
    profile: TemporalProfile

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "title": self.title, "synthetic": self.synthetic, **self.profile.as_dict()}


@dataclass(frozen=True)
class Temporal:
    datasets: tuple[DatasetTimes, ...]
    not_supplied: tuple[str, ...]  # timed datasets with no records in the area in the period
    night_time: TimeWindow

    def profile(self, name: str) -> TemporalProfile:
        for d in self.datasets:
            if d.name == name:
                return d.profile
        raise KeyError(name)

    def as_dict(self) -> dict[str, object]:
        return {"night_time_window": self.night_time.as_dict(),
                "datasets": {d.name: d.as_dict() for d in self.datasets},
                "not_supplied": list(self.not_supplied)}


def compute_temporal(scope: Scope, night_time: TimeWindow | None = None) -> Temporal:
    """The temporal profile of every timed dataset with records in the area in the current period.

    The night-time window is ``night_time`` if given, else ``[temporal]`` in ``safer.toml``.
    """
    if night_time is None:
        night_time = TimeWindow(scope.config.night_start_hour, scope.config.night_end_hour)
    found, missing = [], []
    for contract in CONTRACTS.values():
        if not contract.timed or not contract.loadable:
            continue
        table = scope.warehouse.table(contract.table)
        records, synthetic = _records(table)
        if records:
            placed = place(scope, contract, table)
            events = in_period(in_area(placed, scope.config.area), scope.current)
            profile = temporal_profile(events, contract.role("when").field, night=night_time,
                                       window_hours=PEAK_WINDOW_HOURS)
            if profile.table.total:
                found.append(DatasetTimes(contract.name, contract.title, synthetic, profile))
                continue
        missing.append(contract.name)
    return Temporal(tuple(found), tuple(missing), night_time)
