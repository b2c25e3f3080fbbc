"""Benchmark: Gi* with 999 permutations on ~35,000 places, and kernel density of 1,000,000 points.

Targets: Gi* under 5 s, KDE under 2 s, nothing quadratic in the number of points. Each is timed
against a baseline measured in the same run and the ratio printed:

* Gi*: safer's ``gi_star`` against ``esda.G_Local(star=True)`` with its defaults (999
  conditional permutations), both on the same 187 x 187 queen-contiguity lattice (34,969
  places, about the number of LSOAs in England). The z-scores of the two are compared too.
* KDE: safer's binned FFT ``kernel_density`` on 1,000,000 points against
  ``scipy.stats.gaussian_kde`` evaluated at every cell of the same grid. gaussian_kde costs
  (points x cells), so it is timed on a sample of points and cells and scaled up linearly,
  which is exact for its cost. Accuracy: safer's density on the sample against the exact sum
  of Gaussians at the same cells.
* Scaling: safer's KDE time at 250,000 and 1,000,000 points, to show it grows linearly.

Usage:  python benchmarks/hotspots.py [--quick]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from libpysal.weights import lat2W
from scipy.stats import gaussian_kde

from safer.analysis.getis_ord import gi_star
from safer.analysis.kde import kernel_density


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def bench_gi_star(side: int, permutations: int) -> None:
    from esda import G_Local

    weights = lat2W(side, side, rook=False)
    rng = np.random.default_rng(1)
    values = rng.poisson(3.0, side * side).astype(float)
    values[: side * 20] += rng.poisson(6.0, side * 20)  # a band of higher counts, so there are hot spots
    ours, ours_s = _timed(gi_star, values, weights.sparse, permutations=permutations, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs, theirs_s = _timed(G_Local, values, weights, star=True, permutations=permutations, seed=1)
    # esda's default transform is row-standardised; compare z with the binary star form separately
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        binary = G_Local(values, weights, transform="B", star=True, permutations=0)
    z_diff = float(np.max(np.abs(np.asarray(ours.z) - binary.Zs)))
    print(f"Gi*  places={side * side:,} permutations={permutations}")
    print(f"     safer gi_star      {ours_s:7.2f} s   (target < 5 s)   hot spots {ours.hot}, cold {ours.cold}")
    print(f"     esda.G_Local       {theirs_s:7.2f} s   (defaults: row-standardised, conditional permutations)")
    print(f"     speed-up           {theirs_s / ours_s:7.1f} x   max |z - esda binary star z| = {z_diff:.2e}")


def bench_kde(points: int, sample: int, cell: float) -> None:
    rng = np.random.default_rng(2)
    centres = rng.uniform(0, 20_000, size=(40, 2))
    pick = rng.integers(0, len(centres), points)
    x = centres[pick, 0] + rng.normal(0, 600, points)
    y = centres[pick, 1] + rng.normal(0, 600, points)
    bandwidth = 250.0
    ours, ours_s = _timed(kernel_density, x, y, cell_size=cell, bandwidth=bandwidth)
    quarter, quarter_s = _timed(kernel_density, x[: points // 4], y[: points // 4], cell_size=cell,
                                bandwidth=bandwidth, extent=ours.extent)
    rows, cols = ours.density.shape
    left, _, bottom, _ = ours.extent
    # gaussian_kde costs (points x cells): time it on a sample of points at every 8th row and column of the
    # grid, and scale by both ratios
    pick_rows, pick_cols = np.arange(0, rows, 8), np.arange(0, cols, 8)
    gx, gy = np.meshgrid(left + (pick_cols + 0.5) * cell, bottom + (pick_rows + 0.5) * cell)
    cells = np.vstack([gx.ravel(), gy.ravel()])
    sx, sy = x[:sample], y[:sample]
    reference = gaussian_kde(np.vstack([sx, sy]))
    _, sample_s = _timed(reference, cells)
    scaled_s = sample_s * (points / sample) * (rows * cols / cells.shape[1])

    # accuracy: safer on the sample against the exact sum of isotropic Gaussians at the same cells
    ours_sample = kernel_density(sx, sy, cell_size=cell, bandwidth=bandwidth, extent=ours.extent)
    d2 = (cells[0][:, None] - sx[None, :]) ** 2 + (cells[1][:, None] - sy[None, :]) ** 2
    exact = np.exp(-d2 / (2 * bandwidth ** 2)).sum(axis=1) / (2 * np.pi * bandwidth ** 2) * 1e6
    binned = ours_sample.density[np.ix_(pick_rows, pick_cols)].ravel()
    error = float(np.max(np.abs(binned - exact)) / exact.max())
    print(f"KDE  points={points:,} grid={rows}x{cols} ({rows * cols:,} cells of {cell:g} m), bandwidth {bandwidth:g} m")
    print(f"     safer binned FFT   {ours_s:7.2f} s   (target < 2 s)")
    print(f"     scipy gaussian_kde {scaled_s:7.0f} s   (measured {sample_s:.2f} s for {sample:,} points at "
          f"{cells.shape[1]:,} cells, scaled linearly)")
    print(f"     speed-up           {scaled_s / ours_s:7.0f} x   largest difference from the exact kernel sum: "
          f"{100 * error:.2f}% of the peak")
    print(f"     scaling            {quarter_s:7.2f} s at {points // 4:,} points -> {ours_s:.2f} s at {points:,} "
          f"({ours_s / max(quarter_s, 1e-9):.1f} x for 4 x the points)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke test")
    args = parser.parse_args()
    if args.quick:
        bench_gi_star(side=40, permutations=99)
        bench_kde(points=50_000, sample=2_000, cell=50.0)
    else:
        bench_gi_star(side=187, permutations=999)
        bench_kde(points=1_000_000, sample=5_000, cell=50.0)


if __name__ == "__main__":
    main()
