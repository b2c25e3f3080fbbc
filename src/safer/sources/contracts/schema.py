"""A partner dataset contract: its columns, their types and allowed values, and who they identify.

Each contract is one TOML file in this folder (``las-assaults.toml`` ...), readable by the agency
that exports to it and by :func:`load_contract`. A contract names:

- its ``columns``, in file order, each with a ``type`` (see :data:`COLUMN_TYPES`), whether it is
  ``required``, its ``allowed`` values, a range (``minimum``/``maximum``), an ``example``, and
  whether it ``identifies_person`` (names, dates of birth, case ids, postcodes);
- its ``roles``: which column gives the event's time (``when``) or month (``month``), its place
  (``lsoa``, ``ward``, ``area``), its type (``category``), the person's ``age_band`` and ``sex``,
  and, for aggregate tables, the ``count`` column (and the ``numerator`` of a rate);
- for an aggregate table, its ``aggregation``: ``sum`` (counts add up over months, e.g. offences),
  ``snapshot`` (counts at a point in time, compared with the same point a year before, e.g. rough
  sleepers in a quarter) or ``rate`` (``numerator`` / ``count``, e.g. reoffenders / offenders);
- ``key``: the column, or list of columns, identifying a record (an incident number; for an
  aggregate table the columns naming one figure, e.g. month + area + strand), so a record supplied
  twice, or a figure re-issued with a corrected value, loads once (the first time it is seen). Key
  columns are required and never identify a person; every aggregate contract has a key;
- ``geography_required``: every row must give its place, as an LSOA code, a ward code or, where
  the contract has ``longitude`` and ``latitude`` columns, both coordinates (WGS84). A row giving
  only coordinates is placed in the packaged LSOA boundary containing its point as it loads
  (``safer.sources.places``).

Files written by ``safer synth`` add one column at the end, ``Synthetic`` (see :data:`SYNTHETIC`),
set to ``true`` on every record. They load as the contract's synthetic variant, and the flag is
kept with each record in the warehouse, so synthetic data is always labelled. Agencies never
send that column.

Example:
    >>> contract = load_contract(CONTRACT_FOLDER / "las-assaults.toml")
    >>> contract.name, contract.role("when").name
    ('las-assaults', 'Incident datetime')
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CONTRACT_FOLDER = Path(__file__).parent

#: Column types, and what a value must look like.
COLUMN_TYPES: dict[str, str] = {
    "text": "any text",
    "category": "one of the allowed values, exactly as written",
    "integer": "a whole number, e.g. 12",
    "number": "a number, e.g. 30.8",
    "boolean": "true or false",
    "date": "a date, YYYY-MM-DD",
    "datetime": "a local (UK clock) date and time, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS, no time zone",
    "month": "a month, YYYY-MM",
    "lsoa": "a 2011 LSOA code, e.g. E01004736",
    "ward": "an ONS ward code (December 2018 set), e.g. E05000649",
    "area": "an ONS area code: local authority (E09000033), region (E12000007) or country (E92000001)",
    "longitude": "a longitude in decimal degrees (WGS84)",
    "latitude": "a latitude in decimal degrees (WGS84)",
    "postcode": "a UK postcode, e.g. W1D 4HS",
}
LEVELS = ("incident", "aggregate", "person")
ROLES = ("when", "month", "lsoa", "ward", "area", "category", "age_band", "sex", "count", "numerator", "place")
AGGREGATIONS = ("sum", "snapshot", "rate")
_ROLE_TYPES = {"when": ("datetime", "date"), "month": ("month",), "lsoa": ("lsoa",), "ward": ("ward",),
               "area": ("area", "ward"), "count": ("integer",), "numerator": ("integer",), "category": ("category",),
               "age_band": ("category",), "sex": ("category",), "place": ("text", "category")}
SYNTHETIC = "Synthetic"
SYNTHETIC_FIELD = "synthetic"
MONTH_FIELD = "month"
#: Warehouse column of contracts placed by coordinates: true where the LSOA was found from the row's point.
PLACED_FIELD = "lsoa_from_coordinates"


@dataclass(frozen=True)
class Column:
    """One column of a contract, as the CSV header names it."""

    name: str
    type: str
    description: str
    field: str  # the warehouse column it loads into (snake case of the name unless given)
    required: bool = False
    allowed: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    identifies_person: bool = False
    example: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "type": self.type, "field": self.field, "required": self.required,
                "allowed": list(self.allowed), "minimum": self.minimum, "maximum": self.maximum,
                "identifies_person": self.identifies_person, "description": self.description,
                "example": self.example}


@dataclass(frozen=True)
class Contract:
    """One partner dataset: where it comes from, its columns and what each column means."""

    name: str
    title: str
    agency: str
    level: str  # incident, aggregate or person
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # the columns that together identify a record (none: the whole row)
    roles: tuple[tuple[str, str], ...] = ()  # (role, column name)
    geography_required: bool = False  # every row must give an LSOA code, a ward code or both coordinates
    aggregation: str = "sum"  # aggregate tables: sum, snapshot or rate (see the module docstring)
    seed_use: str = ""  # how the 2018 Westminster assessment used this data
    caveats: str = ""
    source_file: Path | None = field(default=None, compare=False)

    @property
    def table(self) -> str:
        """The warehouse table the dataset loads into."""
        return self.name.replace("-", "_")

    @property
    def header(self) -> tuple[str, ...]:
        """The exact header row of an agency's file: the contract's columns, in order."""
        return tuple(c.name for c in self.columns)

    @property
    def synthetic_header(self) -> tuple[str, ...]:
        """The header of a file ``safer synth`` writes: the contract's columns, then ``Synthetic``."""
        return (*self.header, SYNTHETIC)

    @property
    def identifying(self) -> tuple[str, ...]:
        """Columns that identify a person: never stored raw; the file loads only pseudonymised."""
        return tuple(c.name for c in self.columns if c.identifies_person)

    @property
    def loadable(self) -> bool:
        return not self.identifying

    @property
    def coordinates(self) -> tuple[Column, Column] | None:
        """The (longitude, latitude) columns, when the contract has exactly one of each."""
        longitudes = [c for c in self.columns if c.type == "longitude" and not c.identifies_person]
        latitudes = [c for c in self.columns if c.type == "latitude" and not c.identifies_person]
        return (longitudes[0], latitudes[0]) if len(longitudes) == 1 and len(latitudes) == 1 else None

    @property
    def placed_by_coordinates(self) -> bool:
        """Whether a row may give its place as coordinates alone (and is placed in an LSOA as it loads)."""
        return self.geography_required and self.coordinates is not None and self.role("lsoa") is not None

    @property
    def timed(self) -> bool:
        """Whether events carry a time of day, so the hour-of-week analyses apply."""
        when = self.role("when")
        return when is not None and when.type == "datetime"

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

    def role(self, role: str) -> Column | None:
        """The column playing ``role`` (see :data:`ROLES`), or None."""
        for name, column in self.roles:
            if name == role:
                return self.column(column)
        return None

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "title": self.title, "agency": self.agency, "level": self.level,
                "table": self.table, "key": list(self.key), "roles": dict(self.roles), "aggregation": self.aggregation,
                "identifying": list(self.identifying), "columns": [c.as_dict() for c in self.columns]}


def load_contract(path: Path) -> Contract:
    """Read and check one contract file; raise ValueError naming the file and what is wrong."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path.name}: not valid TOML ({exc})") from exc
    try:
        contract = _contract(raw, path)
        _check(contract)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path.name}: {exc}") from exc
    if path.stem != contract.name:
        raise ValueError(f"{path.name}: the file must be named after the contract, {contract.name}.toml")
    return contract


def snake_case(name: str) -> str:
    """``'Incident datetime'`` -> ``'incident_datetime'``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _contract(raw: dict, path: Path) -> Contract:
    known = {"name", "title", "agency", "level", "description", "key", "roles", "geography_required",
             "aggregation", "seed_use", "caveats", "columns"}
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"unknown setting(s) {sorted(unknown)}")
    columns = tuple(_column(c) for c in raw["columns"])
    return Contract(
        name=raw["name"], title=raw["title"], agency=raw["agency"], level=raw["level"],
        description=raw["description"].strip(), columns=columns, key=_key(raw.get("key")),
        roles=tuple(sorted(raw.get("roles", {}).items())), geography_required=raw.get("geography_required", False),
        aggregation=raw.get("aggregation", "sum"),
        seed_use=raw.get("seed_use", "").strip(), caveats=raw.get("caveats", "").strip(), source_file=path,
    )


def _key(raw: object) -> tuple[str, ...]:
    """``key`` as written: absent, one column name, or a list of column names."""
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, list) and raw and all(isinstance(name, str) for name in raw):
        return tuple(raw)
    raise ValueError(f"key {raw!r} must be a column name or a non-empty list of column names")


def _column(raw: dict) -> Column:
    known = {"name", "type", "description", "field", "required", "allowed", "minimum", "maximum",
             "identifies_person", "example"}
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"column {raw.get('name')!r}: unknown setting(s) {sorted(unknown)}")
    return Column(name=raw["name"], type=raw["type"], description=raw["description"].strip(),
                  field=raw.get("field", snake_case(raw["name"])), required=raw.get("required", False),
                  allowed=tuple(raw.get("allowed", ())), minimum=raw.get("minimum"), maximum=raw.get("maximum"),
                  identifies_person=raw.get("identifies_person", False), example=str(raw.get("example", "")))


def _check(contract: Contract) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9-]*", contract.name):
        raise ValueError(f"name {contract.name!r} must be lower case words joined by hyphens")
    if contract.level not in LEVELS:
        raise ValueError(f"level {contract.level!r} must be one of {', '.join(LEVELS)}")
    names = [c.name for c in contract.columns]
    fields = [c.field for c in contract.columns]
    if len(set(names)) != len(names) or SYNTHETIC in names:
        raise ValueError(f"column names must be unique and must not include the standard {SYNTHETIC!r}")
    month_role = dict(contract.roles).get("month")
    if len(set(fields)) != len(fields) or {SYNTHETIC_FIELD, PLACED_FIELD} & set(fields) or any(
            c.field == MONTH_FIELD and c.name != month_role for c in contract.columns):
        raise ValueError(f"warehouse fields must be unique, must not be 'synthetic' or '{PLACED_FIELD}', and only "
                         "the 'month' role's column may be called 'month'")
    for column in contract.columns:
        if column.type not in COLUMN_TYPES:
            raise ValueError(f"column {column.name!r}: type {column.type!r} is not one of {', '.join(COLUMN_TYPES)}")
        if (column.type == "category") != bool(column.allowed):
            raise ValueError(f"column {column.name!r}: a category lists its allowed values, and only a category does")
        if any("," in value for value in column.allowed):
            raise ValueError(f"column {column.name!r}: allowed values must not contain commas")
    if (contract.level == "person") != bool(contract.identifying):
        raise ValueError("a person-level contract marks the columns that identify a person, and only it does")
    _check_key(contract)
    for role, column_name in contract.roles:
        if role not in ROLES:
            raise ValueError(f"role {role!r} is not one of {', '.join(ROLES)}")
        column = contract.column(column_name)
        if column.type not in _ROLE_TYPES[role]:
            raise ValueError(f"role {role!r} needs a column of type {' or '.join(_ROLE_TYPES[role])}, "
                             f"not {column.name!r} ({column.type})")
        if column.identifies_person:
            raise ValueError(f"role {role!r} must not use {column.name!r}, which identifies a person")
    roles = dict(contract.roles)
    if "when" in roles and "month" in roles:
        raise ValueError("give either a 'when' or a 'month' role, not both")
    if contract.level == "aggregate" and not {"count", "area"} <= set(roles):
        raise ValueError("an aggregate contract needs 'count' and 'area' roles")
    if contract.aggregation not in AGGREGATIONS:
        raise ValueError(f"aggregation {contract.aggregation!r} must be one of {', '.join(AGGREGATIONS)}")
    if contract.aggregation == "rate" and "numerator" not in roles:
        raise ValueError("a rate needs a 'numerator' role (and 'count' as its denominator)")
    if contract.geography_required and not {"lsoa", "ward"} & set(roles):
        raise ValueError("geography_required needs an 'lsoa' or a 'ward' role")
    if contract.level == "aggregate":
        figures = {roles[r] for r in ("count", "numerator") if r in roles}
        if not contract.key:
            raise ValueError("an aggregate contract needs a key: the columns naming one figure (e.g. month, area "
                             "and category), so a re-issued table does not count its figures twice")
        if figures & set(contract.key):
            raise ValueError(f"the key must name a figure, not hold it: take {sorted(figures & set(contract.key))} "
                             "out of the key")


def _check_key(contract: Contract) -> None:
    """Every key column exists once, is required and does not identify a person."""
    if len(set(contract.key)) != len(contract.key):
        raise ValueError(f"key {list(contract.key)} names a column twice")
    for name in contract.key:
        try:
            column = contract.column(name)
        except KeyError:
            raise ValueError(f"key column {name!r} is not one of the contract's columns") from None
        if not column.required or column.identifies_person:
            raise ValueError(f"key column {name!r} must be required and must not identify a person")
