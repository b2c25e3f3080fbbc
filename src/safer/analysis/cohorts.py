"""Offender cohorts: who each cohort worked with in the period, and how the cohorts overlap.

Input is one row per spell on a cohort (YOS, IGU, IOM ...): ``person_id`` (linked across
datasets), ``cohort``, ``start_date``, ``end_date`` (null while open), ``age`` (at the start),
``sex``, ``ethnicity`` and ``ward`` (of residence). A person is **in a cohort in the period**
when one of their spells overlaps it; their profile is taken from their latest such spell.

The overlap of two cohorts is the number of people in both in the period (the 2018 assessment:
"nearly half of the YOS cohort is being worked with by the IGU").

Example:
    >>> cohorts = cohort_profiles(spells, current)  # doctest: +SKIP
    >>> cohorts.overlap[("YOS", "IGU")], cohorts.sizes["YOS"]  # doctest: +SKIP
    (26, 55)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis

from safer.analysis.periods import Period

UNKNOWN = "Not recorded"
COHORT_AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("Under 16", 0, 15), ("16-17", 16, 17), ("18-24", 18, 24), ("25-34", 25, 34), ("35-44", 35, 44),
    ("45 and over", 45, None))
DIMENSIONS = ("age", "sex", "ethnicity", "ward")


@dataclass(frozen=True)
class CohortProfiles:
    period: Period
    cohorts: tuple[str, ...]
    sizes: dict[str, int]  # people in each cohort in the period
    started: dict[str, int]  # spells starting in the period
    profiles: dict[str, dict[str, dict[str, int]]]  # dimension -> category -> cohort -> people
    overlap: dict[tuple[str, str], int]  # (cohort, other cohort) -> people in both


def cohort_age_band(age: ibis.Value) -> ibis.Value:
    cases = [((age >= low) if high is None else ((age >= low) & (age <= high)), label)
             for label, low, high in COHORT_AGE_BANDS]
    return ibis.cases(*cases, else_=UNKNOWN)


def cohort_profiles(spells: ibis.Table, period: Period, cohorts: Sequence[str] | None = None) -> CohortProfiles:
    """Cohort sizes, profiles by age band, sex, ethnicity and ward, and overlaps, for ``period``."""
    start, end = ibis.literal(period.first), ibis.literal(period.end_exclusive)
    s = spells.mutate(start_date=spells.start_date.cast("date"), end_date=spells.end_date.cast("date"))
    active = s.filter((s.start_date < end) & (s.end_date.isnull() | (s.end_date >= start)))
    latest_w = ibis.window(group_by=["cohort", "person_id"], order_by=[ibis.desc(active.start_date)])
    people = active.mutate(n=ibis.row_number().over(latest_w)).filter(lambda t: t.n == 0)
    people = people.select("cohort", "person_id", age=cohort_age_band(people.age), sex=people.sex.fill_null(UNKNOWN),
                           ethnicity=people.ethnicity.fill_null(UNKNOWN), ward=people.ward.fill_null(UNKNOWN))
    sizes = _counts(people, ["cohort"])
    names = tuple(cohorts) if cohorts is not None else tuple(sorted(sizes))
    started_rows = s.filter((s.start_date >= start) & (s.start_date < end))
    started = _counts(started_rows, ["cohort"])
    profiles: dict[str, dict[str, dict[str, int]]] = {}
    for dimension in DIMENSIONS:
        counted = people.group_by([dimension, "cohort"]).aggregate(n=people.count()).execute()
        table: dict[str, dict[str, int]] = {}
        for category, cohort, n in zip(counted[dimension], counted["cohort"], counted["n"]):
            table.setdefault(str(category), {})[str(cohort)] = int(n)
        profiles[dimension] = table
    pairs = people.select("cohort", "person_id")
    other = pairs.rename(other="cohort")
    joined = pairs.join(other, "person_id").filter(lambda t: t.cohort != t.other)
    counted = joined.group_by(["cohort", "other"]).aggregate(n=joined.person_id.nunique()).execute()
    overlap = {(str(a), str(b)): int(n) for a, b, n in zip(counted["cohort"], counted["other"], counted["n"])}
    return CohortProfiles(period=period, cohorts=names, sizes={c: sizes.get(c, 0) for c in names},
                          started={c: started.get(c, 0) for c in names}, profiles=profiles,
                          overlap={(a, b): overlap.get((a, b), 0) for a in names for b in names if a != b})


def _counts(table: ibis.Table, by: list[str]) -> dict[str, int]:
    counted = table.group_by(by).aggregate(n=table.count()).execute()
    return {str(k): int(n) for k, n in zip(counted[by[0]], counted["n"])}
