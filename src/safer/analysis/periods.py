"""Assessment periods: the current period and the one before it, in whole months.

Example:
    >>> current, previous = assessment_periods(date(2018, 6, 1), 12)
    >>> current.label, previous.label
    ('July 2017 to June 2018', 'July 2016 to June 2017')
    >>> current.days
    365
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Period:
    """Whole months from ``first`` to ``last`` (both the first day of their month), inclusive."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.first.day != 1 or self.last.day != 1:
            raise ValueError("a period runs between first days of months")
        if self.last < self.first:
            raise ValueError(f"period ends ({self.last}) before it starts ({self.first})")

    @property
    def months(self) -> tuple[date, ...]:
        """Every month in the period, as its first day."""
        out, current = [], self.first
        while current <= self.last:
            out.append(current)
            current = add_months(current, 1)
        return tuple(out)

    @property
    def days(self) -> int:
        """Number of days in the period (for daily averages)."""
        return sum(days_in_month(m) for m in self.months)

    @property
    def end_exclusive(self) -> date:
        """The first day after the period."""
        return add_months(self.last, 1)

    @property
    def label(self) -> str:
        return f"{self.first:%B %Y} to {self.last:%B %Y}"

    def as_dict(self) -> dict[str, object]:
        return {"first_month": f"{self.first:%Y-%m}", "last_month": f"{self.last:%Y-%m}", "label": self.label,
                "days": self.days}


def add_months(month: date, n: int) -> date:
    """The first day of the month ``n`` months after ``month`` (``n`` may be negative)."""
    index = month.year * 12 + (month.month - 1) + n
    return date(index // 12, index % 12 + 1, 1)


def days_in_month(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def parse_month(text: str) -> date:
    """``'2018-06'`` -> ``date(2018, 6, 1)``."""
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def assessment_periods(last_month: date, length_months: int) -> tuple[Period, Period]:
    """The period ending with ``last_month`` and the period of the same length just before it."""
    if length_months < 1:
        raise ValueError("length_months must be at least 1")
    current = Period(add_months(last_month, -(length_months - 1)), last_month)
    previous = Period(add_months(current.first, -length_months), add_months(current.first, -1))
    return current, previous
