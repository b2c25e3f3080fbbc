"""Disclosure control: no published cell from person-level data in 1..threshold, and no suppressed
cell recoverable from the margins.

The recoverability check is independent of the code under test: for every suppressed cell, a
linear programme (scipy) finds the smallest and largest value it could take given every published
value, every declared sum and non-negative counts. A suppressed value is protected only if these
differ.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from safer.privacy.disclosure import COUNT, RATIO, Column, PersonTable, Row, column_sums, equal, part_of, publish, sums

# small counts are what disclosure control is about: draw them often
_count = st.one_of(st.integers(0, 6), st.integers(0, 40))


def _crosstab(values: list[list[int]]) -> PersonTable:
    """A rows x columns table with a total column, a total row and the grand total."""
    n_rows, n_cols = len(values), len(values[0])
    parts = [f"c{j}" for j in range(n_cols)]
    columns = tuple(Column(c, c) for c in parts) + (Column("total", "Total"),) + (
        Column("share", "% of total", kind=RATIO, numerator="c0", denominator="total"),)
    rows = []
    for i, row in enumerate(values):
        rows.append(Row(f"r{i}", f"r{i}", {**{p: v for p, v in zip(parts, row)}, "total": sum(row)}))
    rows.append(Row("all", "All", {**{p: sum(values[i][j] for i in range(n_rows)) for j, p in enumerate(parts)},
                                   "total": sum(map(sum, values))}))
    row_keys = [f"r{i}" for i in range(n_rows)]
    relations = sums("all", row_keys, [*parts, "total"]) + column_sums([*row_keys, "all"], "total", parts)
    return PersonTable("crosstab", "t", "row", columns, tuple(rows), relations)


def _bounds(table: PersonTable, published, cell) -> tuple[float, float]:
    """The least and greatest value ``cell`` can take, given the published table and its relations."""
    unknown = [(row.key, c.key) for row in published.rows for c in table.columns
               if c.kind == COUNT and c.key in row.suppressed]
    remainders = list(range(len(table.relations)))  # each relation's unpublished remainder, >= 0
    n = len(unknown) + len(remainders)
    a_eq, b_eq = [], []
    for r, relation in enumerate(table.relations):
        coefs, constant = np.zeros(n), 0.0
        for (row, column), coef in relation.terms:
            if (row, column) in unknown:
                coefs[unknown.index((row, column))] += coef
            else:
                constant += coef * published.value(row, column)
        coefs[len(unknown) + r] = -1.0  # sum(...) - remainder = 0
        a_eq.append(coefs)
        b_eq.append(-constant)
        if relation.exact:  # a declared sum: its remainder is known to be zero
            zero = np.zeros(n)
            zero[len(unknown) + r] = 1.0
            a_eq.append(zero)
            b_eq.append(0.0)
    target = np.zeros(n)
    target[unknown.index(cell) if isinstance(cell, tuple) else len(unknown) + cell] = 1.0
    low = linprog(target, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=[(0, None)] * n, method="highs")
    high = linprog(-target, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=[(0, None)] * n, method="highs")
    assert low.status == 0 and high.status in (0, 3)  # 3: unbounded above, so certainly not pinned
    return low.fun, (np.inf if high.status == 3 else -high.fun)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.integers(1, 4).flatmap(lambda r: st.integers(1, 4).flatmap(
    lambda c: st.lists(st.lists(_count, min_size=c, max_size=c), min_size=r, max_size=r))),
       threshold=st.integers(1, 5))
def test_no_small_published_count_and_margins_reveal_no_suppressed_cell(values, threshold):
    table = _crosstab(values)
    published = publish(table, threshold)
    for row in published.rows:
        for column in table.columns:
            value = row.values[column.key]
            if column.kind == COUNT:
                assert value is None or value == 0 or value > threshold, (row.key, column.key, value)
                true = next(r for r in table.rows if r.key == row.key).values[column.key]
                assert (value is None) == (column.key in row.suppressed)
                if value is not None:
                    assert value == true
        # a percentage is never built on a suppressed count
        if "c0" in row.suppressed or "total" in row.suppressed:
            assert row.values["share"] is None
    for row in published.rows:
        for key in row.suppressed:
            if key == "share":
                continue
            low, high = _bounds(table, published, (row.key, key))
            assert high - low > 0.5, f"suppressed cell {(row.key, key)} is pinned to {low} by the margins"


@settings(max_examples=100, deadline=None)
@given(sizes=st.lists(st.integers(0, 30), min_size=2, max_size=4),
       overlaps=st.lists(st.integers(0, 30), min_size=6, max_size=6), threshold=st.integers(2, 5))
def test_cohort_overlaps_reveal_no_small_remainder(sizes, overlaps, threshold):
    """Cohort sizes and overlaps: size - overlap (members not in the other cohort) is never pinned when small."""
    names = [f"k{i}" for i in range(len(sizes))]
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    both = {}
    for (a, b), n in zip(pairs, overlaps):
        both[(a, b)] = both[(b, a)] = min(n, sizes[names.index(a)], sizes[names.index(b)])
    columns = tuple(Column(n, n) for n in names)
    rows = [Row("size", "Size", {n: s for n, s in zip(names, sizes)})]
    rows += [Row(f"also:{other}", f"also {other}", {n: (None if n == other else both[(n, other)]) for n in names})
             for other in names]
    relations = tuple(part_of(("size", n), (f"also:{o}", n)) for n in names for o in names if o != n)
    relations += tuple(equal((f"also:{b}", a), (f"also:{a}", b)) for a, b in pairs)
    table = PersonTable("overlap", "t", "row", columns, tuple(rows), relations)
    published = publish(table, threshold)
    for row in published.rows:
        for key, value in row.values.items():
            assert value is None or value == 0 or value > threshold
    for r, relation in enumerate(table.relations):
        if relation.exact:
            continue
        (whole, _), (part, _) = relation.terms
        remainder = table.rows[[x.key for x in table.rows].index(whole[0])].values[whole[1]] - \
            table.rows[[x.key for x in table.rows].index(part[0])].values[part[1]]
        if 1 <= remainder <= threshold:
            low, high = _bounds(table, published, r)
            assert high - low > 0.5, f"the remainder of {relation} ({remainder}) can be worked out"


def test_worked_example_secondary_suppression():
    """A 2 x 2 table with one small cell: the rectangle of four cells is hidden, margins stay."""
    table = _crosstab([[3, 10], [7, 12]])
    published = publish(table, 4)
    hidden = {(row.key, key) for row in published.rows for key in row.suppressed if key != "share"}
    assert hidden == {("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1")}
    assert published.value("all", "total") == 32
    assert published.value("r0", "total") == 13
    assert published.value("all", "c0") == 10
    assert published.primary == 1 and published.secondary == 3


def test_zero_and_large_counts_are_shown():
    table = _crosstab([[0, 10], [7, 12]])
    published = publish(table, 4)
    assert [published.value("r0", "c0"), published.value("r1", "c0"), published.value("r0", "share")] == [0, 7, 0.0]


@pytest.mark.parametrize("threshold", [0, -1])
def test_threshold_must_be_positive(threshold):
    with pytest.raises(ValueError):
        publish(_crosstab([[1]]), threshold)
