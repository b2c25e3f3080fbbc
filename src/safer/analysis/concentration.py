"""How concentrated crime is in a few places: top-N shares, units holding half, Lorenz curve and Gini.

Places are whatever units the records carry (LSOAs, wards). Every unit of the area counts,
including units with no crime at all, because "a third of crime in 4 of 128 LSOAs" needs the 128.

* ``top``: the share of the period's crime in the N busiest units (N from configuration, default 4 and 10).
* ``units_for_half`` / ``units_for_80``: the fewest units holding at least 50% / 80% of the crime.
* ``under_one_a_day``: units averaging less than one crime a day over the period.
* ``gini``: the Gini coefficient of the counts over units, ``sum_i sum_j |x_i - x_j| / (2 N^2 mean)``.
* ``generalised_gini``: Bernasco & Steenbeek's (2017) correction for sparse data. With fewer crimes
  (n) than units (N), perfect equality is impossible, so concentration is measured against maximal
  equality (n units with one crime each): ``G' = max(1, N/n) * (G - 1) + 1``. It equals ``G`` when
  ``n >= N``.
* ``persistence``: how many of this period's top-N units were also top-N units in the previous period.

Example:
    >>> round(gini([5, 2, 1, 0, 0, 0, 0, 0, 0, 0]), 4), round(generalised_gini([5, 2, 1, 0, 0, 0, 0, 0, 0, 0]), 4)
    (0.8, 0.75)
    >>> units_holding([6, 3, 1, 0], 0.5)
    1
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import numpy as np

from safer.analysis.periods import Period

DEFAULT_TOP_N = (4, 10)


@dataclass(frozen=True)
class UnitCount:
    code: str
    name: str
    count: int
    share: float  # % of the area's crime

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "count": self.count, "share": self.share}


@dataclass(frozen=True)
class TopShare:
    """The N busiest units and their combined share of crime."""

    n: int
    count: int
    share: float  # %
    units: tuple[UnitCount, ...]

    def as_dict(self) -> dict[str, object]:
        return {"n": self.n, "count": self.count, "share": self.share, "units": [u.as_dict() for u in self.units]}


@dataclass(frozen=True)
class TopPersistence:
    """How many of this period's top-N units were top-N units in the previous period."""

    n: int
    kept: int
    new: tuple[str, ...]  # codes in this period's top N but not last period's

    def as_dict(self) -> dict[str, object]:
        return {"n": self.n, "kept": self.kept, "new": list(self.new)}


@dataclass(frozen=True)
class Concentration:
    subject: str  # what was counted, e.g. "All crime" or a crime type
    unit: str  # "LSOA" or "ward"
    period: Period
    units: int
    crimes: int
    top: tuple[TopShare, ...]
    units_for_half: int | None
    units_for_80: int | None
    under_one_a_day: int
    units_without_crime: int
    gini: float | None
    generalised_gini: float | None
    lorenz: tuple[tuple[float, float], ...]  # (share of units, share of crime), units from least to most crime
    persistence: tuple[TopPersistence, ...]
    outside_units: int  # records whose unit is not one of the area's units (counted, not placed)
    counts: tuple[UnitCount, ...] = ()  # every unit, most crime first

    def top_share(self, n: int) -> TopShare:
        for top in self.top:
            if top.n == n:
                return top
        raise KeyError(n)

    def as_dict(self, counts: bool = True) -> dict[str, object]:
        """The result as JSON-ready data; ``counts=False`` leaves out the per-unit counts."""
        return {
            "subject": self.subject, "crime_type": self.subject, "unit": self.unit, "period": self.period.as_dict(),
            "units": self.units, "crimes": self.crimes, "top": [t.as_dict() for t in self.top],
            "units_for_half": self.units_for_half, "units_for_80": self.units_for_80,
            "under_one_a_day": self.under_one_a_day, "units_without_crime": self.units_without_crime,
            "gini": self.gini, "generalised_gini": self.generalised_gini,
            "lorenz": {"unit_share": [p[0] for p in self.lorenz], "crime_share": [p[1] for p in self.lorenz]},
            "persistence": [p.as_dict() for p in self.persistence], "outside_units": self.outside_units,
            **({"counts": [u.as_dict() for u in self.counts]} if counts else {}),
        }


def concentration(records: ibis.Table, units: ibis.Table, period: Period, *, unit_column: str = "lsoa_code",
                  name_column: str = "lsoa_name", unit_label: str = "LSOA", subject: str = "All crime",
                  top_n: Sequence[int] = DEFAULT_TOP_N, previous: Period | None = None) -> Concentration:
    """Concentration of ``records`` over the area's ``units`` in ``period``.

    ``records`` must have ``month`` and ``unit_column``; ``units`` lists every unit of the area
    (``unit_column`` and ``name_column``), so units without crime count too. With ``previous``,
    the top units are compared with the previous period's.
    """
    grouped = concentration_by(records, units, period, by=None, unit_column=unit_column, name_column=name_column,
                               unit_label=unit_label, top_n=top_n, previous=previous, subject=subject)
    return grouped.get(subject) or _measure(subject, unit_label, period, _unit_names(units, unit_column, name_column),
                                            {}, None, 0, _checked_top_n(top_n))


def concentration_by(records: ibis.Table, units: ibis.Table, period: Period, *, by: str | None,
                     unit_column: str = "lsoa_code", name_column: str = "lsoa_name", unit_label: str = "LSOA",
                     top_n: Sequence[int] = DEFAULT_TOP_N, previous: Period | None = None,
                     subject: str = "All crime") -> dict[str, Concentration]:
    """:func:`concentration` for each value of the column ``by`` (e.g. each crime type), in one query.

    With ``by=None`` the records form one group named ``subject``. Groups with no records in
    ``period`` are left out.
    """
    top_n = _checked_top_n(top_n)
    names = _unit_names(units, unit_column, name_column)
    if not names:
        raise ValueError(f"no {unit_label}s given to measure concentration over; pass the area's units")
    first = previous.first if previous is not None and previous.first < period.first else period.first
    span = records.filter((records.month >= first) & (records.month < period.end_exclusive))
    in_current = (span.month >= period.first).cast("int64")
    in_previous = ((span.month >= previous.first) & (span.month < previous.end_exclusive)).cast("int64") \
        if previous is not None else in_current * 0
    group = span[by] if by else ibis.literal(subject)
    counted = (span.group_by(group=group, unit=span[unit_column])
               .aggregate(now=in_current.sum(), before=in_previous.sum()).execute())
    results = {}
    for name, rows in counted.groupby("group", sort=True):
        now, before, outside = {}, {}, 0
        for unit, n_now, n_before in zip(rows["unit"], rows["now"], rows["before"]):
            if unit in names:
                now[unit], before[unit] = int(n_now), int(n_before)
            else:
                outside += int(n_now)
        if sum(now.values()) + outside == 0:
            continue
        results[str(name)] = _measure(str(name), unit_label, period, names, now,
                                      before if previous is not None else None, outside, top_n)
    return results


def _measure(subject: str, unit_label: str, period: Period, names: dict[str, str], now: dict[str, int],
             before: dict[str, int] | None, outside: int, top_n: tuple[int, ...]) -> Concentration:
    counts = {code: now.get(code, 0) for code in names}
    ranked = _ranked(counts)
    total = int(sum(counts.values()))
    values = np.array([counts[code] for code in ranked], dtype=float)
    top = tuple(_top(ranked, counts, names, n, total) for n in top_n)
    persistence: tuple[TopPersistence, ...] = ()
    if before is not None:
        before_counts = {code: before.get(code, 0) for code in names}
        persistence = tuple(_persistence(ranked, _ranked(before_counts), before_counts, n) for n in top_n)
    return Concentration(
        subject=subject, unit=unit_label, period=period, units=len(names), crimes=total, top=top,
        units_for_half=units_holding(values, 0.5), units_for_80=units_holding(values, 0.8),
        under_one_a_day=int((values < period.days).sum()), units_without_crime=int((values == 0).sum()),
        gini=_round(gini(values)), generalised_gini=_round(generalised_gini(values)),
        lorenz=lorenz_curve(values), persistence=persistence, outside_units=outside,
        counts=tuple(UnitCount(c, names[c], counts[c], _pct(counts[c], total)) for c in ranked),
    )


def gini(counts: Sequence[float] | np.ndarray) -> float | None:
    """Gini coefficient of counts over units (0 = equal, towards 1 = all in one unit); None if no crime.

    Computed as ``2 * sum(i * x_(i)) / (N * sum(x)) - (N + 1) / N`` over counts sorted ascending,
    which equals ``sum_i sum_j |x_i - x_j| / (2 N^2 mean)``.
    """
    x = np.sort(np.asarray(counts, dtype=float))
    n, total = len(x), x.sum()
    if n == 0 or total <= 0:
        return None
    return float(2.0 * np.dot(np.arange(1, n + 1), x) / (n * total) - (n + 1) / n)


def generalised_gini(counts: Sequence[float] | np.ndarray) -> float | None:
    """Bernasco & Steenbeek's generalised Gini: measured against maximal equality when crimes < units."""
    x = np.asarray(counts, dtype=float)
    g = gini(x)
    if g is None:
        return None
    return float(max(1.0, len(x) / x.sum()) * (g - 1.0) + 1.0)


def units_holding(counts: Sequence[float] | np.ndarray, share: float) -> int | None:
    """The fewest units (busiest first) that together hold at least ``share`` (0-1] of the crime."""
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share}")
    x = np.sort(np.asarray(counts, dtype=float))[::-1]
    total = x.sum()
    if total <= 0:
        return None
    cumulative = np.cumsum(x)
    # a tiny tolerance so that exactly half counts as holding half despite floating point
    return int(np.searchsorted(cumulative, share * total - 1e-9 * total) + 1)


def lorenz_curve(counts: Sequence[float] | np.ndarray) -> tuple[tuple[float, float], ...]:
    """Points of the Lorenz curve from (0, 0) to (1, 1), units sorted from least to most crime."""
    x = np.sort(np.asarray(counts, dtype=float))
    total = x.sum()
    if len(x) == 0 or total <= 0:
        return ()
    units = np.arange(0, len(x) + 1) / len(x)
    crime = np.concatenate([[0.0], np.cumsum(x) / total])
    return tuple((round(float(u), 4), round(float(c), 4)) for u, c in zip(units, crime))


def _checked_top_n(top_n: Sequence[int]) -> tuple[int, ...]:
    values = tuple(int(n) for n in top_n)
    if not values or any(n < 1 for n in values):
        raise ValueError(f"top_n must list whole numbers of at least 1, e.g. (4, 10); got {top_n!r}")
    return tuple(sorted(set(values)))


def _unit_names(units: ibis.Table, unit_column: str, name_column: str) -> dict[str, str]:
    frame = units.select(code=units[unit_column], name=units[name_column]).distinct().execute()
    return {str(c): str(n) for c, n in zip(frame["code"], frame["name"]) if c is not None}


def _ranked(counts: dict[str, int]) -> list[str]:
    """Unit codes from most to least crime; ties by code, so the order is repeatable."""
    return sorted(counts, key=lambda code: (-counts[code], code))


def _top(ranked: list[str], counts: dict[str, int], names: dict[str, str], n: int, total: int) -> TopShare:
    chosen = ranked[:n]
    units = tuple(UnitCount(c, names[c], counts[c], _pct(counts[c], total)) for c in chosen)
    held = sum(counts[c] for c in chosen)
    return TopShare(n=n, count=held, share=_pct(held, total), units=units)


def _persistence(now: list[str], before: list[str], before_counts: dict[str, int], n: int) -> TopPersistence:
    previous_top = {c for c in before[:n] if before_counts[c] > 0}
    current_top = now[:n]
    return TopPersistence(n=n, kept=sum(1 for c in current_top if c in previous_top),
                          new=tuple(c for c in current_top if c not in previous_top))


def _pct(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
