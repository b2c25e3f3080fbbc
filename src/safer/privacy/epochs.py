"""Which key the warehouse's tokens were made with: one row per key epoch, newest last.

The ``pseudonym_key_epochs`` table records, for each key epoch the warehouse has been at, the
epoch number, the key id (a public fingerprint, never the key) and when it started. Every token
in the warehouse belongs to the newest epoch: ingest refuses a key that does not match it, and a
rotation re-keys every token and adds a row in the same transaction.

Example:
    >>> check_warehouse_key(warehouse, ring)  # doctest: +SKIP
    >>> warehouse_key(warehouse)  # doctest: +SKIP
    (0, '3f9c2a71d0be')
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from safer.errors import PrivacyError
from safer.privacy.keys import Keyring

if TYPE_CHECKING:  # the warehouse imports the person-level formats registered from this package
    from safer.warehouse.connect import Warehouse


def run(con, sql: str, params: list | None = None) -> list[tuple]:
    from safer.warehouse.connect import run as run_fully

    return run_fully(con, sql, params)

EPOCHS_TABLE = "pseudonym_key_epochs"
EPOCHS_DDL = (f"CREATE TABLE IF NOT EXISTS {EPOCHS_TABLE} (epoch INTEGER NOT NULL, key_id VARCHAR NOT NULL, "
              "started_at TIMESTAMP NOT NULL)")


def warehouse_key(warehouse: Warehouse) -> tuple[int, str] | None:
    """``(epoch, key id)`` of the warehouse's tokens; None before any person-level data was loaded."""
    run(warehouse.duckdb, EPOCHS_DDL)
    rows = run(warehouse.duckdb, f"SELECT epoch, key_id FROM {EPOCHS_TABLE} ORDER BY epoch DESC, started_at DESC LIMIT 1")
    return (int(rows[0][0]), str(rows[0][1])) if rows else None


def record_epoch(warehouse: Warehouse, ring: Keyring) -> None:
    """Note that the warehouse's tokens are now at ``ring``'s current epoch (inside the caller's transaction)."""
    run(warehouse.duckdb, EPOCHS_DDL)
    run(warehouse.duckdb, f"INSERT INTO {EPOCHS_TABLE} VALUES (?, ?, ?)", [ring.epoch, ring.key_id, datetime.now()])


def check_warehouse_key(warehouse: Warehouse, ring: Keyring, *, key_file: Path | None = None) -> None:
    """Make sure ``ring`` is the key of the warehouse's tokens (recording it when the warehouse has none).

    Raises PrivacyError saying what to do when the warehouse was pseudonymised with another key or
    is at an earlier or later epoch of this one.
    """
    current = warehouse_key(warehouse)
    if current is None:
        record_epoch(warehouse, ring)
        return
    epoch, key_id = current
    if key_id == ring.key_id:
        return
    if not _holds_tokens(warehouse):  # a key noted before any person-level data: nothing depends on it yet
        record_epoch(warehouse, ring)
        return
    where = f"{warehouse.path}"
    if ring.epoch_of(key_id) is not None:
        raise PrivacyError(
            f"{where}: its person-level tokens are at key epoch {epoch} (key {key_id}) but {ring} is at epoch "
            f"{ring.epoch}; the warehouse was probably restored from an older copy. Bring it up to date with "
            "`safer key rotate --catch-up` before loading more person-level data.")
    pending = f" If a key rotation was interrupted, the new key file is {key_file}.rotating: move it to " \
              f"{key_file}." if key_file is not None and Path(f"{key_file}.rotating").exists() else ""
    raise PrivacyError(
        f"{where}: its person-level tokens were made with key {key_id} (epoch {epoch}), not with {ring}. "
        f"Use the partnership's key file in [privacy] key_file; tokens made with different keys never match.{pending}")


def _holds_tokens(warehouse: Warehouse) -> bool:
    """Whether any person-level table (or the quarantine) holds rows made with a key."""
    from safer.privacy.layout import person_tables

    existing = {row[0] for row in run(warehouse.duckdb, "SELECT table_name FROM information_schema.tables")}
    for table, layouts in person_tables().items():
        if table in existing and run(warehouse.duckdb, f"SELECT count(*) FROM {table}")[0][0]:
            return True
    names = [layout.format.name for layouts in person_tables().values() for layout in layouts]
    if not names:
        return False
    marks = ", ".join("?" for _ in names)
    return bool(run(warehouse.duckdb, f"SELECT count(*) FROM quarantine WHERE format IN ({marks})", names)[0][0])
