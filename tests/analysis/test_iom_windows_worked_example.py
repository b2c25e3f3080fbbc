"""IOM before / during / after on a worked example, every figure worked out by hand below.

Period July 2017 to June 2018, 3-month windows: spells that ended 1 April 2017 to 31 March 2018 count.

M1 on the cohort 2017-01-10 to 2017-10-20; custody 2017-06-01 to 2017-06-30 (30 days).
    before 2016-10-10..2017-01-09 = 92 days: offences 2016-11-01 (£1,000), 2016-11-11 (no cost), 2016-12-01 (£500)
        -> 3 offences, 2 costed, £1,500, intervals 10 and 20 days
    during 2017-01-10..2017-10-20 = 284 days, 254 at liberty: 2017-03-01 (£2,000), 2017-09-01 (£2,000) -> interval 184
    after 2017-10-21..2018-01-20 = 92 days: 2018-01-20 (£300), the window's last day
M2 on the cohort 2017-05-15 to 2018-03-31; custody from 2018-06-20, still open.
    before 2017-02-15..2017-05-14 = 89 days: none
    during 2017-05-15..2018-03-31 = 321 days: 2017-06-01 (£100)
    after 2018-04-01..2018-06-30 = 91 days, 80 at liberty: 2018-04-02 (£100), 2018-04-05 (£100) -> interval 3
M3 left 2018-04-01, M4 is still on the cohort, M5 left 2017-03-31: not compared.
"""

from __future__ import annotations

from datetime import date

import ibis
import pandas as pd
import pytest

from safer.analysis.iom import iom_before_during_after, rag_mix, shift_months
from safer.analysis.periods import Period

PERIOD = Period(date(2017, 7, 1), date(2018, 6, 1))


@pytest.fixture(scope="module")
def impact():
    spells = pd.DataFrame([
        ("M1", date(2017, 1, 10), date(2017, 10, 20)), ("M2", date(2017, 5, 15), date(2018, 3, 31)),
        ("M3", date(2017, 6, 1), date(2018, 4, 1)), ("M4", date(2017, 6, 1), None),
        ("M5", date(2016, 6, 1), date(2017, 3, 31))], columns=["person_id", "start_date", "end_date"])
    offences = pd.DataFrame([
        ("M1", date(2016, 11, 1), 1000.0), ("M1", date(2016, 11, 11), None), ("M1", date(2016, 12, 1), 500.0),
        ("M1", date(2017, 3, 1), 2000.0), ("M1", date(2017, 9, 1), 2000.0), ("M1", date(2018, 1, 20), 300.0),
        ("M1", date(2018, 1, 21), 999.0),  # a day after the after-window: not counted
        ("M2", date(2017, 6, 1), 100.0), ("M2", date(2018, 4, 2), 100.0), ("M2", date(2018, 4, 5), 100.0),
        ("M3", date(2017, 7, 1), 50.0), ("M4", date(2017, 8, 1), 50.0)],
        columns=["person_id", "offence_date", "cost"])
    custody = pd.DataFrame([("M1", date(2017, 6, 1), date(2017, 6, 30)), ("M2", date(2018, 6, 20), None)],
                           columns=["person_id", "custody_start", "custody_end"])
    return iom_before_during_after(ibis.memtable(spells), ibis.memtable(offences), PERIOD,
                                   custody=ibis.memtable(custody))


def test_which_spells_are_compared(impact):
    assert (impact.left_from, impact.left_to) == (date(2017, 4, 1), date(2018, 3, 31))
    assert impact.members == 2 and impact.custody_known


def test_before(impact):
    w = impact.window("before")
    assert (w.members, w.members_offending, w.offences, w.offences_costed, w.cost) == (2, 1, 3, 2, 1500.0)
    assert (w.days_at_liberty, w.intervals, w.interval_days) == (92 + 89, 2, 30)
    assert w.mean_interval_days == 15.0
    assert w.offences_per_100_days == round(300 / 181, 2) == 1.66
    assert w.cost_per_100_days == round(150000 / 181) == 829


def test_during_takes_custody_out(impact):
    w = impact.window("during")
    assert (w.members_offending, w.offences, w.cost) == (2, 3, 4100.0)
    assert w.days_at_liberty == (284 - 30) + 321
    assert (w.intervals, w.mean_interval_days) == (1, 184.0)
    assert w.offences_per_100_days == round(300 / 575, 2)


def test_after_with_custody_still_open(impact):
    w = impact.window("after")
    assert (w.members_offending, w.offences, w.cost) == (2, 3, 500.0)
    assert w.days_at_liberty == 92 + (91 - 11)
    assert w.mean_interval_days == 3.0
    assert w.offences_per_100_days == round(300 / 172, 2)


def test_who_offended_less_after(impact):
    assert (impact.fewer_after, impact.more_after) == (1, 1)  # M1: 3 then 1 in 92 days; M2: none then 2


def test_month_shifts_clamp_to_the_month_end():
    assert shift_months(date(2017, 1, 10), -3) == date(2016, 10, 10)
    assert shift_months(date(2018, 5, 31), -3) == date(2018, 2, 28)


def test_rag_mix_on_the_last_day():
    spells = pd.DataFrame([
        ("A", date(2017, 1, 1), None, "Red"), ("B", date(2017, 1, 1), date(2018, 3, 31), "Green"),
        ("C", date(2016, 1, 1), date(2016, 12, 31), "Amber"), ("C", date(2018, 2, 1), None, "Blue"),
        ("D", date(2018, 7, 1), None, "Red"), ("E", date(2018, 6, 30), None, None)],
        columns=["person_id", "start_date", "end_date", "rag"])
    mix = rag_mix(ibis.memtable(spells), date(2018, 6, 30))
    assert mix == {"Red": 1, "Amber": 0, "Green": 0, "Blue": 1, "Not recorded": 1}
