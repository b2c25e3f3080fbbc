"""Repeat victims across every agency's victim data: who was victimised again within 12 months.

Input is one row per victimisation record from every victim dataset (police crime victims, council
anti-social behaviour victims, hate crime victims, MARAC cases, safeguarding concerns ...), each with
the linked ``person_id``. The rules
(the 2018 Westminster assessment's, "a victim of crime in the last 12 months"):

- a person's records on the same day are **one victimisation**, so one incident known to two
  agencies is not counted twice;
- a victimisation is a **repeat** when the same person had another victimisation in the
  ``window_months`` before it (any agency, any dataset; records before the period count as the
  earlier one);
- a **victim** is a person with a victimisation in the period, and a **repeat victim** one with a
  repeat victimisation in the period. The repeat rate is repeat victims / victims.

Breakdowns by age band, sex and ward use the person's first victimisation in the period (age at
that date; ward of that record). The same counts within each dataset alone show how many repeat
victims only the combined data can see.

Example:
    >>> result = repeat_victimisation(victimisations, current)  # doctest: +SKIP
    >>> result.overall.repeat_victims, result.overall.victims  # doctest: +SKIP
    (212, 1093)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis

from safer.analysis.periods import Period

AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("Under 18", 0, 17), ("18-24", 18, 24), ("25-34", 25, 34), ("35-44", 35, 44), ("45-54", 45, 54),
    ("55-64", 55, 64), ("65 and over", 65, None))
UNKNOWN = "Not recorded"


@dataclass(frozen=True)
class RepeatCounts:
    """Victims in a group, how many were repeat victims, and their victimisations in the period."""

    victims: int
    repeat_victims: int
    victimisations: int = 0
    victimisations_of_repeat_victims: int = 0

    @property
    def repeat_rate(self) -> float | None:
        return round(100.0 * self.repeat_victims / self.victims, 1) if self.victims else None


@dataclass(frozen=True)
class RepeatVictim:
    """One repeat victim, for the analyst-only list (never published)."""

    person_id: str
    datasets: tuple[str, ...]
    victimisations: int  # in the period
    first: date
    last: date
    records: tuple[str, ...]  # "source file line N" of each record in the period, for the agency to find


@dataclass(frozen=True)
class RepeatVictimisation:
    period: Period
    window_months: int
    overall: RepeatCounts
    by_dataset: dict[str, RepeatCounts]  # repeat across every agency, victims of this dataset
    within_dataset: dict[str, RepeatCounts]  # repeat within this dataset alone
    by_age: dict[str, RepeatCounts]
    by_sex: dict[str, RepeatCounts]
    by_ward: dict[str, RepeatCounts]  # ward code (or UNKNOWN)
    repeat_only_when_combined: int  # repeat victims whom no single dataset shows as repeat victims
    victims_list: tuple[RepeatVictim, ...]


def age_band(age: ibis.Value) -> ibis.Value:
    """The age band label of an age in years (``UNKNOWN`` when null)."""
    cases = []
    for label, low, high in AGE_BANDS:
        condition = age >= low if high is None else (age >= low) & (age <= high)
        cases.append((condition, label))
    return ibis.cases(*cases, else_=UNKNOWN)


def repeat_victimisation(victimisations: ibis.Table, period: Period, window_months: int = 12) -> RepeatVictimisation:
    """Repeat victimisation in ``period`` over ``victimisations``.

    ``victimisations`` has ``person_id``, ``dataset``, ``event_date`` (date), ``age`` (years or null),
    ``sex``, ``ward`` (ward code or null) and, for the analyst list, ``source_file`` and ``source_line``.
    """
    if window_months < 1:
        raise ValueError("window_months must be at least 1")
    v = victimisations.mutate(event_date=victimisations.event_date.cast("date"))
    start, end = ibis.literal(period.first), ibis.literal(period.end_exclusive)
    overall_days = _flag_repeats(v, ["person_id"], window_months)
    in_period = overall_days.filter((overall_days.event_date >= start) & (overall_days.event_date < end))
    victims = in_period.group_by("person_id").aggregate(
        victimisations=in_period.count(), repeat=in_period.repeat.cast("int64").max())

    # the person's first record in the period gives their age, sex and ward
    period_records = v.filter((v.event_date >= start) & (v.event_date < end))
    first_w = ibis.window(group_by="person_id", order_by=[period_records.event_date, period_records.dataset,
                                                          period_records.source_line])
    first = period_records.mutate(n=ibis.row_number().over(first_w)).filter(lambda t: t.n == 0)
    first = first.select("person_id", band=age_band(first.age), sex=first.sex.fill_null(UNKNOWN),
                         ward=first.ward.fill_null(UNKNOWN))
    profile = victims.join(first, "person_id")

    per_dataset_days = _flag_repeats(v, ["person_id", "dataset"], window_months)
    dataset_period = per_dataset_days.filter((per_dataset_days.event_date >= start)
                                             & (per_dataset_days.event_date < end))
    within = dataset_period.group_by(["dataset", "person_id"]).aggregate(
        victimisations=dataset_period.count(), repeat_within=dataset_period.repeat.cast("int64").max())

    # one row per victim, and per victim and dataset: thousands of rows, grouped in pandas
    people = profile.execute()
    by_dataset = within.join(victims.select("person_id", "repeat"), "person_id").execute()
    any_within = by_dataset.groupby("person_id")["repeat_within"].max()
    people["repeat_within"] = people["person_id"].map(any_within).fillna(0).astype("int64")
    people["of_repeat"] = people["victimisations"] * people["repeat"]
    by_dataset["of_repeat"] = by_dataset["victimisations"] * by_dataset["repeat"]
    by_dataset["of_repeat_within"] = by_dataset["victimisations"] * by_dataset["repeat_within"]
    overall = RepeatCounts(len(people), int(people["repeat"].sum()), int(people["victimisations"].sum()),
                           int(people["of_repeat"].sum()))
    only_combined = int(((people["repeat"] == 1) & (people["repeat_within"] == 0)).sum())
    return RepeatVictimisation(
        period=period, window_months=window_months, overall=overall,
        by_dataset=_grouped(by_dataset, "dataset", "repeat"),
        within_dataset=_grouped(by_dataset, "dataset", "repeat_within"),
        by_age=_grouped(people, "band", "repeat"), by_sex=_grouped(people, "sex", "repeat"),
        by_ward=_grouped(people, "ward", "repeat"), repeat_only_when_combined=only_combined,
        victims_list=_victims_list(period_records, victims),
    )


def _flag_repeats(v: ibis.Table, partition: list[str], window_months: int) -> ibis.Table:
    """One row per victimisation day of each partition, with ``repeat``: another day within the window before."""
    days = v.group_by([*partition, "event_date"]).aggregate(records=v.count())
    window = ibis.window(group_by=partition, order_by="event_date")
    days = days.mutate(previous=days.event_date.lag().over(window))
    repeat = days.previous.notnull() & (days.previous >= days.event_date - ibis.interval(months=window_months))
    return days.mutate(repeat=repeat.fill_null(False))


def _grouped(frame, by: str, flag: str) -> dict[str, RepeatCounts]:
    out = {}
    for key, group in frame.groupby(by, sort=True):
        repeat = group[flag].astype("int64")
        out[str(key)] = RepeatCounts(len(group), int(repeat.sum()), int(group["victimisations"].sum()),
                                     int((group["victimisations"] * repeat).sum()))
    return out


def _victims_list(period_records: ibis.Table, victims: ibis.Table) -> tuple[RepeatVictim, ...]:
    repeat_people = victims.filter(victims.repeat == 1).select("person_id")
    records = period_records.join(repeat_people, "person_id").select(
        "person_id", "dataset", "event_date", "source_file", "source_line").order_by(
        ["person_id", "event_date", "dataset", "source_line"]).execute()
    out = []
    for person, group in records.groupby("person_id", sort=True):
        days = sorted({d.date() if hasattr(d, "date") else d for d in group["event_date"]})
        out.append(RepeatVictim(
            person_id=str(person), datasets=tuple(sorted(set(group["dataset"]))), victimisations=len(days),
            first=days[0], last=days[-1],
            records=tuple(f"{f} line {int(n)}" for f, n in zip(group["source_file"], group["source_line"]))))
    return tuple(out)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
