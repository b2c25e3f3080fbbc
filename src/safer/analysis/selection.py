"""Choose the records an analysis looks at: the area, its comparator, one force.

All functions take and return Ibis tables, so they run on any engine.

Example:
    >>> located = with_geography(wh.table("crimes"), wh.table("geo_lsoa"))  # doctest: +SKIP
    >>> westminster = in_lads(located, ("E09000033",))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis

from safer.sources.policeuk import ASB

GEOGRAPHY_COLUMNS = ("ward_code", "ward_name", "lad_code", "lad_name", "region_code", "region_name")


def with_geography(records: ibis.Table, geography: ibis.Table) -> ibis.Table:
    """Add ward and local authority columns by LSOA; unmatched rows keep NULLs (never dropped)."""
    geo = geography.select("lsoa_code", *GEOGRAPHY_COLUMNS)
    joined = records.left_join(geo, records.lsoa_code == geo.lsoa_code)
    return joined.drop("lsoa_code_right")


def in_lads(records: ibis.Table, lad_codes: Sequence[str]) -> ibis.Table:
    """Records whose LSOA lies in one of the local authority districts."""
    return records.filter(records.lad_code.isin(list(lad_codes)))


def reported_by(records: ibis.Table, forces: Sequence[str], *, include: bool) -> ibis.Table:
    """Records reported by (``include=True``) or not by (``include=False``) the named forces."""
    if not forces:
        return records if not include else records.filter(ibis.literal(False))
    matched = records.reported_by.isin(list(forces))
    return records.filter(matched if include else ~matched)


def crime_only(records: ibis.Table) -> ibis.Table:
    """Notifiable crime: every street record except anti-social behaviour."""
    return records.filter(records.crime_type != ASB)


def asb_only(records: ibis.Table) -> ibis.Table:
    """Anti-social behaviour incidents."""
    return records.filter(records.crime_type == ASB)


def in_months(records: ibis.Table, first, end_exclusive) -> ibis.Table:
    """Records from ``first`` up to, not including, ``end_exclusive`` (dates)."""
    return records.filter((records.month >= first) & (records.month < end_exclusive))
