"""Change between two counts, without misleading percentages.

Every change carries the absolute change, the % change (None when the baseline is zero, so
no infinite or misleading percentage is ever shown) and a Poisson significance test
(``z = 2 * (sqrt(current) - sqrt(previous))``, significant when ``|z| >= 1.96``; see
:mod:`safer.analysis.significance`).

Example:
    >>> Change.between(147, 161).pct_change
    9.5
    >>> Change.between(0, 3).pct_change is None  # a zero baseline has no % change
    True
    >>> Change.between(147, 161).significant  # +14 on 147 is within chance variation
    False
"""

from __future__ import annotations

from dataclasses import dataclass

from safer.analysis.significance import Significance, poisson_change


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

    @property
    def significance(self) -> Significance:
        """The Poisson test of this change (see :func:`safer.analysis.significance.poisson_change`)."""
        return poisson_change(self.previous, self.current)

    @property
    def z(self) -> float | None:
        return self.significance.z

    @property
    def significant(self) -> bool:
        """True when the change is larger than chance year-to-year variation would explain."""
        return self.significance.significant

    @property
    def direction(self) -> str:
        """``'increase'``, ``'decrease'`` or ``'no significant change'``."""
        return self.significance.direction

    def as_dict(self) -> dict[str, object]:
        return {"previous": self.previous, "current": self.current, "change": self.change,
                "pct_change": self.pct_change, "z": self.z, "significant": self.significant,
                "direction": self.direction}


def percent_of(part: float | None, whole: float | None) -> float | None:
    """``part`` as a percentage of ``whole``, to one decimal place; None when either is missing or ``whole`` is 0.

    Example:
        >>> percent_of(28, 200), percent_of(5, 0)
        (14.0, None)
    """
    if part is None or not whole:
        return None
    return round(100.0 * part / whole, 1)


class ShareOfComparator:
    """For a result with an ``area`` and a ``comparator`` :class:`Change`: the area's share of the comparator.

    The comparator may be None (the data does not cover it), and then so are the shares.
    """

    area: Change
    comparator: Change | None

    @property
    def share_previous(self) -> float | None:
        """The area's share (%) of the comparator in the previous period."""
        return percent_of(self.area.previous, self.comparator.previous if self.comparator else None)

    @property
    def share_current(self) -> float | None:
        """The area's share (%) of the comparator in the current period."""
        return percent_of(self.area.current, self.comparator.current if self.comparator else None)


class RowsByCrimeType:
    """For a period table with ``current``, ``previous``, ``rows`` (each with a ``crime_type``) and ``total``."""

    def row(self, crime_type: str):
        """The row for ``crime_type``; KeyError when the table has none."""
        for row in self.rows:
            if row.crime_type == crime_type:
                return row
        raise KeyError(crime_type)

    def as_dict(self) -> dict[str, object]:
        return {"current": self.current.as_dict(), "previous": self.previous.as_dict(),
                "rows": [r.as_dict() for r in self.rows], "total": self.total.as_dict()}
