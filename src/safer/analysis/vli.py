"""The Vulnerable Localities Index (VLI): crime, deprivation and population indicators in one score.

After Chainey (2008) and the UCL Jill Dando Institute: for each year and each indicator,

    index = 100 x value / reference mean

where the reference mean is the unweighted mean of the indicator over the reference units
(by default every unit listed for that year, e.g. all London wards, so that 100 means "the
average ward"). For an indicator where a *lower* value means more vulnerable (e.g. GCSE
points, household income) the ratio is turned over: ``100 x reference mean / value``.
The VLI is the weighted mean of the indices (equal weights by default), so it is on the same
scale: 100 is average, 200 twice the average. Units above 100 are more vulnerable than
average; the Jill Dando Institute treats a score over 200 as a priority neighbourhood.

The crime indicators (burglary and criminal damage) are counts from the warehouse per 1,000
households; the rest come from the partnership's indicator file (docs/contracts/vli-indicators.md).

Example:
    >>> import pandas as pd
    >>> values = pd.DataFrame({"code": ["A", "B"], "year": [2018, 2018], "burglary": [30.0, 10.0],
    ...                        "income": [0.2, 0.2]})
    >>> result = vulnerable_localities_index(values, names={"A": "Ward A", "B": "Ward B"})
    >>> [(row.name, row.latest.score) for row in result.rows]
    [('Ward A', 125.0), ('Ward B', 75.0)]
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd

from safer.analysis.periods import Period

#: Indicators counted from police records: indicator name -> police.uk crime type.
CRIME_INDICATORS = {"burglary": "Burglary", "criminal_damage": "Criminal damage and arson"}
AVERAGE = 100.0
PRIORITY = 200.0


@dataclass(frozen=True)
class IndicatorIndex:
    indicator: str
    value: float
    reference_mean: float
    index: float

    def as_dict(self) -> dict[str, object]:
        return {"indicator": self.indicator, "value": round(self.value, 4),
                "reference_mean": round(self.reference_mean, 4), "index": round(self.index, 1)}


@dataclass(frozen=True)
class YearScore:
    year: int
    score: float
    indices: tuple[IndicatorIndex, ...]

    def as_dict(self) -> dict[str, object]:
        return {"year": self.year, "score": self.score, "indices": [i.as_dict() for i in self.indices]}


@dataclass(frozen=True)
class VliRow:
    code: str
    name: str
    scores: tuple[YearScore, ...]  # oldest year first
    rank: int  # in the latest year, 1 = most vulnerable

    @property
    def latest(self) -> YearScore:
        return self.scores[-1]

    @property
    def change(self) -> float | None:
        """Latest score minus the year before's, when both exist."""
        if len(self.scores) < 2:
            return None
        return round(self.scores[-1].score - self.scores[-2].score, 1)

    @property
    def above_average(self) -> bool:
        return self.latest.score > AVERAGE

    @property
    def priority(self) -> bool:
        return self.latest.score > PRIORITY

    def score_in(self, year: int) -> float | None:
        for s in self.scores:
            if s.year == year:
                return s.score
        return None

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "rank": self.rank,
                "scores": {str(s.year): s.score for s in self.scores}, "change": self.change,
                "above_average": self.above_average, "priority": self.priority,
                "by_year": [s.as_dict() for s in self.scores]}


@dataclass(frozen=True)
class Vli:
    years: tuple[int, ...]
    rows: tuple[VliRow, ...]  # most vulnerable first (latest year)
    indicators: tuple[str, ...]
    weights: tuple[tuple[str, float], ...]
    lower_is_more_vulnerable: tuple[str, ...]
    reference_units: dict[int, int]  # year -> units the reference mean was taken over

    @property
    def above_average(self) -> tuple[VliRow, ...]:
        return tuple(r for r in self.rows if r.above_average)

    @property
    def priority(self) -> tuple[VliRow, ...]:
        return tuple(r for r in self.rows if r.priority)

    def as_dict(self) -> dict[str, object]:
        return {"years": list(self.years), "indicators": list(self.indicators),
                "weights": {k: v for k, v in self.weights},
                "lower_is_more_vulnerable": list(self.lower_is_more_vulnerable),
                "reference_units": {str(y): n for y, n in self.reference_units.items()},
                "average": AVERAGE, "priority_threshold": PRIORITY,
                "above_average": len(self.above_average), "priority_units": len(self.priority),
                "rows": [r.as_dict() for r in self.rows]}


def vulnerable_localities_index(values: pd.DataFrame, *, names: Mapping[str, str] | None = None,
                                weights: Mapping[str, float] | None = None,
                                lower_is_more_vulnerable: Collection[str] = (),
                                reference: Collection[str] | None = None,
                                units: Collection[str] | None = None) -> Vli:
    """Scores from ``values``: one row per unit and year with columns ``code``, ``year`` and one per indicator.

    ``weights`` default to 1 for every indicator; ``reference`` limits the units the mean is
    taken over (default all); ``units`` limits the units reported (default all).
    """
    indicators = tuple(c for c in values.columns if c not in ("code", "year"))
    chosen = _weights(indicators, weights)
    inverted = tuple(sorted(set(lower_is_more_vulnerable)))
    unknown = [name for name in inverted if name not in indicators]
    if unknown:
        raise ValueError(f"lower_is_more_vulnerable names {', '.join(unknown)}, which are not indicators; "
                         f"indicators are {', '.join(indicators)}")
    if values[list(indicators)].isna().any().any():
        raise ValueError("some indicator values are blank; every unit needs every indicator in each year")
    used = tuple(name for name, w in chosen if w > 0)
    names = dict(names or {})
    scores: dict[str, list[YearScore]] = {}
    reference_units: dict[int, int] = {}
    for year in sorted(int(y) for y in values["year"].unique()):
        of_year = values[values["year"] == year]
        basis = of_year if reference is None else of_year[of_year["code"].isin(set(reference))]
        if basis.empty:
            raise ValueError(f"no reference units in {year}; the reference must list units that have indicators")
        reference_units[year] = len(basis)
        means = {name: float(basis[name].mean()) for name in used}
        for name, mean in means.items():
            if mean <= 0:
                raise ValueError(f"the reference mean of '{name}' in {year} is {mean:g}; an index against it is "
                                 "meaningless (give a positive rate, proportion or score, or weight it 0)")
        shown = of_year if units is None else of_year[of_year["code"].isin(set(units))]
        for record in shown.itertuples(index=False):
            row = record._asdict()
            indices = tuple(_index(name, float(row[name]), means[name], name in inverted) for name in used)
            total_weight = sum(w for name, w in chosen if w > 0)
            score = sum(dict(chosen)[i.indicator] * i.index for i in indices) / total_weight
            scores.setdefault(str(row["code"]), []).append(YearScore(year, round(score, 1), indices))
    latest_year = max(reference_units) if reference_units else None
    latest = {code: s[-1].score for code, s in scores.items() if s[-1].year == latest_year}
    ranks = _ranks(latest)
    rows = [VliRow(code, names.get(code, code), tuple(s), ranks.get(code, 0)) for code, s in scores.items()]
    rows.sort(key=lambda r: (r.rank == 0, r.rank, r.name))
    return Vli(years=tuple(reference_units), rows=tuple(rows), indicators=used, weights=chosen,
               lower_is_more_vulnerable=tuple(i for i in inverted if i in used), reference_units=reference_units)


def crime_counts(records: ibis.Table, period: Period, unit_column: str = "ward_code") -> dict[str, dict[str, int]]:
    """``{indicator: {unit: count}}`` of the crime indicators in ``period`` (units without crime are absent)."""
    in_period = records.filter((records.month >= period.first) & (records.month < period.end_exclusive)
                               & records.crime_type.isin(list(CRIME_INDICATORS.values())))
    counted = in_period.group_by(unit=in_period[unit_column], crime_type=in_period.crime_type) \
        .aggregate(n=in_period.count()).execute()
    result: dict[str, dict[str, int]] = {name: {} for name in CRIME_INDICATORS}
    by_type = {crime_type: name for name, crime_type in CRIME_INDICATORS.items()}
    for unit, crime_type, n in zip(counted["unit"], counted["crime_type"], counted["n"]):
        if unit is not None:
            result[by_type[crime_type]][str(unit)] = int(n)
    return result


def _weights(indicators: tuple[str, ...], weights: Mapping[str, float] | None) -> tuple[tuple[str, float], ...]:
    given = dict(weights or {})
    unknown = [name for name in given if name not in indicators]
    if unknown:
        raise ValueError(f"weights name {', '.join(unknown)}, which are not indicators; indicators are "
                         f"{', '.join(indicators)}")
    chosen = tuple((name, float(given.get(name, 1.0))) for name in indicators)
    if any(w < 0 for _, w in chosen) or not any(w > 0 for _, w in chosen):
        raise ValueError("weights must be 0 or more, and at least one must be positive")
    return chosen


def _index(name: str, value: float, mean: float, inverted: bool) -> IndicatorIndex:
    if inverted:
        if value <= 0:
            raise ValueError(f"'{name}' is {value:g} for a unit, but lower values count as more vulnerable, so "
                             "the index (mean / value) needs positive values")
        index = AVERAGE * mean / value
    else:
        index = AVERAGE * value / mean
    return IndicatorIndex(name, value, mean, float(np.round(index, 6)))


def _ranks(values: dict[str, float]) -> dict[str, int]:
    ordered = sorted(values.values(), reverse=True)
    first: dict[float, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {code: first[value] for code, value in values.items()}
