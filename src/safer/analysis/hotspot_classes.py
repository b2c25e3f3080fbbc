"""Classify places by how their hot-spot status changed over consecutive periods.

Gi* is computed separately in each of several consecutive periods (e.g. the eight quarters
of the last two years). Each place then gets one class, following the rules of the R
package sfhotspot (``hotspot_classify``), checked in this order:

* **persistent**: a hot spot in at least ``persistent_share`` (default 80%) of all periods;
* **emerging**: a hot spot in at least one of the recent periods but in fewer than
  ``min_share`` (default 10%) of the earlier ones;
* **former**: a hot spot in at least ``min_share`` of the earlier periods but in none of
  the recent ones;
* **intermittent**: a hot spot in at least ``min_share`` of all periods, without one of
  the patterns above;
* **not a hotspot** otherwise.

The recent periods are the last ``recent_share`` (default 25%, at least one) of them.

Example:
    >>> hot = [[True, True, True, True], [False, False, False, True], [True, True, False, False]]
    >>> classify_hotspots(hot, recent_share=0.25).classes
    ('persistent', 'emerging', 'former')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

PERSISTENT, EMERGING, FORMER, INTERMITTENT, NONE = ("persistent", "emerging", "former", "intermittent",
                                                    "not a hotspot")
CLASSES = (PERSISTENT, EMERGING, FORMER, INTERMITTENT, NONE)


@dataclass(frozen=True)
class HotspotClasses:
    classes: tuple[str, ...]  # one per place
    periods: int
    recent_periods: int
    persistent_share: float
    min_share: float
    hot_periods: tuple[int, ...]  # in how many periods each place was a hot spot

    def tally(self) -> dict[str, int]:
        return {name: sum(1 for c in self.classes if c == name) for name in CLASSES}

    def as_dict(self) -> dict[str, object]:
        return {"periods": self.periods, "recent_periods": self.recent_periods,
                "persistent_share": self.persistent_share, "min_share": self.min_share, "tally": self.tally()}


def classify_hotspots(hot: Sequence[Sequence[bool]] | np.ndarray, *, recent_share: float = 0.25,
                      persistent_share: float = 0.8, min_share: float = 0.1) -> HotspotClasses:
    """Classes for places from ``hot[place][period]`` (True where the place was a hot spot), periods in time order."""
    table = np.asarray(hot, dtype=bool)
    if table.ndim != 2:
        raise ValueError("hot must be a table: one row per place, one column per period (oldest first)")
    periods = table.shape[1]
    if periods < 2:
        raise ValueError(f"classifying hotspots needs at least 2 consecutive periods; got {periods}")
    for name, value in (("recent_share", recent_share), ("persistent_share", persistent_share),
                        ("min_share", min_share)):
        if not 0 < value <= 1:
            raise ValueError(f"{name} must be a proportion between 0 and 1; got {value}")
    recent = min(periods - 1, max(1, int(round(recent_share * periods))))
    earlier = table[:, : periods - recent]
    latest = table[:, periods - recent:]
    share_all = table.mean(axis=1)
    share_earlier = earlier.mean(axis=1)
    any_recent = latest.any(axis=1)
    classes = np.select(
        [share_all >= persistent_share,
         any_recent & (share_earlier < min_share),
         (share_earlier >= min_share) & ~any_recent,
         share_all >= min_share],
        [PERSISTENT, EMERGING, FORMER, INTERMITTENT], default=NONE)
    return HotspotClasses(classes=tuple(str(c) for c in classes), periods=periods, recent_periods=recent,
                          persistent_share=persistent_share, min_share=min_share,
                          hot_periods=tuple(int(n) for n in table.sum(axis=1)))
