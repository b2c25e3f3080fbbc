"""Ingest: find files, refuse any that is not a known format, then load them.

Every file is recognised before anything is loaded, so a wrong file stops the
ingest before it changes the warehouse. Consecutive files of one format then load
together, up to about ``BATCH_BYTES`` of CSV per transaction (see
``safer.warehouse.loader``): a failure rolls back its batch, and the batches
committed before it stay loaded (an ingest run again skips them by content hash).

Example:
    >>> with open_warehouse(Path("safer.duckdb")) as wh:  # doctest: +SKIP
    ...     results = ingest_paths(wh, [Path("2018-01.zip")])
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from safer.sources.files import PreparedFile, discover, prepare
from safer.sources.formats import RecordFormat
from safer.warehouse.connect import Warehouse
from safer.warehouse.loader import LoadResult, load_batch

Progress = Callable[[str, int, int], None]

BATCH_BYTES = 256 * 2**20  # CSV bytes loaded per transaction: big enough to amortise, small enough for memory


def ingest_paths(warehouse: Warehouse, paths: list[Path], *, on_prepared: Progress | None = None,
                 on_loaded: Callable[[LoadResult, int, int], None] | None = None,
                 expected: RecordFormat | tuple[RecordFormat, ...] | None = None) -> list[LoadResult]:
    """Load every police.uk file under ``paths``; return one ledger entry per file.

    ``on_prepared(name, done, total)`` and ``on_loaded(result, done, total)`` report
    progress. Raises SourceError (before loading anything) if any file is unreadable
    or not a police.uk format. With ``expected``, every file must have that format's header
    (``safer ingest --dataset NAME``).
    """
    items = discover(paths)
    with tempfile.TemporaryDirectory(prefix="safer-ingest-") as tmp:
        prepared: list[PreparedFile] = []
        for done, item in enumerate(items, start=1):
            prepared.append(prepare(item, Path(tmp), expected=expected))
            if on_prepared:
                on_prepared(item.name, done, len(items))
        results: dict[int, LoadResult] = {}  # by the file's place in ``prepared``
        place = {id(file): n for n, file in enumerate(prepared)}
        for batch in batches(prepared):
            for file, result in zip(batch, load_batch(warehouse, batch), strict=True):
                results[place[id(file)]] = result
                if on_loaded:
                    on_loaded(result, len(results), len(prepared))
    return [results[n] for n in range(len(prepared))]


def batches(files: list[PreparedFile], max_bytes: int = BATCH_BYTES) -> list[list[PreparedFile]]:
    """Group files by format (in order of first appearance, each keeping its files' order), then cut each
    group into batches of at most ``max_bytes`` (a bigger file makes a batch of its own).

    Each table is deduplicated on its own, so loading formats group by group keeps every result the same
    as loading file by file, while a monthly archive (street, outcomes, stop and search for each force in
    turn) still loads in a few large batches.
    """
    by_format: dict[str, list[PreparedFile]] = {}
    for file in files:
        by_format.setdefault(file.format.name, []).append(file)
    runs: list[list[PreparedFile]] = []
    for group in by_format.values():
        size = max_bytes + 1  # start a new batch for each format
        for file in group:
            length = file.local_path.stat().st_size
            if size + length > max_bytes:
                runs.append([])
                size = 0
            runs[-1].append(file)
            size += length
    return runs
