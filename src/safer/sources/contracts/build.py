"""Turn a :class:`Contract` into a :class:`RecordFormat` the generic loader can load.

The format's header is the contract's columns; its warehouse table has one typed column per
contract column that does not identify a person, plus:

- ``month``: the first day of the event's month (from the ``when`` or ``month`` role), so the
  period and trend analyses written for police.uk data apply unchanged;
- ``synthetic``: true for records written by ``safer synth``.

Each contract also has a synthetic variant (``synthetic=True``): the same columns then
``Synthetic`` (always ``true``), loading into the same table. Agency files never carry that
column, so an agency's records are never marked synthetic, and generated records always are.

Columns that identify a person get no warehouse column at all: the format lists them in
``identifying`` and files holding them are refused before loading.

Example:
    >>> from safer.sources.contracts import contract
    >>> fmt = contract_format(contract("las-assaults"))
    >>> fmt.table, fmt.key_column, fmt.family
    ('las_assaults', 'Incident number', 'partner dataset')
    >>> contract_format(contract("las-assaults"), synthetic=True).name
    'las-assaults (synthetic)'
"""

from __future__ import annotations

from safer.sources.contracts import checks as contract_checks
from safer.sources.contracts.schema import MONTH_FIELD, SYNTHETIC, SYNTHETIC_FIELD, Column, Contract
from safer.sources.formats import (Check, RecordFormat, boolean, coordinate, lsoa, month, month_date, one_of,
                                   paired_coordinates, raw, required)

FAMILY = "partner dataset"
SYNTHETIC_FAMILY = "synthetic partner dataset"

_SQL_TYPES = {"text": "VARCHAR", "category": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE",
              "boolean": "BOOLEAN", "date": "DATE", "datetime": "TIMESTAMP", "month": "DATE", "lsoa": "VARCHAR",
              "ward": "VARCHAR", "area": "VARCHAR", "longitude": "DOUBLE", "latitude": "DOUBLE",
              "postcode": "VARCHAR"}


def contract_format(contract: Contract, *, synthetic: bool = False) -> RecordFormat:
    """The record format (header, table, typed targets, checks) of a contract or its synthetic variant."""
    stored = [c for c in contract.columns if not c.identifies_person]
    targets = [(c.field, _SQL_TYPES[c.type], target_sql(c)) for c in stored]
    when, month_role = contract.role("when"), contract.role("month")
    if when is not None:
        targets.append((MONTH_FIELD, "DATE", f"CAST(date_trunc('month', {target_sql(when)}) AS DATE)"))
    elif month_role is not None and month_role.field != MONTH_FIELD:
        targets.append((MONTH_FIELD, "DATE", month_date(month_role.name)))
    targets.append((SYNTHETIC_FIELD, "BOOLEAN", f"lower({raw(SYNTHETIC)}) = 'true'" if synthetic else "false"))
    checks: list[Check] = []
    for column in stored:
        checks.extend(column_checks(column))
    longitudes = [c.name for c in stored if c.type == "longitude"]
    latitudes = [c.name for c in stored if c.type == "latitude"]
    if len(longitudes) == 1 and len(latitudes) == 1:
        checks.append(paired_coordinates(longitudes[0], latitudes[0]))
    if contract.geography_required:
        places = tuple(c.name for c in (contract.role("lsoa"), contract.role("ward")) if c is not None)
        checks.append(contract_checks.any_present(places, "the place: an LSOA code or a ward code"))
    if synthetic:
        checks.extend((required(SYNTHETIC), one_of(SYNTHETIC, ("true",), "synthetic marker")))
    return RecordFormat(name=f"{contract.name} (synthetic)" if synthetic else contract.name, table=contract.table,
                        columns=contract.synthetic_header if synthetic else contract.header,
                        targets=tuple(targets), key_column=contract.key, checks=tuple(checks),
                        family=SYNTHETIC_FAMILY if synthetic else FAMILY, identifying=contract.identifying)


def target_sql(column: Column) -> str:
    """SQL turning the column's raw text into its typed warehouse value."""
    f = raw(column.name)
    if column.type == "integer":
        return f"TRY_CAST({f} AS BIGINT)"
    if column.type in ("number", "longitude", "latitude"):
        return f"TRY_CAST({f} AS DOUBLE)"
    if column.type == "boolean":
        return f"lower({f}) = 'true'"
    if column.type == "date":
        return f"TRY_CAST({f} AS DATE)"
    if column.type == "datetime":
        return f"TRY_CAST({f} AS TIMESTAMP)"
    if column.type == "month":
        return month_date(column.name)
    if column.type in ("lsoa", "ward", "area"):
        return f"upper({f})"
    return f


def column_checks(column: Column) -> list[Check]:
    """Every check one column's values must pass."""
    name = column.name
    checks = [required(name)] if column.required else []
    if column.type == "category":
        checks.append(one_of(name, column.allowed, "recognised value"))
    elif column.type == "integer":
        checks.extend(contract_checks.integer(name, column.minimum, column.maximum))
    elif column.type == "number":
        checks.extend(contract_checks.number(name, column.minimum, column.maximum))
    elif column.type == "boolean":
        checks.append(boolean(name))
    elif column.type == "date":
        checks.append(contract_checks.date(name))
    elif column.type == "datetime":
        checks.append(contract_checks.local_datetime(name))
    elif column.type == "month":
        checks.append(month(name))
    elif column.type == "lsoa":
        checks.append(lsoa(name))
    elif column.type == "ward":
        checks.append(contract_checks.ward(name))
    elif column.type == "area":
        checks.append(contract_checks.area_code(name))
    elif column.type == "longitude":
        checks.append(coordinate(name, 180))
    elif column.type == "latitude":
        checks.append(coordinate(name, 90))
    elif column.type == "postcode":
        checks.append(contract_checks.postcode(name))
    return checks
