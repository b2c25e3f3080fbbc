"""Flagged crime and the police category table, from category counts (``safer ingest`` of a category CSV).

When the partnership has loaded its force's category table (``docs/contracts/category-counts.md``)
this section gives, for the assessment's periods: the table by the force's own categories, the
same counts by police.uk crime type (built exactly like the overview's table from records), and
the flagged-crime tables (hate crime and its strands, domestic abuse, knife and gun crime, youth
violence). The comparator is the rows for the comparator's local authorities, or, for a force
comparator, the table's police force area rows (``E23...``), when they cover both periods.

Example:
    >>> section = compute_flagged(scope)  # doctest: +SKIP
    >>> [row.flag for row in section.hate_crime][:2]  # doctest: +SKIP
    ['Hate crime', 'Racist and religious hate crime']
"""

from __future__ import annotations

from dataclasses import dataclass

from safer.analysis.comparison import PeriodComparison, comparison_from_counts
from safer.analysis.flagged import (CategoryTable, FlagRow, PeriodCounts, by_group, category_table, flag_table,
                                    overlapping_rows, period_counts)
from safer.analysis.periods import Period
from safer.assessment.scope import Scope
from safer.errors import WarehouseError
from safer.sources.category_counts import categories, flags

HATE_KINDS = ("hate crime", "hate crime strand")
ASB = "Anti-social behaviour"


@dataclass(frozen=True)
class Flagged:
    rows_loaded: int  # category-count rows in the warehouse
    area_codes: tuple[str, ...]
    comparator_codes: tuple[str, ...]
    notes: tuple[str, ...]  # why a period or the comparator is not covered
    category_table: CategoryTable | None
    by_type: PeriodComparison | None
    hate_crime: tuple[FlagRow, ...]
    other_flags: tuple[FlagRow, ...]

    @property
    def hate_share_of_crime(self) -> float | None:
        """All hate crime as a % of all crime in the area's category table, current period."""
        hate = next((r for r in self.hate_crime if r.kind == "hate crime"), None)
        if hate is None or self.category_table is None or not self.category_table.total.area.current:
            return None
        return round(100.0 * hate.area.current / self.category_table.total.area.current, 1)

    @property
    def available(self) -> bool:
        return bool(self.category_table or self.hate_crime or self.other_flags)

    def as_dict(self) -> dict[str, object]:
        return {
            "rows_loaded": self.rows_loaded, "area_codes": list(self.area_codes),
            "comparator_codes": list(self.comparator_codes), "notes": list(self.notes),
            "category_table": self.category_table.as_dict() if self.category_table else None,
            "by_type": self.by_type.as_dict() if self.by_type else None,
            "hate_crime": [r.as_dict() for r in self.hate_crime],
            "other_flags": [r.as_dict() for r in self.other_flags],
            "hate_crime_share_of_all_crime": self.hate_share_of_crime,
        }


def compute_flagged(scope: Scope) -> Flagged:
    """The category table and flagged-crime tables for the scope's area, periods and comparator."""
    counts = scope.warehouse.table("category_counts")
    loaded = int(counts.count().execute())
    area_codes = tuple(scope.config.area)
    if loaded == 0:
        return Flagged(0, area_codes, (), ("No police category table was loaded.",), None, None, (), ())
    _refuse_overlaps(counts)
    known = categories()
    area = (period_counts(counts, area_codes, scope.previous), period_counts(counts, area_codes, scope.current))
    notes = [p.reason for p in area if p.reason]
    comparator_codes = _comparator_codes(scope, counts)
    comparator = None
    if comparator_codes:
        pair = (period_counts(counts, comparator_codes, scope.previous),
                period_counts(counts, comparator_codes, scope.current))
        if all(p.covered for p in pair):
            comparator = pair
        else:
            notes.extend(f"Comparator: {p.reason}" for p in pair if p.reason)
    elif loaded:
        notes.append("The category table has no rows for the comparator, so no comparison is made.")
    if not all(p.covered for p in area):
        return Flagged(loaded, area_codes, comparator_codes, tuple(notes), None, None, (), ())

    offence_keys = {k for k, c in known.items() if not c.flag and c.police_uk_crime_type != ASB}
    crime_type_of = {k: c.police_uk_crime_type for k, c in known.items() if not c.flag}
    present = set(area[0].counts or {}) | set(area[1].counts or {})
    table = category_table(area, comparator, offence_keys, crime_type_of) if present & offence_keys else None
    by_type = None
    if table is not None:
        type_of = {k: t for k, t in crime_type_of.items() if k in offence_keys}
        area_types = by_group(*area, type_of)
        comp_types = by_group(*comparator, type_of) if comparator else {}
        covered = set(area_types) | set(comp_types) if comparator else set()
        by_type = comparison_from_counts(area_types, comp_types, scope.current, scope.previous, covered=covered)
    flag_of = {k: c.flag for k, c in known.items() if c.flag}
    rows = flag_table(area, comparator, flag_of, [(f.name, f.kind, f.note) for f in flags()])
    return Flagged(loaded, area_codes, comparator_codes, tuple(notes), table, by_type,
                   tuple(r for r in rows if r.kind in HATE_KINDS), tuple(r for r in rows if r.kind not in HATE_KINDS))


def area_category_counts(scope: Scope, period: Period) -> dict[str, int] | None:
    """The area's category counts over ``period`` when a category table covers it, else None."""
    counts = scope.warehouse.table("category_counts")
    if int(counts.count().execute()) == 0:
        return None
    found: PeriodCounts = period_counts(counts, tuple(scope.config.area), period)
    known = categories()
    if not found.covered or not any(k in known and not known[k].flag for k in found.counts):
        return None
    return found.counts


def _comparator_codes(scope: Scope, counts) -> tuple[str, ...]:
    if not isinstance(scope.config.comparator, str):
        return tuple(sorted(set(scope.config.comparator) | set(scope.config.area)))
    forces = counts.filter(counts.area.startswith("E23")).select("area").distinct().execute()["area"]
    return (str(forces.iloc[0]),) if len(forces) == 1 else ()


def _refuse_overlaps(counts) -> None:
    clashes = overlapping_rows(counts)
    if clashes:
        listed = "; ".join(f"{area} '{key.replace('|', ' / ')}' in {a} and {b}" for area, key, a, b in clashes[:5])
        raise WarehouseError(
            f"the category tables loaded count the same area and category over overlapping months in different "
            f"files, so crimes would be counted twice: {listed}. Rebuild the warehouse (delete it and run "
            "`safer ingest` again) without the outdated file.")
