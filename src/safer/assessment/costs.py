"""Cost of crime: the Home Office 2018 unit costs applied to the area's crime in the current period.

Volumes come from the police category table when one covers the area's current period (each
minor category maps to one Home Office crime type, as the 2018 Westminster assessment mapped
them: ``data/reference/mps_categories.csv``), and otherwise from police.uk crime types, split
into Home Office crime types by configurable shares (``[costs] split`` in ``safer.toml``; the
defaults, in ``data/reference/policeuk_cost_split.csv``, are Westminster's category volumes for
July 2017 to June 2018). The split shares used are reported as assumptions.

Example:
    >>> section = compute_cost_of_crime(scope)  # doctest: +SKIP
    >>> round(section.table.total.total)  # doctest: +SKIP
    204571340
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from safer.analysis.comparison import counts_by_period
from safer.analysis.costs import (CATEGORY_KEYS, Attribution, BearerCost, CostTable, RankedType, UnitCost,
                                  attribution, cost_by_bearer, cost_ranking, cost_table, split_volumes)
from safer.analysis.selection import crime_only
from safer.assessment.flagged import area_category_counts
from safer.assessment.scope import Scope
from safer.errors import ConfigError
from safer.sources.category_counts import categories
from safer.sources.policeuk import CRIME_TYPES

UNIT_COSTS_FILE = "data/reference/unit_costs_of_crime_2018.csv"
SPLIT_FILE = "data/reference/policeuk_cost_split.csv"
PRICE_YEAR = "2015/16"
SOURCE = ("Heeks, Reed, Tafsiri and Prince (2018), The economic and social costs of crime, second edition, "
          "Home Office Research Report 99")
#: Crime types whose volume and cost the attribution sentences use (the 2018 assessment left
#: shoplifting out of the acquisitive cost, though not out of the volume).
ACQUISITIVE = ("Burglary", "Robbery", "Vehicle crime", "Shoplifting")
ACQUISITIVE_COSTED = ("Burglary", "Robbery", "Vehicle crime")
VIOLENCE = ("Violence and sexual offences",)
NO_POLICEUK_TYPE = "Categories with no police.uk type"


@dataclass(frozen=True)
class SplitShare:
    """How much of one police.uk crime type was counted at one Home Office crime type's unit cost."""

    crime_type: str
    ho_cost_row: str
    share: float
    volume: int  # the whole crimes this share gave in the current period
    default: bool  # the packaged default (True) or set in safer.toml

    def as_dict(self) -> dict[str, object]:
        return {"crime_type": self.crime_type, "ho_cost_row": self.ho_cost_row, "share": round(self.share, 6),
                "volume": self.volume, "default": self.default}


@dataclass(frozen=True)
class CostOfCrime:
    source: str  # "police.uk crime types" or "police category table"
    table: CostTable
    by_bearer: tuple[BearerCost, ...]
    ranking: tuple[RankedType, ...]
    attributions: tuple[Attribution, ...]
    split: tuple[SplitShare, ...]  # empty when volumes came from the category table
    uncosted_types: tuple[str, ...]  # crime types with no Home Office unit cost
    unit_costs: tuple[UnitCost, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source, "price_year": PRICE_YEAR, "unit_costs_source": SOURCE,
            "table": self.table.as_dict(), "by_bearer": [b.as_dict() for b in self.by_bearer],
            "ranking": [r.as_dict() for r in self.ranking],
            "attributions": [a.as_dict() for a in self.attributions],
            "split": [s.as_dict() for s in self.split], "uncosted_types": list(self.uncosted_types),
            "unit_costs": [{"crime_type": u.crime_type, **dict(zip(CATEGORY_KEYS, u.costs)), "total": u.total}
                           for u in self.unit_costs],
        }


@lru_cache(maxsize=1)
def unit_costs() -> tuple[UnitCost, ...]:
    """The Home Office 2018 unit costs by cost category (``data/reference/unit_costs_of_crime_2018.csv``)."""
    text = resources.files("safer").joinpath(UNIT_COSTS_FILE).read_text(encoding="utf-8")
    return tuple(UnitCost(r["crime_type"], tuple(float(r[k]) for k in CATEGORY_KEYS), float(r["total"]))
                 for r in csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def default_split() -> dict[str, dict[str, float]]:
    """``{police.uk type: {Home Office crime type: share}}`` from the packaged category volumes.

    A type's share of a cost row is that row's volume over all the type's volume (including
    parts with no unit cost, e.g. vehicle interference), so uncosted parts stay uncosted.
    """
    text = resources.files("safer").joinpath(SPLIT_FILE).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        totals[r["crime_type"]] += int(r["volume"])
    split: dict[str, dict[str, float]] = defaultdict(dict)
    for r in rows:
        if r["ho_cost_row"]:
            split[r["crime_type"]][r["ho_cost_row"]] = int(r["volume"]) / totals[r["crime_type"]]
    return dict(split)


def split_in_use(scope: Scope) -> tuple[dict[str, dict[str, float]], set[str]]:
    """The default split with the types ``[costs] split`` sets replaced; and the types it set."""
    known_rows = {u.crime_type for u in unit_costs()}
    split = {t: dict(s) for t, s in default_split().items()}
    configured = set()
    for crime_type, shares in scope.config.cost_split:
        if crime_type not in CRIME_TYPES:
            raise ConfigError(f"costs.split: '{crime_type}' is not a police.uk crime type; use one of "
                              f"{', '.join(CRIME_TYPES)}")
        for row, _ in shares:
            if row not in known_rows:
                raise ConfigError(f"costs.split.{crime_type}: '{row}' is not a Home Office crime type with a unit "
                                  f"cost; use one of {', '.join(sorted(known_rows))}")
        split[crime_type] = dict(shares)
        configured.add(crime_type)
    return split, configured


def compute_cost_of_crime(scope: Scope) -> CostOfCrime:
    """The cost of the area's crime in the current period, from category counts or police.uk types."""
    from_table = area_category_counts(scope, scope.current)
    if from_table is not None:
        source, by_row, by_type, costs_by_type, split = "police category table", *_from_categories(from_table), ()
    else:
        source = "police.uk crime types"
        by_row, by_type, costs_by_type, split = _from_policeuk(scope)
    units = {u.crime_type: u for u in unit_costs()}
    table = cost_table(by_row, unit_costs(), all_recorded_crime=sum(by_type.values()))
    attributions = []
    if scope.config.opiate_crack_share > 0:
        attributions.append(attribution("opiate and crack cocaine use", scope.config.opiate_crack_share, by_type,
                                        costs_by_type, ACQUISITIVE, ACQUISITIVE_COSTED))
    if scope.config.alcohol_share > 0:
        attributions.append(attribution("alcohol", scope.config.alcohol_share, by_type, costs_by_type,
                                        VIOLENCE, VIOLENCE))
    uncosted = tuple(sorted(t for t in by_type if not costs_by_type.get(t)))
    return CostOfCrime(source=source, table=table, by_bearer=cost_by_bearer(table),
                       ranking=cost_ranking(by_type, costs_by_type), attributions=tuple(attributions),
                       split=split, uncosted_types=uncosted, unit_costs=tuple(units.values()))


def _from_policeuk(scope: Scope):
    counts = counts_by_period(crime_only(scope.area), scope.current, scope.previous)
    by_type = {t: cur for t, (_, cur) in counts.items() if cur}
    split, configured = split_in_use(scope)
    units = {u.crime_type: u for u in unit_costs()}
    by_row: dict[str, int] = defaultdict(int)
    costs_by_type: dict[str, float] = {}
    used = []
    for crime_type, volume in sorted(by_type.items()):
        shares = split.get(crime_type, {})
        parts = split_volumes(volume, shares)
        for row, part in parts.items():
            by_row[row] += part
            used.append(SplitShare(crime_type, row, shares[row], part, crime_type not in configured))
        costs_by_type[crime_type] = sum(part * units[row].total for row, part in parts.items())
    return dict(by_row), by_type, costs_by_type, tuple(used)


def _from_categories(counts: dict[str, int]):
    known = categories()
    units = {u.crime_type: u for u in unit_costs()}
    by_row: dict[str, int] = defaultdict(int)
    by_type: dict[str, int] = defaultdict(int)
    costs_by_type: dict[str, float] = defaultdict(float)
    for key, n in counts.items():
        category = known.get(key)
        if category is None or category.flag or category.police_uk_crime_type == "Anti-social behaviour":
            continue
        crime_type = category.police_uk_crime_type or NO_POLICEUK_TYPE
        by_type[crime_type] += n
        if category.ho_cost_row:
            by_row[category.ho_cost_row] += n
            costs_by_type[crime_type] += n * units[category.ho_cost_row].total
    return dict(by_row), dict(by_type), dict(costs_by_type)
