"""Change between two counts, without misleading percentages.

Example:
    >>> Change.between(147, 161).pct_change
    9.5
    >>> Change.between(0, 3).pct_change is None  # a zero baseline has no % change
    True
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    previous: float
    current: float

    @classmethod
    def between(cls, previous: float, current: float) -> "Change":
        return cls(previous=previous, current=current)

    @property
    def change(self) -> float:
        return self.current - self.previous

    @property
    def pct_change(self) -> float | None:
        """Percentage change to one decimal place; None (shown "n/a") when the baseline is zero."""
        if self.previous == 0:
            return None
        return round(100.0 * (self.current - self.previous) / self.previous, 1)

    def as_dict(self) -> dict[str, object]:
        return {"previous": self.previous, "current": self.current, "change": self.change,
                "pct_change": self.pct_change}
