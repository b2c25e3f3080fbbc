"""The warehouse: an embedded DuckDB file reached through Ibis, and the loaders that fill it."""

from safer.warehouse.connect import Warehouse, open_warehouse
from safer.warehouse.ingest import ingest_paths
from safer.warehouse.loader import LoadResult, load_file

__all__ = ["LoadResult", "Warehouse", "ingest_paths", "load_file", "open_warehouse"]
