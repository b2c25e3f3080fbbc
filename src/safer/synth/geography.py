"""Where synthetic events happen: the area's and its region's LSOAs, and how records are spread over them.

The packaged LSOA lookup gives every LSOA's ward, local authority, region and population. An area's
records are spread over its LSOAs so that the wards and LSOAs the seed names get their published
shares exactly in expectation; the rest is spread in proportion to residents, with seeded random
variation (a resident population is a crude stand-in for footfall, which nobody publishes per LSOA).
The comparator is the rest of the area's region, spread by residents.

Example:
    >>> geo = area_geography("E09000033")
    >>> len(geo.lsoas), geo.region_code
    (128, 'E12000007')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import shapely

from safer.errors import ConfigError

LOOKUP = "data/geography/lsoa_lookup.csv.gz"


@dataclass(frozen=True)
class AreaGeography:
    area_code: str
    area_name: str
    region_code: str
    lsoas: pd.DataFrame  # the area's LSOAs: lsoa_code, ward_code, ward_name, population
    region_lsoas: pd.DataFrame  # the rest of the region's LSOAs, with lad_code
    region_lads: tuple[str, ...]  # the region's other local authorities

    @property
    def population(self) -> int:
        return int(self.lsoas["population"].sum())

    def ward_of(self, lsoa_codes: np.ndarray) -> np.ndarray:
        lookup = dict(zip(self.lsoas["lsoa_code"], self.lsoas["ward_code"]))
        lookup.update(zip(self.region_lsoas["lsoa_code"], self.region_lsoas["ward_code"]))
        return np.array([lookup[code] for code in lsoa_codes], dtype=object)

    def area_weights(self, rng: np.random.Generator, ward_shares: dict[str, float],
                     lsoa_shares: dict[str, float], *, spread: float = 0.6) -> np.ndarray:
        """A weight per area LSOA (in ``lsoas`` order) giving the named wards and LSOAs their shares.

        Named LSOAs get their share; the rest of a named ward's share goes to its other LSOAs by
        residents; what is left goes to the remaining wards' LSOAs by residents, each multiplied by a
        seeded lognormal factor (``spread``) so that places differ as they do in real data.
        """
        lsoas = self.lsoas
        named_lsoas = {k: v for k, v in lsoa_shares.items() if k in set(lsoas["lsoa_code"])}
        named_wards = {k: v for k, v in ward_shares.items() if k in set(lsoas["ward_code"])}
        noise = rng.lognormal(0.0, spread, size=len(lsoas))
        base = lsoas["population"].to_numpy(float) * noise
        weights = np.zeros(len(lsoas))
        for i, code in enumerate(lsoas["lsoa_code"]):
            if code in named_lsoas:
                weights[i] = named_lsoas[code]
        for ward, share in named_wards.items():
            in_ward = (lsoas["ward_code"] == ward).to_numpy()
            open_cells = in_ward & (weights == 0)
            left = share - weights[in_ward].sum()
            if left < -1e-9:
                raise ValueError(f"named LSOAs in ward {ward} hold more than the ward's share")
            if open_cells.any():
                weights[open_cells] = max(left, 0.0) * base[open_cells] / base[open_cells].sum()
        rest = ~lsoas["ward_code"].isin(list(named_wards)).to_numpy() & (weights == 0)
        left = 1.0 - weights.sum()
        if left < -1e-9:
            raise ValueError("named wards and LSOAs hold more than all records")
        weights[rest] = max(left, 0.0) * base[rest] / base[rest].sum()
        return weights / weights.sum()

    def region_weights(self, rng: np.random.Generator, *, spread: float = 0.6) -> np.ndarray:
        """A weight per region LSOA (``region_lsoas`` order): residents times a lognormal factor."""
        base = self.region_lsoas["population"].to_numpy(float) * rng.lognormal(0.0, spread, len(self.region_lsoas))
        return base / base.sum()


def load_lookup() -> pd.DataFrame:
    """The packaged LSOA -> ward -> local authority -> region lookup with 2011 residents."""
    with resources.as_file(resources.files("safer").joinpath(LOOKUP)) as path:
        table = pd.read_csv(path, dtype=str)
    table["population"] = pd.to_numeric(table["population_2011"]).fillna(0).astype(int)
    return table


def area_geography(area_code: str) -> AreaGeography:
    """The LSOAs of ``area_code`` (a local authority) and of the rest of its region.

    Raises ConfigError naming the code when the lookup does not hold it.
    """
    table = load_lookup()
    lsoas = table[table["lad_code"] == area_code]
    if lsoas.empty:
        raise ConfigError(f"--area {area_code}: not a local authority code in the LSOA lookup (2018 codes); "
                         "use e.g. E09000033 for Westminster")
    region = lsoas["region_code"].iloc[0]
    rest = table[(table["region_code"] == region) & (table["lad_code"] != area_code)]
    columns = ["lsoa_code", "ward_code", "ward_name", "lad_code", "population"]
    return AreaGeography(
        area_code=area_code, area_name=str(lsoas["lad_name"].iloc[0]), region_code=region,
        lsoas=lsoas[columns].sort_values("lsoa_code").reset_index(drop=True),
        region_lsoas=rest[columns].sort_values("lsoa_code").reset_index(drop=True),
        region_lads=tuple(sorted(rest["lad_code"].unique())),
    )


BOUNDARIES = "data/geography/lsoa_boundaries_westminster_and_neighbours.geojson"
#: Decimal places of generated coordinates (about a metre), as agencies export them.
COORDINATE_DECIMALS = 5


def lsoa_centres() -> dict[str, tuple[float, float]]:
    """(longitude, latitude) near the middle of each packaged LSOA boundary (the mean of its vertices)."""
    centres = {}
    for code, polygon in lsoa_polygons().items():
        rings = polygon.geoms[0].exterior if polygon.geom_type == "MultiPolygon" else polygon.exterior
        points = np.asarray(rings.coords, float)[:-1]
        centres[code] = (float(points[:, 0].mean()), float(points[:, 1].mean()))
    return centres


@lru_cache(maxsize=1)
def lsoa_polygons() -> dict[str, shapely.Geometry]:
    """The packaged 2011 LSOA polygons in longitude/latitude (WGS84), by LSOA code."""
    with resources.as_file(resources.files("safer").joinpath(BOUNDARIES)) as path:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["lsoa_code"]: shapely.geometry.shape(f["geometry"]) for f in features}


def points_in_lsoas(rng: np.random.Generator, lsoa_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A random point strictly inside each LSOA's packaged polygon, as (longitudes, latitudes).

    Points are drawn uniformly over the polygon (rejection from its bounding box) and rounded to
    :data:`COORDINATE_DECIMALS` places; a rounded point must still lie inside. LSOAs without a
    packaged polygon get NaN. The same ``rng`` state gives the same points.

    >>> lon, lat = points_in_lsoas(np.random.default_rng(1), np.array(["E01004763", "E01099999"]))
    >>> lsoa_polygons()["E01004763"].contains(shapely.Point(lon[0], lat[0])), bool(np.isnan(lon[1]))
    (True, True)
    """
    polygons = lsoa_polygons()
    codes = np.asarray(lsoa_codes, dtype=object)
    lon, lat = np.full(len(codes), np.nan), np.full(len(codes), np.nan)
    for code in sorted(set(codes) & set(polygons)):
        rows = np.flatnonzero(codes == code)
        polygon = polygons[code]
        x0, y0, x1, y1 = polygon.bounds
        found_x, found_y = np.empty(0), np.empty(0)
        while len(found_x) < len(rows):
            x = np.round(rng.uniform(x0, x1, 4 * len(rows)), COORDINATE_DECIMALS)
            y = np.round(rng.uniform(y0, y1, 4 * len(rows)), COORDINATE_DECIMALS)
            inside = shapely.contains_xy(polygon, x, y)
            found_x, found_y = np.concatenate([found_x, x[inside]]), np.concatenate([found_y, y[inside]])
        lon[rows], lat[rows] = found_x[:len(rows)], found_y[:len(rows)]
    return lon, lat
