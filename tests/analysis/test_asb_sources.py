"""Anti-social behaviour from police and council side by side, with notes for what is missing.

Hand-made monthly records with counts chosen so every answer can be worked out by hand.
"""

from __future__ import annotations

from datetime import date

import ibis
import pandas as pd
import pytest

from safer.analysis.asb import asb_sources
from safer.analysis.periods import Period

CURRENT = Period(date(2017, 7, 1), date(2018, 6, 1))
PREVIOUS = Period(date(2016, 7, 1), date(2017, 6, 1))
SPAN = Period(date(2016, 7, 1), date(2018, 6, 1))


def _monthly(per_month_previous: int, per_month_current: int) -> ibis.Table:
    months = pd.date_range("2016-07-01", "2018-06-01", freq="MS").date
    rows = [m for m in months for _ in range(per_month_previous if m < date(2017, 7, 1) else per_month_current)]
    return ibis.memtable(pd.DataFrame({"month": rows}))


def test_both_sources_with_trend_change_per_day_and_share():
    police, police_force = _monthly(10, 8), _monthly(100, 100)
    council = _monthly(5, 6)
    result = asb_sources({"police": (police, police_force), "council": (council, None)}, SPAN, CURRENT, PREVIOUS,
                         synthetic={"council": True})
    p, c = result.source("police"), result.source("council")
    assert (p.change.previous, p.change.current) == (120, 96)
    assert p.per_day_current == pytest.approx(96 / 365) and p.share_current == pytest.approx(8.0)
    assert (c.change.previous, c.change.current, c.synthetic) == (60, 72, True)
    assert c.comparator is None and any("council records loaded do not cover the comparator" in n for n in result.notes)
    assert len(p.trend.points) == 24 and p.trend.points[-1].moving_daily_average == pytest.approx(96 / 365)
    assert result.missing == ()


def test_a_missing_council_source_is_noted_not_dropped():
    police = _monthly(10, 8)
    result = asb_sources({"police": (police, None), "council": None}, SPAN, CURRENT, PREVIOUS)
    assert [s.source for s in result.sources] == ["police"] and result.missing == ("council",)
    assert any(n.startswith("Council-recorded anti-social behaviour reports were not supplied, so the police trend")
               for n in result.notes)
    document = result.as_dict()
    assert document["missing"] == ["council"] and "council" not in document["sources"]


def test_a_source_with_no_records_in_either_period_counts_as_missing():
    empty = ibis.memtable(pd.DataFrame({"month": [date(2015, 1, 1)]}))
    result = asb_sources({"police": (_monthly(1, 1), None), "council": (empty, None)}, SPAN, CURRENT, PREVIOUS)
    assert result.missing == ("council",)


def test_demo_council_asb_recounted_from_the_synthetic_file(demo_output, demo_results):
    raw = pd.read_csv(demo_output / "synthetic-partner-data" / "incident-and-aggregate" / "synthetic-council-asb.csv",
                      dtype=str, keep_default_na=False)
    now = raw[(raw["Reported at"] >= "2017-07-01") & (raw["Reported at"] < "2018-07-01")]
    before = raw[(raw["Reported at"] >= "2016-07-01") & (raw["Reported at"] < "2017-07-01")]
    council = demo_results["asb"]["sources"]["council"]
    assert (council["area"]["previous"], council["area"]["current"]) == (len(before), len(now))
    assert council["synthetic"] is True
    assert council["per_day_current"] == pytest.approx(len(now) / 365, abs=0.001)
    police = demo_results["asb"]["sources"]["police"]
    assert police["area"]["current"] == demo_results["overview"]["asb"]["total"]["area"]["current"]
