"""A regular grid of square cells over an area, point counts per cell, and which cells neighbour.

Cells are squares of ``cell_size`` metres in the British National Grid, aligned to whole
multiples of the cell size (so two runs with the same size give the same cells), and kept
only where they touch the area. Points are counted into cells arithmetically (no polygon
tests), and points that fall in no kept cell are counted as outside, not dropped. Two cells
are neighbours when they share an edge or a corner (queen contiguity, the 3 x 3 block).

Example:
    >>> from shapely.geometry import box
    >>> grid = regular_grid(box(0, 0, 500, 250), cell_size=250)
    >>> grid.codes, grid.counts([10, 260, 900], [10, 10, 10])
    (('r0c0', 'r0c1'), (array([1., 1.]), 1))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import shapely
from libpysal.weights import DistanceBand


@dataclass(frozen=True)
class Grid:
    """Kept cells by (row, column) from the grid origin (``x0``, ``y0``), the lower-left corner."""

    x0: float
    y0: float
    cell_size: float
    rows: np.ndarray
    cols: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f"r{r}c{c}" for r, c in zip(self.rows, self.cols))

    @property
    def centres(self) -> np.ndarray:
        """Cell centres, an n x 2 array of (x, y) metres."""
        return np.column_stack([self.x0 + (self.cols + 0.5) * self.cell_size,
                                self.y0 + (self.rows + 0.5) * self.cell_size])

    def polygons(self) -> np.ndarray:
        """The cells as shapely boxes (British National Grid)."""
        left = self.x0 + self.cols * self.cell_size
        bottom = self.y0 + self.rows * self.cell_size
        return shapely.box(left, bottom, left + self.cell_size, bottom + self.cell_size)

    def counts(self, x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray,
               weights: Sequence[float] | np.ndarray | None = None) -> tuple[np.ndarray, int]:
        """(count per kept cell, number of points outside every kept cell); points must have coordinates."""
        xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        w = np.ones_like(xs) if weights is None else np.asarray(weights, dtype=float)
        if not (np.all(np.isfinite(xs)) and np.all(np.isfinite(ys))):
            raise ValueError("some points have blank coordinates; leave them out (and count them) first")
        col = np.floor((xs - self.x0) / self.cell_size).astype(np.int64)
        row = np.floor((ys - self.y0) / self.cell_size).astype(np.int64)
        width = int(self.cols.max()) + 1 if len(self) else 1
        cell_keys = self.rows.astype(np.int64) * width + self.cols
        point_keys = np.where((col >= 0) & (col < width) & (row >= 0), row * width + col, -1)
        order = np.argsort(cell_keys)
        position = np.searchsorted(cell_keys[order], point_keys)
        position = np.clip(position, 0, max(0, len(order) - 1))
        found = (len(order) > 0) & (cell_keys[order][position] == point_keys) & (point_keys >= 0)
        counts = np.zeros(len(self))
        np.add.at(counts, order[position[found]], w[found])
        return counts, int(round(w[~found].sum()))

    def neighbours(self):
        """Queen contiguity between kept cells (a libpysal ``W``, binary, no self links)."""
        return DistanceBand(self.centres, threshold=self.cell_size * 1.5, binary=True, silence_warnings=True)

    def neighbour_matrix(self) -> sp.csr_matrix:
        return sp.csr_matrix(self.neighbours().sparse)

    def as_dict(self) -> dict[str, object]:
        return {"cell_size_m": self.cell_size, "origin": [self.x0, self.y0], "cells": len(self),
                "crs": "EPSG:27700"}


def regular_grid(area, *, cell_size: float) -> Grid:
    """Square cells of ``cell_size`` metres touching ``area`` (a shapely geometry in metres)."""
    if not cell_size > 0:
        raise ValueError(f"cell_size must be a positive number of metres (e.g. 250); got {cell_size}")
    if area is None or area.is_empty:
        raise ValueError("the area has no extent; check its boundary loaded")
    left, bottom, right, top = area.bounds
    x0 = np.floor(left / cell_size) * cell_size
    y0 = np.floor(bottom / cell_size) * cell_size
    ncols = int(np.ceil((right - x0) / cell_size))
    nrows = int(np.ceil((top - y0) / cell_size))
    if ncols * nrows > 4_000_000:
        raise ValueError(f"a {cell_size:g} m grid over this area has {ncols * nrows:,} cells; use larger cells")
    rows, cols = np.divmod(np.arange(nrows * ncols), ncols)
    boxes = shapely.box(x0 + cols * cell_size, y0 + rows * cell_size, x0 + (cols + 1) * cell_size,
                        y0 + (rows + 1) * cell_size)
    shapely.prepare(area)
    touching = shapely.intersects(area, boxes) & ~shapely.touches(area, boxes)
    return Grid(x0=float(x0), y0=float(y0), cell_size=float(cell_size), rows=rows[touching], cols=cols[touching])
