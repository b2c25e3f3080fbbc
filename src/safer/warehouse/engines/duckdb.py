"""The DuckDB engine (the default): analyses read the embedded warehouse file itself.

Nothing is copied: the tables the loader fills are the tables the analyses query,
so there is nothing to publish after loading.

Example:
    >>> with open_warehouse(Path("safer.duckdb")) as wh:  # doctest: +SKIP
    ...     wh.engine.name, wh.table("crimes").count().execute()
    ('duckdb', 276538)
"""

from __future__ import annotations

import ibis
from ibis.backends.duckdb import Backend as DuckDBBackend


class DuckDBEngine:
    """Ibis tables straight from the warehouse's DuckDB connection."""

    name = "duckdb"

    def __init__(self, backend: DuckDBBackend) -> None:
        self.backend = backend

    def table(self, name: str) -> ibis.Table:
        return self.backend.table(name)

    def table_names(self) -> list[str]:
        return sorted(self.backend.list_tables())

    def publish(self) -> None:
        """Nothing to do: the analyses read the loaded tables directly."""

    def close(self) -> None:
        """Nothing to do: the warehouse closes the connection it owns."""
