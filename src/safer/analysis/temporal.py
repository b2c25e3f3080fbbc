"""When events happen: the hour x weekday table, its busiest and quietest cells, peak times and the
night-time economy share.

The table counts events by hour of the day (rows, 00 to 23) and day of the week (columns, Monday to
Sunday) from each event's local clock time. As in the 2018 Westminster assessment's BTP table, the
top and bottom 10% of cells are marked. Rule: with ``k`` = 10% of the 168 cells, rounded (17), a cell
is in the top 10% when its count is at least the ``k``-th highest count, and in the bottom 10% when
it is at most the ``k``-th lowest; cells tied at a threshold are all marked, so ties can mark more than
``k`` cells. Empty cells are never "top", and when the thresholds meet (a flat table) nothing is marked.

Example:
    >>> table = HourWeekdayTable(tuple(tuple(h * 7 + d for d in range(7)) for h in range(24)))
    >>> table.top_cells[:2], len(table.bottom_cells)
    (((21, 4), (21, 5)), 17)
    >>> window_share(table, NIGHT_TIME_ECONOMY).window.label
    '20:00 to 04:59'
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_MARKED_SHARE = 0.10


@dataclass(frozen=True)
class TimeWindow:
    """Whole hours from ``start`` up to (not including) ``end``; wraps past midnight when end <= start."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start <= 23 and 0 <= self.end <= 24) or self.start == self.end % 24:
            raise ValueError(f"a time window needs two different hours from 0 to 24, not {self.start}-{self.end}")

    @property
    def hours(self) -> tuple[int, ...]:
        length = (self.end - self.start) % 24 or 24
        return tuple((self.start + i) % 24 for i in range(length))

    @property
    def label(self) -> str:
        """``'20:00 to 04:59'``."""
        return f"{self.start:02d}:00 to {(self.end - 1) % 24:02d}:59"

    def as_dict(self) -> dict[str, object]:
        return {"start_hour": self.start, "end_hour": self.end % 24, "label": self.label}


#: The night-time economy window of the 2018 assessment: 20:00 to 04:59.
NIGHT_TIME_ECONOMY = TimeWindow(20, 5)


@dataclass(frozen=True)
class HourWeekdayTable:
    """Counts by hour (24 rows) and weekday (7 columns, Monday first), with the marked cells."""

    counts: tuple[tuple[int, ...], ...]
    marked_share: float = DEFAULT_MARKED_SHARE

    def __post_init__(self) -> None:
        if len(self.counts) != 24 or any(len(row) != 7 for row in self.counts):
            raise ValueError("an hour x weekday table has 24 rows of 7 counts")
        if not 0 < self.marked_share < 0.5:
            raise ValueError("marked_share must be between 0 and 0.5, e.g. 0.1 for the top and bottom 10%")

    @property
    def total(self) -> int:
        return sum(self.hour_totals)

    @property
    def hour_totals(self) -> tuple[int, ...]:
        return tuple(sum(row) for row in self.counts)

    @property
    def weekday_totals(self) -> tuple[int, ...]:
        return tuple(sum(row[d] for row in self.counts) for d in range(7))

    @property
    def cells_marked(self) -> int:
        """How many cells 10% (``marked_share``) of the table is: the rank the thresholds are taken at."""
        return max(1, round(self.marked_share * 168))

    @property
    def thresholds(self) -> tuple[int, int] | None:
        """(top threshold, bottom threshold), or None when the table is too flat to mark anything."""
        ordered = sorted(c for row in self.counts for c in row)
        k = self.cells_marked
        top, bottom = ordered[-k], ordered[k - 1]
        return None if top <= bottom else (top, bottom)

    @property
    def top_cells(self) -> tuple[tuple[int, int], ...]:
        """(hour, weekday) of every cell in the top 10%, by hour then weekday."""
        if self.thresholds is None:
            return ()
        top = self.thresholds[0]
        return tuple((h, d) for h in range(24) for d in range(7) if self.counts[h][d] >= top and self.counts[h][d] > 0)

    @property
    def bottom_cells(self) -> tuple[tuple[int, int], ...]:
        if self.thresholds is None:
            return ()
        bottom = self.thresholds[1]
        return tuple((h, d) for h in range(24) for d in range(7) if self.counts[h][d] <= bottom)

    def mark(self, hour: int, weekday: int) -> str:
        """``'top'``, ``'bottom'`` or ``''`` for one cell."""
        return "top" if (hour, weekday) in self.top_cells else "bottom" if (hour, weekday) in self.bottom_cells else ""

    def as_dict(self) -> dict[str, object]:
        thresholds = self.thresholds
        return {
            "weekdays": list(WEEKDAYS), "counts": [list(row) for row in self.counts],
            "hour_totals": list(self.hour_totals), "weekday_totals": list(self.weekday_totals), "total": self.total,
            "marked_share": self.marked_share, "cells_marked": self.cells_marked,
            "top_threshold": thresholds[0] if thresholds else None,
            "bottom_threshold": thresholds[1] if thresholds else None,
            "top_cells": [{"hour": h, "weekday": WEEKDAYS[d]} for h, d in self.top_cells],
            "bottom_cells": [{"hour": h, "weekday": WEEKDAYS[d]} for h, d in self.bottom_cells],
        }


@dataclass(frozen=True)
class WindowShare:
    """Events in a time window (any day) and their share of all events."""

    window: TimeWindow
    count: int
    total: int

    @property
    def share(self) -> float | None:
        """Percentage, one decimal place; None when there are no events."""
        return None if self.total == 0 else round(100.0 * self.count / self.total, 1)

    def as_dict(self) -> dict[str, object]:
        return {"window": self.window.as_dict(), "count": self.count, "total": self.total, "share": self.share}


@dataclass(frozen=True)
class PeakTimes:
    """The busiest day of the week, the busiest run of hours (any day), and the busiest cells."""

    day: int  # weekday index, Monday = 0
    day_count: int
    hours: WindowShare
    busiest: tuple[tuple[int, int, int], ...]  # (hour, weekday, count), busiest first
    total: int

    @property
    def day_name(self) -> str:
        return WEEKDAYS[self.day]

    @property
    def day_share(self) -> float | None:
        return None if self.total == 0 else round(100.0 * self.day_count / self.total, 1)

    def as_dict(self) -> dict[str, object]:
        return {"day": self.day_name, "day_count": self.day_count, "day_share": self.day_share,
                "hours": self.hours.as_dict(),
                "busiest_cells": [{"hour": h, "weekday": WEEKDAYS[d], "count": n} for h, d, n in self.busiest]}


@dataclass(frozen=True)
class TemporalProfile:
    """Everything the report says about when one dataset's events happen."""

    table: HourWeekdayTable
    peak: PeakTimes
    night_time: WindowShare

    def as_dict(self) -> dict[str, object]:
        return {"hour_weekday": self.table.as_dict(), "peak": self.peak.as_dict(),
                "night_time_economy": self.night_time.as_dict()}


def hour_weekday_table(events: ibis.Table, column: str, *, marked_share: float = DEFAULT_MARKED_SHARE
                       ) -> HourWeekdayTable:
    """Count ``events`` by the hour and weekday of their timestamp ``column`` (rows without one are left out)."""
    stamp = events[column]
    timed = events.filter(stamp.notnull())
    counted = (timed.group_by(hour=timed[column].hour(), weekday=timed[column].day_of_week.index())
               .aggregate(n=timed.count()).execute())
    cells = [[0] * 7 for _ in range(24)]
    for hour, weekday, n in zip(counted["hour"], counted["weekday"], counted["n"]):
        cells[int(hour)][int(weekday)] = int(n)
    return HourWeekdayTable(tuple(tuple(row) for row in cells), marked_share)


def window_share(table: HourWeekdayTable, window: TimeWindow) -> WindowShare:
    """Events whose hour falls in ``window``, on any day."""
    hours = table.hour_totals
    return WindowShare(window, sum(hours[h] for h in window.hours), table.total)


def peak_times(table: HourWeekdayTable, *, window_hours: int = 2, busiest: int = 3) -> PeakTimes:
    """The peak weekday, the ``window_hours`` consecutive hours (wrapping midnight) with most events,
    and the ``busiest`` cells. Ties go to the earlier day or hour."""
    if not 1 <= window_hours <= 23:
        raise ValueError("window_hours must be from 1 to 23")
    days = table.weekday_totals
    day = max(range(7), key=lambda d: (days[d], -d))
    windows = [TimeWindow(start, (start + window_hours) % 24) for start in range(24)]
    best = max((window_share(table, w) for w in windows), key=lambda s: (s.count, -s.window.start))
    cells = sorted(((h, d, table.counts[h][d]) for h in range(24) for d in range(7)),
                   key=lambda c: (-c[2], c[1], c[0]))
    return PeakTimes(day=day, day_count=days[day], hours=best, busiest=tuple(c for c in cells[:busiest] if c[2] > 0),
                     total=table.total)


def temporal_profile(events: ibis.Table, column: str, *, night: TimeWindow = NIGHT_TIME_ECONOMY,
                     window_hours: int = 2, marked_share: float = DEFAULT_MARKED_SHARE) -> TemporalProfile:
    """The hour x weekday table of ``events``, its peaks and the share in the ``night`` window."""
    table = hour_weekday_table(events, column, marked_share=marked_share)
    return TemporalProfile(table=table, peak=peak_times(table, window_hours=window_hours),
                           night_time=window_share(table, night))
