"""Outcomes of crimes: sanctioned and positive outcome rates by crime type, area against comparator.

Each crime's latest outcome combines its street record and the outcomes files (see
``safer.analysis.outcomes``); outcome groups come from ``data/reference/policeuk_outcome_groups.csv``.

Example:
    >>> section = compute_outcomes(scope)  # doctest: +SKIP
    >>> section.rates.row("Burglary").area.current.sanctioned_rate  # doctest: +SKIP
    8.8
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ibis
import pandas as pd

from safer.analysis.outcomes import (UNRECOGNISED, OutcomeRates, OutcomeShare, outcome_mix, outcome_rates,
                                     with_latest_outcome)
from safer.analysis.selection import crime_only
from safer.assessment.scope import Scope

GROUPS_FILE = "data/reference/policeuk_outcome_groups.csv"


@dataclass(frozen=True)
class OutcomeGroup:
    outcome: str
    group: str
    stage: int
    sanctioned: bool
    positive: bool

    def as_dict(self) -> dict[str, object]:
        return {"outcome": self.outcome, "group": self.group, "stage": self.stage, "sanctioned": self.sanctioned,
                "positive": self.positive}


@dataclass(frozen=True)
class Outcomes:
    rates: OutcomeRates
    mix: tuple[OutcomeShare, ...]  # the area's crimes in the current period by latest outcome group
    outcome_events: int  # rows in the outcomes files loaded (the history)
    updated_by_outcomes: int  # the area's crimes (both periods) whose latest outcome came from an outcomes file
    unrecognised: tuple[str, ...]  # outcome labels found that the reference table does not know
    groups: tuple[OutcomeGroup, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "by_type": self.rates.as_dict(),
            "mix": [m.as_dict() for m in self.mix],
            "outcome_files": {"events": self.outcome_events, "crimes_updated": self.updated_by_outcomes},
            "unrecognised_outcomes": list(self.unrecognised),
            "definitions": {
                "sanctioned": sorted(g.outcome for g in self.groups if g.sanctioned),
                "positive": sorted(g.outcome for g in self.groups if g.positive),
                "groups": [g.as_dict() for g in self.groups],
            },
        }


@lru_cache(maxsize=1)
def outcome_groups() -> tuple[OutcomeGroup, ...]:
    """The reference table of police.uk outcomes, their groups, stages and sanction flags."""
    text = resources.files("safer").joinpath(GROUPS_FILE).read_text(encoding="utf-8")
    return tuple(OutcomeGroup(r["outcome"], r["group"], int(r["stage"]), r["sanctioned"] == "yes",
                              r["positive"] == "yes") for r in csv.DictReader(io.StringIO(text)))


def groups_table() -> ibis.Table:
    """The reference table as an Ibis table for :func:`with_latest_outcome`."""
    frame = pd.DataFrame([g.as_dict() for g in outcome_groups()])
    return ibis.memtable(frame.astype({"stage": "int64", "sanctioned": "bool", "positive": "bool"}))


def compute_outcomes(scope: Scope) -> Outcomes:
    """Outcome rates for the area and (where covered) the comparator, and how the area's crimes stand."""
    outcomes = scope.warehouse.table("outcomes")
    groups = groups_table()
    area = with_latest_outcome(crime_only(scope.area), outcomes, groups)
    comparator = with_latest_outcome(crime_only(scope.comparator), outcomes, groups)
    rates = outcome_rates(area, comparator, scope.current, scope.previous, covered=scope.covered_types)
    order = {name: i for i, name in enumerate(dict.fromkeys(g.group for g in outcome_groups()))}
    mix = outcome_mix(area, scope.current, order)

    in_periods = area.filter((area.month >= scope.previous.first) & (area.month < scope.current.end_exclusive))
    updated = int(in_periods.filter(in_periods.updated_by_outcomes).count().execute())
    strange = in_periods.filter(in_periods.outcome_group == UNRECOGNISED).select("latest_outcome").distinct()
    unrecognised = tuple(sorted(str(v) for v in strange.execute()["latest_outcome"]))
    return Outcomes(rates=rates, mix=mix, outcome_events=int(outcomes.count().execute()),
                    updated_by_outcomes=updated, unrecognised=unrecognised, groups=outcome_groups())
