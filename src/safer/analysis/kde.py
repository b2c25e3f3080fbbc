"""Kernel density of points on a regular grid, by binning and FFT convolution (no loop over points).

The points (British National Grid metres) are first counted into grid cells (a 2-D
histogram, one pass over the points); the counts are then convolved with a Gaussian
kernel sampled on the same grid (``scipy.signal.fftconvolve``). The cost grows with the
number of points plus the number of cells, never with their product, so a million
points take well under a second. The binning moves each point to its cell centre, an
error of at most half a cell, which is small when the cell is a fraction of the bandwidth.

The bandwidth (the kernel's standard deviation, in metres) is chosen automatically unless
given: Scott's rule for two dimensions, ``n ** (-1/6)`` times the points' standard
deviation (the mean of the x and y standard deviations), the rule ``scipy.stats.gaussian_kde``
uses by default. The choice is reported in the result. Density is in points per square
kilometre.

Example:
    >>> result = kernel_density([0.0, 10.0], [0.0, 0.0], cell_size=10.0, bandwidth=50.0)
    >>> result.bandwidth, result.bandwidth_source
    (50.0, 'as set')
    >>> round(float(result.density.sum()) * (10.0 / 1000) ** 2, 3)  # integrates to the 2 points
    2.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.signal import fftconvolve

KERNEL_REACH = 4.0  # the Gaussian kernel is cut off beyond this many bandwidths (weight < 0.04%)
SAME_PLACE_METRES = 0.001  # points closer than a millimetre are one place; any spread below is round-off


@dataclass(frozen=True)
class KernelDensity:
    """Density (points per km^2) on a grid whose lower-left corner is (``x0``, ``y0``); rows run south to north."""

    x0: float
    y0: float
    cell_size: float
    bandwidth: float
    bandwidth_source: str  # "set" or how it was chosen
    points: float
    density: np.ndarray  # rows (y) x columns (x)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """(left, right, bottom, top) in metres."""
        rows, cols = self.density.shape
        return self.x0, self.x0 + cols * self.cell_size, self.y0, self.y0 + rows * self.cell_size

    @property
    def peak(self) -> tuple[float, float, float]:
        """(x, y, density) at the centre of the densest cell."""
        row, col = np.unravel_index(int(np.argmax(self.density)), self.density.shape)
        return (float(self.x0 + (col + 0.5) * self.cell_size), float(self.y0 + (row + 0.5) * self.cell_size),
                float(self.density[row, col]))

    def as_dict(self) -> dict[str, object]:
        x, y, peak = self.peak if self.density.size else (None, None, 0.0)
        rows, cols = self.density.shape
        return {"method": "Gaussian kernel, binned counts convolved by FFT", "cell_size_m": self.cell_size,
                "bandwidth_m": round(self.bandwidth, 1), "bandwidth_source": self.bandwidth_source,
                "points": self.points, "rows": rows, "columns": cols,
                "peak": {"x": None if x is None else round(x, 1), "y": None if y is None else round(y, 1),
                         "density_per_km2": round(peak, 1)}}


def kernel_density(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray, *, cell_size: float,
                   bandwidth: float | None = None, weights: Sequence[float] | np.ndarray | None = None,
                   extent: tuple[float, float, float, float] | None = None) -> KernelDensity:
    """Gaussian kernel density of the points (metres) on a grid of ``cell_size`` squares.

    ``weights`` counts each point several times (e.g. crimes at one map point).
    ``extent`` (left, right, bottom, top) fixes the grid; by default it covers the points
    plus the kernel's reach. Points outside the extent do not add density.
    """
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    w = np.ones_like(xs) if weights is None else np.asarray(weights, dtype=float)
    _check(xs, ys, w, cell_size, bandwidth)
    if bandwidth is None:
        bandwidth, source = scott_bandwidth(xs, ys, w), "chosen by Scott's rule"
    else:
        source = "as set"
    reach = KERNEL_REACH * bandwidth
    reach += 2 * cell_size  # whole kernel inside the grid, so no density is lost at the edges
    left, right, bottom, top = extent or (xs.min() - reach, xs.max() + reach, ys.min() - reach, ys.max() + reach)
    cols = max(1, int(np.ceil((right - left) / cell_size)))
    rows = max(1, int(np.ceil((top - bottom) / cell_size)))
    counts = _binned(xs, ys, w, left, bottom, cell_size, rows, cols)
    kernel = _gaussian_kernel(bandwidth, cell_size)
    density = fftconvolve(counts, kernel, mode="same")
    density = np.clip(density, 0.0, None) / (cell_size / 1000.0) ** 2  # FFT round-off can give tiny negatives
    return KernelDensity(x0=float(left), y0=float(bottom), cell_size=float(cell_size), bandwidth=float(bandwidth),
                         bandwidth_source=source, points=float(w.sum()), density=density)


def all_at_one_place(x: np.ndarray, y: np.ndarray) -> bool:
    """True when the points span less than ``SAME_PLACE_METRES`` each way, so no spread can be measured.

    >>> all_at_one_place(np.array([530000.0, 530000.0]), np.array([180000.0, 180000.0]))
    True
    """
    return bool(len(x)) and bool(np.ptp(x) < SAME_PLACE_METRES and np.ptp(y) < SAME_PLACE_METRES)


def scott_bandwidth(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> float:
    """Scott's rule in two dimensions: ``n_eff ** (-1/6)`` times the mean of the x and y standard deviations."""
    w = np.ones_like(x) if weights is None else weights
    total = w.sum()
    n_eff = total ** 2 / np.sum(w ** 2)
    sd_x = np.sqrt(np.average((x - np.average(x, weights=w)) ** 2, weights=w))
    sd_y = np.sqrt(np.average((y - np.average(y, weights=w)) ** 2, weights=w))
    spread = (sd_x + sd_y) / 2.0
    if spread < SAME_PLACE_METRES:  # identical points leave only floating-point round-off
        raise ValueError("every point is at the same place, so no bandwidth can be chosen from the data; "
                         "set the bandwidth in metres")
    return float(n_eff ** (-1.0 / 6.0) * spread)


def _check(x: np.ndarray, y: np.ndarray, w: np.ndarray, cell_size: float, bandwidth: float | None) -> None:
    if x.shape != y.shape or x.shape != w.shape:
        raise ValueError(f"x, y and weights must have the same length; got {len(x)}, {len(y)} and {len(w)}")
    if len(x) == 0:
        raise ValueError("no points to estimate a density from")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("some points have blank coordinates; leave them out (and count them) before the density")
    if np.any(w < 0):
        raise ValueError("weights must not be negative")
    if not cell_size > 0:
        raise ValueError(f"cell_size must be a positive number of metres (e.g. 50); got {cell_size}")
    if bandwidth is not None and not bandwidth > 0:
        raise ValueError(f"bandwidth must be a positive number of metres (e.g. 250), or None; got {bandwidth}")


def _binned(x: np.ndarray, y: np.ndarray, w: np.ndarray, left: float, bottom: float, cell: float,
            rows: int, cols: int) -> np.ndarray:
    col = np.floor((x - left) / cell).astype(np.int64)
    row = np.floor((y - bottom) / cell).astype(np.int64)
    inside = (col >= 0) & (col < cols) & (row >= 0) & (row < rows)
    flat = np.bincount(row[inside] * cols + col[inside], weights=w[inside], minlength=rows * cols)
    return flat.reshape(rows, cols)


def _gaussian_kernel(bandwidth: float, cell: float) -> np.ndarray:
    """The kernel sampled at cell centres, so that convolving counts with it keeps their total."""
    half = max(1, int(np.ceil(KERNEL_REACH * bandwidth / cell)))
    offsets = np.arange(-half, half + 1) * cell
    one_axis = np.exp(-0.5 * (offsets / bandwidth) ** 2)
    kernel = np.outer(one_axis, one_axis)
    return kernel / kernel.sum()
