"""Police category tables: counts of crime by category, area and period (``docs/contracts/category-counts.md``).

Many partnerships receive their force's published category table rather than crime records.
Such a table is a CSV with exactly the columns::

    area,period_start,period_end,major_category,minor_category,count

- ``area``: an ONS code: a local authority (``E09000033``) or a police force area (``E23000001``).
- ``period_start``, ``period_end``: the first and last month the count covers (``YYYY-MM``, inclusive).
- ``major_category``, ``minor_category``: a Metropolitan Police category (current, legacy or the
  2018 borough table's names, ``data/reference/mps_categories.csv``) or a police.uk crime type
  (as ``major_category``, with ``minor_category`` blank or the same). Case, spacing and ``&``/``and``
  do not matter.
- Flag rows: ``major_category`` ``Flag`` and a flag named in ``data/reference/crime_flags.csv``
  (hate crime and its strands, domestic abuse, knife crime, knife crime with injury, gun crime,
  youth violence). Flags overlap the offence categories and each other: they are never added to
  the offence totals, and hate crime strands are never added together.
- ``count``: a whole number, 0 or more.

Row checks (each failing row is quarantined with the reason): blank fields, a month that is not
``YYYY-MM``, a period ending before it starts, an area that is not an ONS code, an unknown
category or flag, a negative or non-integer count. Whole-file checks (the file is refused, nothing
is loaded): two rows counting the same area and category over overlapping periods, and months
missing between an area's first and last period.

Example:
    >>> category_key("Theft & Handling", "Theft Person")
    'theft and handling|theft person'
    >>> category_key("Flag", "Knife crime") in KNOWN_KEYS
    True
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from safer.errors import SourceError
from safer.sources.files import Converter, register_converter
from safer.sources.formats import (Check, RecordFormat, month, month_date, raw, register, required, sql_str,
                                   text)
from safer.sources.policeuk import CRIME_TYPES

COLUMNS: tuple[str, ...] = ("area", "period_start", "period_end", "major_category", "minor_category", "count")
FLAG = "flag"
MAPPING_FILE = "data/reference/mps_categories.csv"
FLAGS_FILE = "data/reference/crime_flags.csv"
CONTRACT = "docs/contracts/category-counts.md"
_MAX_LISTED = 5


def normalise(name: str | None) -> str:
    """A category name compared without case, extra spaces or the ``&``/``and`` difference."""
    return " ".join((name or "").replace("&", " and ").lower().split())


def category_key(major: str | None, minor: str | None) -> str:
    """The key a (major, minor) pair is known by."""
    return f"{normalise(major)}|{normalise(minor)}"


def _sql_normalise(field: str) -> str:
    return f"trim(regexp_replace(lower(replace(coalesce({field}, ''), '&', ' and ')), '\\s+', ' ', 'g'))"


SQL_CATEGORY_KEY = f"{_sql_normalise(raw('major_category'))} || '|' || {_sql_normalise(raw('minor_category'))}"


@dataclass(frozen=True)
class Category:
    """What one (major, minor) pair means: a police.uk crime type and Home Office cost row, or a flag."""

    key: str
    scheme: str  # "current", "legacy", "mps-2018", "police.uk" or "flag"
    police_uk_crime_type: str | None
    ho_cost_row: str | None
    flag: str | None = None  # the flag's canonical name, for flag rows


@dataclass(frozen=True)
class Flag:
    name: str
    kind: str  # "hate crime", "hate crime strand" or "other"
    aliases: tuple[str, ...]
    note: str


@lru_cache(maxsize=1)
def flags() -> tuple[Flag, ...]:
    """The flags a category table may carry, in report order (``data/reference/crime_flags.csv``)."""
    rows = csv.DictReader(io.StringIO(resources.files("safer").joinpath(FLAGS_FILE).read_text(encoding="utf-8")))
    return tuple(Flag(r["flag"], r["kind"], tuple(a.strip() for a in r["aliases"].split(";") if a.strip()),
                      r["note"]) for r in rows)


@lru_cache(maxsize=1)
def categories() -> dict[str, Category]:
    """Every known category key: the MPS schemes, police.uk crime types and flags (with aliases)."""
    known: dict[str, Category] = {}
    text_ = resources.files("safer").joinpath(MAPPING_FILE).read_text(encoding="utf-8")
    for row in csv.DictReader(io.StringIO(text_)):
        key = category_key(row["major"], row["minor"])
        known.setdefault(key, Category(key, row["scheme"], row["police_uk_crime_type"] or None,
                                       row["ho_cost_row"] or None))
    for crime_type in CRIME_TYPES:
        for minor in ("", crime_type):
            key = category_key(crime_type, minor)
            known.setdefault(key, Category(key, "police.uk", crime_type, None))
    for flag in flags():
        for name in (flag.name, *flag.aliases):
            key = category_key(FLAG, name)
            known.setdefault(key, Category(key, "flag", None, None, flag=flag.name))
    return known


KNOWN_KEYS: frozenset[str] = frozenset(categories())


def _category_check() -> Check:
    allowed = ", ".join(sql_str(k) for k in sorted(KNOWN_KEYS))
    major, minor = raw("major_category"), raw("minor_category")
    return Check(
        "major_category",
        f"{major} IS NOT NULL AND {SQL_CATEGORY_KEY} NOT IN ({allowed})",
        f"'''' || {major} || ' / ' || coalesce({minor}, '') || "
        + sql_str(f"' is not a known crime category or flag; use a Metropolitan Police or police.uk category, or "
                  f"major_category Flag with a flag name, as listed in {CONTRACT}"),
    )


def _count_check() -> Check:
    f = raw("count")
    return Check(
        "count",
        f"{f} IS NOT NULL AND NOT regexp_full_match({f}, '\\d+')",
        f"'''' || {f} || ''' ' || CASE WHEN regexp_full_match({f}, '-\\s*\\d+(\\.\\d+)?') "
        "THEN 'is negative; a count is 0 or more' ELSE 'is not a whole number; expected a count such as 0 or 412' END",
    )


def _area_check() -> Check:
    f = raw("area")
    return Check("area", f"{f} IS NOT NULL AND NOT regexp_full_match({f}, '[EWSN]\\d{{8}}')",
                 f"'''' || {f} || ''' is not an ONS area code; expected a local authority code such as E09000033 "
                 "or a police force area code such as E23000001'")


def _period_order_check() -> Check:
    start, end = raw("period_start"), raw("period_end")
    return Check("period_end",
                 f"regexp_full_match(coalesce({start}, ''), '\\d{{4}}-(0[1-9]|1[0-2])') AND "
                 f"regexp_full_match(coalesce({end}, ''), '\\d{{4}}-(0[1-9]|1[0-2])') AND {end} < {start}",
                 f"'period ends (' || {end} || ') before it starts (' || {start} || ')'")


CATEGORY_COUNTS = register(RecordFormat(
    name="category-counts",
    table="category_counts",
    columns=COLUMNS,
    targets=(
        ("area", "VARCHAR", text("area")),
        ("period_start", "DATE", month_date("period_start")),
        ("period_end", "DATE", month_date("period_end")),
        ("major_category", "VARCHAR", text("major_category")),
        ("minor_category", "VARCHAR", text("minor_category")),
        ("category_key", "VARCHAR", SQL_CATEGORY_KEY),
        ("count", "BIGINT", f"CAST({raw('count')} AS BIGINT)"),
    ),
    # One figure per area, period and category: a re-issued or corrected table loads once, never doubles.
    key_columns=("area", "period_start", "period_end", "major_category", "minor_category"),
    checks=(
        required("area"), _area_check(), required("period_start"), month("period_start"),
        required("period_end"), month("period_end"), _period_order_check(), required("major_category"),
        _category_check(), required("count"), _count_check(),
    ),
))


@dataclass(frozen=True)
class _Row:
    line: int
    area: str
    key: str
    label: str
    first: date
    last: date


def check_file(path: Path, name: str) -> None:
    """The whole-file checks: no overlapping periods for one area and category, no missing months.

    Rows that fail a row check are left to the loader (quarantined) and ignored here.
    Raises SourceError naming the lines and what to do.
    """
    rows = list(_valid_rows(path))
    _check_overlaps(rows, name)
    _check_missing_months(rows, name)


def _valid_rows(path: Path):
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        for line_no, line in enumerate(handle, start=1):
            if line_no == 1 or not line.strip():
                continue
            fields = next(csv.reader([line.rstrip("\r\n")]), [])
            if len(fields) != len(COLUMNS):
                continue
            area, start, end, major, minor, count = (f.strip() for f in fields)
            first, last = _month(start), _month(end)
            key = category_key(major, minor)
            if (not re.fullmatch(r"[EWSN]\d{8}", area) or first is None or last is None or last < first
                    or key not in KNOWN_KEYS or not count.isdigit()):
                continue
            yield _Row(line_no, area, key, f"{major} / {minor}" if minor else major, first, last)


def _check_overlaps(rows: list[_Row], name: str) -> None:
    by_series: dict[tuple[str, str], list[_Row]] = defaultdict(list)
    for row in rows:
        by_series[(row.area, row.key)].append(row)
    clashes = []
    for series in by_series.values():
        series.sort(key=lambda r: (r.first, r.last, r.line))
        latest = series[0]
        for row in series[1:]:
            if row.first <= latest.last:
                clashes.append((latest, row))
            if row.last > latest.last:
                latest = row
    if clashes:
        listed = "; ".join(f"lines {a.line} and {b.line} ({a.area}, {a.label}: {_span(a)} and {_span(b)})"
                           for a, b in sorted(clashes, key=lambda c: c[1].line)[:_MAX_LISTED])
        more = f" and {len(clashes) - _MAX_LISTED} more" if len(clashes) > _MAX_LISTED else ""
        raise SourceError(f"{name}: {len(clashes)} pair(s) of rows count the same area and category over "
                          f"overlapping periods, so crimes would be counted twice: {listed}{more}. Keep one row per "
                          "area, category and month (or non-overlapping periods) and load the file again; "
                          "nothing was loaded.")


def _check_missing_months(rows: list[_Row], name: str) -> None:
    by_area: dict[str, set[date]] = defaultdict(set)
    for row in rows:
        by_area[row.area].update(_months(row.first, row.last))
    problems = []
    for area, months in sorted(by_area.items()):
        missing = [m for m in _months(min(months), max(months)) if m not in months]
        if missing:
            shown = ", ".join(f"{m:%Y-%m}" for m in missing[:_MAX_LISTED])
            more = f" and {len(missing) - _MAX_LISTED} more" if len(missing) > _MAX_LISTED else ""
            problems.append(f"{area} has no row covering {shown}{more} (between {min(months):%Y-%m} and "
                            f"{max(months):%Y-%m})")
    if problems:
        raise SourceError(f"{name}: months are missing, so period totals would be too low: {'; '.join(problems)}. "
                          "Add the missing months' rows (a count of 0 where no crime was recorded) and load the "
                          "file again; nothing was loaded.")


def _month(text_: str) -> date | None:
    match = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", text_)
    return date(int(match.group(1)), int(match.group(2)), 1) if match else None


def _months(first: date, last: date) -> list[date]:
    out, current = [], first
    while current <= last:
        out.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return out


def _span(row: _Row) -> str:
    return f"{row.first:%Y-%m}" if row.first == row.last else f"{row.first:%Y-%m} to {row.last:%Y-%m}"


def _header(path: Path) -> tuple[str, ...]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError, EOFError):
        return ()
    return tuple(h.strip() for h in next(csv.reader([first.rstrip("\r\n")]), []))


def _matches(local: Path, name: str) -> bool:
    return name.lower().endswith((".csv", ".csv.gz")) and _header(local) == COLUMNS


def _convert(local: Path, workdir: Path, name: str) -> tuple[Path, None]:
    check_file(local, name)
    return local, None  # loaded as it is; recognised by its header


CONVERTER = register_converter(Converter(name="category counts (whole-file checks)", suffixes=(),
                                         matches=_matches, convert=_convert))

__all__ = ["CATEGORY_COUNTS", "COLUMNS", "Category", "Flag", "KNOWN_KEYS", "categories", "category_key",
           "check_file", "flags", "normalise"]
