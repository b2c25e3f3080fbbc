"""Key rotation: move every token in the warehouse to a new key epoch, without any raw identifier.

HMAC cannot be undone, so a token cannot be recomputed under a new key from the value it came
from: nobody keeps the values. Instead each rotation adds a secret to the key file and replaces
every stored token ``t`` by ``HMAC-SHA256(new secret, t)``. Tokens made later from raw values run
the same chain (:meth:`safer.privacy.keys.Keyring.token`), so old and new records keep matching,
while tokens copied out before the rotation no longer match anything in the warehouse.

:func:`rekey_warehouse` does the re-keying in one transaction: every token column of every
person-level table, the record keys that are tokens, the pseudonymised lines kept in the
quarantine, and a new row in ``pseudonym_key_epochs``. :func:`rotate_key` wraps it so that the
new secret is written to disk (as ``KEY.rotating``) before the warehouse changes and replaces the
key file only after the warehouse has committed: at no point can the warehouse hold tokens
whose key exists nowhere.

Example:
    >>> result = rotate_key(Path("partnership.key"), warehouse)  # doctest: +SKIP
    >>> result.epoch, result.tokens  # doctest: +SKIP
    (1, 2134)
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from safer.errors import PrivacyError
from safer.privacy.epochs import record_epoch, run, warehouse_key
from safer.privacy.keys import Keyring, read_key_file, write_key_file
from safer.privacy.layout import person_tables

if TYPE_CHECKING:
    from safer.warehouse.connect import Warehouse

_TOKEN = re.compile(r"\b[0-9a-f]{64}\b")


@dataclass(frozen=True)
class Rekeyed:
    """What a re-keying changed."""

    epoch: int
    key_id: str
    tables: tuple[str, ...]
    tokens: int  # distinct token values re-keyed
    quarantined_lines: int

    def as_dict(self) -> dict[str, object]:
        return {"epoch": self.epoch, "key_id": self.key_id, "tables": list(self.tables), "tokens": self.tokens,
                "quarantined_lines": self.quarantined_lines}


def rekey_warehouse(warehouse: Warehouse, ring: Keyring, from_epoch: int) -> Rekeyed:
    """Bring every token in the warehouse from ``from_epoch`` to ``ring``'s current epoch, atomically."""
    if not 0 <= from_epoch < ring.epoch:
        raise PrivacyError(f"cannot re-key from epoch {from_epoch} with {ring}: nothing to do")
    con = warehouse.duckdb
    existing = {row[0] for row in run(con, "SELECT table_name FROM information_schema.tables")}
    tables, total, lines = [], 0, 0
    run(con, "BEGIN TRANSACTION")
    try:
        for table, layouts in person_tables().items():
            if table not in existing:
                continue
            columns = {row[0] for row in run(con, "SELECT column_name FROM information_schema.columns "
                                                  "WHERE table_name = ?", [table])}
            token_columns = sorted({c for layout in layouts for c in layout.token_columns.values()} & columns)
            if any(layout.key_is_token for layout in layouts):
                token_columns.append("record_key")
            for column in token_columns:
                total += _rekey_column(con, table, column, ring, from_epoch)
            tables.append(table)
        lines = _rekey_quarantine(con, ring, from_epoch)
        record_epoch(warehouse, ring)
        run(con, "COMMIT")
    except BaseException:
        run(con, "ROLLBACK")
        raise
    finally:
        run(con, "DROP TABLE IF EXISTS _rekey")
    return Rekeyed(epoch=ring.epoch, key_id=ring.key_id, tables=tuple(tables), tokens=total, quarantined_lines=lines)


def _rekey_column(con, table: str, column: str, ring: Keyring, from_epoch: int) -> int:
    old = [row[0] for row in run(con, f"SELECT DISTINCT {column} FROM {table} WHERE "
                                      f"regexp_full_match({column}, '[0-9a-f]{{64}}')")]
    if not old:
        return 0
    mapping = pa.table({"old": old, "new": [ring.lift(t, from_epoch) for t in old]})
    con.register("_rekey_source", mapping)
    try:
        run(con, "CREATE OR REPLACE TEMP TABLE _rekey AS SELECT * FROM _rekey_source")
    finally:
        con.unregister("_rekey_source")
    run(con, f"UPDATE {table} SET {column} = _rekey.new FROM _rekey WHERE {table}.{column} = _rekey.old")
    return len(old)


def _rekey_quarantine(con, ring: Keyring, from_epoch: int) -> int:
    """Re-key the tokens in quarantined pseudonymised lines (their key id too)."""
    formats = [layout.format.name for layouts in person_tables().values() for layout in layouts]
    if not formats:
        return 0
    placeholders = ", ".join("?" for _ in formats)
    rows = run(con, f"SELECT rowid, raw_line FROM quarantine WHERE format IN ({placeholders}) AND raw_line IS NOT NULL",
               formats)
    old_id = ring.key_ids[from_epoch]
    for rowid, line in rows:
        new_line = _TOKEN.sub(lambda m: ring.lift(m.group(0), from_epoch), line).replace(old_id, ring.key_id)
        run(con, "UPDATE quarantine SET raw_line = ? WHERE rowid = ?", [new_line, rowid])
    return len(rows)


def rotate_key(key_file: Path, warehouse: Warehouse) -> Rekeyed:
    """Add a new epoch to ``key_file`` and re-key the warehouse to it.

    The new key file is written beside the old one as ``KEY.rotating`` first; the warehouse is
    re-keyed in one transaction; then ``KEY.rotating`` replaces ``KEY``. If the re-keying fails,
    the warehouse and the key file are unchanged.
    """
    key_file = Path(key_file)
    ring = read_key_file(key_file)
    current = warehouse_key(warehouse)
    if current is not None and current[1] != ring.key_id:
        raise PrivacyError(f"{warehouse.path}: its tokens are at key {current[1]}, not {ring}; rotate only a "
                           "warehouse whose key is the key file's current key")
    pending = Path(f"{key_file}.rotating")
    new_ring = ring.with_new_epoch()
    write_key_file(pending, new_ring, overwrite=True)
    try:
        result = rekey_warehouse(warehouse, new_ring, ring.epoch) if current is not None else None
        if result is None:  # no person-level data yet: only the key changes
            record_epoch(warehouse, new_ring)
            result = Rekeyed(epoch=new_ring.epoch, key_id=new_ring.key_id, tables=(), tokens=0, quarantined_lines=0)
    except BaseException:
        pending.unlink(missing_ok=True)
        raise
    os.replace(pending, key_file)
    return result


def catch_up(key_file: Path, warehouse: Warehouse) -> Rekeyed:
    """Re-key a warehouse left at an earlier epoch of the key file (e.g. restored from a backup)."""
    ring = read_key_file(key_file)
    current = warehouse_key(warehouse)
    if current is None or current[1] == ring.key_id:
        raise PrivacyError(f"{warehouse.path}: already at {ring}; nothing to catch up")
    from_epoch = ring.epoch_of(current[1])
    if from_epoch is None:
        raise PrivacyError(f"{warehouse.path}: its tokens are at key {current[1]}, which is not in {ring}")
    return rekey_warehouse(warehouse, ring, from_epoch)
