"""Boundaries and coordinates for maps and hotspots, in British National Grid (EPSG:27700).

safer ships the 2014-2022 Westminster wards and the 2011 LSOA polygons of Westminster and
its neighbours (``safer/data/geography/``, see its SOURCES.md). They are WGS84 GeoJSON; every
measurement safer makes (grid cells, distances, kernel bandwidths) is in metres, so they are
projected to the British National Grid as they load. A polygon that cannot be read is
counted and reported, never silently dropped; an invalid one (self-crossing ring) is
repaired with ``shapely.make_valid`` and counted as repaired.

Example:
    >>> wards = load_ward_boundaries(["E09000033"])
    >>> wards.loaded, wards.frame.crs.to_epsg()
    (20, 27700)
    >>> x, y, usable = to_british_national_grid([-0.1340], [51.5101])  # Piccadilly Circus
    >>> round(float(x[0]), -1), round(float(y[0]), -1), bool(usable[0])
    (529590.0, 180670.0, True)
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import shape

from safer.errors import SaferError

BNG = "EPSG:27700"
WGS84 = "EPSG:4326"
WARDS_FILE = "data/geography/westminster_wards.geojson"
LSOAS_FILE = "data/geography/lsoa_boundaries_westminster_and_neighbours.geojson"
# Where the British National Grid is defined (its EPSG area of use), as longitude/latitude.
BNG_LONGITUDE = (-9.01, 2.01)
BNG_LATITUDE = (49.75, 61.01)

_TO_BNG = Transformer.from_crs(WGS84, BNG, always_xy=True)


class GeographyError(SaferError):
    """A boundary file cannot be read at all."""


@dataclass(frozen=True)
class FailedPolygon:
    """One boundary feature that could not be loaded, and why."""

    feature: int  # position in the file, from 1
    code: str | None
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"feature": self.feature, "code": self.code, "reason": self.reason}


@dataclass(frozen=True)
class Boundaries:
    """Polygons of one kind (wards or LSOAs) with ``code``, ``name`` and geometry in EPSG:27700."""

    kind: str
    source: str
    frame: gpd.GeoDataFrame
    features_read: int
    failed: tuple[FailedPolygon, ...]
    repaired: int

    @property
    def loaded(self) -> int:
        return len(self.frame)

    def subset(self, codes: Collection[str]) -> "Boundaries":
        """The same boundaries, keeping only ``codes`` (order of the file)."""
        keep = self.frame[self.frame["code"].isin(set(codes))].reset_index(drop=True)
        return Boundaries(self.kind, self.source, keep, self.features_read, self.failed, self.repaired)

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "source": self.source, "features_read": self.features_read,
                "loaded": self.loaded, "failed": [f.as_dict() for f in self.failed], "repaired": self.repaired}


def read_boundaries(path: str | Path, *, kind: str, code_field: str, name_field: str) -> Boundaries:
    """Read a GeoJSON FeatureCollection of polygons in WGS84 and project it to EPSG:27700.

    Features without a code, with no geometry, with a geometry that is not a polygon or
    cannot be parsed are listed in ``failed``; invalid polygons are repaired.
    """
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GeographyError(f"{path.name}: cannot read the boundary file ({exc}); reinstall safer or pass a "
                             "valid GeoJSON FeatureCollection") from exc
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise GeographyError(f"{path.name}: not a GeoJSON FeatureCollection (no 'features' list)")
    codes, names, geometries, failed, repaired = [], [], [], [], 0
    for number, feature in enumerate(features, start=1):
        properties = (feature or {}).get("properties") or {}
        code = properties.get(code_field)
        geometry, reason, fixed = _polygon(feature)
        if not code:
            reason = reason or f"no '{code_field}' property"
        if reason:
            failed.append(FailedPolygon(number, code, reason))
            continue
        repaired += fixed
        codes.append(str(code))
        names.append(str(properties.get(name_field) or code))
        geometries.append(geometry)
    frame = gpd.GeoDataFrame({"code": codes, "name": names}, geometry=geometries, crs=WGS84).to_crs(BNG)
    return Boundaries(kind=kind, source=path.name, frame=frame, features_read=len(features),
                      failed=tuple(failed), repaired=repaired)


def load_lsoa_boundaries(lsoa_codes: Collection[str] | None = None) -> Boundaries:
    """The packaged 2011 LSOA polygons (Westminster and neighbours), optionally only ``lsoa_codes``."""
    boundaries = _packaged(LSOAS_FILE, kind="lsoa", code_field="lsoa_code", name_field="lsoa_name")
    return boundaries if lsoa_codes is None else boundaries.subset(lsoa_codes)


def load_ward_boundaries(lad_codes: Sequence[str] | None = None, ward_codes: Collection[str] | None = None,
                         ) -> Boundaries:
    """The packaged ward polygons (Westminster, 2014-2022 wards), optionally only ``ward_codes``.

    ``lad_codes`` only documents intent today: the package holds Westminster's wards, so for
    other areas use :func:`wards_from_lsoas` to dissolve LSOA polygons into wards.
    """
    boundaries = _packaged(WARDS_FILE, kind="ward", code_field="ward_code", name_field="ward_name")
    return boundaries if ward_codes is None else boundaries.subset(ward_codes)


def wards_from_lsoas(lsoas: Boundaries, lsoa_to_ward: dict[str, tuple[str, str]]) -> Boundaries:
    """Ward polygons made by dissolving LSOA polygons by the lookup's ward (LSOAs nest in wards)."""
    frame = lsoas.frame.copy()
    frame["ward"] = frame["code"].map(lambda c: lsoa_to_ward.get(c, (None, None))[0])
    frame["ward_name"] = frame["code"].map(lambda c: lsoa_to_ward.get(c, (None, None))[1])
    frame = frame.dropna(subset=["ward"])
    dissolved = frame.dissolve(by=["ward", "ward_name"], as_index=False)[["ward", "ward_name", "geometry"]]
    dissolved = dissolved.rename(columns={"ward": "code", "ward_name": "name"})
    return Boundaries(kind="ward", source=f"{lsoas.source} (LSOAs dissolved into wards)",
                      frame=gpd.GeoDataFrame(dissolved, geometry="geometry", crs=BNG), features_read=len(dissolved),
                      failed=(), repaired=0)


def to_british_national_grid(longitude: Sequence[float] | np.ndarray, latitude: Sequence[float] | np.ndarray
                             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Project WGS84 points to EPSG:27700; also return which points are usable.

    A point is unusable when a coordinate is blank (NaN) or lies outside the area the
    British National Grid covers; its x and y are NaN.
    """
    lon = np.asarray(longitude, dtype=float)
    lat = np.asarray(latitude, dtype=float)
    usable = (np.isfinite(lon) & np.isfinite(lat) & (lon >= BNG_LONGITUDE[0]) & (lon <= BNG_LONGITUDE[1])
              & (lat >= BNG_LATITUDE[0]) & (lat <= BNG_LATITUDE[1]))
    x = np.full(lon.shape, np.nan)
    y = np.full(lat.shape, np.nan)
    if usable.any():
        x[usable], y[usable] = _TO_BNG.transform(lon[usable], lat[usable])
    return x, y, usable


def to_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame in longitude/latitude, as GeoJSON (RFC 7946) requires."""
    return frame.to_crs(WGS84)


def _packaged(relative: str, *, kind: str, code_field: str, name_field: str) -> Boundaries:
    resource = resources.files("safer").joinpath(relative)
    with resources.as_file(resource) as path:
        return read_boundaries(path, kind=kind, code_field=code_field, name_field=name_field)


def _polygon(feature: object) -> tuple[object, str | None, int]:
    """(geometry, reason it failed or None, 1 if it was repaired)."""
    raw = feature.get("geometry") if isinstance(feature, dict) else None
    if not raw:
        return None, "no geometry", 0
    try:
        geometry = shape(raw)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        return None, f"geometry cannot be read ({exc})", 0
    if geometry.is_empty:
        return None, "empty geometry", 0
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        return None, f"a {geometry.geom_type}, not a polygon", 0
    if geometry.is_valid:
        return geometry, None, 0
    fixed = shapely.make_valid(geometry)
    polygons = [g for g in getattr(fixed, "geoms", [fixed]) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not polygons:
        return None, "invalid polygon that cannot be repaired", 0
    return shapely.union_all(polygons), None, 1
