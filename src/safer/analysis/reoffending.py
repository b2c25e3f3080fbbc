"""Proven reoffending, as the Ministry of Justice measures it, from a local cohort and its offences.

The MoJ measure (see the reference notes): a cohort of offenders, each with an **index date** (the
first qualifying event in the cohort year); a **follow-up** of 12 months from the index date; and a
**waiting period** of a further 6 months for offences committed in the follow-up to be proved.
A reoffence is an offence committed in ``[index date, index date + 12 months)`` and proved by the
end of the waiting period. Measures, by group:

- **binary rate**: reoffenders / offenders x 100;
- **frequency**: reoffences / offenders, and reoffences / reoffenders.

Local data cannot reproduce the MoJ figure exactly (it matches the Police National Computer
nationally), so the result is labelled a local approximation. When the offences carry no date of
conviction or caution, every recorded offence in the follow-up counts and no waiting period is
needed; the cohort is then the latest 12 months of index dates whose follow-up has ended.
Otherwise it is the latest 12 months whose follow-up and waiting period have ended.

Example:
    >>> result = proven_reoffending(cohort, offences, period_end=date(2018, 6, 30))  # doctest: +SKIP
    >>> result.group("All").binary_rate  # doctest: +SKIP
    30.8
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import ibis
import pandas as pd

from safer.analysis.iom import shift_months

#: MoJ proven reoffending age bands (age at the index date).
MOJ_AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("10-14", 10, 14), ("15-17", 15, 17), ("18-20", 18, 20), ("21-24", 21, 24), ("25-29", 25, 29),
    ("30-34", 30, 34), ("35-39", 35, 39), ("40-44", 40, 44), ("45-49", 45, 49), ("50 and over", 50, None))
UNKNOWN = "Not recorded"


@dataclass(frozen=True)
class ReoffendingGroup:
    group: str
    offenders: int
    reoffenders: int
    reoffences: int

    @property
    def binary_rate(self) -> float | None:
        return round(100.0 * self.reoffenders / self.offenders, 1) if self.offenders else None

    @property
    def per_offender(self) -> float | None:
        return round(self.reoffences / self.offenders, 2) if self.offenders else None

    @property
    def per_reoffender(self) -> float | None:
        return round(self.reoffences / self.reoffenders, 2) if self.reoffenders else None


@dataclass(frozen=True)
class Reoffending:
    cohort_from: date
    cohort_to: date
    followup_months: int
    waiting_months: int  # 0 when offences carry no proven date
    groups: tuple[ReoffendingGroup, ...]  # All, Adult, Juvenile, sexes, age bands (see :func:`groups_of`)

    def group(self, name: str) -> ReoffendingGroup:
        for g in self.groups:
            if g.group == name:
                return g
        raise KeyError(name)


def proven_reoffending(cohort: ibis.Table, offences: ibis.Table, period_end: date, *, followup_months: int = 12,
                       waiting_months: int = 6, cohort_months: int = 12) -> Reoffending:
    """Reoffending of the latest cohort whose follow-up is complete by ``period_end`` (the period's last day).

    ``cohort``: ``person_id``, ``index_date``, ``age`` (at the index date), ``sex``.
    ``offences``: ``person_id``, ``offence_date`` and, optionally, ``proven_date`` (conviction or caution).
    """
    proven = "proven_date" in offences.columns
    waiting = waiting_months if proven else 0
    cohort_to = shift_months(period_end + timedelta(days=1), -(followup_months + waiting)) - timedelta(days=1)
    cohort_from = shift_months(cohort_to + timedelta(days=1), -cohort_months)
    c = cohort.mutate(index_date=cohort.index_date.cast("date"))
    c = c.filter((c.index_date >= cohort_from) & (c.index_date <= cohort_to))
    first = ibis.window(group_by="person_id", order_by=[c.index_date])
    c = c.mutate(n=ibis.row_number().over(first)).filter(lambda t: t.n == 0).select("person_id", "index_date", "age",
                                                                                      "sex")
    o = offences.mutate(offence_date=offences.offence_date.cast("date"))
    joined = c.join(o, "person_id")
    in_followup = (joined.offence_date >= joined.index_date) & (
        joined.offence_date < joined.index_date + ibis.interval(months=followup_months))
    if proven:
        in_followup = in_followup & joined.proven_date.notnull() & (
            joined.proven_date.cast("date") < joined.index_date + ibis.interval(months=followup_months + waiting))
    followed = joined.filter(in_followup)
    counted = followed.group_by("person_id").aggregate(reoffences=followed.count())
    people = c.left_join(counted, "person_id").select("person_id", "age", "sex", reoffences=counted.reoffences)
    rows = people.execute()
    groups = _groups(rows)
    return Reoffending(cohort_from=cohort_from, cohort_to=cohort_to, followup_months=followup_months,
                       waiting_months=waiting, groups=groups)


def groups_of(age, sex) -> list[str]:
    """The groups one offender counts in: All, Adult or Juvenile, their sex, their age band."""
    out = ["All"]
    known_age = not pd.isna(age) and 10 <= age <= 120  # under 10s cannot offend: a recording error
    if known_age:
        out.append("Adult" if age >= 18 else "Juvenile")
    sex_label = str(sex) if not pd.isna(sex) and str(sex) in ("Male", "Female") else UNKNOWN
    out.append(sex_label if sex_label != UNKNOWN else "Sex not recorded")
    band = UNKNOWN
    if known_age:
        for label, low, high in MOJ_AGE_BANDS:
            if age >= low and (high is None or age <= high):
                band = label
    out.append(band if band != UNKNOWN else "Age not recorded")
    return out


def _groups(rows) -> tuple[ReoffendingGroup, ...]:
    order = ["All", "Adult", "Juvenile", "Age not recorded", "Male", "Female", "Sex not recorded",
             *[label for label, _, _ in MOJ_AGE_BANDS]]
    totals = {name: [0, 0, 0] for name in order}
    for age, sex, reoffences in zip(rows["age"], rows["sex"], rows["reoffences"]):
        n = 0 if pd.isna(reoffences) else int(reoffences)
        for name in groups_of(age, sex):
            totals[name][0] += 1
            totals[name][1] += n > 0
            totals[name][2] += n
    return tuple(ReoffendingGroup(name, *values) for name, values in totals.items())
