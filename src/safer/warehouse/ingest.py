"""Ingest: find files, refuse any that is not a known format, then load each one.

Every file is recognised before anything is loaded, so a wrong file in a batch
stops the batch before it changes the warehouse. Each file then loads in its own
transaction (see ``safer.warehouse.loader``).

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
from safer.warehouse.loader import LoadResult, load_file

Progress = Callable[[str, int, int], None]


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
        results = []
        for done, file in enumerate(prepared, start=1):
            result = load_file(warehouse, file)
            results.append(result)
            if on_loaded:
                on_loaded(result, done, len(prepared))
    return results
