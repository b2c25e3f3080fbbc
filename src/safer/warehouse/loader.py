"""Load prepared files into the warehouse, a batch of files of one format per transaction.

For each batch, in a single DuckDB transaction:

1. read every file of the batch line by line in one scan (so every row keeps its
   file and true line number, blank lines included) and split each line into fields;
2. run every check of the format on every row; rows failing a check go to
   ``quarantine`` with the file, line, the first failing field and all the reasons;
3. give each valid row its ``record_key``: its key columns (the Crime ID for police.uk
   street files) where the format has them and the row carries them all; otherwise a
   hash of the whole row plus its occurrence number among identical rows in its file
   (so identical anti-social behaviour rows in one file stay distinct, while the same
   file issued twice loads once);
4. skip rows whose key is already loaded or appears earlier in the batch
   (``duplicates``), insert the rest, and write one ledger row per file.

The counts of every file satisfy ``read = loaded + quarantined + duplicates``; the
loader checks this before committing and rolls the whole batch back otherwise. A file
whose content hash is already in the ledger (or earlier in the same batch) is not read
again. Reading a batch in one scan, rather than file by file, is what makes a national
archive of small monthly files load at close to the speed of a bare ``read_csv``.

Example:
    >>> (result,) = load_batch(warehouse, [prepared])  # doctest: +SKIP
    >>> result.rows_read == result.rows_loaded + result.rows_quarantined + result.rows_duplicate
    True
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import duckdb

from safer.errors import WarehouseError
from safer.sources.files import PreparedFile
from safer.sources.formats import RecordFormat, raw, sql_str
from safer.warehouse.connect import Warehouse, run, scalar

_UNIT_SEPARATOR = 31  # a byte that never occurs in police.uk text: each whole line is read as one field
_QUOTED_FIELD = "'(\"(?:[^\"]|\"\")*\"|[^,]*),'"
_WORK_TABLES = ("_files", "_scan", "_offsets", "_rows", "_repeats", "_duplicates")


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


def previous_loads(warehouse: Warehouse, hashes: list[str]) -> dict[str, LoadResult | None]:
    """The ledger entry of an earlier load of each content hash: ``{sha256: earlier entry, or None}``."""
    rows = run(
        warehouse.duckdb,
        "SELECT file_sha256, source_file, format, rows_read, rows_loaded, rows_quarantined, rows_duplicate, loaded_at "
        "FROM ingest_ledger WHERE file_sha256 IN (SELECT unnest(?)) "
        "QUALIFY row_number() OVER (PARTITION BY file_sha256 ORDER BY loaded_at) = 1", [hashes])
    found = {row[0]: LoadResult(*row[1:7], already_loaded=True, loaded_at=row[7]) for row in rows}
    return {sha: found.get(sha) for sha in hashes}


def load_file(warehouse: Warehouse, prepared: PreparedFile) -> LoadResult:
    """Load one prepared file atomically and return its ledger entry."""
    return load_batch(warehouse, [prepared])[0]


def load_batch(warehouse: Warehouse, files: list[PreparedFile]) -> list[LoadResult]:
    """Load files of one format in one transaction; return their ledger entries, in order.

    Files already in the ledger, or repeating the content of a file earlier in the batch,
    are not read again: their entry is the earlier load's, marked ``already_loaded``.
    """
    formats = {f.format for f in files}
    if len(formats) > 1:
        raise ValueError(f"a batch holds files of one format; got {sorted(f.name for f in formats)}")
    earlier = previous_loads(warehouse, [f.sha256 for f in files])
    fresh: dict[str, PreparedFile] = {}  # the first file of each content not loaded before, in batch order
    for file in files:
        if earlier[file.sha256] is None:
            fresh.setdefault(file.sha256, file)
    loaded = _load_in_one_transaction(warehouse.duckdb, list(fresh.values())) if fresh else {}
    results = []
    for file in files:
        if earlier[file.sha256] is not None:
            results.append(earlier[file.sha256])
        elif fresh[file.sha256] is file:
            results.append(loaded[file.sha256])
        else:  # the same content twice in one batch: the second copy is the first's load
            results.append(replace(loaded[file.sha256], already_loaded=True))
    return results


def _load_in_one_transaction(con: duckdb.DuckDBPyConnection, files: list[PreparedFile]) -> dict[str, LoadResult]:
    # Checkpoint at close rather than every few megabytes of WAL: commits stay cheap.
    run(con, "SET checkpoint_threshold = '1GB'")
    run(con, "BEGIN TRANSACTION")
    try:
        results = _load_batch(con, files)
        for result in results.values():
            if not result.balanced:
                raise WarehouseError(f"{result.source_file}: row counts do not balance ({result}); nothing was loaded")
        run(con, "COMMIT")
    except BaseException:
        run(con, "ROLLBACK")
        raise
    finally:
        run(con, "DROP VIEW IF EXISTS _lines")
        for temp in _WORK_TABLES:
            run(con, f"DROP TABLE IF EXISTS {temp}")
    return results


def _load_batch(con: duckdb.DuckDBPyConnection, files: list[PreparedFile]) -> dict[str, LoadResult]:
    fmt = files[0].format
    _list_files(con, files)
    _read_lines(con, files)
    _split_and_check(con, fmt)
    quarantined = _quarantine_failures(con)
    _select_new_records(con, fmt)
    loaded = _insert_new_records(con, fmt)
    results = _tally(con, files, quarantined, loaded)
    _write_ledger(con, files, results)
    return results


def _list_files(con: duckdb.DuckDBPyConnection, files: list[PreparedFile]) -> None:
    """``_files``: the batch's files, numbered in load order (earlier files win duplicates)."""
    run(con, "CREATE TEMP TABLE _files (file_no INTEGER, path VARCHAR, name VARCHAR, sha256 VARCHAR, "
             "format VARCHAR, force VARCHAR, encoding VARCHAR)")
    con.executemany("INSERT INTO _files VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(no, str(f.local_path), f.name, f.sha256, f.format.name, f.force, f.encoding)
                     for no, f in enumerate(files)])


def _read_lines(con: duckdb.DuckDBPyConnection, files: list[PreparedFile]) -> None:
    """``_lines``: every line of every file, with its file and line number, in one scan."""
    run(con, "CREATE TEMP TABLE _scan AS SELECT filename AS path, line "
             f"FROM read_csv(?, columns={{'line': 'VARCHAR'}}, header=false, delim=chr({_UNIT_SEPARATOR}), "
             "quote='', escape='', auto_detect=false, max_line_size=1048576, filename=true)",
        [[str(f.local_path) for f in files]])
    # A table keeps the scan's order (DuckDB preserves insertion order), so its row id numbers the
    # lines: cheaper than row_number() OVER (), which makes the scan wait for its whole result.
    run(con, "CREATE TEMP VIEW _lines AS SELECT path, rowid + 1 AS n, line FROM _scan")
    # The scan keeps each file's lines together and in order: a file's lines are numbered
    # first_n .. first_n + lines - 1. Checked, since every line number reported depends on it.
    run(con, "CREATE TEMP TABLE _offsets AS SELECT f.file_no, l.path, min(l.n) AS first_n, max(l.n) AS last_n, "
             "count(*) AS lines FROM _lines AS l JOIN _files AS f USING (path) GROUP BY ALL")
    disordered = scalar(con, "SELECT count(*) FROM (SELECT file_no, first_n, last_n, lines, "
                             "lag(last_n) OVER (ORDER BY file_no) AS previous_last FROM _offsets) "
                             "WHERE last_n - first_n + 1 <> lines OR first_n <> coalesce(previous_last + 1, first_n)")
    if disordered or scalar(con, "SELECT count(*) FROM _offsets") != len(files):
        raise WarehouseError("the CSV reader did not return the batch's lines in file order; nothing was loaded")


def _split_and_check(con: duckdb.DuckDBPyConnection, fmt: RecordFormat) -> None:
    """``_rows``: one row per non-blank data line: raw fields, the problems found (NULL when none), its key."""
    width = len(fmt.columns)
    split = (f"CASE WHEN contains(line, '\"') THEN list_transform(regexp_extract_all(line || ',', {_QUOTED_FIELD}, 1),"
             " lambda x: CASE WHEN starts_with(x, '\"') THEN replace(x[2:-2], '\"\"', '\"') ELSE x END) "
             "ELSE string_split(line, ',') END")
    # Fields are trimmed of spaces (DuckDB's trim: every Unicode space separator). Most lines have
    # none to trim, and one look at the line is cheaper than a trim of every field: only lines with
    # quotes, a space beside a comma or at an end, or any non-ASCII character are trimmed field by field.
    padded = ("contains(line, '\"') OR contains(line, ', ') OR contains(line, ' ,') OR starts_with(line, ' ') "
              "OR ends_with(line, ' ') OR strlen(line) <> length(line)")
    fields = ", ".join(f"CASE WHEN padded THEN nullif(trim(f[{i + 1}]), '') ELSE nullif(f[{i + 1}], '') END "
                       f"AS {raw(col)}" for i, col in enumerate(fmt.columns))
    width_check = (f"CASE WHEN len(f) <> {width} THEN {{'field': '(whole row)', 'reason': "
                   f"'expected {width} comma-separated fields, found ' || len(f)}} END")
    checks = ", ".join(
        [width_check] + [f"CASE WHEN {c.failed} THEN {{'field': {sql_str(c.field)}, 'reason': {c.reason}}} END"
                         for c in fmt.checks])
    # A cheap test first: the list of problems (and the raw line) is kept only for the few rows that fail it.
    failing = " OR ".join([f"len(f) <> {width}"] + [f"({c.failed})" for c in fmt.checks])
    run(
        con,
        f"CREATE TEMP TABLE _rows AS SELECT file_no, line_no, {fields}, "
        f"CASE WHEN {failing} THEN list_filter([{checks}], lambda p: p IS NOT NULL) END AS problems, "
        f"CASE WHEN problems IS NOT NULL THEN line END AS bad_line, {_key(fmt)} AS record_key, "
        f"{_keyed_by_row(fmt)} AS keyed_by_row "
        f"FROM (SELECT o.file_no, l.n - o.first_n + 1 AS line_no, l.line, {split} AS f, {padded} AS padded "
        "      FROM _lines AS l JOIN _offsets AS o USING (path) "
        "      WHERE l.n > o.first_n AND l.line IS NOT NULL AND trim(l.line) <> '')"
    )


def _quarantine_failures(con: duckdb.DuckDBPyConnection) -> dict[int, int]:
    """Insert every row with a problem into ``quarantine``; return how many went in, by file number."""
    before = scalar(con, "SELECT count(*) FROM quarantine")
    run(
        con,
        "INSERT INTO quarantine SELECT f.name, f.sha256, f.format, r.line_no, r.problems[1].field, "
        "array_to_string(list_transform(r.problems, lambda p: p.field || ': ' || p.reason), '; '), r.bad_line "
        "FROM _rows AS r JOIN _files AS f USING (file_no) WHERE r.problems IS NOT NULL",
    )
    counts = dict(run(con, "SELECT file_no, count(*) FROM _rows WHERE problems IS NOT NULL GROUP BY file_no"))
    if scalar(con, "SELECT count(*) FROM quarantine") - before != sum(counts.values()):
        raise WarehouseError("the quarantine did not receive every failing row; nothing was loaded")
    return counts


def _key(fmt: RecordFormat) -> str:
    """SQL (within ``_rows``) for a valid row's record key; NULL for a row with a problem.

    The key is the row's key columns when it has them all; otherwise a hash of its whole row and
    ``:1``, its occurrence among identical rows in its file (``_number_repeated_rows`` renumbers
    the rare repeats), so identical anti-social behaviour rows in one file stay distinct while the
    same file issued twice loads once.
    """
    whole_row = "md5(concat_ws(chr(31), " + ", ".join(f"coalesce({raw(c)}, '')" for c in fmt.columns) + ")) || ':1'"
    if not fmt.key_columns:
        return f"CASE WHEN problems IS NULL THEN {whole_row} END"
    parts = [raw(c) for c in fmt.key_columns]
    own = parts[0] if len(parts) == 1 else f"concat_ws(chr(31), {', '.join(parts)})"
    return f"CASE WHEN problems IS NOT NULL THEN NULL WHEN {_complete(fmt)} THEN {own} ELSE {whole_row} END"


def _keyed_by_row(fmt: RecordFormat) -> str:
    return "problems IS NULL" + (f" AND NOT ({_complete(fmt)})" if fmt.key_columns else "")


def _complete(fmt: RecordFormat) -> str:
    return " AND ".join(f"{raw(c)} IS NOT NULL" for c in fmt.key_columns)


def _number_repeated_rows(con: duckdb.DuckDBPyConnection) -> None:
    """``_repeats``: the true key of each row keyed by a whole row that recurs in its file (occurrence 1, 2, ...)."""
    run(con, "CREATE TEMP TABLE _repeats AS "
             "SELECT file_no, line_no, "
             "       left(record_key, -2) || ':' || row_number() OVER (PARTITION BY file_no, record_key "
             "                                                         ORDER BY line_no) AS record_key "
             "FROM _rows SEMI JOIN (SELECT file_no, record_key FROM _rows WHERE keyed_by_row "
             "                      GROUP BY ALL HAVING count(*) > 1) AS recurring USING (file_no, record_key) "
             "WHERE keyed_by_row")


def _select_new_records(con: duckdb.DuckDBPyConnection, fmt: RecordFormat) -> None:
    """``_duplicates``: the place of each valid row whose key is loaded already or comes earlier in the batch.

    Duplicates are few, so the insert that follows leaves them out cheaply, rather than looking up
    every new row.
    """
    _number_repeated_rows(con)
    run(
        con,
        "CREATE TEMP TABLE _duplicates AS WITH batch AS MATERIALIZED "
        "  (SELECT file_no, line_no, coalesce(p.record_key, r.record_key) AS record_key "
        "   FROM _rows AS r LEFT JOIN _repeats AS p USING (file_no, line_no) WHERE r.record_key IS NOT NULL) "
        # Keys seen more than once in the batch: every row but the first is a duplicate ...
        "SELECT b.file_no, b.line_no FROM batch AS b "
        "JOIN (SELECT record_key, min((file_no, line_no)) AS first FROM batch GROUP BY record_key "
        "      HAVING count(*) > 1) AS repeated "
        "  ON repeated.record_key = b.record_key AND repeated.first <> (b.file_no, b.line_no) "
        # ... and so is every row whose key is loaded already. Only the loaded keys this batch
        # repeats are looked up: the join is built on them, not on the table.
        "UNION SELECT b.file_no, b.line_no FROM batch AS b "
        f"SEMI JOIN (SELECT record_key FROM {fmt.table} WHERE record_key IN (SELECT record_key FROM batch)) AS t "
        "  ON t.record_key = b.record_key",
    )


def _insert_new_records(con: duckdb.DuckDBPyConnection, fmt: RecordFormat) -> dict[int, int]:
    """Insert the valid rows that are not duplicates; return how many went in, by file number."""
    targets = ", ".join(f"{expr} AS {name}" for name, _, expr in fmt.targets)
    names = ", ".join(name for name, _, _ in fmt.targets)
    before = scalar(con, f"SELECT count(*) FROM {fmt.table}")
    run(
        con,
        f"INSERT INTO {fmt.table} ({names}, record_key, force, source_file, source_line) "
        f"SELECT {targets}, coalesce(p.record_key, r.record_key), f.force, f.name, r.line_no "
        "FROM _rows AS r LEFT JOIN _repeats AS p USING (file_no, line_no) JOIN _files AS f USING (file_no) "
        "ANTI JOIN _duplicates AS d USING (file_no, line_no) WHERE r.problems IS NULL",
    )
    counts = dict(run(con, "SELECT file_no, count(*) FILTER (WHERE d.line_no IS NULL) FROM _rows AS r "
                           "LEFT JOIN _duplicates AS d USING (file_no, line_no) WHERE r.problems IS NULL "
                           "GROUP BY file_no"))
    if scalar(con, f"SELECT count(*) FROM {fmt.table}") - before != sum(counts.values()):
        raise WarehouseError(f"{fmt.table} did not receive every new row; nothing was loaded")
    return counts


def _tally(con: duckdb.DuckDBPyConnection, files: list[PreparedFile], quarantined: dict[int, int],
           loaded: dict[int, int]) -> dict[str, LoadResult]:
    """Each file's ledger entry: rows read, and what became of them."""
    read = dict(run(con, "SELECT file_no, count(*) FROM _rows GROUP BY file_no"))
    valid = dict(run(con, "SELECT file_no, count(*) FROM _rows WHERE problems IS NULL GROUP BY file_no"))
    now = datetime.now()
    return {
        file.sha256: LoadResult(source_file=file.name, format=file.format.name, rows_read=read.get(no, 0),
                                rows_loaded=loaded.get(no, 0), rows_quarantined=quarantined.get(no, 0),
                                rows_duplicate=valid.get(no, 0) - loaded.get(no, 0), loaded_at=now)
        for no, file in enumerate(files)
    }


def _write_ledger(con: duckdb.DuckDBPyConnection, files: list[PreparedFile], results: dict[str, LoadResult]) -> None:
    con.executemany(
        "INSERT INTO ingest_ledger VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(f.sha256, f.name, f.format.name, f.force, f.encoding, r.rows_read, r.rows_loaded, r.rows_quarantined,
          r.rows_duplicate, r.loaded_at) for f in files for r in [results[f.sha256]]],
    )
