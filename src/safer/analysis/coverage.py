"""Does the loaded data cover the comparator well enough to compare with it?

A partnership often holds a full extract for its own area but only some crime
types, or a thin fringe of rows, for the rest of its force. Comparing with such a
fringe would mislead, so each crime type's comparator is checked first.

Rule: for a crime type, take the share of the area's LSOAs with at least one record
in the period, and the same share for the rest of the comparator's LSOAs. (A force
comparator's authorities are those where the force's records touch at least 10% of
the LSOAs, so a few records snapped over the force boundary do not count.) The
comparator counts as covered when the rest's share is at least ``min_ratio``
(default 0.25) of the area's. A full force extract gives ratios near 1; an
area extract whose points spill over the border gives ratios near 0.

Example:
    >>> cov = comparator_coverage(located, lsoas, area_lads, comparator_lads, period)  # doctest: +SKIP
    >>> cov["Burglary"].covered  # doctest: +SKIP
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis

from safer.analysis.periods import Period

DEFAULT_MIN_RATIO = 0.25
DEFAULT_FOOTPRINT_SHARE = 0.1


@dataclass(frozen=True)
class Coverage:
    crime_type: str
    area_lsoa_share: float
    rest_lsoa_share: float
    min_ratio: float

    @property
    def covered(self) -> bool:
        if self.area_lsoa_share == 0:
            return self.rest_lsoa_share > 0
        return self.rest_lsoa_share >= self.min_ratio * self.area_lsoa_share

    def as_dict(self) -> dict[str, object]:
        return {"crime_type": self.crime_type, "area_lsoa_share": round(self.area_lsoa_share, 4),
                "rest_lsoa_share": round(self.rest_lsoa_share, 4), "covered": self.covered}


def force_comparator_lads(records: ibis.Table, geography: ibis.Table, forces: Sequence[str],
                          min_lsoa_share: float = DEFAULT_FOOTPRINT_SHARE) -> tuple[str, ...]:
    """The force's footprint: local authorities where its records touch at least ``min_lsoa_share`` of LSOAs.

    The share test keeps out authorities over the force boundary that only hold a
    few records snapped across it.
    """
    in_force = records.filter(records.falls_within.isin(list(forces)) & records.lad_code.notnull())
    touched = (in_force.select("lad_code", "lsoa_code").distinct()
               .group_by("lad_code").aggregate(touched=lambda t: t.count()))
    sizes = geography.group_by("lad_code").aggregate(lsoas=lambda t: t.count())
    joined = touched.join(sizes, "lad_code")
    footprint = joined.filter(joined.touched >= joined.lsoas * min_lsoa_share).select("lad_code").execute()
    return tuple(sorted(footprint["lad_code"]))


def comparator_coverage(records: ibis.Table, geography: ibis.Table, area_lads: Sequence[str],
                        comparator_lads: Sequence[str], period: Period,
                        min_ratio: float = DEFAULT_MIN_RATIO) -> dict[str, Coverage]:
    """Coverage of each crime type in ``records`` (with ``lad_code``) over ``period``."""
    rest_lads = [lad for lad in comparator_lads if lad not in set(area_lads)]
    lsoas = geography.filter(geography.lad_code.isin(list(area_lads) + rest_lads))
    in_area = lsoas.lad_code.isin(list(area_lads))
    totals = lsoas.aggregate(area=in_area.sum(), rest=(~in_area).sum()).execute().iloc[0]
    in_period = records.filter((records.month >= period.first) & (records.month < period.end_exclusive)
                               & records.lad_code.isin(list(area_lads) + rest_lads))
    seen = in_period.select("crime_type", "lsoa_code", "lad_code").distinct()
    seen_in_area = seen.lad_code.isin(list(area_lads))
    counted = seen.group_by("crime_type").aggregate(area=seen_in_area.sum(), rest=(~seen_in_area).sum()).execute()
    area_total, rest_total = int(totals["area"] or 0), int(totals["rest"] or 0)
    result = {}
    for crime_type, area_n, rest_n in zip(counted["crime_type"], counted["area"], counted["rest"]):
        result[crime_type] = Coverage(
            crime_type=crime_type,
            area_lsoa_share=int(area_n) / area_total if area_total else 0.0,
            rest_lsoa_share=int(rest_n) / rest_total if rest_total else 0.0,
            min_ratio=min_ratio,
        )
    return result
