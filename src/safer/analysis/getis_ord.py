"""Getis-Ord Gi*: where counts cluster into hot spots (or cold spots), with permutation inference.

This is the *star* form: every place's own count is part of its neighbourhood sum
(``w_ii`` = ``self_weight``, 1 by default), as in Getis & Ord (1992) and Ord & Getis (1995)::

    Gi*(i) = (sum_j w_ij x_j - xbar sum_j w_ij) / (S sqrt((n sum_j w_ij^2 - (sum_j w_ij)^2) / (n - 1)))
    xbar = sum_j x_j / n,   S = sqrt(sum_j x_j^2 / n - xbar^2)

``z`` is that statistic (a z-score). Its significance is tested by permutation: the null
hypothesis is that the n counts are placed at random over the n places (total
randomisation, the hypothesis under which the formula's moments are derived), so each
place's neighbourhood receives a random sample, without replacement, of the counts.
For speed, the random samples are shared by all places within one permutation, as in
PySAL's conditional randomisation; each place's p-value is still exact in distribution,
but p-values of different places are correlated. The pseudo p-value is two-sided:
``2 (1 + min(#sim >= obs, #sim <= obs)) / (permutations + 1)``, capped at 1. The random
generator is seeded (``seed``), so results repeat exactly.

Because many places are tested at once, p-values are corrected for multiple testing
before calling a place a hot or cold spot: Benjamini-Hochberg false discovery rate
(``"fdr"``, the default, via ``scipy.stats.false_discovery_control``), Holm's step-down
family-wise correction (``"holm"``) or none (``"none"``).

Example:
    >>> import numpy as np, scipy.sparse as sp
    >>> line = sp.diags([1.0, 1.0], [-1, 1], shape=(5, 5))  # five places in a row, each next to its neighbours
    >>> result = gi_star([0, 0, 1, 9, 8], line, codes="abcde", permutations=99, seed=1)
    >>> [round(z, 2) for z in result.z]
    [-1.46, -1.99, -0.16, 1.46, 1.99]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy import stats

CORRECTIONS = ("fdr", "holm", "none")
DEFAULT_PERMUTATIONS = 999
DEFAULT_SEED = 20180630
DEFAULT_ALPHA = 0.05
HOT, COLD, NOT_SIGNIFICANT = "hot spot", "cold spot", "not significant"
_CHUNK_CELLS = 4_000_000  # simulated values held in memory at once (about 32 MB)


@dataclass(frozen=True)
class GiStar:
    """Gi* for every place, with its permutation p-value, corrected p-value and class."""

    codes: tuple[str, ...]
    values: tuple[float, ...]
    z: tuple[float, ...]
    p_normal: tuple[float, ...]  # two-sided, from the z-score
    p_sim: tuple[float | None, ...]  # two-sided permutation p-value (None without permutations)
    p_adjusted: tuple[float, ...]  # after the multiple-testing correction
    classes: tuple[str, ...]
    permutations: int
    seed: int
    correction: str
    alpha: float
    self_weight: float
    weights: str  # how the neighbours were chosen, in words

    @property
    def hot(self) -> int:
        return sum(1 for c in self.classes if c == HOT)

    @property
    def cold(self) -> int:
        return sum(1 for c in self.classes if c == COLD)

    def as_dict(self) -> dict[str, object]:
        return {
            "statistic": "Getis-Ord Gi* (star form: each place's own count included)",
            "weights": self.weights, "self_weight": self.self_weight, "permutations": self.permutations,
            "seed": self.seed, "correction": self.correction, "alpha": self.alpha,
            "hot_spots": self.hot, "cold_spots": self.cold, "places": len(self.codes),
            "units": [{"code": c, "count": v, "z": round(z, 4), "p_sim": None if ps is None else round(ps, 4),
                       "p_adjusted": round(pa, 4), "class": k}
                      for c, v, z, ps, pa, k in zip(self.codes, self.values, self.z, self.p_sim, self.p_adjusted,
                                                    self.classes)],
        }


def gi_star(values: Sequence[float] | np.ndarray, weights, codes: Sequence[str] | None = None, *,
            self_weight: float = 1.0, permutations: int = DEFAULT_PERMUTATIONS, seed: int = DEFAULT_SEED,
            correction: str = "fdr", alpha: float = DEFAULT_ALPHA, weights_label: str = "") -> GiStar:
    """Gi* (star form) of ``values`` over places linked by ``weights``.

    ``weights`` is an n x n sparse matrix (or a libpysal ``W``) of neighbour weights; its
    diagonal is replaced by ``self_weight``. ``permutations=0`` skips the permutation test
    and corrects the normal p-values instead.
    """
    x = np.asarray(values, dtype=float)
    matrix = _star_matrix(weights, len(x), self_weight)
    _check_arguments(x, permutations, correction, alpha, self_weight)
    labels = tuple(str(c) for c in (codes if codes is not None else range(len(x))))
    if len(labels) != len(x):
        raise ValueError(f"codes has {len(labels)} entries but values has {len(x)}; give one code per place")

    observed = matrix @ x
    z = _z_scores(x, matrix, observed)
    p_normal = 2.0 * stats.norm.sf(np.abs(z))
    if permutations:
        p_sim = _permutation_p(x, matrix, observed, permutations, np.random.default_rng(seed))
        tested = p_sim
    else:
        p_sim, tested = None, p_normal
    adjusted = adjust_p_values(tested, correction)
    significant = adjusted <= alpha
    classes = np.where(significant & (z > 0), HOT, np.where(significant & (z < 0), COLD, NOT_SIGNIFICANT))
    return GiStar(
        codes=labels, values=tuple(float(v) for v in x), z=tuple(float(v) for v in z),
        p_normal=tuple(float(v) for v in p_normal),
        p_sim=tuple(float(v) for v in p_sim) if p_sim is not None else (None,) * len(x),
        p_adjusted=tuple(float(v) for v in adjusted), classes=tuple(str(c) for c in classes),
        permutations=int(permutations), seed=int(seed), correction=correction, alpha=float(alpha),
        self_weight=float(self_weight), weights=weights_label,
    )


def adjust_p_values(p: np.ndarray, correction: str) -> np.ndarray:
    """Correct p-values for testing many places: ``"fdr"`` (Benjamini-Hochberg), ``"holm"`` or ``"none"``."""
    p = np.asarray(p, dtype=float)
    if correction == "none" or len(p) == 0:
        return p.copy()
    if correction == "fdr":
        return stats.false_discovery_control(p, method="bh")
    if correction == "holm":
        # scipy has no Holm correction; the step-down rule is short: sort, scale by (m - rank), keep monotone.
        order = np.argsort(p, kind="stable")
        m = len(p)
        scaled = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
        adjusted = np.empty(m)
        adjusted[order] = scaled
        return adjusted
    raise ValueError(f"correction '{correction}' is not known; use one of {', '.join(CORRECTIONS)}")


def _check_arguments(x: np.ndarray, permutations: int, correction: str, alpha: float, self_weight: float) -> None:
    if len(x) < 3:
        raise ValueError(f"Gi* needs at least 3 places; got {len(x)}")
    if not np.all(np.isfinite(x)):
        raise ValueError("values contain blanks or infinities; give a count (0 if none) for every place")
    if permutations < 0 or int(permutations) != permutations:
        raise ValueError(f"permutations must be a whole number, 0 or more (e.g. 999); got {permutations}")
    if correction not in CORRECTIONS:
        raise ValueError(f"correction '{correction}' is not known; use one of {', '.join(CORRECTIONS)}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1 (e.g. 0.05); got {alpha}")
    if self_weight <= 0:
        raise ValueError(f"self_weight must be positive for the star form (e.g. 1); got {self_weight}")


def _star_matrix(weights, n: int, self_weight: float) -> sp.csr_matrix:
    matrix = weights.sparse if hasattr(weights, "sparse") else weights
    matrix = sp.csr_matrix(matrix, dtype=float)
    if matrix.shape != (n, n):
        raise ValueError(f"weights are {matrix.shape[0]} x {matrix.shape[1]} but there are {n} places")
    star = matrix - sp.diags(matrix.diagonal()) + sp.identity(n, format="csr") * self_weight
    star = sp.csr_matrix(star)
    star.eliminate_zeros()
    star.sort_indices()
    return star


def _z_scores(x: np.ndarray, matrix: sp.csr_matrix, observed: np.ndarray) -> np.ndarray:
    n = len(x)
    mean = x.mean()
    s = np.sqrt((x ** 2).mean() - mean ** 2)
    w_sum = np.asarray(matrix.sum(axis=1)).ravel()
    w_sq = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
    spread = (n * w_sq - w_sum ** 2) / (n - 1)
    denominator = s * np.sqrt(np.clip(spread, 0.0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (observed - mean * w_sum) / denominator
    return np.where(denominator > 0, z, 0.0)  # all counts equal, or one place's neighbourhood is everything


def _permutation_p(x: np.ndarray, matrix: sp.csr_matrix, observed: np.ndarray, permutations: int,
                   rng: np.random.Generator) -> np.ndarray:
    """Two-sided pseudo p-values under total randomisation, with draws shared across places."""
    n = len(x)
    slots, padded = _padded_rows(matrix)
    draws = np.stack([rng.choice(n, size=slots, replace=False) for _ in range(permutations)])
    sampled = x[draws]  # permutations x slots: the counts each permutation puts in a neighbourhood
    above = np.zeros(n, dtype=np.int64)
    below = np.zeros(n, dtype=np.int64)
    tolerance = 1e-9 * max(1.0, float(np.abs(observed).max()))
    chunk = max(1, _CHUNK_CELLS // max(1, permutations))
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        simulated = padded[start:stop] @ sampled.T  # places x permutations
        obs = observed[start:stop, None]
        above[start:stop] = (simulated >= obs - tolerance).sum(axis=1)
        below[start:stop] = (simulated <= obs + tolerance).sum(axis=1)
    return np.minimum(1.0, 2.0 * (1.0 + np.minimum(above, below)) / (permutations + 1.0))


def _padded_rows(matrix: sp.csr_matrix) -> tuple[int, np.ndarray]:
    """Each place's weights (self included) packed left into a dense n x slots array, zero padded."""
    lengths = np.diff(matrix.indptr)
    slots = int(lengths.max())
    padded = np.zeros((matrix.shape[0], slots))
    rows = np.repeat(np.arange(matrix.shape[0]), lengths)
    position = np.arange(matrix.nnz) - np.repeat(matrix.indptr[:-1], lengths)
    padded[rows, position] = matrix.data
    return slots, padded
