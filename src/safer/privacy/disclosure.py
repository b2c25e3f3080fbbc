"""Disclosure control: no published table built from person-level data can reveal a small number.

Every table of counts about people is described as a :class:`PersonTable` and goes through
:func:`publish`, the one function that makes it publishable:

1. **primary suppression**: every count from 1 to the threshold (``[disclosure] threshold``,
   default 4) is suppressed. Zeros are shown;
2. **secondary suppression**: a table declares the sums that hold between its cells (a total row
   is the sum of the rows above it, a total column the sum of its parts, a cohort's size minus
   its overlap with another cohort is a count nobody publishes ...) as :class:`Relation` s. In
   any relation with exactly one hidden value (a suppressed cell, or an unpublished remainder that
   is itself from 1 to the threshold), the smallest non-zero visible cell of the relation is
   suppressed too. Then every hidden value is audited: if the published cells and the relations
   still determine it exactly (linear algebra on the relations, see :func:`_determined`), another
   cell of its relations is suppressed, until none is determined;
3. **derived values**: a percentage or rate whose numerator or denominator is suppressed is
   suppressed; a measure (a mean, a cost) is suppressed with the counts it is based on.

Suppressed values are ``null`` in ``results.json`` and ``*`` in the report, and each published
table carries ``"person_level": true`` so that ``meta.disclosure.person_level_tables`` lists it.
Police recorded crime counts are aggregate data, not person-level, and are never suppressed.

Hand-written rather than taken from a library: the Python statistical disclosure control
packages (sdcMicro is R; tau-Argus is a Java application) either protect microdata or need an
external solver, while these tables are small and their relations known, so an exact audit with
numpy is short and checkable.

Example:
    >>> table = PersonTable("t", "Victims by sex", "Sex", (Column("n", "Victims"),),
    ...     (Row("f", "Female", {"n": 12}), Row("m", "Male", {"n": 3}), Row("all", "All", {"n": 15})),
    ...     relations=sums("all", ("f", "m"), ("n",)))
    >>> [row.values["n"] for row in publish(table, 4).rows]
    [None, None, 15]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

COUNT, RATIO, MEASURE, PUBLISHED, TEXT = "count", "ratio", "measure", "published", "text"
KINDS = (COUNT, RATIO, MEASURE, PUBLISHED, TEXT)
SUPPRESSED_MARK = "*"

Cell = tuple[str, str]  # (row key, column key)


def disclosure_rule(threshold: int) -> str:
    """The rule as the report states it."""
    return (f"Counts from 1 to {threshold} derived from person-level data are suppressed in published tables "
            f"(shown as {SUPPRESSED_MARK}), together with further cells where totals or other published figures "
            "would let a suppressed number be worked out, and every percentage, rate or mean built on a "
            "suppressed count. Zeros are shown. Police recorded crime counts are aggregate, not person-level, "
            "and are shown in full.")


@dataclass(frozen=True)
class Column:
    """A column of a person table.

    ``count`` columns hold counts of people or events and are suppressed when small; ``ratio``
    columns are computed as ``numerator / denominator * scale`` from other columns (the denominator
    from the same row, or from ``denominator_row``); ``measure`` columns (a mean, a cost, days) are
    given and are suppressed with the ``based_on`` columns of their row; ``published`` columns are
    other bodies' published figures, never suppressed; ``text`` columns are words, hidden with
    their ``based_on`` columns.
    """

    key: str
    label: str
    kind: str = COUNT
    numerator: str | None = None
    denominator: str | None = None
    denominator_row: str | None = None
    scale: float = 100.0
    places: int = 1
    based_on: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key!r}: kind {self.kind!r} is not one of {KINDS}")
        if self.kind == RATIO and not (self.numerator and self.denominator):
            raise ValueError(f"ratio column {self.key!r} needs a numerator and a denominator column")
        if self.key in ("label", "group", "suppressed"):
            raise ValueError(f"column key {self.key!r} is reserved")

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "label": self.label, "kind": self.kind}


@dataclass(frozen=True)
class Row:
    """A row: its key (unique in the table), label, optional group heading and values by column key."""

    key: str
    label: str
    values: Mapping[str, object]
    group: str = ""


@dataclass(frozen=True)
class Relation:
    """``sum(coefficient * cell)`` over ``terms`` is zero (``exact``) or a count that is not published."""

    terms: tuple[tuple[Cell, int], ...]
    exact: bool = True


@dataclass(frozen=True)
class PersonTable:
    """A table of counts from person-level data, before disclosure control."""

    key: str
    title: str
    row_label: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    relations: tuple[Relation, ...] = ()
    note: str = ""
    person_level: bool = True  # False for tables of other bodies' published figures (nothing to suppress)

    def __post_init__(self) -> None:
        keys = [r.key for r in self.rows]
        if len(set(keys)) != len(keys):
            raise ValueError(f"table {self.key!r}: row keys must be unique")
        columns = {c.key for c in self.columns}
        for relation in self.relations:
            for (row, column), _ in relation.terms:
                if row not in keys or column not in columns:
                    raise ValueError(f"table {self.key!r}: relation refers to unknown cell {(row, column)}")


def sums(total: str, parts: Iterable[str], columns: Iterable[str]) -> tuple[Relation, ...]:
    """Relations saying row ``total`` is the sum of rows ``parts``, in each of ``columns``."""
    parts = tuple(parts)
    return tuple(Relation(tuple(((p, c), 1) for p in parts) + (((total, c), -1),)) for c in columns)


def column_sums(rows: Iterable[str], total: str, parts: Iterable[str]) -> tuple[Relation, ...]:
    """Relations saying column ``total`` is the sum of columns ``parts``, in each of ``rows``."""
    parts = tuple(parts)
    return tuple(Relation(tuple(((r, p), 1) for p in parts) + (((r, total), -1),)) for r in rows)


def part_of(whole: Cell, part: Cell) -> Relation:
    """``whole - part`` is a count nobody publishes (e.g. a cohort's members not in another cohort)."""
    return Relation(((whole, 1), (part, -1)), exact=False)


def equal(a: Cell, b: Cell) -> Relation:
    """Two cells always hold the same count (e.g. the overlap of A with B, and of B with A)."""
    return Relation(((a, 1), (b, -1)))


@dataclass(frozen=True)
class PublishedRow:
    key: str
    label: str
    group: str
    values: dict[str, object]
    suppressed: frozenset[str]

    def as_dict(self) -> dict[str, object]:
        return {"label": self.label, "group": self.group, **self.values, "suppressed": sorted(self.suppressed)}


@dataclass(frozen=True)
class PublishedTable:
    """A person table after disclosure control: suppressed values are None and listed per row."""

    key: str
    title: str
    row_label: str
    columns: tuple[Column, ...]
    rows: tuple[PublishedRow, ...]
    threshold: int
    note: str = ""
    person_level: bool = True
    primary: int = 0  # cells suppressed for being from 1 to the threshold
    secondary: int = 0  # further cells suppressed so that they cannot be worked out

    def row(self, key: str) -> PublishedRow:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def value(self, row: str, column: str) -> object:
        return self.row(row).values.get(column)

    def is_suppressed(self, row: str, column: str) -> bool:
        return column in self.row(row).suppressed

    @property
    def count_columns(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.kind == COUNT)

    def as_dict(self) -> dict[str, object]:
        return {"person_level": self.person_level, "title": self.title, "row_label": self.row_label, "threshold": self.threshold,
                "columns": [c.as_dict() for c in self.columns], "rows": [r.as_dict() for r in self.rows],
                "suppressed_cells": {"primary": self.primary, "secondary": self.secondary}, "note": self.note}


def publish(table: PersonTable, threshold: int, *, also_hide: Iterable[Cell] = ()) -> PublishedTable:
    """Apply disclosure control to ``table``: the only way a person-level table reaches the report.

    ``also_hide`` forces cells to be suppressed (see :func:`publish_together`).
    """
    if threshold < 1:
        raise ValueError("the disclosure threshold must be at least 1")
    counts = _counts(table)
    primary = {cell for cell, value in counts.items() if 1 <= value <= threshold}
    forced = {cell for cell in also_hide if cell in counts and cell not in primary}
    hidden = _suppress(counts, table.relations, primary | forced, threshold)
    rows = _derive(table, counts, hidden)
    return PublishedTable(key=table.key, title=table.title, row_label=table.row_label, columns=table.columns,
                          rows=rows, threshold=threshold, note=table.note, person_level=table.person_level,
                          primary=len(primary),
                          secondary=len(hidden) - len(primary))


def publish_together(tables: Iterable[PersonTable], threshold: int,
                     same: Iterable[tuple[tuple[str, str, str], tuple[str, str, str]]] = ()) -> dict[str, PublishedTable]:
    """Publish several tables that share figures (``same``: pairs of (table key, row key, column key)).

    A figure shown in two tables must be suppressed in both or in neither, or one table would give
    away what the other hides: suppression in one is carried to the other until nothing changes.
    """
    tables = {t.key: t for t in tables}
    same = list(same)
    forced: dict[str, set[Cell]] = {key: set() for key in tables}
    while True:
        published = {key: publish(t, threshold, also_hide=forced[key]) for key, t in tables.items()}
        changed = False
        for a, b in same:
            for (ta, ra, ca), (tb, rb, cb) in ((a, b), (b, a)):
                if published[ta].is_suppressed(ra, ca) and (rb, cb) not in forced[tb] \
                        and not published[tb].is_suppressed(rb, cb):
                    forced[tb].add((rb, cb))
                    changed = True
        if not changed:
            return published


def _counts(table: PersonTable) -> dict[Cell, int]:
    counts: dict[Cell, int] = {}
    for row in table.rows:
        for column in table.columns:
            if column.kind != COUNT:
                continue
            value = row.values.get(column.key)
            if value is None:
                continue
            if int(value) != value or value < 0:
                raise ValueError(f"table {table.key!r}: {row.label} / {column.label} is not a count ({value!r})")
            counts[(row.key, column.key)] = int(value)
    return counts


def _suppress(counts: dict[Cell, int], relations: tuple[Relation, ...], primary: set[Cell],
              threshold: int) -> set[Cell]:
    """Primary plus secondary suppression: the set of count cells to hide."""
    relations = tuple(r for r in relations if all(cell in counts for cell, _ in r.terms))
    remainders = [sum(coef * counts[cell] for cell, coef in r.terms) for r in relations]
    for relation, remainder in zip(relations, remainders):
        if relation.exact and remainder != 0:
            raise ValueError(f"a declared sum does not hold ({relation}); check the table's relations")
    sensitive = [not r.exact and 1 <= remainder <= threshold for r, remainder in zip(relations, remainders)]
    hidden = set(primary)
    while True:
        changed = False
        for relation, secret in zip(relations, sensitive):
            if not relation.exact and not secret:
                continue  # an unpublished remainder that may be known: the relation alone pins nothing
            cells = [cell for cell, _ in relation.terms]
            if sum(cell in hidden for cell in cells) + secret == 1:
                pick = _smallest_visible(cells, hidden, counts)
                if pick is not None:
                    hidden.add(pick)
                    changed = True
        if changed:
            continue
        exposed = _determined(relations, sensitive, hidden)
        if exposed is None:
            return hidden
        index, cell = exposed
        around = [relations[index]] if cell is None else [r for r in relations if cell in dict(r.terms)]
        candidates = [c for r in around for c, _ in r.terms]
        pick = _smallest_visible(candidates, hidden, counts)
        if pick is None:  # every cell around it is hidden already: widen to every relation
            pick = _smallest_visible([c for r in relations for c, _ in r.terms], hidden, counts)
            if pick is None:
                raise AssertionError("disclosure control could not protect a table; every cell is suppressed")
        hidden.add(pick)


def _smallest_visible(cells: Iterable[Cell], hidden: set[Cell], counts: dict[Cell, int]) -> Cell | None:
    visible = sorted({c for c in cells if c not in hidden}, key=lambda c: (counts[c] == 0, counts[c], c))
    return visible[0] if visible else None


def _determined(relations: tuple[Relation, ...], sensitive: list[bool],
                hidden: set[Cell]) -> tuple[int, Cell | None] | None:
    """A hidden value the visible cells and the relations pin down exactly, if any.

    The unknowns are the hidden cells and the unpublished remainders of inexact relations; a
    hidden cell or a sensitive remainder is determined when its unit vector lies in the row space
    of the relations' matrix over the unknowns (then some combination of published values gives it
    exactly). Returns the relation index and the cell (None for a relation's remainder).
    """
    unknowns: list[tuple[int, Cell | None]] = []
    index: dict[tuple[int, Cell | None], int] = {}
    rows: list[dict[int, float]] = []
    for i, (relation, secret) in enumerate(zip(relations, sensitive)):
        row: dict[int, float] = {}
        for cell, coef in relation.terms:
            if cell in hidden:
                key = (-1, cell)
                if key not in index:
                    index[key] = len(unknowns)
                    unknowns.append((i, cell))
                row[index[key]] = row.get(index[key], 0.0) + coef
        if not relation.exact:
            key = (i, None)
            index[key] = len(unknowns)
            unknowns.append((i, None))
            row[index[key]] = -1.0
        if any(row.values()):
            rows.append(row)
    if not rows:
        return None
    matrix = np.zeros((len(rows), len(unknowns)))
    for r, row in enumerate(rows):
        for c, coef in row.items():
            matrix[r, c] = coef
    rank = np.linalg.matrix_rank(matrix)
    for position, unknown in enumerate(unknowns):
        if unknown[1] is None and not sensitive[unknown[0]]:
            continue  # a remainder outside 1..threshold may be worked out
        unit = np.zeros((1, len(unknowns)))
        unit[0, position] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            return unknown
    return None


def _derive(table: PersonTable, counts: dict[Cell, int], hidden: set[Cell]) -> tuple[PublishedRow, ...]:
    """Every row's published values: counts, measures, ratios, then texts, each hidden with what it is built on."""
    by_key = {row.key: row for row in table.rows}
    suppressed: dict[str, set[str]] = {row.key: {c for (r, c) in hidden if r == row.key} for row in table.rows}
    values: dict[str, dict[str, object]] = {row.key: {} for row in table.rows}
    order = sorted(table.columns, key=lambda c: (COUNT, MEASURE, PUBLISHED, RATIO, TEXT).index(c.kind))
    for column in order:
        for row in table.rows:
            out, gone = values[row.key], suppressed[row.key]
            raw = row.values.get(column.key)
            if column.kind == COUNT:
                out[column.key] = None if column.key in gone or raw is None else int(raw)
            elif column.kind == PUBLISHED:
                out[column.key] = None if raw is None else round(float(raw), column.places)
            elif column.kind in (MEASURE, TEXT):
                if any(base in gone for base in column.based_on):
                    gone.add(column.key)
                    out[column.key] = None
                elif raw is None:
                    out[column.key] = None
                else:
                    out[column.key] = raw if column.kind == TEXT else round(float(raw), column.places)
            else:  # ratio
                den_row = column.denominator_row or row.key
                if den_row not in by_key:
                    raise ValueError(f"table {table.key!r}: ratio {column.key!r} uses unknown row {den_row!r}")
                numerator = _input(by_key[row.key], column.numerator, counts)
                denominator = _input(by_key[den_row], column.denominator, counts)
                if column.numerator in gone or column.denominator in suppressed[den_row]:
                    gone.add(column.key)
                    out[column.key] = None
                elif numerator is None or not denominator:
                    out[column.key] = None
                else:
                    out[column.key] = round(float(numerator) / float(denominator) * column.scale, column.places)
    return tuple(PublishedRow(key=row.key, label=row.label, group=row.group, values=values[row.key],
                              suppressed=frozenset(suppressed[row.key])) for row in table.rows)


def _input(row: Row, column: str, counts: dict[Cell, int]):
    if (row.key, column) in counts:
        return counts[(row.key, column)]
    return row.values.get(column)


def person_level_table_keys(document: object, prefix: str = "") -> list[str]:
    """The dotted results.json key of every published person-level table in ``document``."""
    found: list[str] = []
    if isinstance(document, Mapping):
        if document.get("person_level") is True:
            return [prefix]
        for key, value in document.items():
            found += person_level_table_keys(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(document, list):
        for i, value in enumerate(document):
            found += person_level_table_keys(value, f"{prefix}.{i}")
    return found


__all__ = ["COUNT", "MEASURE", "PUBLISHED", "RATIO", "SUPPRESSED_MARK", "TEXT", "Column", "PersonTable",
           "PublishedRow", "PublishedTable", "Relation", "Row", "column_sums", "disclosure_rule", "equal",
           "part_of", "person_level_table_keys", "publish", "publish_together", "sums"]
