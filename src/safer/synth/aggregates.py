"""Synthetic aggregate tables: hate crime counts, rough sleeping counts and proven reoffending.

Each returns a DataFrame with the contract's header. Area figures reproduce the seed's published
numbers (see ``calibration.py``); the rest of the region is spread over its local authorities by
residents, so shares of the region can be computed.

Example:
    >>> table = hate_crime_counts(context)  # doctest: +SKIP
    >>> mine = table[(table["Area code"] == "E09000033") & (table["Strand"] == "All hate crime")]  # doctest: +SKIP
    >>> mine["Offences"].sum()  # doctest: +SKIP
    3188
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from safer.analysis.periods import add_months
from safer.synth import calibration as cal
from safer.synth.incidents import Context


def _months(ctx: Context, index: int) -> list:
    period = ctx.periods[index]
    months, month = [], period.first
    while month < period.end_exclusive:
        months.append(month)
        month = add_months(month, 1)
    return months


def _lad_weights(ctx: Context) -> tuple[list[str], np.ndarray]:
    by_lad = ctx.geo.region_lsoas.groupby("lad_code")["population"].sum()
    weights = by_lad.to_numpy(float) * ctx.rng.lognormal(0.0, 0.5, len(by_lad))
    return list(by_lad.index), weights / weights.sum()


def hate_crime_counts(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng
    rows = []
    lads, lad_weights = _lad_weights(ctx) if ctx.region else ([], np.array([]))
    all_current = cal.HATE_CRIME["All hate crime"][1]
    region_current = all_current * (1 / cal.HATE_CRIME_AREA_SHARE - 1)
    for strand, counts in cal.HATE_CRIME.items():
        mix = counts[1] / all_current
        for index in (0, 1):
            months = _months(ctx, index)
            area_total = round(counts[index] * ctx.scale)
            for month, n in zip(months, rng.multinomial(area_total, _month_weights(rng, len(months)))):
                rows.append((f"{month:%Y-%m}", ctx.geo.area_code, strand, int(n)))
            if not lads:
                continue
            region_total = region_current * mix / (1 + cal.HATE_CRIME_REGION_GROWTH) ** (1 - index)
            for lad, lad_total in zip(lads, rng.multinomial(round(region_total), lad_weights)):
                for month, n in zip(months, rng.multinomial(lad_total, _month_weights(rng, len(months)))):
                    rows.append((f"{month:%Y-%m}", lad, strand, int(n)))
    return pd.DataFrame(rows, columns=["Month", "Area code", "Strand", "Offences"])


def _month_weights(rng: np.random.Generator, n: int) -> np.ndarray:
    weights = rng.gamma(40.0, 1.0, n)  # months vary by about 15%
    return weights / weights.sum()


def rough_sleeping_counts(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng
    quarters = [m for index in (0, 1) for m in _months(ctx, index) if m.month in (1, 4, 7, 10)]
    last = quarters[-1]
    year_before = add_months(last, -12)
    scale = 1.0 if ctx.calibrated else 0.3 * ctx.scale  # Westminster's rough sleeping is exceptional
    rows = []
    lads, lad_weights = _lad_weights(ctx) if ctx.region else ([], np.array([]))
    for measure, latest in cal.ROUGH_SLEEPING_Q2_2018.items():
        for quarter in quarters:
            if quarter == last:
                value = latest
            elif quarter == year_before:
                value = latest * cal.ROUGH_SLEEPING_YEAR_BEFORE
            else:
                value = latest * rng.uniform(0.92, 1.18)
            area_value = round(value * scale)
            rows.append((f"{quarter:%Y-%m}", ctx.geo.area_code, measure, area_value))
            if lads:
                rest = round(value * (1 / cal.ROUGH_SLEEPING_AREA_SHARE - 1))
                for lad, n in zip(lads, rng.multinomial(rest, lad_weights)):
                    rows.append((f"{quarter:%Y-%m}", lad, measure, int(n)))
    count_month = add_months(last, 1)
    for measure, value in cal.STREET_COUNTS_MAY_2018.items():
        rows.append((f"{count_month:%Y-%m}", ctx.geo.area_code, measure, round(value * scale)))
    return pd.DataFrame(rows, columns=["Quarter start", "Area code", "Measure", "People"])


def reoffending_rates(ctx: Context) -> pd.DataFrame:
    """Two yearly cohorts: the seed's (ending 21 months before the period ends) and the one before."""
    cohort = add_months(add_months(ctx.periods[1].end_exclusive, -1), -cal.REOFFENDING_COHORT_LAG_MONTHS)
    areas = {ctx.geo.area_code: (cal.REOFFENDING[cal.WESTMINSTER], ctx.scale),
             ctx.geo.region_code: (cal.REOFFENDING[cal.LONDON], 1.0),
             cal.ENGLAND_AND_WALES: (cal.REOFFENDING[cal.ENGLAND_AND_WALES], 1.0)}
    rows = []
    for code, (groups, scale) in areas.items():
        for age in (1, 0):  # the cohort a year earlier, then the seed's
            month = add_months(cohort, -12 * age)
            for group, (offenders, rate) in groups.items():
                n = round(offenders * scale * (1.06 if age else 1.0))
                reoffenders = round(n * (rate + (0.8 if age else 0.0)) / 100)
                rows.append((f"{month:%Y-%m}", code, group, n, reoffenders,
                             round(reoffenders * cal.REOFFENCES_PER_REOFFENDER)))
    return pd.DataFrame(rows, columns=["Cohort end", "Area code", "Offender group", "Offenders", "Reoffenders",
                                       "Reoffences"])
