"""The three police.uk file formats: street crime, outcomes and stop and search.

Each format is a :class:`PoliceUkFormat`: its exact header, the warehouse table it
loads into, the columns that identify a record, and the row checks. A check is a
pair of SQL expressions over the raw text fields (``f_<column>``): a condition that
is true when the field is wrong and a message saying why. The loader runs every
check on every row; a row failing any check is quarantined with the first failing
field and all the reasons.

Example:
    >>> fmt = detect_format(["Crime ID", "Month", "Reported by", "Falls within", "Longitude",
    ...     "Latitude", "Location", "LSOA code", "LSOA name", "Crime type",
    ...     "Last outcome category", "Context"], "2017-01-metropolitan-street.csv")
    >>> fmt.name
    'street'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from safer.errors import SourceError

CRIME_TYPES: tuple[str, ...] = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
ASB = "Anti-social behaviour"

STREET_COLUMNS = ("Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                  "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context")
OUTCOME_COLUMNS = ("Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                   "LSOA code", "LSOA name", "Outcome type")
STOP_SEARCH_COLUMNS = ("Type", "Date", "Part of a policing operation", "Policing operation", "Latitude",
                       "Longitude", "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity",
                       "Legislation", "Object of search", "Outcome", "Outcome linked to object of search",
                       "Removal of more than just outer clothing")

FILE_NAME = re.compile(r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-(?P<kind>street|outcomes|stop-and-search)"
                       r"\.csv(\.gz)?$")


@dataclass(frozen=True)
class Check:
    """One row check: ``failed`` is a SQL condition over raw fields, ``reason`` a SQL string expression."""

    field: str
    failed: str
    reason: str


@dataclass(frozen=True)
class PoliceUkFormat:
    """A police.uk CSV layout and how it maps onto a warehouse table."""

    name: str
    table: str
    columns: tuple[str, ...]
    targets: tuple[tuple[str, str, str], ...]  # (warehouse column, SQL type, SQL expression over raw fields)
    key_column: str | None  # a column that identifies a record on its own, when present
    checks: tuple[Check, ...]

    @property
    def description(self) -> str:
        return f"police.uk {self.name.replace('-', ' ')} file"


def raw(column: str) -> str:
    """The SQL name of a column's raw text field (trimmed, NULL when blank)."""
    return "f_" + re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_")


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _required(column: str) -> Check:
    return Check(column, f"{raw(column)} IS NULL", _sql_str(f"{column} is blank; it is required"))


def _month(column: str) -> Check:
    f = raw(column)
    return Check(column, f"{f} IS NOT NULL AND NOT regexp_full_match({f}, '\\d{{4}}-(0[1-9]|1[0-2])')",
                 f"'''' || {f} || ''' is not a month; expected YYYY-MM'")


def _coordinate(column: str, limit: int) -> Check:
    f = raw(column)
    return Check(column,
                 f"{f} IS NOT NULL AND (TRY_CAST({f} AS DOUBLE) IS NULL OR abs(TRY_CAST({f} AS DOUBLE)) > {limit})",
                 f"'''' || {f} || ''' is not a {column.lower()}; expected a number from -{limit} to {limit} or blank'")


def _paired_coordinates() -> Check:
    lon, lat = raw("Longitude"), raw("Latitude")
    return Check("Longitude", f"({lon} IS NULL) <> ({lat} IS NULL)",
                 _sql_str("Longitude and Latitude must both be given or both be blank"))


def _lsoa(column: str) -> Check:
    f = raw(column)
    return Check(column, f"{f} IS NOT NULL AND NOT regexp_full_match({f}, '[EW]01\\d{{6}}')",
                 f"'''' || {f} || ''' is not an LSOA code; expected e.g. E01004736 or blank'")


def _one_of(column: str, allowed: tuple[str, ...]) -> Check:
    f = raw(column)
    values = ", ".join(_sql_str(v) for v in allowed)
    return Check(column, f"{f} IS NOT NULL AND {f} NOT IN ({values})",
                 f"'''' || {f} || ''' is not a police.uk crime type; expected one of: {', '.join(allowed)}'")


def _timestamp(column: str) -> Check:
    f = raw(column)
    return Check(column, f"{f} IS NOT NULL AND TRY_CAST({f} AS TIMESTAMPTZ) IS NULL",
                 f"'''' || {f} || ''' is not a date and time; expected e.g. 2017-01-31T18:05:00+00:00'")


def _boolean(column: str) -> Check:
    f = raw(column)
    return Check(column, f"{f} IS NOT NULL AND lower({f}) NOT IN ('true', 'false')",
                 f"'''' || {f} || ''' is not True or False'")


def _month_date(column: str) -> str:
    return f"CAST(({raw(column)} || '-01') AS DATE)"


def _double(column: str) -> str:
    return f"TRY_CAST({raw(column)} AS DOUBLE)"


def _text(column: str) -> str:
    return raw(column)


_LOCATED = (
    ("reported_by", "VARCHAR", _text("Reported by")),
    ("falls_within", "VARCHAR", _text("Falls within")),
    ("longitude", "DOUBLE", _double("Longitude")),
    ("latitude", "DOUBLE", _double("Latitude")),
    ("location", "VARCHAR", _text("Location")),
    ("lsoa_code", "VARCHAR", _text("LSOA code")),
    ("lsoa_name", "VARCHAR", _text("LSOA name")),
)
_LOCATED_CHECKS = (
    _required("Month"), _month("Month"), _required("Reported by"), _required("Falls within"),
    _coordinate("Longitude", 180), _coordinate("Latitude", 90), _paired_coordinates(), _lsoa("LSOA code"),
)

STREET = PoliceUkFormat(
    name="street",
    table="crimes",
    columns=STREET_COLUMNS,
    targets=(
        ("crime_id", "VARCHAR", _text("Crime ID")),
        ("month", "DATE", _month_date("Month")),
        *_LOCATED,
        ("crime_type", "VARCHAR", _text("Crime type")),
        ("last_outcome_category", "VARCHAR", _text("Last outcome category")),
        ("context", "VARCHAR", _text("Context")),
    ),
    key_column="Crime ID",
    checks=(*_LOCATED_CHECKS, _required("Crime type"), _one_of("Crime type", CRIME_TYPES)),
)

OUTCOMES = PoliceUkFormat(
    name="outcomes",
    table="outcomes",
    columns=OUTCOME_COLUMNS,
    targets=(
        ("crime_id", "VARCHAR", _text("Crime ID")),
        ("month", "DATE", _month_date("Month")),
        *_LOCATED,
        ("outcome_type", "VARCHAR", _text("Outcome type")),
    ),
    key_column=None,  # one crime has many outcome rows
    checks=(_required("Crime ID"), *_LOCATED_CHECKS, _required("Outcome type")),
)

STOP_AND_SEARCH = PoliceUkFormat(
    name="stop-and-search",
    table="stop_searches",
    columns=STOP_SEARCH_COLUMNS,
    targets=(
        ("search_type", "VARCHAR", _text("Type")),
        ("searched_at", "TIMESTAMP", f"CAST(TRY_CAST({raw('Date')} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)"),
        ("month", "DATE", f"CAST(date_trunc('month', CAST(TRY_CAST({raw('Date')} AS TIMESTAMPTZ) "
                          f"AT TIME ZONE 'UTC' AS TIMESTAMP)) AS DATE)"),
        ("part_of_operation", "BOOLEAN", f"lower({raw('Part of a policing operation')}) = 'true'"),
        ("policing_operation", "VARCHAR", _text("Policing operation")),
        ("latitude", "DOUBLE", _double("Latitude")),
        ("longitude", "DOUBLE", _double("Longitude")),
        ("gender", "VARCHAR", _text("Gender")),
        ("age_range", "VARCHAR", _text("Age range")),
        ("self_defined_ethnicity", "VARCHAR", _text("Self-defined ethnicity")),
        ("officer_defined_ethnicity", "VARCHAR", _text("Officer-defined ethnicity")),
        ("legislation", "VARCHAR", _text("Legislation")),
        ("object_of_search", "VARCHAR", _text("Object of search")),
        ("outcome", "VARCHAR", _text("Outcome")),
        ("outcome_linked_to_object", "BOOLEAN", f"lower({raw('Outcome linked to object of search')}) = 'true'"),
        ("removal_of_outer_clothing", "BOOLEAN",
         f"lower({raw('Removal of more than just outer clothing')}) = 'true'"),
    ),
    key_column=None,
    checks=(
        _required("Type"), _required("Date"), _timestamp("Date"),
        _coordinate("Longitude", 180), _coordinate("Latitude", 90), _paired_coordinates(),
        _boolean("Part of a policing operation"), _boolean("Outcome linked to object of search"),
        _boolean("Removal of more than just outer clothing"),
    ),
)

FORMATS: tuple[PoliceUkFormat, ...] = (STREET, OUTCOMES, STOP_AND_SEARCH)


def detect_format(header: list[str], file_name: str) -> PoliceUkFormat:
    """Recognise a police.uk file from its header row.

    Raises SourceError listing the expected columns of every police.uk format when
    the header matches none of them.
    """
    cleaned = [h.strip().lstrip("\ufeff").strip() for h in header]
    for fmt in FORMATS:
        if tuple(cleaned) == fmt.columns:
            return fmt
    expected = "; ".join(f"{fmt.name}: {', '.join(fmt.columns)}" for fmt in FORMATS)
    shown = ", ".join(cleaned[:15]) or "(empty)"
    raise SourceError(
        f"{file_name} line 1: this is not a police.uk file. Its columns are [{shown}]. "
        f"Expected the exact header of one of the police.uk formats ({expected}). "
        "Download files from data.police.uk without editing their header."
    )


def force_from_name(file_name: str) -> str | None:
    """The force slug in a police.uk file name, e.g. ``metropolitan``; None if the name is not standard.

    >>> force_from_name("2017-01-metropolitan-stop-and-search.csv")
    'metropolitan'
    """
    match = FILE_NAME.match(file_name.rsplit("/", 1)[-1])
    return match.group("force") if match else None
