"""When synthetic events happen: hour x weekday profiles and timestamps drawn from them.

A profile is a 24 x 7 array of weights (rows: hour 0-23; columns: Monday to Sunday). The shapes are
modelled on the seed's descriptions (see each profile's comment); the BTP profile is the seed's own
table. :func:`allocate` turns a profile into a count per cell, and :func:`timestamps` places each event
on a day of that weekday within the period, at a uniformly random minute of that hour.

Example:
    >>> rng = np.random.default_rng(1)
    >>> cells = allocate(rng, 1795, profile("night-time economy"), night_share=0.56)
    >>> int(cells.sum()), round(night_time_share(cells), 2)
    (1795, 0.56)
"""

from __future__ import annotations

from datetime import date

import numpy as np

from safer.synth.calibration import BTP_HOUR_WEEKDAY

NIGHT_HOURS = (20, 21, 22, 23, 0, 1, 2, 3, 4)  # the default night-time economy window, 20:00 to 04:59


def _outer(hourly: list[float], daily: list[float]) -> np.ndarray:
    return np.outer(np.asarray(hourly, float), np.asarray(daily, float))


def _night_time_economy() -> np.ndarray:
    # Assaults: evening build-up, the peak after midnight, and the early hours of Saturday and Sunday
    # (Friday and Saturday nights) far busier than other days ("The majority of assaults occurred in the
    # early hours of Saturday and Sunday morning").
    hourly = [9, 8, 7, 5.5, 4, 2.5, 2, 2, 2.5, 3, 3, 3.5, 4, 4, 4.5, 5, 5.5, 6, 6, 6.5, 7, 7.5, 8.5, 9]
    weights = _outer(hourly, [1] * 7)
    evening = [0.8, 0.8, 0.9, 1.0, 1.3, 1.4, 0.9]
    early = [0.5, 0.45, 0.5, 0.6, 0.8, 3.0, 3.4]
    daytime = [1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 0.9]
    for hour in range(24):
        factors = early if hour < 6 else evening if hour >= 18 else daytime
        weights[hour] *= factors
    return weights


def _alcohol() -> np.ndarray:
    # Alcohol call-outs: "Saturday is the peak day accounting for 22% of all incidents and one third of
    # incidents occurred between 22:00 to 01:59 hours". Day and hour are drawn independently, so both
    # shares hold exactly in expectation.
    daily = [0.11, 0.10, 0.11, 0.13, 0.17, 0.22, 0.16]
    hourly = np.array([0.085, 0.0733, 0.06, 0.045, 0.03, 0.018, 0.01, 0.01, 0.012, 0.014, 0.016, 0.02, 0.025,
                       0.028, 0.03, 0.032, 0.035, 0.04, 0.045, 0.05, 0.055, 0.06, 0.085, 0.09])
    window = [22, 23, 0, 1]
    rest = [h for h in range(24) if h not in window]
    hourly[window] *= (1 / 3) / hourly[window].sum()
    hourly[rest] *= (2 / 3) / hourly[rest].sum()
    return _outer(hourly, daily)


def _overdoses() -> np.ndarray:
    return 0.5 * _alcohol() / _alcohol().sum() + 0.5 / 168  # half alcohol-like, half flat


def _fire() -> np.ndarray:
    # "No particularly significant days or times of the week were noted for Fire incidents. Only the early
    # hours of the morning show a dip".
    hourly = [4.5, 4, 3.2, 2.8, 2.6, 2.8, 3.2, 3.8, 4.4, 4.6] + [4.7] * 7 + [4.8] * 3 + [4.7, 4.6, 4.6, 4.6]
    return _outer(hourly, [1] * 7)


def _commuting() -> np.ndarray:
    # TfL: morning and evening peaks on weekdays (assumed shape).
    hourly = [3, 2, 1, 0.5, 0.5, 1, 2, 4, 6, 5, 4, 4, 4.5, 4.5, 5, 6, 7, 8, 7.5, 6, 5, 4.5, 4.5, 4]
    return _outer(hourly, [1, 1, 1, 1, 1, 0.9, 0.7])


def _asb() -> np.ndarray:
    # Council ASB reports: evening and late-night peaks, Friday and Saturday busiest (assumed shape).
    hourly = [5, 4, 3, 2, 1.2, 0.8, 1, 1.5, 2.5, 3.5, 4, 4.2, 4.5, 4.5, 4.5, 4.6, 4.8, 5, 5.3, 5.6, 6, 6.5, 7, 6.5]
    return _outer(hourly, [0.9, 0.9, 0.9, 0.9, 1.15, 1.25, 1.0])


_PROFILES = {
    "night-time economy": _night_time_economy,
    "alcohol": _alcohol,
    "overdoses": _overdoses,
    "fire": _fire,
    "commuting": _commuting,
    "asb": _asb,
    "btp table": lambda: np.asarray(BTP_HOUR_WEEKDAY, float),
}


def profile(name: str) -> np.ndarray:
    """The 24 x 7 weights of a named profile, summing to 1."""
    weights = _PROFILES[name]()
    return weights / weights.sum()


def night_mask(hours: tuple[int, ...] = NIGHT_HOURS) -> np.ndarray:
    """A 24 x 7 boolean mask of the cells in the night-time window."""
    mask = np.zeros((24, 7), bool)
    mask[list(hours)] = True
    return mask


def night_time_share(cells: np.ndarray, hours: tuple[int, ...] = NIGHT_HOURS) -> float:
    return float(cells[night_mask(hours)].sum() / cells.sum())


def exact_counts(total: int, shares) -> np.ndarray:
    """Whole counts adding up to ``total`` in the given proportions (largest remainder)."""
    shares = np.asarray(shares, float).ravel()
    ideal = total * shares / shares.sum()
    counts = np.floor(ideal).astype(int)
    short = total - counts.sum()
    order = np.argsort(-(ideal - counts), kind="stable")
    counts[order[:short]] += 1
    return counts


def allocate(rng: np.random.Generator, n: int, weights: np.ndarray, *, night_share: float | None = None,
             exact: bool = False) -> np.ndarray:
    """Counts per hour x weekday cell for ``n`` events.

    ``exact``: the counts are the weights' proportions rounded (largest remainder); otherwise they
    are a multinomial draw. ``night_share``: exactly this share of events (rounded to a whole
    event) falls in the 20:00-04:59 window, the rest outside it, each part drawn by its weights.
    """
    weights = np.asarray(weights, float)
    if night_share is None:
        flat = exact_counts(n, weights) if exact else rng.multinomial(n, weights.ravel() / weights.sum())
        return flat.reshape(24, 7)
    mask = night_mask()
    night = round(night_share * n)
    cells = np.zeros((24, 7), int)
    for part, count in ((mask, night), (~mask, n - night)):
        part_weights = np.where(part, weights, 0.0).ravel()
        cells += (rng.multinomial(count, part_weights / part_weights.sum())).reshape(24, 7)
    return cells


def timestamps(rng: np.random.Generator, cells: np.ndarray, first: date, end_exclusive: date,
               seasonality: float = 0.06) -> np.ndarray:
    """One timestamp per event counted in ``cells``, within ``[first, end_exclusive)``, shuffled.

    Each event goes to a day with its cell's weekday, days weighted by a gentle seasonal cycle
    (``seasonality``: amplitude, peaking in December), at a random minute of its cell's hour.
    """
    days = np.arange(np.datetime64(first), np.datetime64(end_exclusive), dtype="datetime64[D]")
    weekday = (days.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-01 was a Thursday (3)
    month = days.astype("datetime64[M]").astype(int) % 12 + 1
    day_weight = 1 + seasonality * np.cos(2 * np.pi * (month - 12) / 12)
    out = []
    for hour in range(24):
        for wd in range(7):
            count = int(cells[hour, wd])
            if count == 0:
                continue
            candidates = days[weekday == wd]
            weights = day_weight[weekday == wd]
            picked = rng.choice(candidates, size=count, p=weights / weights.sum())
            minutes = rng.integers(0, 60, size=count)
            out.append(picked.astype("datetime64[m]") + np.timedelta64(hour * 60, "m")
                       + minutes.astype("timedelta64[m]"))
    stamps = np.concatenate(out) if out else np.array([], dtype="datetime64[m]")
    rng.shuffle(stamps)
    return stamps


def random_dates(rng: np.random.Generator, n: int, first: date, end_exclusive: date) -> np.ndarray:
    """``n`` dates drawn uniformly from ``[first, end_exclusive)``."""
    span = (end_exclusive - first).days
    return np.datetime64(first) + rng.integers(0, span, size=n).astype("timedelta64[D]")

