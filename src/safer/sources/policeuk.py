"""The three police.uk file formats: street crime, outcomes and stop and search.

Each format is a :class:`RecordFormat`: its exact header, the warehouse table it
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

from safer.sources.formats import (RecordFormat, boolean, coordinate, detect_format, double, lsoa, month,
                                   month_date, one_of, paired_coordinates, raw, register, required, text,
                                   timestamp)

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


_LOCATED = (
    ("reported_by", "VARCHAR", text("Reported by")),
    ("falls_within", "VARCHAR", text("Falls within")),
    ("longitude", "DOUBLE", double("Longitude")),
    ("latitude", "DOUBLE", double("Latitude")),
    ("location", "VARCHAR", text("Location")),
    ("lsoa_code", "VARCHAR", text("LSOA code")),
    ("lsoa_name", "VARCHAR", text("LSOA name")),
)
_LOCATED_CHECKS = (
    required("Month"), month("Month"), required("Reported by"), required("Falls within"),
    coordinate("Longitude", 180), coordinate("Latitude", 90), paired_coordinates(), lsoa("LSOA code"),
)

STREET = RecordFormat(
    name="street",
    table="crimes",
    columns=STREET_COLUMNS,
    targets=(
        ("crime_id", "VARCHAR", text("Crime ID")),
        ("month", "DATE", month_date("Month")),
        *_LOCATED,
        ("crime_type", "VARCHAR", text("Crime type")),
        ("last_outcome_category", "VARCHAR", text("Last outcome category")),
        ("context", "VARCHAR", text("Context")),
    ),
    key_columns=("Crime ID",),
    checks=(*_LOCATED_CHECKS, required("Crime type"), one_of("Crime type", CRIME_TYPES, "police.uk crime type")),
)

OUTCOMES = RecordFormat(
    name="outcomes",
    table="outcomes",
    columns=OUTCOME_COLUMNS,
    targets=(
        ("crime_id", "VARCHAR", text("Crime ID")),
        ("month", "DATE", month_date("Month")),
        *_LOCATED,
        ("outcome_type", "VARCHAR", text("Outcome type")),
    ),
    key_columns=(),  # one crime has many outcome rows
    checks=(required("Crime ID"), *_LOCATED_CHECKS, required("Outcome type")),
)

STOP_AND_SEARCH = RecordFormat(
    name="stop-and-search",
    table="stop_searches",
    columns=STOP_SEARCH_COLUMNS,
    targets=(
        ("search_type", "VARCHAR", text("Type")),
        ("searched_at", "TIMESTAMP", f"CAST(TRY_CAST({raw('Date')} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)"),
        ("month", "DATE", f"CAST(date_trunc('month', CAST(TRY_CAST({raw('Date')} AS TIMESTAMPTZ) "
                          f"AT TIME ZONE 'UTC' AS TIMESTAMP)) AS DATE)"),
        ("part_of_operation", "BOOLEAN", f"lower({raw('Part of a policing operation')}) = 'true'"),
        ("policing_operation", "VARCHAR", text("Policing operation")),
        ("latitude", "DOUBLE", double("Latitude")),
        ("longitude", "DOUBLE", double("Longitude")),
        ("gender", "VARCHAR", text("Gender")),
        ("age_range", "VARCHAR", text("Age range")),
        ("self_defined_ethnicity", "VARCHAR", text("Self-defined ethnicity")),
        ("officer_defined_ethnicity", "VARCHAR", text("Officer-defined ethnicity")),
        ("legislation", "VARCHAR", text("Legislation")),
        ("object_of_search", "VARCHAR", text("Object of search")),
        ("outcome", "VARCHAR", text("Outcome")),
        ("outcome_linked_to_object", "BOOLEAN", f"lower({raw('Outcome linked to object of search')}) = 'true'"),
        ("removal_of_outer_clothing", "BOOLEAN",
         f"lower({raw('Removal of more than just outer clothing')}) = 'true'"),
    ),
    key_columns=(),
    checks=(
        required("Type"), required("Date"), timestamp("Date"),
        coordinate("Longitude", 180), coordinate("Latitude", 90), paired_coordinates(),
        boolean("Part of a policing operation"), boolean("Outcome linked to object of search"),
        boolean("Removal of more than just outer clothing"),
    ),
)

FORMATS: tuple[RecordFormat, ...] = tuple(register(f) for f in (STREET, OUTCOMES, STOP_AND_SEARCH))


def force_from_name(file_name: str) -> str | None:
    """The force slug in a police.uk file name, e.g. ``metropolitan``; None if the name is not standard.

    >>> force_from_name("2017-01-metropolitan-stop-and-search.csv")
    'metropolitan'
    """
    match = FILE_NAME.match(file_name.rsplit("/", 1)[-1].lower())
    return match.group("force") if match else None
