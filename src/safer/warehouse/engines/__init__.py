"""Query engines: where the Ibis tables the analyses read come from.

Loading always goes through the embedded DuckDB warehouse file (validation,
quarantine, ledger and de-duplication live in ``safer.warehouse.loader``). The
engine decides what runs the analyses:

* ``duckdb`` (the default, :mod:`.duckdb`): the warehouse file itself.
* ``pyspark`` (:mod:`.pyspark`): every warehouse table exported to a Parquet
  dataset (record tables partitioned by month and force, :mod:`.parquet`) and read
  by Spark, through Ibis's PySpark backend.

An engine only has to hand out Ibis tables by name, bring its copy of the data up
to date after loading, and close. Everything engine-specific lives in one of these
modules; the analyses are the same Ibis expressions on every engine.

Example:
    >>> EngineChoice().name
    'duckdb'
    >>> EngineChoice("pyspark").spark_master
    'local[*]'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import ibis

ENGINES = ("duckdb", "pyspark")
DEFAULT_SPARK_MASTER = "local[*]"


class Engine(Protocol):
    """What the warehouse needs from an engine."""

    name: str

    def table(self, name: str) -> ibis.Table:
        """An Ibis table expression over the warehouse table ``name``."""

    def table_names(self) -> list[str]:
        """Every table the engine can hand out, sorted."""

    def publish(self) -> None:
        """Bring the engine's copy of the data up to date with the warehouse file (after loading)."""

    def close(self) -> None:
        """Release what the engine opened."""


@dataclass(frozen=True)
class EngineChoice:
    """Which engine runs the analyses, and its settings (from ``[warehouse]`` in ``safer.toml``).

    ``parquet_path`` is where the pyspark engine keeps its Parquet dataset; None means
    next to the warehouse file, ``<file name>-parquet`` (``safer.duckdb`` -> ``safer-parquet``).
    """

    name: str = "duckdb"
    spark_master: str = DEFAULT_SPARK_MASTER
    parquet_path: Path | None = None
    spark_options: tuple[tuple[str, str], ...] = ()
    spark_cache: bool = False  # keep each table in Spark's memory (spilling to disk) once read

    def __post_init__(self) -> None:
        if self.name not in ENGINES:
            raise ValueError(f"engine '{self.name}' is not supported; choose one of {', '.join(ENGINES)}")

    def parquet_for(self, warehouse_file: Path) -> Path:
        """The Parquet dataset folder for the warehouse at ``warehouse_file``."""
        if self.parquet_path is not None:
            return Path(self.parquet_path)
        warehouse_file = Path(warehouse_file)
        return warehouse_file.with_name(f"{warehouse_file.stem}-parquet")


__all__ = ["DEFAULT_SPARK_MASTER", "ENGINES", "Engine", "EngineChoice"]
