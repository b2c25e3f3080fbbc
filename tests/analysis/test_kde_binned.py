"""Binned FFT kernel density against scipy's exact Gaussian KDE, and its bandwidth rule."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import gaussian_kde

from safer.analysis.kde import all_at_one_place, kernel_density, scott_bandwidth


def test_matches_the_exact_gaussian_kernel_sum():
    rng = np.random.default_rng(4)
    x = np.concatenate([rng.normal(0, 300, 3000), rng.normal(900, 150, 1000)])
    y = np.concatenate([rng.normal(0, 300, 3000), rng.normal(400, 150, 1000)])
    bandwidth = 120.0
    ours = kernel_density(x, y, cell_size=10.0, bandwidth=bandwidth)
    left, _, bottom, _ = ours.extent
    rows, cols = ours.density.shape
    sample_rows, sample_cols = np.arange(5, rows - 5, 17), np.arange(5, cols - 5, 17)
    gx, gy = np.meshgrid(left + (sample_cols + 0.5) * 10.0, bottom + (sample_rows + 0.5) * 10.0)
    # the textbook estimate, point by point: sum of isotropic Gaussians / (2 pi h^2), per square metre
    d2 = (gx.ravel()[:, None] - x[None, :]) ** 2 + (gy.ravel()[:, None] - y[None, :]) ** 2
    exact_per_km2 = np.exp(-d2 / (2 * bandwidth ** 2)).sum(axis=1) / (2 * np.pi * bandwidth ** 2) * 1e6
    binned = ours.density[np.ix_(sample_rows, sample_cols)].ravel()
    assert np.max(np.abs(binned - exact_per_km2)) < 0.01 * exact_per_km2.max()


def test_agrees_with_scipy_gaussian_kde_in_its_own_bandwidth():
    rng = np.random.default_rng(5)
    x, y = rng.normal(0, 500, 4000), rng.normal(0, 500, 4000)
    reference = gaussian_kde(np.vstack([x, y]))
    # scipy's kernel covariance (``covariance``) is the data covariance times factor^2; on near-isotropic
    # data its standard deviation is the bandwidth of an isotropic kernel
    bandwidth = np.sqrt(np.mean(np.diag(reference.covariance)))
    ours = kernel_density(x, y, cell_size=10.0, bandwidth=bandwidth)
    centre_row, centre_col = np.unravel_index(np.argmax(ours.density), ours.density.shape)
    left, _, bottom, _ = ours.extent
    point = np.array([[left + (centre_col + 0.5) * 10.0], [bottom + (centre_row + 0.5) * 10.0]])
    assert ours.density[centre_row, centre_col] == pytest.approx(reference(point)[0] * len(x) * 1e6, rel=0.05)


def test_density_integrates_to_the_number_of_points_and_respects_weights():
    result = kernel_density([0.0, 50.0, 50.0], [0.0, 0.0, 0.0], cell_size=5.0, bandwidth=40.0,
                            weights=[1.0, 2.0, 0.0])
    cell_km2 = (5.0 / 1000) ** 2
    assert result.density.sum() * cell_km2 == pytest.approx(3.0, rel=1e-6)
    assert result.points == 3.0


def test_automatic_bandwidth_is_scotts_rule_as_in_scipy():
    rng = np.random.default_rng(8)
    x, y = rng.normal(0, 400, 5000), rng.normal(0, 400, 5000)
    factor = gaussian_kde(np.vstack([x, y])).factor  # scipy's Scott factor, n ** (-1 / 6) in two dimensions
    expected = factor * (x.std() + y.std()) / 2
    assert scott_bandwidth(x, y) == pytest.approx(expected, rel=1e-9)
    result = kernel_density(x, y, cell_size=50.0)
    assert result.bandwidth == pytest.approx(expected, rel=1e-9)
    assert result.bandwidth_source == "chosen by Scott's rule"


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="blank coordinates"):
        kernel_density([0.0, np.nan], [0.0, 1.0], cell_size=10.0, bandwidth=50.0)
    with pytest.raises(ValueError, match="cell_size"):
        kernel_density([0.0], [0.0], cell_size=0, bandwidth=50.0)
    with pytest.raises(ValueError, match="no points"):
        kernel_density([], [], cell_size=10.0, bandwidth=50.0)


def test_points_at_one_place_have_no_bandwidth_even_when_round_off_leaves_a_spread():
    # nine weighted copies of one projected point: the weighted variance is ~1e-21, not 0, on common hardware
    x, y = np.full(9, 529548.74501197), np.full(9, 181086.3104827)
    weights = np.arange(11.0, 20.0)
    assert all_at_one_place(x, y)
    with pytest.raises(ValueError, match="same place"):
        scott_bandwidth(x, y, weights)
    fixed = kernel_density(x, y, weights=weights, cell_size=50.0, bandwidth=200.0)
    assert fixed.points == weights.sum()
    assert not all_at_one_place(np.array([0.0, 0.01]), np.array([0.0, 0.0]))
