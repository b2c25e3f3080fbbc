"""The SafeLives MARAC indicators, each against its expected range.

From the MARAC's cases (one row per referral): cases discussed in the period and per 10,000 adult
women, repeat cases (as the MARAC recorded them, and as found by linking the same victim's
referrals within 12 months, the SafeLives definition), referrals from the police, and the shares
of black and minority ethnic, LGBT, disabled, male and 16-17 year old victims, and the children in
the households. Each indicator with an expected range (``marac_indicators.csv``) is marked
``within``, ``below`` or ``above`` it; a single expected value is a range of one value.

Example:
    >>> result = marac_indicators(cases, current, adult_female_population=92_500, expectations=expected)  # doctest: +SKIP
    >>> result.indicator("repeat_linked").assessment  # doctest: +SKIP
    'below'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import ibis

from safer.analysis.periods import Period

WITHIN, BELOW, ABOVE = "within", "below", "above"


@dataclass(frozen=True)
class Expectation:
    """An expected range from ``marac_indicators.csv`` (``low`` = ``high`` for a single value)."""

    indicator: str
    low: float | None
    high: float | None
    unit: str
    status: str  # "verified" or "unverified"
    source: str

    @property
    def label(self) -> str | None:
        if self.low is None:
            return None
        low, high = f"{self.low:g}", f"{self.high:g}"
        suffix = "%" if "percent" in self.unit else ""
        return f"{low}{suffix}" if low == high else f"{low}{suffix} to {high}{suffix}"

    def assess(self, value: float | None) -> str | None:
        if value is None or self.low is None:
            return None
        if value < self.low:
            return BELOW
        if value > self.high:
            return ABOVE
        return WITHIN


@dataclass(frozen=True)
class MaracIndicator:
    key: str
    label: str
    count: int
    value: float | None  # % of cases, or cases per 10,000 adult women for ``cases``
    unit: str  # "% of cases", "per 10,000 adult women" or "" (a count only)
    expectation: Expectation | None

    @property
    def assessment(self) -> str | None:
        return self.expectation.assess(self.value) if self.expectation else None


@dataclass(frozen=True)
class MaracIndicators:
    period: Period
    cases: int
    adult_female_population: int | None
    indicators: tuple[MaracIndicator, ...]

    def indicator(self, key: str) -> MaracIndicator:
        for indicator in self.indicators:
            if indicator.key == key:
                return indicator
        raise KeyError(key)


#: (key, label, expectation indicator name) in report order; the count of each is computed below.
INDICATORS: tuple[tuple[str, str, str | None], ...] = (
    ("cases", "Cases discussed", "cases_per_10k_adult_females"),
    ("repeat_recorded", "Repeat cases, as recorded by the MARAC", "repeat_rate_pct"),
    ("repeat_linked", "Repeat cases, same victim referred within 12 months (linked)", "repeat_rate_pct"),
    ("police", "Referred by the police", "police_referrals_pct"),
    ("bme", "Black and minority ethnic victims", "bme_victims_pct"),
    ("lgbt", "LGBT victims", "lgbt_victims_pct"),
    ("disability", "Victims with a disability", "disability_pct"),
    ("male", "Male victims", "male_victims_pct"),
    ("aged_16_17", "Victims aged 16 or 17", None),
    ("children", "Children in the households", None),
)


def marac_indicators(cases: ibis.Table, period: Period, *, adult_female_population: int | None,
                     expectations: Mapping[str, Expectation], repeat_window_months: int = 12) -> MaracIndicators:
    """The indicator table for ``period``.

    ``cases``: ``person_id``, ``referral_date``, ``referring_agency``, ``repeat_case`` (bool or null),
    ``sex``, ``age_band``, ``age`` (or null), ``bme``, ``lgbt``, ``disability`` (bool or null) and
    ``children`` (a count or null).
    """
    c = cases.mutate(referral_date=cases.referral_date.cast("date"))
    window = ibis.window(group_by="person_id", order_by=[c.referral_date])
    c = c.mutate(previous=c.referral_date.lag().over(window))
    linked_repeat = c.previous.notnull() & (
        c.previous >= c.referral_date - ibis.interval(months=repeat_window_months))
    c = c.mutate(linked_repeat=linked_repeat.fill_null(False))
    now = c.filter((c.referral_date >= period.first) & (c.referral_date < period.end_exclusive))

    def flag(expr: ibis.Value) -> ibis.Value:
        return expr.fill_null(False).cast("int64").sum()

    aged_16_17 = (now.age_band == "16-17") | ((now.age >= 16) & (now.age <= 17))
    counted = now.aggregate(
        cases=now.count(), repeat_recorded=flag(now.repeat_case), repeat_linked=flag(now.linked_repeat),
        police=flag(now.referring_agency == "Police"), bme=flag(now.bme), lgbt=flag(now.lgbt),
        disability=flag(now.disability), male=flag(now.sex == "Male"), aged_16_17=flag(aged_16_17),
        children=now.children.fill_null(0).sum(),
    ).execute().iloc[0]
    n = int(counted["cases"])
    indicators = []
    for key, label, expectation_key in INDICATORS:
        count = int(counted[key] or 0)
        if key == "cases":
            value = (round(10_000 * n / adult_female_population, 1)
                     if adult_female_population else None)
            unit = "per 10,000 adult women"
        elif key == "children":
            value, unit = None, ""
        else:
            value, unit = (round(100.0 * count / n, 1) if n else None), "% of cases"
        indicators.append(MaracIndicator(key=key, label=label, count=count, value=value, unit=unit,
                                         expectation=expectations.get(expectation_key) if expectation_key else None))
    return MaracIndicators(period=period, cases=n, adult_female_population=adult_female_population,
                           indicators=tuple(indicators))
