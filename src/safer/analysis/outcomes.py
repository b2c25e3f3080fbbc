"""Outcomes of crimes: each crime's latest outcome, and sanctioned and positive outcome rates.

**Latest outcome.** A street record carries the outcome police.uk showed when the file was made
(``last_outcome_category``); outcomes files add dated outcome events by Crime ID (the
``outcomes`` table keeps them all, as the history). A crime's latest outcome is the later of the
two by *stage*: a crime moves from no outcome (0) to pending (1: under investigation, status
unavailable) to closed without a sanction (2) to a disposal (3: charge, caution, penalty notice,
community resolution...) to a court result (4). The outcomes files' most recent event (latest
month; within a month, the furthest stage) updates the crime unless the street record already
shows a later stage; at the same stage the dated event wins. This works whether the street files
or the outcomes files were downloaded later.

**Rates.** Crimes are counted by the month they were recorded (a cohort): the sanctioned outcome
rate is the share of the period's crimes whose latest outcome is a sanction (charge or summons,
caution, offence taken into consideration, penalty notice, drugs possession warning: the old
sanction detections); the positive outcome rate adds community resolutions. Each outcome's group
and flags come from a reference table (``data/reference/policeuk_outcome_groups.csv``), passed in.

Example:
    >>> rates = outcome_rates(with_latest_outcome(crimes, outcomes, groups), current, previous)  # doctest: +SKIP
    >>> rates["Burglary"].current.sanctioned_rate  # doctest: +SKIP
    9.1
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import ibis

from safer.analysis.change import RowsByCrimeType
from safer.analysis.periods import Period
from safer.analysis.significance import Significance, proportion_change

NO_OUTCOME = "No outcome recorded"
UNRECOGNISED = "Other (not in the outcome table)"
_UNKNOWN_STAGE = 2  # an outcome label the table does not know is treated as a decision already taken


def with_latest_outcome(crimes: ibis.Table, outcomes: ibis.Table, groups: ibis.Table) -> ibis.Table:
    """``crimes`` with the columns ``latest_outcome``, ``outcome_group``, ``sanctioned``, ``positive``
    and ``updated_by_outcomes`` (True when an outcomes-file event gave the latest outcome).

    ``groups`` has columns ``outcome``, ``group``, ``stage`` (int), ``sanctioned`` and ``positive``
    (booleans). Crimes without a Crime ID (anti-social behaviour) keep their street outcome.
    """
    ref = groups.select(ref_outcome=groups.outcome, ref_stage=groups.stage)
    events = outcomes.select("crime_id", "month", "outcome_type", "source_file", "source_line")
    events = events.left_join(ref, events.outcome_type == ref.ref_outcome)
    events = events.mutate(event_stage=events.ref_stage.fill_null(_UNKNOWN_STAGE))
    order = ibis.window(group_by=events.crime_id,
                        order_by=[ibis.desc(events.month), ibis.desc(events.event_stage),
                                  ibis.desc(events.source_file), ibis.desc(events.source_line)])
    ranked = events.mutate(rank=ibis.row_number().over(order))
    latest = ranked.filter(ranked["rank"] == 0).select(
        event_crime_id=ranked.crime_id, event_outcome=ranked.outcome_type, event_stage=ranked.event_stage)

    joined = crimes.left_join(latest, crimes.crime_id == latest.event_crime_id)
    street = groups.select(street_outcome=groups.outcome, street_stage=groups.stage)
    joined = joined.left_join(street, joined.last_outcome_category == street.street_outcome)
    street_stage = ibis.cases((joined.last_outcome_category.isnull(), 0), else_=joined.street_stage
                              ).fill_null(_UNKNOWN_STAGE)
    use_event = joined.event_outcome.notnull() & (joined.event_stage >= street_stage)
    joined = joined.mutate(latest_outcome=ibis.ifelse(use_event, joined.event_outcome,
                                                      joined.last_outcome_category),
                           updated_by_outcomes=use_event.fill_null(False))
    joined = joined.drop("event_crime_id", "event_outcome", "event_stage", "street_outcome", "street_stage")

    flags = groups.select(flag_outcome=groups.outcome, flag_group=groups.group,
                          flag_sanctioned=groups.sanctioned, flag_positive=groups.positive)
    out = joined.left_join(flags, joined.latest_outcome == flags.flag_outcome)
    group = ibis.cases((out.latest_outcome.isnull(), NO_OUTCOME), else_=out.flag_group).fill_null(UNRECOGNISED)
    out = out.mutate(outcome_group=group, sanctioned=out.flag_sanctioned.fill_null(False),
                     positive=out.flag_positive.fill_null(False))
    return out.drop("flag_outcome", "flag_group", "flag_sanctioned", "flag_positive")


@dataclass(frozen=True)
class Rate:
    """Crimes recorded in one period, and how many have a sanctioned or positive latest outcome."""

    crimes: int
    sanctioned: int
    positive: int

    @property
    def sanctioned_rate(self) -> float | None:
        """Sanctioned outcomes as a % of crimes, to one decimal place; None with no crimes."""
        return _pct(self.sanctioned, self.crimes)

    @property
    def positive_rate(self) -> float | None:
        return _pct(self.positive, self.crimes)

    def as_dict(self) -> dict[str, object]:
        return {"crimes": self.crimes, "sanctioned": self.sanctioned, "positive": self.positive,
                "sanctioned_rate": self.sanctioned_rate, "positive_rate": self.positive_rate}


@dataclass(frozen=True)
class RateChange:
    """A rate in the previous and current periods, the change in percentage points and its test."""

    previous: Rate
    current: Rate

    @property
    def change_pp(self) -> float | None:
        """Change in the sanctioned outcome rate, in percentage points (one decimal place)."""
        if not self.previous.crimes or not self.current.crimes:
            return None
        return round(100.0 * (self.current.sanctioned / self.current.crimes
                              - self.previous.sanctioned / self.previous.crimes), 1)

    @property
    def significance(self) -> Significance:
        return proportion_change(self.previous.sanctioned, self.previous.crimes,
                                 self.current.sanctioned, self.current.crimes)

    def as_dict(self) -> dict[str, object]:
        return {"previous": self.previous.as_dict(), "current": self.current.as_dict(),
                "change_pp": self.change_pp, "significance": self.significance.as_dict()}


@dataclass(frozen=True)
class OutcomeRow:
    crime_type: str
    area: RateChange
    comparator: RateChange | None  # None when the data does not cover the comparator for this type

    def as_dict(self) -> dict[str, object]:
        return {"crime_type": self.crime_type, "area": self.area.as_dict(),
                "comparator": self.comparator.as_dict() if self.comparator else None,
                "comparator_covered": self.comparator is not None}


@dataclass(frozen=True)
class OutcomeRates(RowsByCrimeType):
    current: Period
    previous: Period
    rows: tuple[OutcomeRow, ...]
    total: OutcomeRow


@dataclass(frozen=True)
class OutcomeShare:
    group: str
    crimes: int
    share: float | None  # % of the period's crimes

    def as_dict(self) -> dict[str, object]:
        return {"group": self.group, "crimes": self.crimes, "share": self.share}


def rate_counts(records: ibis.Table, current: Period, previous: Period, by: str = "crime_type"
                ) -> dict[str, tuple[Rate, Rate]]:
    """``{group: (previous Rate, current Rate)}`` over records with ``sanctioned`` and ``positive``."""
    in_either = records.filter((records.month >= previous.first) & (records.month < current.end_exclusive))
    now = in_either.month >= current.first
    before = ~now

    def total(condition):
        return condition.cast("int64").sum()

    counted = (in_either.group_by(by).aggregate(
        p_crimes=total(before), p_sanctioned=total(before & in_either.sanctioned),
        p_positive=total(before & in_either.positive), c_crimes=total(now),
        c_sanctioned=total(now & in_either.sanctioned), c_positive=total(now & in_either.positive))
        .execute())
    out = {}
    for row in counted.itertuples(index=False):
        out[getattr(row, by)] = (Rate(int(row.p_crimes), int(row.p_sanctioned), int(row.p_positive)),
                                 Rate(int(row.c_crimes), int(row.c_sanctioned), int(row.c_positive)))
    return out


def outcome_rates(area: ibis.Table, comparator: ibis.Table, current: Period, previous: Period, *,
                  covered: frozenset[str] | set[str]) -> OutcomeRates:
    """Sanctioned and positive outcome rates by crime type, with the comparator where ``covered``.

    Both tables need ``month``, ``crime_type``, ``sanctioned`` and ``positive`` (see
    :func:`with_latest_outcome`). The total row has a comparator only when every type is covered.
    """
    area_counts = rate_counts(area, current, previous)
    comparator_counts = rate_counts(comparator, current, previous) if covered else {}
    empty = (Rate(0, 0, 0), Rate(0, 0, 0))
    rows = []
    for crime_type in sorted(area_counts):
        comp = RateChange(*comparator_counts.get(crime_type, empty)) if crime_type in covered else None
        rows.append(OutcomeRow(crime_type, RateChange(*area_counts[crime_type]), comp))
    total_area = _sum_changes([r.area for r in rows])
    all_covered = bool(rows) and all(r.comparator is not None for r in rows)
    total_comp = _sum_changes([r.comparator for r in rows]) if all_covered else None
    return OutcomeRates(current, previous, tuple(rows), OutcomeRow("Total", total_area, total_comp))


def outcome_mix(records: ibis.Table, period: Period, order: Mapping[str, int] | None = None
                ) -> tuple[OutcomeShare, ...]:
    """How the period's crimes stand: crimes by latest outcome group, most common first
    (or in ``order``, a rank by group name, where given)."""
    in_period = records.filter((records.month >= period.first) & (records.month < period.end_exclusive))
    counted = in_period.group_by("outcome_group").aggregate(crimes=in_period.count()).execute()
    total = int(counted["crimes"].sum()) if len(counted) else 0
    shares = [OutcomeShare(str(g), int(n), _pct(int(n), total)) for g, n in
              zip(counted["outcome_group"], counted["crimes"])]
    if order:
        shares.sort(key=lambda s: (order.get(s.group, len(order)), s.group))
    else:
        shares.sort(key=lambda s: (-s.crimes, s.group))
    return tuple(shares)


def _sum_changes(changes: list[RateChange]) -> RateChange:
    def add(rates: list[Rate]) -> Rate:
        return Rate(sum(r.crimes for r in rates), sum(r.sanctioned for r in rates), sum(r.positive for r in rates))

    return RateChange(add([c.previous for c in changes]), add([c.current for c in changes]))


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None
