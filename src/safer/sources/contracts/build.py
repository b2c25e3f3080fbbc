"""Turn a :class:`Contract` into a :class:`RecordFormat` the generic loader can load.

The format's header is the contract's columns; its warehouse table has one typed column per
contract column that does not identify a person, plus:

- ``month``: the first day of the event's month (from the ``when`` or ``month`` role), so the
  period and trend analyses written for police.uk data apply unchanged;
- ``synthetic``: true for records written by ``safer synth``;
- ``lsoa_from_coordinates`` (contracts whose rows may give their place as coordinates alone): true
  where the row gave no LSOA or ward code and its point lies in a packaged LSOA boundary. That LSOA
  and its ward (from the packaged lookup) are stored in the contract's LSOA and ward columns by the
  same statement that inserts the record (``safer.sources.places``).

The record key is the contract's ``key`` columns (one, or several for an aggregate table's figure).

Each contract also has a synthetic variant (``synthetic=True``): the same columns then
``Synthetic`` (always ``true``), loading into the same table. Agency files never carry that
column, so an agency's records are never marked synthetic, and generated records always are.

Columns that identify a person get no warehouse column at all: the format lists them in
``identifying`` and files holding them are refused before loading.

Example:
    >>> from safer.sources.contracts import contract
    >>> fmt = contract_format(contract("las-assaults"))
    >>> fmt.table, fmt.key_columns, fmt.family
    ('las_assaults', ('Incident number',), 'partner dataset')
    >>> contract_format(contract("las-assaults"), synthetic=True).name
    'las-assaults (synthetic)'
"""

from __future__ import annotations

from safer.sources import places
from safer.sources.contracts import checks as contract_checks
from safer.sources.contracts.schema import MONTH_FIELD, PLACED_FIELD, SYNTHETIC, SYNTHETIC_FIELD, Column, Contract
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
    if contract.placed_by_coordinates:
        targets = _placed_targets(contract, targets)
    when, month_role = contract.role("when"), contract.role("month")
    if when is not None:
        targets.append((MONTH_FIELD, "DATE", f"CAST(date_trunc('month', {target_sql(when)}) AS DATE)"))
    elif month_role is not None and month_role.field != MONTH_FIELD:
        targets.append((MONTH_FIELD, "DATE", month_date(month_role.name)))
    targets.append((SYNTHETIC_FIELD, "BOOLEAN", f"lower({raw(SYNTHETIC)}) = 'true'" if synthetic else "false"))
    checks: list[Check] = []
    for column in stored:
        checks.extend(column_checks(column))
    if contract.coordinates is not None:
        checks.append(paired_coordinates(*(c.name for c in contract.coordinates)))
    if contract.geography_required:
        checks.append(geography_check(contract))
    if synthetic:
        checks.extend((required(SYNTHETIC), one_of(SYNTHETIC, ("true",), "synthetic marker")))
    return RecordFormat(name=f"{contract.name} (synthetic)" if synthetic else contract.name, table=contract.table,
                        columns=contract.synthetic_header if synthetic else contract.header,
                        targets=tuple(targets), key_columns=contract.key, checks=tuple(checks),
                        family=SYNTHETIC_FAMILY if synthetic else FAMILY, identifying=contract.identifying)


def geography_check(contract: Contract) -> Check:
    """Every row gives its place: an LSOA code, a ward code or (where the contract has them) both coordinates."""
    codes = tuple(c.name for c in (contract.role("lsoa"), contract.role("ward")) if c is not None)
    kinds = [{"lsoa": "an LSOA code", "ward": "a ward code"}[r] for r in ("lsoa", "ward") if contract.role(r)]
    if contract.placed_by_coordinates:
        longitude, latitude = (c.name for c in contract.coordinates)
        return contract_checks.any_present(codes + (longitude,), f"the place: {', '.join(kinds)} or both "
                                           f"{longitude} and {latitude}", also_blank=(latitude,))
    return contract_checks.any_present(codes, f"the place: {' or '.join(kinds)}")


def _placed_targets(contract: Contract, targets: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The LSOA (and ward) targets of a contract placed by coordinates, and the ``lsoa_from_coordinates`` flag."""
    lsoa, ward = contract.role("lsoa"), contract.role("ward")
    longitude, latitude = contract.coordinates
    fields = (raw(lsoa.name), raw(ward.name) if ward else "CAST(NULL AS VARCHAR)", raw(longitude.name),
              raw(latitude.name))
    sql = {lsoa.field: places.lsoa_sql(*fields)}
    if ward is not None:
        sql[ward.field] = places.ward_sql(*fields)
    placed = [(name, sql_type, sql.get(name, expression)) for name, sql_type, expression in targets]
    return [*placed, (PLACED_FIELD, "BOOLEAN", places.from_point_sql(*fields))]


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
