"""Repeat victims on a hand-made set of victimisations whose answers are worked out by hand.

Period July 2017 to June 2018, 12-month window:

    V1 marac 2017-05-01 (before the period), hate 2017-09-01     -> repeat, only when agencies combine
    V2 hate 2017-08-01, hate 2018-03-01                          -> repeat within hate crime (2 in period)
    V3 marac 2016-06-01, marac 2017-07-02                        -> 13 months apart: not a repeat
    V4 marac 2018-01-10 and hate 2018-01-10                      -> one victimisation (same day): not a repeat
    V5 safeguarding 2017-12-01, safeguarding 2018-11-30 (after)  -> not a repeat in the period
    V6 vawg 2017-07-15                                           -> not a repeat
    V7 marac 2017-06-30, hate 2018-06-30                         -> exactly 12 months: repeat, only when combined

Victims 7; repeat victims 3 (V1, V2, V7); victimisations 8; of repeat victims 4.
"""

from __future__ import annotations

from datetime import date

import ibis
import pandas as pd
import pytest

from safer.analysis.periods import Period
from safer.analysis.repeat_victims import repeat_victimisation

PERIOD = Period(date(2017, 7, 1), date(2018, 6, 1))
ROWS = [
    # person, dataset, date, age, sex, ward
    ("V1", "marac", date(2017, 5, 1), 70, "Female", "W1"), ("V1", "hate", date(2017, 9, 1), 70, "Female", "W1"),
    ("V2", "hate", date(2017, 8, 1), 30, "Male", "W2"), ("V2", "hate", date(2018, 3, 1), 30, "Male", "W2"),
    ("V3", "marac", date(2016, 6, 1), 40, "Female", "W1"), ("V3", "marac", date(2017, 7, 2), 41, "Female", "W1"),
    ("V4", "marac", date(2018, 1, 10), 19, "Female", None), ("V4", "hate", date(2018, 1, 10), 19, "Female", None),
    ("V5", "safeguarding", date(2017, 12, 1), 80, "Male", "W2"),
    ("V5", "safeguarding", date(2018, 11, 30), 81, "Male", "W2"),
    ("V6", "vawg", date(2017, 7, 15), None, "Not recorded", "W1"),
    ("V7", "marac", date(2017, 6, 30), 33, "Female", "W2"), ("V7", "hate", date(2018, 6, 30), 34, "Female", "W2"),
]


@pytest.fixture(scope="module")
def result():
    frame = pd.DataFrame(ROWS, columns=["person_id", "dataset", "event_date", "age", "sex", "ward"])
    frame["age"] = frame["age"].astype("Int64")
    frame["source_file"] = "file-" + frame["dataset"]
    frame["source_line"] = range(2, len(frame) + 2)
    return repeat_victimisation(ibis.memtable(frame), PERIOD, window_months=12)


def test_overall_counts(result):
    o = result.overall
    assert (o.victims, o.repeat_victims, o.victimisations, o.victimisations_of_repeat_victims) == (7, 3, 8, 4)
    assert o.repeat_rate == 42.9
    assert result.repeat_only_when_combined == 2


def test_by_dataset_across_agencies_and_within_each(result):
    got = {k: (c.victims, c.repeat_victims) for k, c in result.by_dataset.items()}
    assert got == {"hate": (4, 3), "marac": (2, 0), "safeguarding": (1, 0), "vawg": (1, 0)}
    within = {k: c.repeat_victims for k, c in result.within_dataset.items()}
    assert within == {"hate": 1, "marac": 0, "safeguarding": 0, "vawg": 0}


def test_profiles_use_the_first_victimisation_in_the_period(result):
    assert {k: (c.victims, c.repeat_victims) for k, c in result.by_age.items()} == {
        "65 and over": (2, 1), "25-34": (2, 2), "35-44": (1, 0), "18-24": (1, 0), "Not recorded": (1, 0)}
    assert {k: (c.victims, c.repeat_victims) for k, c in result.by_sex.items()} == {
        "Female": (4, 2), "Male": (2, 1), "Not recorded": (1, 0)}
    assert {k: c.victims for k, c in result.by_ward.items()} == {"W1": 3, "W2": 3, "Not recorded": 1}


def test_the_analyst_list_holds_the_repeat_victims_and_where_their_records_are(result):
    listed = {v.person_id: v for v in result.victims_list}
    assert set(listed) == {"V1", "V2", "V7"}
    assert listed["V2"].victimisations == 2 and listed["V2"].datasets == ("hate",)
    assert (listed["V2"].first, listed["V2"].last) == (date(2017, 8, 1), date(2018, 3, 1))
    assert listed["V1"].records == ("file-hate line 3",)  # only the record in the period


def test_a_shorter_window_finds_fewer_repeats():
    frame = pd.DataFrame(ROWS, columns=["person_id", "dataset", "event_date", "age", "sex", "ward"])
    frame["age"] = frame["age"].astype("Int64")
    frame["source_file"], frame["source_line"] = "f", 1
    six = repeat_victimisation(ibis.memtable(frame), PERIOD, window_months=6)
    assert six.overall.repeat_victims == 1  # V1: 4 months; V2: 7 months and V7: 12 months apart
