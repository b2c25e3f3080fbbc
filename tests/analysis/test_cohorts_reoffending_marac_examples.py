"""Cohort overlaps, proven reoffending and the MARAC indicators on small hand-made examples.

Every expected figure is counted by hand in the comments beside the data.
"""

from __future__ import annotations

from datetime import date

import ibis
import pandas as pd

from safer.analysis.cohorts import cohort_profiles
from safer.analysis.marac import Expectation, marac_indicators
from safer.analysis.periods import Period
from safer.analysis.reoffending import proven_reoffending

PERIOD = Period(date(2017, 7, 1), date(2018, 6, 1))


def test_cohort_sizes_profiles_and_overlaps():
    spells = pd.DataFrame([
        # person, cohort, start, end, age, sex, ethnicity, ward
        ("p1", "YOS", date(2017, 1, 1), date(2017, 9, 1), 16, "Male", "Black", "W1"),   # overlaps the period
        ("p1", "IGU", date(2017, 8, 1), date(2017, 8, 1), 16, "Male", None, "W1"),     # in both YOS and IGU
        ("p2", "YOS", date(2018, 6, 30), None, 15, "Female", "White", "W2"),           # starts on the last day
        ("p3", "YOS", date(2016, 1, 1), date(2017, 6, 30), 17, "Male", "Asian", "W1"),  # ended before: out
        ("p4", "IGU", date(2017, 12, 1), date(2017, 12, 1), 19, "Male", None, None),
        ("p5", "IOM", date(2015, 1, 1), None, 30, "Male", "White North European", "W3"),  # still open: in
        ("p5", "YOS", date(2017, 7, 1), date(2017, 7, 5), 30, "Male", "White", "W3"),     # also YOS
        ("p5", "YOS", date(2018, 1, 1), date(2018, 2, 1), 31, "Male", "White", "W2"),     # latest YOS spell
    ], columns=["person_id", "cohort", "start_date", "end_date", "age", "sex", "ethnicity", "ward"])
    result = cohort_profiles(ibis.memtable(spells), PERIOD, ["YOS", "IGU", "IOM"])
    assert result.sizes == {"YOS": 3, "IGU": 2, "IOM": 1}  # YOS p1 p2 p5; IGU p1 p4; IOM p5
    assert result.started == {"YOS": 3, "IGU": 2, "IOM": 0}  # spells starting in the period
    assert result.overlap[("YOS", "IGU")] == result.overlap[("IGU", "YOS")] == 1
    assert result.overlap[("YOS", "IOM")] == 1 and result.overlap[("IGU", "IOM")] == 0
    assert result.profiles["ward"]["W2"] == {"YOS": 2}  # p2, and p5 from their latest YOS spell
    assert result.profiles["age"]["16-17"] == {"YOS": 1, "IGU": 1}
    assert result.profiles["age"]["Under 16"] == {"YOS": 1}
    assert result.profiles["ethnicity"]["Not recorded"] == {"IGU": 2}


def test_proven_reoffending_without_conviction_dates():
    """Period ends 2018-06-30; no proven dates, so no waiting period: index dates 2016-07-01 to 2017-06-30."""
    cohort = pd.DataFrame([
        ("r1", date(2016, 8, 1), 15, "Male"),
        ("r2", date(2017, 6, 30), 30, "Female"),
        ("r3", date(2016, 6, 30), 22, "Male"),    # before the cohort year: out
        ("r4", date(2016, 9, 1), 40, "Male"),
        ("r4", date(2017, 1, 1), 40, "Male"),     # a second index event: the first counts
        ("r5", date(2017, 1, 15), None, None),
    ], columns=["person_id", "index_date", "age", "sex"])
    cohort["age"] = cohort["age"].astype("Int64")
    offences = pd.DataFrame([
        ("r1", date(2016, 8, 1)), ("r1", date(2017, 7, 31)),  # both in [2016-08-01, 2017-08-01)
        ("r1", date(2017, 8, 1)),                              # one year on: out
        ("r2", date(2016, 1, 1)),                              # before the index date: out
        ("r3", date(2016, 7, 1)),
        ("r4", date(2017, 8, 31)),                             # within a year of 2016-09-01
    ], columns=["person_id", "offence_date"])
    result = proven_reoffending(ibis.memtable(cohort), ibis.memtable(offences), date(2018, 6, 30))
    assert (result.cohort_from, result.cohort_to, result.waiting_months) == (date(2016, 7, 1), date(2017, 6, 30), 0)
    expected = {"All": (4, 2, 3), "Adult": (2, 1, 1), "Juvenile": (1, 1, 2), "Age not recorded": (1, 0, 0),
                "Male": (2, 2, 3), "Female": (1, 0, 0), "Sex not recorded": (1, 0, 0), "15-17": (1, 1, 2),
                "30-34": (1, 0, 0), "40-44": (1, 1, 1), "18-20": (0, 0, 0)}
    for group, counts in expected.items():
        g = result.group(group)
        assert (g.offenders, g.reoffenders, g.reoffences) == counts, group
    all_ = result.group("All")
    assert (all_.binary_rate, all_.per_offender, all_.per_reoffender) == (50.0, 0.75, 1.5)


def test_proven_reoffending_with_conviction_dates_applies_the_waiting_period():
    """With proven dates: follow-up 12 months plus 6 months waiting, so index dates 2016-01-01 to 2016-12-31."""
    cohort = pd.DataFrame([("a", date(2016, 3, 1), 25, "Male"), ("b", date(2016, 12, 31), 25, "Male")],
                          columns=["person_id", "index_date", "age", "sex"])
    offences = pd.DataFrame([
        ("a", date(2016, 5, 1), date(2017, 8, 31)),   # proven before 2017-09-01 (index + 18 months): counts
        ("a", date(2016, 6, 1), date(2017, 9, 1)),    # proven a day too late: out
        ("a", date(2016, 7, 1), None),                # never proven: out
        ("b", date(2017, 12, 30), date(2018, 1, 5)),  # within a year of 2016-12-31 and proven in time
    ], columns=["person_id", "offence_date", "proven_date"])
    result = proven_reoffending(ibis.memtable(cohort), ibis.memtable(offences), date(2018, 6, 30))
    assert (result.cohort_from, result.cohort_to, result.waiting_months) == (date(2016, 1, 1), date(2016, 12, 31), 6)
    assert (result.group("All").reoffenders, result.group("All").reoffences) == (2, 2)


def test_marac_indicators_against_expected_ranges():
    rows = []
    # 10 cases in the period: 3 from the police, 2 male, 1 aged 16-17, 4 disabled, 20 children in all
    for i in range(10):
        rows.append({"person_id": f"v{i}", "referral_date": date(2017, 8, 1 + i),
                     "referring_agency": "Police" if i < 3 else "IDVA", "repeat_case": i < 2,
                     "sex": "Male" if i in (0, 1) else "Female", "age_band": "16-17" if i == 9 else "25-34",
                     "age": None, "bme": i < 5, "lgbt": False, "disability": i < 4, "children": 2})
    # v0 was referred 11 months before (repeat by linkage); v1 13 months before (not); a case before the period
    rows.append({**rows[0], "referral_date": date(2016, 9, 1), "repeat_case": False})
    rows.append({**rows[1], "referral_date": date(2016, 7, 1), "repeat_case": False})
    frame = pd.DataFrame(rows)
    frame["age"] = frame["age"].astype("Int64")
    expectations = {"repeat_rate_pct": Expectation("repeat_rate_pct", 28, 40, "percent of cases", "unverified", "x"),
                    "police_referrals_pct": Expectation("police_referrals_pct", 60, 75, "percent", "unverified", "x"),
                    "cases_per_10k_adult_females": Expectation("c", 40, 40, "cases per 10000", "verified", "x"),
                    "disability_pct": Expectation("disability_pct", 16, 16, "percent", "unverified", "x")}
    result = marac_indicators(ibis.memtable(frame), PERIOD, adult_female_population=2500, expectations=expectations)
    got = {i.key: (i.count, i.value, i.assessment) for i in result.indicators}
    assert result.cases == 10
    assert got["cases"] == (10, 40.0, "within")  # 10 per 2,500 women is 40 per 10,000
    assert got["repeat_recorded"] == (2, 20.0, "below")
    assert got["repeat_linked"] == (1, 10.0, "below")
    assert got["police"] == (3, 30.0, "below")
    assert got["disability"] == (4, 40.0, "above")
    assert got["male"] == (2, 20.0, None)  # no expectation given
    assert got["aged_16_17"][:2] == (1, 10.0)
    assert got["children"][0] == 20
