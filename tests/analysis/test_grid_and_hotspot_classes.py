"""Grid cells and counts against brute-force point-in-square tests; hotspot classes from hand-made tables."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import Point, Polygon, box

from safer.analysis.grid import regular_grid
from safer.analysis.hotspot_classes import classify_hotspots


def test_cells_cover_the_area_and_counts_match_brute_force():
    area = Polygon([(0, 0), (1000, 0), (1000, 400), (400, 1000), (0, 1000)])
    grid = regular_grid(area, cell_size=250)
    boxes = [box(*b.bounds) for b in grid.polygons()]
    assert all(b.intersects(area) and not b.touches(area) for b in boxes)
    # the cell fully outside the cut-off corner is not kept
    assert not any(b.contains(Point(875, 875)) for b in boxes)
    rng = np.random.default_rng(2)
    x, y = rng.uniform(-100, 1100, 2000), rng.uniform(-100, 1100, 2000)
    counts, outside = grid.counts(x, y)
    expected = [sum(1 for px, py in zip(x, y) if b.bounds[0] <= px < b.bounds[2] and b.bounds[1] <= py < b.bounds[3])
                for b in boxes]
    assert counts.tolist() == expected
    assert outside == 2000 - sum(expected)


def test_queen_neighbours_of_grid_cells():
    grid = regular_grid(box(0, 0, 1000, 1000), cell_size=250)  # 4 x 4 cells
    neighbours = grid.neighbour_matrix()
    degrees = np.asarray(neighbours.sum(axis=1)).ravel()
    by_code = dict(zip(grid.codes, degrees))
    assert by_code["r0c0"] == 3 and by_code["r0c1"] == 5 and by_code["r1c1"] == 8


def test_grid_alignment_is_repeatable():
    a = regular_grid(box(130, 260, 990, 740), cell_size=250)
    assert (a.x0, a.y0) == (0.0, 250.0)


@pytest.mark.parametrize("row, expected", [
    ([True] * 8, "persistent"),
    ([True] * 7 + [False], "persistent"),
    ([False] * 6 + [False, True], "emerging"),
    ([False] * 6 + [True, True], "emerging"),
    ([True, True, True, False, False, False, False, False], "former"),
    ([True, False, True, False, True, False, True, False], "intermittent"),
    ([False] * 8, "not a hotspot"),
])
def test_classes_over_eight_periods(row, expected):
    result = classify_hotspots([row])  # 8 periods: the last 2 are recent
    assert result.recent_periods == 2
    assert result.classes == (expected,)
    assert result.hot_periods == (sum(row),)


def test_classes_need_two_periods():
    with pytest.raises(ValueError, match="at least 2"):
        classify_hotspots([[True]])
