"""Gi* (star form) against independent computations on small lattices with known weights.

The expected values come from the textbook formula written out here in numpy over a
hand-built weights matrix, from PySAL's esda, and from exact enumeration of every
permutation of a 3 x 3 lattice; never from safer's own output.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp

from safer.analysis.getis_ord import adjust_p_values, gi_star

# A 3 x 3 lattice, cells numbered row by row:
#   0 1 2
#   3 4 5
#   6 7 8
# Rook neighbours (sharing an edge), written out by hand.
ROOK = {0: [1, 3], 1: [0, 2, 4], 2: [1, 5], 3: [0, 4, 6], 4: [1, 3, 5, 7], 5: [2, 4, 8], 6: [3, 7], 7: [4, 6, 8],
        8: [5, 7]}
VALUES = np.array([1.0, 2.0, 0.0, 3.0, 9.0, 8.0, 0.0, 7.0, 6.0])


def _hand_weights(star: bool) -> np.ndarray:
    w = np.zeros((9, 9))
    for i, neighbours in ROOK.items():
        w[i, neighbours] = 1.0
        if star:
            w[i, i] = 1.0
    return w


def _textbook_gi_star(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Ord & Getis (1995) Gi*, term by term, with w_ii included."""
    n = len(x)
    xbar = x.sum() / n
    s = np.sqrt((x ** 2).sum() / n - xbar ** 2)
    out = np.empty(n)
    for i in range(n):
        wi = w[i]
        numerator = (wi * x).sum() - xbar * wi.sum()
        denominator = s * np.sqrt((n * (wi ** 2).sum() - wi.sum() ** 2) / (n - 1))
        out[i] = numerator / denominator
    return out


def test_z_scores_match_the_textbook_formula_with_self_included():
    neighbours_only = sp.csr_matrix(_hand_weights(star=False))
    result = gi_star(VALUES, neighbours_only, permutations=0)
    expected = _textbook_gi_star(VALUES, _hand_weights(star=True))
    np.testing.assert_allclose(result.z, expected, rtol=1e-12)
    # the star form differs from the plain Gi form (own value left out), e.g. at the centre cell
    plain = _textbook_gi_star(VALUES, _hand_weights(star=False))
    assert abs(result.z[4] - plain[4]) > 0.1


def test_z_scores_match_esda_g_local_star():
    from esda import G_Local
    from libpysal.weights import W

    w = W({i: ROOK[i] for i in range(9)}, silence_warnings=True)
    theirs = G_Local(VALUES, w, transform="B", star=True, permutations=0)
    ours = gi_star(VALUES, sp.csr_matrix(_hand_weights(star=False)), permutations=0)
    np.testing.assert_allclose(ours.z, theirs.Zs, rtol=1e-9)


def test_permutation_p_values_match_exact_enumeration():
    """Under total randomisation every one of the 9! arrangements is equally likely: count them all."""
    w = _hand_weights(star=True)
    observed = w @ VALUES
    arrangements = np.array(list(itertools.permutations(VALUES)))  # 362,880 x 9
    lags = arrangements @ w.T
    above = (lags >= observed - 1e-9).mean(axis=0)
    below = (lags <= observed + 1e-9).mean(axis=0)
    exact = np.minimum(1.0, 2 * np.minimum(above, below))

    result = gi_star(VALUES, sp.csr_matrix(_hand_weights(star=False)), permutations=9999, seed=7)
    # the pseudo p-value adds one to numerator and denominator; allow for that and for sampling error
    for estimate, truth in zip(result.p_sim, exact):
        assert estimate == pytest.approx(truth, abs=4 * np.sqrt(truth * (1 - truth) / 9999) + 0.003)


def test_permutations_are_seeded_and_repeat():
    weights = sp.csr_matrix(_hand_weights(star=False))
    first = gi_star(VALUES, weights, permutations=199, seed=11)
    again = gi_star(VALUES, weights, permutations=199, seed=11)
    other = gi_star(VALUES, weights, permutations=199, seed=12)
    assert first.p_sim == again.p_sim
    assert first.p_sim != other.p_sim
    assert first.seed == 11 and first.permutations == 199


def test_false_discovery_rate_correction_is_on_by_default():
    weights = sp.csr_matrix(_hand_weights(star=False))
    result = gi_star(VALUES, weights, permutations=499, seed=3)
    assert result.correction == "fdr"
    # Benjamini-Hochberg by hand: sort, scale by m / rank, take running minima from the largest
    p = np.array(result.p_sim)
    order = np.argsort(p)
    m = len(p)
    scaled = p[order] * m / np.arange(1, m + 1)
    stepped = np.minimum.accumulate(scaled[::-1])[::-1]
    expected = np.empty(m)
    expected[order] = np.minimum(stepped, 1)
    np.testing.assert_allclose(result.p_adjusted, expected)


def test_holm_correction_by_hand():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    # sorted: 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> monotone 0.02, 0.03, 0.06, 0.06
    assert adjust_p_values(p, "holm").tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_hot_and_cold_spots_on_a_lattice_with_a_planted_cluster():
    side = 15
    rows, cols = np.divmod(np.arange(side * side), side)
    values = np.random.default_rng(0).poisson(2, side * side).astype(float)
    planted = (abs(rows - 4) <= 1) & (abs(cols - 4) <= 1)
    values[planted] += 25
    pairs = [(i, j) for i in range(side * side) for j in range(side * side)
             if i != j and max(abs(rows[i] - rows[j]), abs(cols[i] - cols[j])) == 1]
    weights = sp.csr_matrix((np.ones(len(pairs)), tuple(zip(*pairs))), shape=(side * side, side * side))
    result = gi_star(values, weights, permutations=999)
    hot = {i for i, c in enumerate(result.classes) if c == "hot spot"}
    centre = 4 * side + 4
    assert centre in hot
    assert hot <= {i for i in range(side * side) if abs(rows[i] - 4) <= 2 and abs(cols[i] - 4) <= 2}
    assert result.cold == 0  # no cold cluster was planted


@pytest.mark.parametrize("kwargs, message", [
    ({"correction": "bonferonni"}, "correction"),
    ({"permutations": -1}, "permutations"),
    ({"alpha": 1.5}, "alpha"),
])
def test_bad_arguments_say_what_to_pass(kwargs, message):
    with pytest.raises(ValueError, match=message):
        gi_star(VALUES, sp.csr_matrix(_hand_weights(star=False)), **kwargs)


def test_weights_of_the_wrong_size_are_refused():
    with pytest.raises(ValueError, match="9 places"):
        gi_star(VALUES, sp.identity(4, format="csr"))
