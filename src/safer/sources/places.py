"""Places from coordinates: the 2011 LSOA a longitude/latitude point lies in, as a warehouse SQL function.

Partner incident contracts accept a place in three forms: an LSOA code, a ward code, or a pair of
WGS84 coordinates (``Longitude``, ``Latitude``). A row giving only coordinates is placed as it loads:
its LSOA is the packaged 2011 LSOA polygon containing the point (``safer/data/geography/``, Westminster
and the boroughs around it), found with shapely by :func:`safer.sources.policeuk_api.place_points`,
the same rule police.uk API records are placed by (a point on the border of two LSOAs goes to the one
with the lower code). Its ward is the LSOA's ward in the packaged lookup (``geo_lsoa``).

The placement is part of the SQL that turns a row's raw fields into its warehouse values
(``safer.sources.contracts.build``): the statement that inserts the file's records calls
:data:`LSOA_FUNCTION`, so a row is placed in the same statement, and so the same transaction, that loads
it, and a rolled-back load leaves nothing behind. The function is registered on every warehouse
connection by :func:`register_place_function` (``safer.warehouse.connect.open_warehouse`` calls it).

A point outside every packaged polygon keeps a blank LSOA and ward: the record loads, and the
assessment counts it among the records no place code places, as it does police.uk records without an LSOA.

Example:
    >>> lsoa_at([-0.1365, 0.5], [51.5134, 51.0])  # Soho; a field in Kent
    ['E01033596', None]
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from safer.sources.policeuk_api import place_points

#: The SQL function placing a point: ``safer_lsoa_at(longitude DOUBLE, latitude DOUBLE) -> VARCHAR``.
LSOA_FUNCTION = "safer_lsoa_at"


def lsoa_at(longitudes: Sequence[float | None], latitudes: Sequence[float | None]) -> list[str | None]:
    """The LSOA code each point lies in among the packaged boundaries; None outside them or when blank."""
    if len(longitudes) != len(latitudes):
        raise ValueError(f"give as many longitudes as latitudes (got {len(longitudes)} and {len(latitudes)})")
    return [p.lsoa_code if p is not None else None for p in place_points(list(longitudes), list(latitudes))]


def _lsoa_at_arrow(longitudes: pa.Array, latitudes: pa.Array) -> pa.Array:
    """The DuckDB (Arrow, vectorised) form of :func:`lsoa_at`."""
    return pa.array(lsoa_at(longitudes.to_pylist(), latitudes.to_pylist()), type=pa.string())


def register_place_function(con: duckdb.DuckDBPyConnection) -> None:
    """Make :data:`LSOA_FUNCTION` callable on ``con`` (once per connection; calling again does nothing)."""
    exists = con.execute("SELECT count(*) FROM duckdb_functions() WHERE function_name = ?",
                         [LSOA_FUNCTION]).fetchall()[0][0]
    if exists:
        return
    double = duckdb.sqltype("DOUBLE")
    con.create_function(LSOA_FUNCTION, _lsoa_at_arrow, [double, double], duckdb.sqltype("VARCHAR"), type="arrow",
                        null_handling="special", side_effects=False)


def lsoa_sql(lsoa: str, ward: str, longitude: str, latitude: str) -> str:
    """SQL for a row's LSOA: the code given, else (no ward given either) the LSOA its point lies in.

    The arguments are the SQL names of the raw fields (trimmed, NULL when blank).
    """
    return (f"coalesce(upper({lsoa}), CASE WHEN {ward} IS NULL THEN "
            f"{LSOA_FUNCTION}(TRY_CAST({longitude} AS DOUBLE), TRY_CAST({latitude} AS DOUBLE)) END)")


def ward_sql(lsoa: str, ward: str, longitude: str, latitude: str) -> str:
    """SQL for a row's ward: the code given, else (no LSOA given) the lookup's ward of the point's LSOA."""
    placed = lsoa_sql(lsoa, ward, longitude, latitude)
    return (f"coalesce(upper({ward}), CASE WHEN {lsoa} IS NULL THEN "
            f"(SELECT g.ward_code FROM geo_lsoa AS g WHERE g.lsoa_code = {placed}) END)")


def from_point_sql(lsoa: str, ward: str, longitude: str, latitude: str) -> str:
    """SQL: true when the row gave no place code and its point lies in a packaged LSOA."""
    return f"({lsoa} IS NULL AND {ward} IS NULL AND {lsoa_sql(lsoa, ward, longitude, latitude)} IS NOT NULL)"
