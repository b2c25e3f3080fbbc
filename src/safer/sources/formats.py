"""Record formats: how a CSV layout maps onto a warehouse table, and how its rows are checked.

A :class:`RecordFormat` names its exact header, the warehouse table it loads into,
the SQL expression that turns each raw text field into a typed column, the column
that identifies a record on its own (if any) and its row checks. A :class:`Check`
is a SQL condition over the raw fields (``f_<column>``: trimmed, NULL when blank)
that is true when the row is wrong, with a SQL expression giving the reason.

The loader (``safer.warehouse.loader``) runs every check on every row; a row failing
any check is quarantined with the first failing field and all the reasons.

Formats register themselves with :func:`register`; :func:`detect_format` recognises
a file by its header among every registered format.

Example:
    >>> required("Month").failed
    'f_month IS NULL'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from safer.errors import SourceError


@dataclass(frozen=True)
class Check:
    """One row check: ``failed`` is a SQL condition over raw fields, ``reason`` a SQL string expression."""

    field: str
    failed: str
    reason: str


@dataclass(frozen=True)
class RecordFormat:
    """A CSV layout (police.uk or a partner dataset) and how it maps onto a warehouse table."""

    name: str
    table: str
    columns: tuple[str, ...]
    targets: tuple[tuple[str, str, str], ...]  # (warehouse column, SQL type, SQL expression over raw fields)
    key_columns: tuple[str, ...]  # columns that together identify a record, when all are present
    checks: tuple[Check, ...]
    family: str = "police.uk"  # "police.uk", "partner dataset" (a documented contract) or "synthetic partner dataset"
    identifying: tuple[str, ...] = ()  # columns that identify a person: loaded only pseudonymised (see safer.privacy)

    @property
    def key_column(self) -> str | None:
        """The single column identifying a record, or None when there is none (or the key has several)."""
        return self.key_columns[0] if len(self.key_columns) == 1 else None

    @property
    def description(self) -> str:
        return f"{self.name.replace('-', ' ')} file"


def raw(column: str) -> str:
    """The SQL name of a column's raw text field (trimmed, NULL when blank)."""
    return "f_" + re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_")


def sql_str(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _quoted_value(column: str) -> str:
    return f"'''' || {raw(column)} || ''''"


def required(column: str) -> Check:
    return Check(column, f"{raw(column)} IS NULL", sql_str(f"{column} is blank; it is required"))


def month(column: str) -> Check:
    f = raw(column)
    return Check(column, f"{f} IS NOT NULL AND NOT regexp_full_match({f}, '\\d{{4}}-(0[1-9]|1[0-2])')",
                 f"{_quoted_value(column)} || ' is not a month; expected YYYY-MM'")


def coordinate(column: str, limit: int) -> Check:
    f = raw(column)
    return Check(column,
                 f"{f} IS NOT NULL AND (TRY_CAST({f} AS DOUBLE) IS NULL OR abs(TRY_CAST({f} AS DOUBLE)) > {limit})",
                 f"{_quoted_value(column)} || "
                 f"{sql_str(f' is not a {column.lower()}; expected a number from -{limit} to {limit} or blank')}")


def paired_coordinates(longitude: str = "Longitude", latitude: str = "Latitude") -> Check:
    lon, lat = raw(longitude), raw(latitude)
    return Check(longitude, f"({lon} IS NULL) <> ({lat} IS NULL)",
                 sql_str(f"{longitude} and {latitude} must both be given or both be blank"))


def lsoa(column: str) -> Check:
    f = raw(column)
    return Check(column, f"{f} IS NOT NULL AND NOT regexp_full_match({f}, '[EW]01\\d{{6}}')",
                 f"{_quoted_value(column)} || ' is not an LSOA code; expected e.g. E01004736 or blank'")


def one_of(column: str, allowed: tuple[str, ...], what: str = "value") -> Check:
    f = raw(column)
    values = ", ".join(sql_str(v) for v in allowed)
    return Check(column, f"{f} IS NOT NULL AND {f} NOT IN ({values})",
                 f"{_quoted_value(column)} || {sql_str(f' is not a {what}; expected one of: ' + ', '.join(allowed))}")


def timestamp(column: str) -> Check:
    f = raw(column)
    return Check(column, f"{f} IS NOT NULL AND TRY_CAST({f} AS TIMESTAMPTZ) IS NULL",
                 f"{_quoted_value(column)} || ' is not a date and time; expected e.g. 2017-01-31T18:05:00+00:00'")


def boolean(column: str) -> Check:
    f = raw(column)
    return Check(column, f"{f} IS NOT NULL AND lower({f}) NOT IN ('true', 'false')",
                 f"{_quoted_value(column)} || ' is not True or False'")


def month_date(column: str) -> str:
    """SQL turning a ``YYYY-MM`` field into the first day of that month."""
    return f"CAST(({raw(column)} || '-01') AS DATE)"


def double(column: str) -> str:
    return f"TRY_CAST({raw(column)} AS DOUBLE)"


def text(column: str) -> str:
    return raw(column)


_REGISTRY: dict[str, RecordFormat] = {}


def register(fmt: RecordFormat) -> RecordFormat:
    """Make a format known to :func:`detect_format` and the warehouse schema; return it."""
    if fmt.name in _REGISTRY and _REGISTRY[fmt.name] != fmt:
        raise ValueError(f"a different format is already registered as {fmt.name!r}")
    _REGISTRY[fmt.name] = fmt
    return fmt


def registered_formats() -> tuple[RecordFormat, ...]:
    """Every registered format, in registration order."""
    return tuple(_REGISTRY.values())


def detect_format(header: list[str], file_name: str) -> RecordFormat:
    """Recognise a file from its header row among the registered formats.

    Raises SourceError listing the expected columns of every format when the header
    matches none of them.
    """
    cleaned = [h.strip().lstrip("\ufeff").strip() for h in header]
    for fmt in _REGISTRY.values():
        if tuple(cleaned) == fmt.columns:
            return refuse_identifying(fmt, file_name)
    police = [fmt for fmt in _REGISTRY.values() if fmt.family == "police.uk"]
    # synthetic variants of partner formats (written by `safer synth`) are not worth listing
    partner = [fmt for fmt in _REGISTRY.values() if fmt.family != "police.uk" and not fmt.family.startswith("synthetic")]
    expected = "; ".join(f"{fmt.name}: {', '.join(fmt.columns)}" for fmt in police)
    if partner:
        expected += f"; or a partner dataset contract: {', '.join(fmt.name for fmt in partner)}"
        closest = max(partner, key=lambda fmt: len(set(cleaned) & set(fmt.columns)))
        if set(cleaned) & set(closest.columns):
            expected += f". Closest contract: {header_difference(cleaned, closest)}"
    shown = ", ".join(cleaned[:15]) or "(empty)"
    raise SourceError(
        f"{file_name} line 1: this is not a police.uk file or a known dataset. Its columns are [{shown}]. "
        f"Expected the exact header of one of these formats ({expected}). Download police.uk files "
        "without editing their header, or export partner data to its documented contract."
    )


def check_header(header: list[str], file_name: str,
                 expected: RecordFormat | tuple[RecordFormat, ...]) -> RecordFormat:
    """Check a file's header against the format it must have (e.g. ``safer ingest --dataset``).

    ``expected`` may be one format or alternatives (a dataset and its synthetic variant).
    Raises SourceError saying which columns are missing, unexpected or out of order.
    """
    cleaned = [h.strip().lstrip("\ufeff").strip() for h in header]
    options = expected if isinstance(expected, tuple) else (expected,)
    for fmt in options:
        if tuple(cleaned) == fmt.columns:
            return refuse_identifying(fmt, file_name)
    expected = options[0]
    raise SourceError(f"{file_name} line 1: the header does not match the {expected.name} {expected.family} "
                      f"({header_difference(cleaned, expected)}). Expected exactly: {', '.join(expected.columns)}")


def header_difference(header: list[str], fmt: RecordFormat) -> str:
    """How a header differs from a format's: missing and unexpected columns, or their order.

    >>> header_difference(["Month", "Crime ID"], RecordFormat("x", "x", ("Crime ID", "Month"), (), None, ()))
    'x: columns out of order'
    """
    missing = [c for c in fmt.columns if c not in header]
    unexpected = [c for c in header if c not in fmt.columns]
    parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
        [f"unexpected {', '.join(unexpected)}"] if unexpected else [])
    return f"{fmt.name}: {'; '.join(parts) if parts else 'columns out of order'}"


def refuse_identifying(fmt: RecordFormat, file_name: str) -> RecordFormat:
    """Return ``fmt``, or raise SourceError when its files hold fields that identify a person.

    Such fields are never stored raw: person-level files are pseudonymised on the way in
    (``safer.privacy.ingest``) and never reach this check; one that does is refused before
    anything is loaded.
    """
    if fmt.identifying:
        raise SourceError(
            f"{file_name}: this {fmt.name} file holds fields that identify a person "
            f"({', '.join(fmt.identifying)}). Such fields are never stored raw: name the partnership key in "
            "safer.toml ([privacy] key_file) so they are pseudonymised as the file loads, or pseudonymise the file "
            "first with `safer pseudonymise` (docs/privacy.md); nothing was loaded.")
    return fmt
