"""Is a change more than chance? Significance tests for counts and for rates.

Counts use the Poisson z-score ``z = 2 * (sqrt(current) - sqrt(previous))`` (the square root
of a Poisson count has a variance close to 1/4 whatever its mean, so doubling the difference of
roots gives a standard normal score when the previous count is taken as the expected level; see
A. P. Wheeler, "Testing changes in short run crime patterns", 2018). Rates (e.g. the share of
crimes with a sanctioned outcome) use the two-proportion z-test with a pooled proportion.

A change is called significant when ``|z| >= threshold``; the default, 1.96, is the two-sided
5% level. Findings only call a change an increase or a decrease when it is significant. Both tests
rest on normal approximations that fail for tiny counts, so a change is never called significant
when the larger count is below ``MIN_COUNT`` (5), or, for rates, when fewer than 5 hits or misses
are expected in either period (the usual rule for the two-proportion test). The z-score is still
reported.

Example:
    >>> poisson_change(16, 25).z
    2.0
    >>> poisson_change(16, 25).significant
    True
    >>> poisson_change(147, 161).direction
    'no significant change'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z_THRESHOLD = 1.96
MIN_COUNT = 5
INCREASE = "increase"
DECREASE = "decrease"
NO_CHANGE = "no significant change"


@dataclass(frozen=True)
class Significance:
    """The outcome of one test: the z-score, the threshold it was held to and what it means."""

    test: str
    z: float | None  # None when there is nothing to test (e.g. a rate with no crimes in a period)
    threshold: float
    enough_data: bool = True  # False when the counts are too small for the approximation to hold

    @property
    def significant(self) -> bool:
        return self.enough_data and self.z is not None and abs(self.z) >= self.threshold

    @property
    def direction(self) -> str:
        """``'increase'``, ``'decrease'`` or ``'no significant change'``."""
        if not self.significant:
            return NO_CHANGE
        return INCREASE if self.z > 0 else DECREASE

    def as_dict(self) -> dict[str, object]:
        return {"test": self.test, "z": self.z, "threshold": self.threshold, "enough_data": self.enough_data,
                "significant": self.significant, "direction": self.direction}


def poisson_z(previous: float, current: float) -> float | None:
    """``2 * (sqrt(current) - sqrt(previous))``, rounded to two places; None for a negative count.

    >>> poisson_z(0, 9)
    6.0
    """
    if previous is None or current is None or previous < 0 or current < 0:
        return None
    return round(2.0 * (math.sqrt(current) - math.sqrt(previous)), 2)


def poisson_change(previous: float, current: float, threshold: float = Z_THRESHOLD) -> Significance:
    """Test a change between two counts of the same length of time.

    >>> poisson_change(1, 3).significant  # +200%, but too few crimes to tell from chance
    False
    >>> poisson_change(0, 9).z, poisson_change(0, 9).significant  # a zero baseline gives a finite answer
    (6.0, True)
    """
    _check_threshold(threshold)
    enough = previous is not None and current is not None and max(previous, current) >= MIN_COUNT
    return Significance(test="poisson", z=poisson_z(previous, current), threshold=threshold, enough_data=enough)


def proportion_change(previous_hits: int, previous_total: int, current_hits: int, current_total: int,
                      threshold: float = Z_THRESHOLD) -> Significance:
    """Test a change between two rates (``hits / total``) with the pooled two-proportion z-test.

    >>> round(proportion_change(142, 1000, 106, 1000).z, 2)
    -2.44
    """
    _check_threshold(threshold)
    for name, value in (("previous_hits", previous_hits), ("previous_total", previous_total),
                        ("current_hits", current_hits), ("current_total", current_total)):
        if value < 0:
            raise ValueError(f"{name} is {value}; counts cannot be negative")
    if previous_hits > previous_total or current_hits > current_total:
        raise ValueError("hits cannot exceed the total they are a share of")
    if previous_total == 0 or current_total == 0:
        return Significance(test="two-proportion", z=None, threshold=threshold)
    pooled = (previous_hits + current_hits) / (previous_total + current_total)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / previous_total + 1 / current_total))
    if spread == 0:
        return Significance(test="two-proportion", z=0.0, threshold=threshold)
    z = (current_hits / current_total - previous_hits / previous_total) / spread
    expected = min(n * p for n in (previous_total, current_total) for p in (pooled, 1 - pooled))
    return Significance(test="two-proportion", z=round(z, 2), threshold=threshold, enough_data=expected >= MIN_COUNT)


def _check_threshold(threshold: float) -> None:
    if not threshold > 0:
        raise ValueError(f"threshold is {threshold}; give a positive z, e.g. 1.96 for the 5% level")
