"""Significance of changes: worked examples with known answers, and the Change keys results.json keeps."""

from __future__ import annotations

import math

import pytest

from safer.analysis.change import Change
from safer.analysis.significance import MIN_COUNT, Z_THRESHOLD, poisson_change, proportion_change


def test_poisson_z_of_a_worked_example():
    # 16 robberies a month on average, 25 this month: 2 * (5 - 4) = 2 (Wheeler's example)
    assert poisson_change(16, 25).z == 2.0
    assert poisson_change(16, 25).significant
    assert poisson_change(25, 16).direction == "decrease"


def test_a_nine_percent_rise_on_large_counts_is_significant_and_on_small_counts_is_not():
    assert Change.between(53686, 58627).significant  # the seed's 9% rise in all crime
    assert Change.between(53686, 58627).z == round(2 * (math.sqrt(58627) - math.sqrt(53686)), 2)
    small = Change.between(33, 36)  # also +9%
    assert not small.significant and small.direction == "no significant change"


def test_zero_baselines_and_tiny_counts_never_mislead():
    change = Change.between(0, 3)
    assert change.pct_change is None  # no infinite percentage
    assert change.z == round(2 * math.sqrt(3), 2) and math.isfinite(change.z)
    assert not change.significant  # below the minimum count the approximation does not hold
    assert not Change.between(1, 0).significant  # |z| = 2, but one crime against none is not a trend
    assert Change.between(0, 9).significant and Change.between(0, 9).pct_change is None
    assert MIN_COUNT == 5 and Z_THRESHOLD == 1.96


def test_two_proportion_test_matches_the_formula():
    # 14.2% of 1000 then 10.6% of 1000: pooled p = 0.124, se = sqrt(p(1-p)(2/1000))
    p = 0.124
    expected = (0.106 - 0.142) / math.sqrt(p * (1 - p) * (2 / 1000))
    result = proportion_change(142, 1000, 106, 1000)
    assert result.z == round(expected, 2)
    assert result.significant and result.direction == "decrease"
    assert proportion_change(0, 0, 5, 10).z is None  # nothing to compare with
    assert not proportion_change(1, 10, 3, 10).significant  # too few expected hits for the test
    with pytest.raises(ValueError, match="hits cannot exceed"):
        proportion_change(11, 10, 1, 10)


def test_change_keeps_its_keys_and_adds_the_test():
    d = Change.between(147, 161).as_dict()
    assert {k: d[k] for k in ("previous", "current", "change", "pct_change")} == \
        {"previous": 147, "current": 161, "change": 14, "pct_change": 9.5}
    assert d["z"] == round(2 * (math.sqrt(161) - math.sqrt(147)), 2)
    assert d["significant"] is False and d["direction"] == "no significant change"
