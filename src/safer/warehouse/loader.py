"""Load prepared files into the warehouse, one transaction per file.

For each file, in a single DuckDB transaction:

1. read it line by line (so every row keeps its true line number, blank lines
   included) and split each line into fields;
2. run every check of the file's format on every row; rows failing a check go to
   ``quarantine`` with the line, the first failing field and all the reasons;
3. give each valid row its ``record_key``: the Crime ID where the format has one
   and the row carries it; otherwise a hash of the whole row plus its occurrence
   number among identical rows in the file (so identical anti-social behaviour rows
   in one file stay distinct, while the same file issued twice loads once);
4. skip rows whose key is already loaded or repeats earlier in the file
   (``duplicates``), insert the rest, and write the ledger row.

The counts always satisfy ``read = loaded + quarantined + duplicates``; the loader
checks this before committing and rolls back otherwise. A file whose content hash
is already in the ledger is not read again.

Example:
    >>> result = load_file(warehouse, prepared)  # doctest: +SKIP
    >>> result.rows_read == result.rows_loaded + result.rows_quarantined + result.rows_duplicate
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from safer.errors import WarehouseError
from safer.sources.files import PreparedFile
from safer.sources.formats import RecordFormat, raw, sql_str
from safer.warehouse.connect import Warehouse, run, scalar

_UNIT_SEPARATOR = 31  # a byte that never occurs in police.uk text: each whole line is read as one field
_QUOTED_FIELD = "'(\"(?:[^\"]|\"\")*\"|[^,]*),'"


@dataclass(frozen=True)
class LoadResult:
    """The ledger entry for one file."""

    source_file: str
    format: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_duplicate: int
    already_loaded: bool = False
    loaded_at: datetime | None = None

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_quarantined + self.rows_duplicate


def previous_load(warehouse: Warehouse, sha256: str) -> LoadResult | None:
    """The ledger entry of an earlier load of the same content, if any."""
    row = run(
        warehouse.duckdb,
        "SELECT source_file, format, rows_read, rows_loaded, rows_quarantined, rows_duplicate, loaded_at "
        "FROM ingest_ledger WHERE file_sha256 = ? ORDER BY loaded_at LIMIT 1", [sha256])
    if not row:
        return None
    row = row[0]
    return LoadResult(*row[:6], already_loaded=True, loaded_at=row[6])


def load_file(warehouse: Warehouse, prepared: PreparedFile) -> LoadResult:
    """Load one prepared file atomically and return its ledger entry."""
    earlier = previous_load(warehouse, prepared.sha256)
    if earlier is not None:
        return earlier
    con = warehouse.duckdb
    # Checkpoint at close rather than every few megabytes of WAL: per-file commits stay cheap.
    run(con, "SET checkpoint_threshold = '1GB'")
    run(con, "BEGIN TRANSACTION")
    try:
        result = _load_in_transaction(con, prepared)
        if not result.balanced:
            raise WarehouseError(f"{prepared.name}: row counts do not balance ({result}); nothing was loaded")
        run(con, "COMMIT")
    except BaseException:
        run(con, "ROLLBACK")
        raise
    finally:
        for temp in ("_lines", "_rows", "_valid", "_new"):
            run(con, f"DROP TABLE IF EXISTS {temp}")
    return result


def _load_in_transaction(con: duckdb.DuckDBPyConnection, prepared: PreparedFile) -> LoadResult:
    fmt = prepared.format
    _read_lines(con, prepared)
    _split_and_check(con, fmt)
    quarantined = _quarantine_failures(con, prepared)
    _key_valid_rows(con, fmt)
    loaded, duplicates = _insert_new_records(con, prepared)
    result = LoadResult(source_file=prepared.name, format=fmt.name, rows_read=scalar(con, "SELECT count(*) FROM _rows"),
                        rows_loaded=loaded, rows_quarantined=quarantined, rows_duplicate=duplicates,
                        loaded_at=datetime.now())
    _write_ledger(con, prepared, result)
    return result


def _read_lines(con: duckdb.DuckDBPyConnection, prepared: PreparedFile) -> None:
    run(
        con,
        "CREATE TEMP TABLE _lines AS SELECT row_number() OVER () AS line_no, line "
        f"FROM read_csv(?, columns={{'line': 'VARCHAR'}}, header=false, delim=chr({_UNIT_SEPARATOR}), "
        "quote='', escape='', auto_detect=false, max_line_size=1048576)",
        [str(prepared.local_path)],
    )


def _split_and_check(con: duckdb.DuckDBPyConnection, fmt: RecordFormat) -> None:
    """One row per non-blank data line: raw fields, and the list of problems found."""
    width = len(fmt.columns)
    split = (f"CASE WHEN contains(line, '\"') THEN list_transform(regexp_extract_all(line || ',', {_QUOTED_FIELD}, 1),"
             " lambda x: CASE WHEN starts_with(x, '\"') THEN replace(x[2:-2], '\"\"', '\"') ELSE x END) "
             "ELSE string_split(line, ',') END")
    fields = ", ".join(f"nullif(trim(f[{i + 1}]), '') AS {raw(col)}" for i, col in enumerate(fmt.columns))
    width_check = (f"CASE WHEN len(f) <> {width} THEN {{'field': '(whole row)', 'reason': "
                   f"'expected {width} comma-separated fields, found ' || len(f)}} END")
    checks = ", ".join(
        [width_check] + [f"CASE WHEN {c.failed} THEN {{'field': {sql_str(c.field)}, 'reason': {c.reason}}} END"
                         for c in fmt.checks])
    # A cheap test first: the list of problems is built only for the few rows that fail it.
    failing = " OR ".join([f"len(f) <> {width}"] + [f"({c.failed})" for c in fmt.checks])
    run(
        con,
        f"CREATE TEMP TABLE _rows AS SELECT line_no, line, {fields}, "
        f"CASE WHEN {failing} THEN list_filter([{checks}], lambda p: p IS NOT NULL) END AS problems "
        f"FROM (SELECT line_no, line, {split} AS f FROM _lines "
        "WHERE line_no > 1 AND line IS NOT NULL AND trim(line) <> '')"
    )


def _quarantine_failures(con: duckdb.DuckDBPyConnection, prepared: PreparedFile) -> int:
    """Insert every row with a problem into ``quarantine``; return how many went in."""
    before = scalar(con, "SELECT count(*) FROM quarantine")
    run(
        con,
        "INSERT INTO quarantine SELECT ?, ?, ?, line_no, problems[1].field, "
        "array_to_string(list_transform(problems, lambda p: p.field || ': ' || p.reason), '; '), line "
        "FROM _rows WHERE problems IS NOT NULL",
        [prepared.name, prepared.sha256, prepared.format.name],
    )
    return scalar(con, "SELECT count(*) FROM quarantine") - before


def _key_valid_rows(con: duckdb.DuckDBPyConnection, fmt: RecordFormat) -> None:
    """Valid rows with their record key (the key column, else whole row + occurrence number)."""
    whole_row = "md5(concat_ws(chr(31), " + ", ".join(f"coalesce({raw(c)}, '')" for c in fmt.columns) + "))"
    row_key = f"{whole_row} || ':' || row_number() OVER (PARTITION BY {whole_row} ORDER BY line_no)"
    if fmt.key_column is None:
        run(con, f"CREATE TEMP TABLE _valid AS SELECT *, {row_key} AS record_key FROM _rows WHERE problems IS NULL")
        return
    key = raw(fmt.key_column)
    # Hashing and numbering whole rows is only needed for rows without a key of their own.
    run(con, f"CREATE TEMP TABLE _valid AS "
             f"SELECT *, {key} AS record_key FROM _rows WHERE problems IS NULL AND {key} IS NOT NULL "
             f"UNION ALL SELECT *, {row_key} AS record_key FROM _rows WHERE problems IS NULL AND {key} IS NULL")


def _insert_new_records(con: duckdb.DuckDBPyConnection, prepared: PreparedFile) -> tuple[int, int]:
    """Insert valid rows not already loaded; return (rows inserted, valid rows skipped as duplicates)."""
    fmt = prepared.format
    targets = ", ".join(f"{expr} AS {name}" for name, _, expr in fmt.targets)
    names = ", ".join(name for name, _, _ in fmt.targets)
    run(
        con,
        "CREATE TEMP TABLE _new AS SELECT v.* FROM ("
        "  SELECT * FROM _valid QUALIFY row_number() OVER (PARTITION BY record_key ORDER BY line_no) = 1"
        f") AS v ANTI JOIN {fmt.table} AS t ON t.record_key = v.record_key",
    )
    before = scalar(con, f"SELECT count(*) FROM {fmt.table}")
    run(
        con,
        f"INSERT INTO {fmt.table} ({names}, record_key, force, source_file, source_line) "
        f"SELECT {targets}, record_key, ?, ?, line_no FROM _new",
        [prepared.force, prepared.name],
    )
    loaded = scalar(con, f"SELECT count(*) FROM {fmt.table}") - before
    duplicates = scalar(con, "SELECT count(*) FROM _valid") - scalar(con, "SELECT count(*) FROM _new")
    return loaded, duplicates


def _write_ledger(con: duckdb.DuckDBPyConnection, prepared: PreparedFile, result: LoadResult) -> None:
    run(
        con,
        "INSERT INTO ingest_ledger VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [prepared.sha256, prepared.name, prepared.format.name, prepared.force, prepared.encoding,
         result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_duplicate, result.loaded_at],
    )
