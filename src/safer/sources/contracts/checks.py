"""Row checks for partner dataset columns, in the style of ``safer.sources.formats``.

Each builder returns a :class:`Check`: a SQL condition over the raw (trimmed, NULL when blank)
field that is true when the value is wrong, and a SQL expression giving the reason, worded so the
agency knows what to send instead.

Example:
    >>> [check.field for check in integer("Offences", minimum=0)]
    ['Offences', 'Offences']
"""

from __future__ import annotations

from safer.sources.formats import Check, raw, sql_str

_WARD = r"[EWSN]05\d{6}"
_AREA = r"[EWSNK]\d{8}"
_POSTCODE = r"[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}"
_DATE = r"\d{4}-\d{2}-\d{2}"
_DATETIME = r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?"


def _value(column: str) -> str:
    return f"'''' || {raw(column)} || ''''"


def _pattern(column: str, pattern: str, expected: str) -> Check:
    f = raw(column)
    return Check(column, f"{f} IS NOT NULL AND NOT regexp_full_match({f}, {sql_str(pattern)})",
                 f"{_value(column)} || {sql_str(' is not ' + expected)}")


def _range(column: str, cast: str, minimum: float | None, maximum: float | None) -> list[Check]:
    f = raw(column)
    checks = []
    if minimum is not None:
        checks.append(Check(column, f"TRY_CAST({f} AS {cast}) < {minimum}",
                            f"{_value(column)} || {sql_str(f' is below the minimum, {minimum:g}')}"))
    if maximum is not None:
        checks.append(Check(column, f"TRY_CAST({f} AS {cast}) > {maximum}",
                            f"{_value(column)} || {sql_str(f' is above the maximum, {maximum:g}')}"))
    return checks


def integer(column: str, minimum: float | None = None, maximum: float | None = None) -> list[Check]:
    """A whole number, optionally within a range."""
    return [_pattern(column, r"-?\d+", "a whole number; expected e.g. 12"), *_range(column, "BIGINT", minimum, maximum)]


def number(column: str, minimum: float | None = None, maximum: float | None = None) -> list[Check]:
    """A decimal number, optionally within a range."""
    f = raw(column)
    return [Check(column, f"{f} IS NOT NULL AND TRY_CAST({f} AS DOUBLE) IS NULL",
                  f"{_value(column)} || ' is not a number; expected e.g. 30.8'"),
            *_range(column, "DOUBLE", minimum, maximum)]


def date(column: str) -> Check:
    """A calendar date written YYYY-MM-DD (and a real one: 2018-02-30 fails)."""
    f = raw(column)
    return Check(column, f"{f} IS NOT NULL AND (NOT regexp_full_match({f}, {sql_str(_DATE)}) "
                         f"OR TRY_CAST({f} AS DATE) IS NULL)",
                 f"{_value(column)} || ' is not a date; expected YYYY-MM-DD, e.g. 2018-03-31'")


def local_datetime(column: str) -> Check:
    """A local clock date and time without a time zone, e.g. ``2018-03-31 23:15``."""
    f = raw(column)
    return Check(column, f"{f} IS NOT NULL AND (NOT regexp_full_match({f}, {sql_str(_DATETIME)}) "
                         f"OR TRY_CAST({f} AS TIMESTAMP) IS NULL)",
                 f"{_value(column)} || ' is not a local date and time; expected YYYY-MM-DD HH:MM, "
                 f"e.g. 2018-03-31 23:15, with no time zone'")


def ward(column: str) -> Check:
    return _pattern(column, _WARD, "a ward code; expected e.g. E05000649 or blank")


def area_code(column: str) -> Check:
    return _pattern(column, _AREA, "an ONS area code; expected e.g. E09000033 (local authority), "
                                   "E12000007 (region) or E92000001 (England)")


def postcode(column: str) -> Check:
    return _pattern(column, _POSTCODE, "a UK postcode; expected e.g. W1D 4HS")


def any_present(columns: tuple[str, ...], what: str, *, also_blank: tuple[str, ...] = ()) -> Check:
    """At least one of ``columns`` is given (``also_blank``: further columns named in the reason, not tested)."""
    condition = " AND ".join(f"{raw(c)} IS NULL" for c in columns)
    named = (*columns, *also_blank)
    listed = " and ".join(named) if len(named) <= 2 else ", ".join(named[:-1]) + " and " + named[-1]
    both = "both" if len(named) == 2 else "all"
    return Check(columns[0], condition, sql_str(f"{listed} are {both} blank; give {what}"))
