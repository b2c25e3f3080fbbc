"""The warehouse tables. ``docs/data-model.md`` describes each one for analysts.

Record tables carry ``record_key`` (the identity used to load a record once),
``source_file`` and ``source_line`` (where it came from).
"""

from __future__ import annotations

import safer.sources.policeuk  # noqa: F401  (registers the police.uk formats)
import safer.sources.contracts  # noqa: F401  (registers the partner dataset contracts)
import safer.privacy.contracts  # noqa: F401  (registers the pseudonymised person-level contracts)
from safer.sources.formats import registered_formats

_PROVENANCE = "record_key VARCHAR NOT NULL, force VARCHAR, source_file VARCHAR NOT NULL, source_line BIGINT NOT NULL"

LEDGER_DDL = """
CREATE TABLE IF NOT EXISTS ingest_ledger (
    file_sha256 VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    force VARCHAR,
    encoding VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    rows_duplicate BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL
)"""

QUARANTINE_DDL = """
CREATE TABLE IF NOT EXISTS quarantine (
    source_file VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    line_no BIGINT NOT NULL,
    field VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    raw_line VARCHAR
)"""

GEOGRAPHY_DDL = """
CREATE TABLE IF NOT EXISTS geo_lsoa (
    lsoa_code VARCHAR PRIMARY KEY,
    lsoa_name VARCHAR,
    ward_code VARCHAR,
    ward_name VARCHAR,
    lad_code VARCHAR,
    lad_name VARCHAR,
    region_code VARCHAR,
    region_name VARCHAR,
    population_2011 BIGINT,
    households_2011 BIGINT,
    hectares DOUBLE,
    population_2019 BIGINT
)"""


def record_table_ddl(table: str, targets: tuple[tuple[str, str, str], ...]) -> str:
    """CREATE TABLE for one record table from its format's target columns."""
    columns = ", ".join(f"{name} {sql_type}" for name, sql_type, _ in targets)
    return f"CREATE TABLE IF NOT EXISTS {table} ({columns}, {_PROVENANCE})"


def record_tables() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Each record table and its target columns ``(name, SQL type, expression)``.

    Formats loading into one table (a contract and its synthetic and pseudonymised variants) share
    it: the table has every column any of them fills.
    """
    tables: dict[str, dict[str, tuple[str, str, str]]] = {}
    for fmt in registered_formats():
        columns = tables.setdefault(fmt.table, {})
        for target in fmt.targets:
            columns.setdefault(target[0], target)
    return {table: tuple(columns.values()) for table, columns in tables.items()}


def all_ddl() -> list[str]:
    """Every CREATE TABLE statement, in dependency order."""
    return [LEDGER_DDL, QUARANTINE_DDL, GEOGRAPHY_DDL,
            *(record_table_ddl(table, columns) for table, columns in record_tables().items())]


def added_columns_ddl(existing: dict[str, set[str]]) -> list[str]:
    """ALTER TABLE statements adding the columns a newer safer fills to tables an older one created.

    ``existing`` maps each table already in the warehouse to its column names. Added columns are NULL
    for the records loaded before, as they would be had the older files been loaded now.
    """
    return [f"ALTER TABLE {table} ADD COLUMN {name} {sql_type}"
            for table, columns in record_tables().items() if table in existing
            for name, sql_type, _ in columns if name not in existing[table]]
