"""Proven reoffending the Ministry of Justice way, from offences with their disposal (conviction or caution) dates.

A worked example, period ending 2018-06-30. With disposal dates the follow-up (12 months) and the
waiting period (6 months) must both have ended, so the cohort is index dates 2016-01-01 to 2016-12-31:

    a  index 2016-02-10, 16, Male    offence 2016-03-01 proven 2016-04-10            counts
                                     offence 2017-02-09 proven 2017-08-09            counts (last day of follow-up,
                                                                                     proven the day before 18 months)
                                     offence 2017-02-10 proven 2017-03-01            out: 12 months after the index
    b  index 2016-06-01, 30, Female  offence 2016-12-01 proven 2017-12-01            out: committed in the follow-up
       (and 2016-09-01: the first                                                    but proven after the waiting period
        index date counts)           offence 2016-05-01 proven 2016-06-01            out: before the index date
    c  index 2016-11-15, 45, Male    offence 2017-01-10, never proven                out
                                     offence 2017-10-01 proven 2018-05-14            counts
    d  index 2017-02-01              offence 2017-03-01 proven 2017-04-01            not in the cohort year
    e  index 2015-12-31                                                              not in the cohort year

Offenders 3, reoffenders 2 (a, c), reoffences 3.
"""

from __future__ import annotations

from datetime import date

import ibis
import pandas as pd
from dateutil.relativedelta import relativedelta

from safer.analysis.reoffending import proven_reoffending
from safer.assessment.offenders import reoffending_note, with_proven_dates

COHORT = [("a", date(2016, 2, 10), 16, "Male"), ("b", date(2016, 6, 1), 30, "Female"),
          ("b", date(2016, 9, 1), 30, "Female"), ("c", date(2016, 11, 15), 45, "Male"),
          ("d", date(2017, 2, 1), 22, "Male"), ("e", date(2015, 12, 31), 50, "Female")]
OFFENCES = [("a", date(2016, 3, 1), date(2016, 4, 10)), ("a", date(2017, 2, 9), date(2017, 8, 9)),
            ("a", date(2017, 2, 10), date(2017, 3, 1)), ("b", date(2016, 12, 1), date(2017, 12, 1)),
            ("b", date(2016, 5, 1), date(2016, 6, 1)), ("c", date(2017, 1, 10), None),
            ("c", date(2017, 10, 1), date(2018, 5, 14)), ("d", date(2017, 3, 1), date(2017, 4, 1))]
PERIOD_END = date(2018, 6, 30)


def _tables(offences=OFFENCES):
    cohort = pd.DataFrame(COHORT, columns=["person_id", "index_date", "age", "sex"])
    frame = pd.DataFrame(offences, columns=["person_id", "offence_date", "proven_date"])
    frame["proven_date"] = pd.to_datetime(frame["proven_date"])
    return ibis.memtable(cohort), ibis.memtable(frame)


def _recount(offences, cohort_from: date, cohort_to: date) -> tuple[int, int, int]:
    """The MoJ rule written out in plain Python: offenders, reoffenders, reoffences."""
    index: dict[str, date] = {}
    for person, day, _, _ in sorted(COHORT, key=lambda r: r[1]):
        if cohort_from <= day <= cohort_to:
            index.setdefault(person, day)
    counted = {p: 0 for p in index}
    for person, committed, proven in offences:
        start = index.get(person)
        if start is None or proven is None:
            continue
        if start <= committed < start + relativedelta(months=12) and proven < start + relativedelta(months=18):
            counted[person] += 1
    return len(counted), sum(1 for n in counted.values() if n), sum(counted.values())


def test_the_worked_example():
    result = proven_reoffending(*_tables(), PERIOD_END)
    assert (result.cohort_from, result.cohort_to, result.waiting_months) == (date(2016, 1, 1), date(2016, 12, 31), 6)
    everyone = result.group("All")
    assert (everyone.offenders, everyone.reoffenders, everyone.reoffences) == (3, 2, 3)
    assert (everyone.offenders, everyone.reoffenders, everyone.reoffences) == _recount(
        OFFENCES, result.cohort_from, result.cohort_to)
    assert (everyone.binary_rate, everyone.per_offender, everyone.per_reoffender) == (66.7, 1.0, 1.5)
    juvenile, adult = result.group("Juvenile"), result.group("Adult")
    assert (juvenile.offenders, juvenile.reoffenders, juvenile.reoffences) == (1, 1, 2)
    assert (adult.offenders, adult.reoffenders, adult.reoffences) == (2, 1, 1)


def test_an_offence_proven_after_the_waiting_period_does_not_count_and_one_proven_a_day_earlier_does():
    late = proven_reoffending(*_tables(), PERIOD_END).group("Female")
    assert (late.offenders, late.reoffenders) == (1, 0)  # b: proven on 2017-12-01, index date + 18 months
    earlier = [(p, o, date(2017, 11, 30) if (p, o) == ("b", date(2016, 12, 1)) else d) for p, o, d in OFFENCES]
    result = proven_reoffending(*_tables(earlier), PERIOD_END)
    assert (result.group("Female").reoffenders, result.group("All").reoffences) == (1, 4)
    assert result.group("All").reoffences == _recount(earlier, result.cohort_from, result.cohort_to)[2]


def test_without_disposal_dates_the_approximation_is_used_and_said():
    cohort, offences = _tables([(p, o, None) for p, o, _ in OFFENCES])
    kept, proven = with_proven_dates(offences)
    assert not proven and "proven_date" not in kept.columns
    result = proven_reoffending(cohort, kept, PERIOD_END)
    assert (result.cohort_from, result.cohort_to, result.waiting_months) == (date(2016, 7, 1), date(2017, 6, 30), 0)
    # index dates 2016-07-01 to 2017-06-30: b (2016-09-01, its first in that year), c and d; every offence in
    # the 12 months counts, proven or not: b 2016-12-01, c 2017-01-10 and 2017-10-01, d 2017-03-01
    everyone = result.group("All")
    assert (everyone.offenders, everyone.reoffenders, everyone.reoffences) == (3, 3, 4)
    _, with_dates = _tables()
    assert with_proven_dates(with_dates)[1]


def test_the_note_says_which_cohorts_are_proven_and_which_approximated():
    note = reoffending_note({"YOS": {"method": "proven", "caveat": None},
                             "IOM": {"method": "approximation", "caveat": "The IOM offences carry no disposal date."}})
    assert "for YOS, proven by a conviction or caution" in note and "6-month waiting period" in note
    assert "The IOM offences carry no disposal date." in note and "local approximation" in note
