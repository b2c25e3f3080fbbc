"""Person-level layouts: a dataset whose files hold identifying fields, and its pseudonymised form.

A :class:`PersonLayout` pairs the format of an agency's raw file (which safer never loads as it
is) with the format of its pseudonymised copy, which is what reaches the warehouse. The
pseudonymised file keeps every column that does not identify anyone, in order, and replaces the
identifying ones with:

- the token columns (``Case token``, ``PNC token``, ``Name and date of birth token`` ... see
  :mod:`safer.privacy.identifiers`), and ``Row token``: a token of the whole raw row and its
  occurrence in the file, which is the record's key unless the dataset has a non-identifying key;
- ``Birth year`` and ``Age at event`` (whole years on the date of the dataset's event), so that
  analyses need no date of birth;
- ``Invalid identifiers``: which identifying fields were blank when required or could not be
  read, as ``|Column=what is wrong|`` (never the value); the loader quarantines such rows;
- ``Key ID``: the key the tokens were made with (a public fingerprint, see :mod:`safer.privacy.keys`).

Registering a layout registers its pseudonymised format, so the warehouse table gets the token
columns, and lets ingest recognise both forms of the file.

Example:
    >>> layout = person_layout(source_format, (Identifier("Surname", "surname"), ...))  # doctest: +SKIP
    >>> layout.format.columns[-2:]  # doctest: +SKIP
    ('Invalid identifiers', 'Key ID')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from safer.privacy.identifiers import KINDS, Identifier, token_fields
from safer.sources.formats import Check, RecordFormat, raw, register, sql_str

ROW_TOKEN = "Row token"
BIRTH_YEAR = "Birth year"
AGE_AT_EVENT = "Age at event"
INVALID = "Invalid identifiers"
KEY_ID = "Key ID"
WHOLE_ROW = "(whole row)"
_HEX_TOKEN = "[0-9a-f]{64}"


@dataclass(frozen=True)
class PersonLayout:
    """A person-level dataset: its raw format, its identifying columns and its pseudonymised format."""

    dataset: str  # the dataset (contract) name, as `safer pseudonymise --dataset` takes it
    source: RecordFormat  # the agency's raw file (never loaded)
    identifiers: tuple[Identifier, ...]
    format: RecordFormat  # the pseudonymised file, loaded into ``source.table``
    when: str | None = None  # the raw column dating each event, for ``Age at event``
    required: frozenset[str] = field(default_factory=frozenset)  # identifying columns that must not be blank

    @property
    def identifying(self) -> tuple[str, ...]:
        return tuple(i.column for i in self.identifiers)

    @property
    def kept(self) -> tuple[str, ...]:
        """The raw columns the pseudonymised file keeps as they are."""
        return tuple(c for c in self.source.columns if c not in self.identifying)

    @property
    def tokens(self) -> tuple[tuple[str, str, str], ...]:
        """``(token type, header, warehouse column)`` of every token column."""
        return token_fields(self.identifiers)

    @property
    def token_columns(self) -> dict[str, str]:
        """Warehouse token column by token type (``{'name_dob': 'name_dob_token', ...}``)."""
        return {kind: column for kind, _, column in self.tokens}

    @property
    def derived(self) -> tuple[str, ...]:
        has_dob = any(i.kind == "dob" for i in self.identifiers)
        return ((BIRTH_YEAR,) + ((AGE_AT_EVENT,) if self.when else ())) if has_dob else ()

    @property
    def key_is_token(self) -> bool:
        """Whether the record key is a token (re-keyed with the tokens when the key rotates)."""
        return self.format.key_columns == (ROW_TOKEN,)


def person_layout(source: RecordFormat, identifiers: tuple[Identifier, ...], *, dataset: str | None = None,
                  when: str | None = None, required: frozenset[str] | set[str] = frozenset()) -> PersonLayout:
    """Build the layout of a person-level dataset from its raw format and identifying columns."""
    columns = set(source.columns)
    missing = [i.column for i in identifiers if i.column not in columns]
    if missing or not identifiers:
        raise ValueError(f"{source.name}: identifying columns {missing or '(none)'} are not in its header")
    if when is not None and (when not in columns or when in {i.column for i in identifiers}):
        raise ValueError(f"{source.name}: the event date column {when!r} must be a non-identifying column")
    layout = PersonLayout(dataset=dataset or source.name, source=source, identifiers=tuple(identifiers),
                          format=source, when=when, required=frozenset(required))
    return replace(layout, format=_pseudonymised_format(layout))


def _pseudonymised_format(layout: PersonLayout) -> RecordFormat:
    source = layout.source
    identifying = {raw(c) for c in layout.identifying}
    token_headers = tuple(header for _, header, _ in layout.tokens)
    columns = (*layout.kept, *token_headers, ROW_TOKEN, *layout.derived, INVALID, KEY_ID)
    if len(set(columns)) != len(columns):
        raise ValueError(f"{source.name}: a column name clashes with a pseudonymisation column ({columns})")
    kept_targets = tuple(t for t in source.targets if not _mentions(t[2], identifying))
    token_targets = tuple((column, "VARCHAR", raw(header)) for _, header, column in layout.tokens)
    derived_targets = tuple((re.sub(r"[^a-z0-9]+", "_", name.lower()), "INTEGER", f"TRY_CAST({raw(name)} AS INTEGER)")
                            for name in layout.derived)
    kept_checks = tuple(c for c in source.checks
                        if c.field not in layout.identifying and not _mentions(c.failed + c.reason, identifying))
    key = source.key_columns if source.key_columns and not set(source.key_columns) & set(layout.identifying) \
        else (ROW_TOKEN,)
    return RecordFormat(
        name=f"{source.name} (pseudonymised)", table=source.table, columns=columns,
        targets=(*kept_targets, *token_targets, *derived_targets), key_columns=key,
        checks=(*_identifier_checks(layout, token_headers), *kept_checks),
        family=source.family, identifying=(),
    )


def _mentions(sql: str, fields: set[str]) -> bool:
    return any(re.search(rf"\b{re.escape(f)}\b", sql) for f in fields)


def _identifier_checks(layout: PersonLayout, token_headers: tuple[str, ...]) -> list[Check]:
    """Rows whose identifying values were unreadable, and tokens that are not tokens, fail; values never shown."""
    invalid = raw(INVALID)
    checks = []
    for column in (WHOLE_ROW, *layout.identifying, *token_headers, ROW_TOKEN, KEY_ID):
        marker = f"|{column}="
        reason = (f"split_part(split_part({invalid}, {sql_str(marker)}, 2), '|', 1) || "
                  f"{sql_str('; the value is not shown because it identifies a person')}")
        checks.append(Check(column, f"contains(coalesce({invalid}, ''), {sql_str(marker)})", reason))
    for header in (*token_headers, ROW_TOKEN):
        f = raw(header)
        checks.append(Check(header, f"{f} IS NOT NULL AND NOT regexp_full_match({f}, '{_HEX_TOKEN}')",
                            sql_str("is not a token (64 hexadecimal digits); pseudonymise the file with "
                                    "`safer pseudonymise`")))
    checks.append(Check(KEY_ID, f"{raw(KEY_ID)} IS NULL", sql_str("is blank; pseudonymise the file with "
                                                                  "`safer pseudonymise`")))
    return checks


_LAYOUTS: dict[str, PersonLayout] = {}


def register_layout(layout: PersonLayout) -> PersonLayout:
    """Make a layout known to ingest and `safer pseudonymise`, and its pseudonymised format to the warehouse."""
    existing = _LAYOUTS.get(layout.format.name)
    if existing is not None and existing != layout:
        raise ValueError(f"a different person-level layout is already registered as {layout.format.name!r}")
    register(layout.format)
    _LAYOUTS[layout.format.name] = layout
    return layout


def registered_layouts() -> tuple[PersonLayout, ...]:
    return tuple(_LAYOUTS.values())


def layout_for_header(header: list[str] | tuple[str, ...]) -> tuple[PersonLayout, bool] | None:
    """The layout a header belongs to, and whether the file is already pseudonymised; None if it is neither."""
    cleaned = tuple(h.strip().lstrip("\ufeff").strip() for h in header)
    for layout in _LAYOUTS.values():
        if cleaned == layout.source.columns:
            return layout, False
        if cleaned == layout.format.columns:
            return layout, True
    return None


def layouts_of(dataset: str) -> tuple[PersonLayout, ...]:
    """Every layout (e.g. a contract and its synthetic variant) of a dataset name."""
    return tuple(layout for layout in _LAYOUTS.values() if layout.dataset == dataset)


def person_tables() -> dict[str, tuple[PersonLayout, ...]]:
    """The warehouse tables holding person-level data, with their layouts."""
    tables: dict[str, list[PersonLayout]] = {}
    for layout in _LAYOUTS.values():
        tables.setdefault(layout.format.table, []).append(layout)
    return {table: tuple(layouts) for table, layouts in tables.items()}


def is_person_level(fmt: RecordFormat) -> bool:
    return fmt.name in _LAYOUTS


__all__ = ["AGE_AT_EVENT", "BIRTH_YEAR", "INVALID", "KEY_ID", "KINDS", "ROW_TOKEN", "WHOLE_ROW", "PersonLayout",
           "is_person_level", "layout_for_header", "layouts_of", "person_layout", "person_tables",
           "register_layout", "registered_layouts"]
