"""Cost of crime: Home Office unit costs (2018, 2015/16 prices) applied to recorded volumes.

Volumes come per Home Office crime type (a *cost row*, e.g. "Violence with injury"). From
Metropolitan Police minor categories each category maps to one cost row (or none); police.uk crime
types blend several rows, so each type's count is split by shares (:func:`split_volumes`) into
whole crimes by the largest-remainder method, so the parts add up to the type's count exactly.

The cost of a row is ``volume * unit cost`` in each of the nine cost categories, and its total is
``volume * the published total unit cost``; the Home Office rounded each category's unit cost, so
the nine may add up to up to £20 per crime more or less than the total (as in the 2018 Westminster
assessment's table, whose totals this reproduces). The table's totals, each row's share of cost
against its share of all recorded crime, the cost by who bears it and the cost-weighted ranking of
crime types all follow from it. Unit costs average over all
crimes, reported or not, so these are the costs of *recorded* crime only.

Example:
    >>> unit = UnitCost("Robbery", (190, 140, 1030, 3590, 920, 760, 10, 1010, 3670), 11320)
    >>> table = cost_table({"Robbery": 2489}, [unit], all_recorded_crime=58627)
    >>> table.total.total
    28175480
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: The nine cost categories: (key, label, stage).
COST_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("defensive_expenditure", "Defensive expenditure", "In anticipation of crime"),
    ("insurance_administration", "Insurance administration", "In anticipation of crime"),
    ("property_stolen_damaged", "Value of property stolen or damaged", "As a consequence of crime"),
    ("physical_emotional_harm", "Physical and emotional harm", "As a consequence of crime"),
    ("lost_output", "Lost output", "As a consequence of crime"),
    ("health_services", "Health services", "As a consequence of crime"),
    ("victim_services", "Victim services", "As a consequence of crime"),
    ("police_costs", "Police costs", "In response to crime"),
    ("other_cjs_costs", "Other criminal justice system costs", "In response to crime"),
)
CATEGORY_KEYS = tuple(key for key, _, _ in COST_CATEGORIES)
#: Who bears the cost, among the public services a partnership speaks for.
BEARERS: tuple[tuple[str, str], ...] = (("Police", "police_costs"), ("Health services", "health_services"),
                                        ("Other criminal justice agencies", "other_cjs_costs"))


@dataclass(frozen=True)
class UnitCost:
    """One Home Office crime type's cost per offence in each cost category (£, 2015/16 prices)."""

    crime_type: str
    costs: tuple[float, ...]  # in CATEGORY_KEYS order
    total: float  # the published total per offence (the rounded parts may differ from it by up to £20)

    def __post_init__(self) -> None:
        if len(self.costs) != len(CATEGORY_KEYS):
            raise ValueError(f"{self.crime_type}: give {len(CATEGORY_KEYS)} unit costs, one per cost category")


@dataclass(frozen=True)
class CostRow:
    crime_type: str  # a Home Office crime type, or "Total"
    volume: int
    costs: tuple[float, ...]  # volume x the unit cost of each cost category
    total: float  # volume x the published total unit cost (the categories may add up to a little less or more)
    share_of_volume: float | None  # % of all recorded crime in the period
    share_of_cost: float | None  # % of the total cost

    def as_dict(self) -> dict[str, object]:
        return {"crime_type": self.crime_type, "volume": self.volume,
                **{key: value for key, value in zip(CATEGORY_KEYS, self.costs)}, "total": self.total,
                "share_of_volume": self.share_of_volume, "share_of_cost": self.share_of_cost}


@dataclass(frozen=True)
class CostTable:
    rows: tuple[CostRow, ...]  # most costly first
    total: CostRow
    all_recorded_crime: int  # the volume shares' denominator: every crime recorded in the period

    def row(self, crime_type: str) -> CostRow:
        for row in self.rows:
            if row.crime_type == crime_type:
                return row
        raise KeyError(crime_type)

    def as_dict(self) -> dict[str, object]:
        return {"rows": [r.as_dict() for r in self.rows], "total": self.total.as_dict(),
                "all_recorded_crime": self.all_recorded_crime,
                "stages": {stage: sum(self.total.costs[i] for i, (_, _, s) in enumerate(COST_CATEGORIES)
                                      if s == stage)
                           for stage in dict.fromkeys(s for _, _, s in COST_CATEGORIES)}}


@dataclass(frozen=True)
class BearerCost:
    """What one public service bears: its total and the crime type costing it most."""

    bearer: str
    category: str
    total: float
    top_crime_type: str | None
    top_share: float | None  # % of this bearer's cost

    def as_dict(self) -> dict[str, object]:
        return {"bearer": self.bearer, "category": self.category, "total": self.total,
                "top_crime_type": self.top_crime_type, "top_share": self.top_share}


@dataclass(frozen=True)
class RankedType:
    """A crime type (police.uk or a category table's) ranked by cost and by volume."""

    crime_type: str
    volume: int
    cost: float
    cost_rank: int
    volume_rank: int
    cost_per_crime: int | None  # whole pounds

    def as_dict(self) -> dict[str, object]:
        return {"crime_type": self.crime_type, "volume": self.volume, "cost": self.cost,
                "cost_rank": self.cost_rank, "volume_rank": self.volume_rank, "cost_per_crime": self.cost_per_crime}


@dataclass(frozen=True)
class Attribution:
    """A share of some crime attributed to a cause, and the crimes and cost that share equates to."""

    name: str
    share: float
    crime_types: tuple[str, ...]  # whose volume is attributed
    costed_types: tuple[str, ...]  # whose cost is attributed
    volume: int
    cost: float

    @property
    def crimes(self) -> int:
        return round(self.share * self.volume)

    @property
    def attributed_cost(self) -> float:
        return self.share * self.cost

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "share": self.share, "crime_types": list(self.crime_types),
                "costed_types": list(self.costed_types), "volume": self.volume, "crimes": self.crimes,
                "cost": self.cost, "attributed_cost": self.attributed_cost}


def split_volumes(count: int, shares: Mapping[str, float]) -> dict[str, int]:
    """Split ``count`` crimes by ``shares`` (adding up to at most 1) into whole crimes.

    The part not covered by the shares is left out (those crimes carry no unit cost). Parts are
    rounded by the largest-remainder method, so they add up to ``round(count * sum(shares))``.

    >>> split_volumes(100, {"a": 0.5, "b": 0.25, "c": 0.25})
    {'a': 50, 'b': 25, 'c': 25}
    >>> split_volumes(10, {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})
    {'a': 4, 'b': 3, 'c': 3}
    """
    if count < 0:
        raise ValueError(f"count is {count}; a number of crimes is 0 or more")
    if any(s < 0 for s in shares.values()) or sum(shares.values()) > 1 + 1e-9:
        raise ValueError(f"shares {dict(shares)} must be 0 or more and add up to at most 1")
    exact = {name: count * share for name, share in shares.items()}
    parts = {name: math.floor(value) for name, value in exact.items()}
    target = round(sum(exact.values()))
    by_remainder = sorted(exact, key=lambda n: (-(exact[n] - parts[n]), list(shares).index(n)))
    for name in by_remainder[: max(0, target - sum(parts.values()))]:
        parts[name] += 1
    return parts


def cost_table(volumes: Mapping[str, int], unit_costs: Sequence[UnitCost], *, all_recorded_crime: int
               ) -> CostTable:
    """The cost of each Home Office crime type's volume, most costly first, with the total row.

    ``volumes`` names cost rows found in ``unit_costs``; ``all_recorded_crime`` is every crime
    recorded in the period (costed or not), for the volume shares.
    """
    units = {u.crime_type: u for u in unit_costs}
    unknown = sorted(set(volumes) - set(units))
    if unknown:
        raise ValueError(f"no unit cost for {', '.join(unknown)}; expected one of {', '.join(units)}")
    priced = [(name, volume, tuple(volume * c for c in units[name].costs), volume * units[name].total)
              for name, volume in volumes.items() if volume > 0]
    grand = sum(total for _, _, _, total in priced)
    rows = [CostRow(name, volume, costs, total, _pct(volume, all_recorded_crime), _pct(total, grand))
            for name, volume, costs, total in priced]
    rows.sort(key=lambda r: (-r.total, r.crime_type))
    totals = tuple(sum(r.costs[i] for r in rows) for i in range(len(CATEGORY_KEYS)))
    volume = sum(r.volume for r in rows)
    total = CostRow("Total", volume, totals, grand, _pct(volume, all_recorded_crime), 100.0 if grand else None)
    return CostTable(tuple(rows), total, all_recorded_crime)


def cost_by_bearer(table: CostTable) -> tuple[BearerCost, ...]:
    """Police, health and other criminal justice costs, each with the crime type costing it most."""
    out = []
    for bearer, key in BEARERS:
        i = CATEGORY_KEYS.index(key)
        total = table.total.costs[i]
        top = max(table.rows, key=lambda r: r.costs[i], default=None)
        out.append(BearerCost(bearer, key, total, top.crime_type if top else None,
                              _pct(top.costs[i], total) if top else None))
    return tuple(out)


def cost_ranking(volumes: Mapping[str, int], costs: Mapping[str, float]) -> tuple[RankedType, ...]:
    """Crime types ranked by cost (ties by volume), with their rank by volume beside it.

    ``volumes`` holds every type's recorded volume; ``costs`` the cost of those that carry one.
    """
    names = sorted(volumes)
    by_cost = sorted(names, key=lambda n: (-costs.get(n, 0.0), -volumes[n], n))
    by_volume = sorted(names, key=lambda n: (-volumes[n], n))
    return tuple(RankedType(n, volumes[n], costs.get(n, 0.0), by_cost.index(n) + 1, by_volume.index(n) + 1,
                            round(costs[n] / volumes[n]) if costs.get(n) and volumes[n] else None)
                 for n in by_cost)


def attribution(name: str, share: float, volumes: Mapping[str, int], costs: Mapping[str, float],
                crime_types: Sequence[str], costed_types: Sequence[str]) -> Attribution:
    """``share`` of ``crime_types``' volume, and of ``costed_types``' cost, attributed to ``name``."""
    if not 0 <= share <= 1:
        raise ValueError(f"{name}: share is {share}; give a fraction from 0 to 1")
    return Attribution(name, share, tuple(crime_types), tuple(costed_types),
                       sum(volumes.get(t, 0) for t in crime_types), sum(costs.get(t, 0.0) for t in costed_types))


def _pct(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None
