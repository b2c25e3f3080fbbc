"""Saved police.uk API ``crimes-street`` responses (JSON, plain or gzipped), loaded as street records.

A partnership that queries the police.uk API for its own polygons (e.g. one request per ward and
month) saves JSON arrays of crimes. Each response is turned into a CSV working copy holding the
police.uk street columns and loaded by the same loader as the street CSVs, into the same
``crimes`` table, with the same row checks, ledger and quarantine:

- ``Crime ID`` = ``persistent_id``; ``Month`` = ``month``; ``Location`` = ``location.street.name``;
  ``Last outcome category`` = ``outcome_status.category``; ``Crime type`` = the police.uk label of
  the API ``category`` slug (an unknown slug is kept as it is, so the row is quarantined).
- A crime on the edge of two polygons appears in both responses. Each row's record key is its
  Crime ID, or ``api:<id>`` (the API id) for anti-social behaviour, which has no Crime ID, so the
  second copy is skipped as a duplicate whichever file it comes in.
- The API gives no LSOA: each point is placed by point in polygon against the 2011 LSOA
  boundaries safer ships (Westminster and the boroughs around it). Points outside them, or without
  coordinates, keep a blank LSOA; they are counted (:class:`ApiConversion`, and the data-quality
  section's records without an LSOA) but cannot be placed in any area.
- The API gives no force either. ``location_type`` ``BTP`` is British Transport Police; ``Force``
  records take the force of the local authority most of the response's placed points fall in
  (``data/reference/police_force_of_district.csv``).

Rows of the working copy are the response's records in order, so a quarantined row's line is the
record's position in the response plus one (line 2 is the first record).

Example:
    >>> conversion = convert_records([{"category": "burglary", "id": 1, "month": "2018-01",
    ...     "persistent_id": "abc", "location_type": "Force", "context": "", "outcome_status": None,
    ...     "location": {"latitude": "51.5134", "longitude": "-0.1365", "street": {"name": "On or near X"}}}])
    >>> conversion.rows[0][0], conversion.rows[0][9], conversion.unplaced
    ('abc', 'E01033596', 0)
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import shapely

from safer.errors import SourceError
from safer.sources.files import Converter, register_converter
from safer.sources.formats import RecordFormat, required
from safer.sources.policeuk import STREET, STREET_COLUMNS

SUFFIXES = (".json", ".json.gz")
BOUNDARIES_FILE = "data/geography/lsoa_boundaries_westminster_and_neighbours.geojson"
LOOKUP_FILE = "data/geography/lsoa_lookup.csv.gz"
FORCE_FILE = "data/reference/police_force_of_district.csv"
BTP = "British Transport Police"

#: police.uk API category slugs and the crime type labels the CSV files use.
CATEGORY_LABELS: dict[str, str] = {
    "anti-social-behaviour": "Anti-social behaviour",
    "bicycle-theft": "Bicycle theft",
    "burglary": "Burglary",
    "criminal-damage-arson": "Criminal damage and arson",
    "drugs": "Drugs",
    "other-crime": "Other crime",
    "other-theft": "Other theft",
    "possession-of-weapons": "Possession of weapons",
    "public-order": "Public order",
    "robbery": "Robbery",
    "shoplifting": "Shoplifting",
    "theft-from-the-person": "Theft from the person",
    "vehicle-crime": "Vehicle crime",
    "violent-crime": "Violence and sexual offences",
}

API_COLUMNS: tuple[str, ...] = ("Record key", "API id", *STREET_COLUMNS)

#: The working copy's layout: the street columns, loaded exactly as street rows are, plus the API id
#: and the record key (Crime ID, or ``api:<id>`` where there is none). Not registered for header
#: detection: nobody writes this layout by hand; only the converter below produces it.
API_STREET = RecordFormat(
    name="policeuk-api-street",
    table=STREET.table,
    columns=API_COLUMNS,
    targets=STREET.targets,
    key_columns=("Record key",),
    checks=(required("API id"), *STREET.checks),
)


@dataclass(frozen=True)
class PlacedPoint:
    lsoa_code: str
    lsoa_name: str
    lad_code: str | None


@dataclass(frozen=True)
class ApiConversion:
    """One response turned into street rows, with what could not be placed."""

    rows: tuple[tuple[str, ...], ...]  # in API_COLUMNS order
    records: int
    unplaced: int  # records whose point is missing or outside the shipped LSOA boundaries
    force: str | None  # the force given to ``Force`` records

    def as_dict(self) -> dict[str, object]:
        return {"records": self.records, "unplaced": self.unplaced, "force": self.force}


def convert_records(records: Sequence[object], name: str = "(response)") -> ApiConversion:
    """Turn the records of one ``crimes-street`` response into street rows.

    Raises SourceError when the response holds ``Force`` records but none of its points can be
    placed, so that no force can be given to them.
    """
    points = [_point(r) for r in records]
    placed = place_points([p[0] if p else None for p in points], [p[1] if p else None for p in points])
    forces = _district_forces()
    seen = Counter(forces.get(p.lad_code) for p in placed if p is not None and forces.get(p.lad_code))
    needs_force = any(isinstance(r, dict) and r.get("location_type") != "BTP" for r in records)
    force = seen.most_common(1)[0][0] if seen else None
    if needs_force and force is None:
        raise SourceError(
            f"{name}: none of the response's {len(records)} records has a map point inside the LSOA boundaries "
            "safer ships (Westminster and the boroughs around it), so neither their LSOAs nor their police force "
            "can be worked out; nothing was loaded. Load police.uk street CSV files for other areas instead.")
    rows = tuple(_row(r, p, force) for r, p in zip(records, placed))
    unplaced = sum(1 for p in placed if p is None)
    return ApiConversion(rows=rows, records=len(records), unplaced=unplaced, force=force)


def read_response(path: Path, name: str) -> list[object]:
    """The JSON array of one saved response. Raises SourceError when it is not one."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{name} line {exc.lineno}: not valid JSON ({exc.msg}); save the police.uk API "
                          "response again, unchanged") from exc
    except (OSError, EOFError) as exc:
        raise SourceError(f"{name}: cannot be read ({exc}); check the file is complete") from exc
    if not isinstance(data, list):
        raise SourceError(f"{name}: expected a police.uk API crimes-street response (a JSON array of crimes), "
                          f"found a JSON {type(data).__name__}; save the response of "
                          "https://data.police.uk/api/crimes-street/all-crime unchanged")
    return data


def write_working_copy(conversion: ApiConversion, workdir: Path, name: str) -> Path:
    """Write the rows as a CSV working copy (header, then one line per record)."""
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / (hashlib.sha1(name.encode()).hexdigest()[:16] + "-api-street.csv")
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(API_COLUMNS)
        writer.writerows(conversion.rows)
    return target


def place_points(longitudes: Sequence[float | str | None], latitudes: Sequence[float | str | None]
                 ) -> list[PlacedPoint | None]:
    """The 2011 LSOA each point lies in, among the shipped boundaries; None where it lies in none.

    A point on the border of two LSOAs goes to the one with the lower code, so the answer never
    depends on the order of the boundaries.
    """
    if len(longitudes) != len(latitudes):
        raise ValueError("give as many longitudes as latitudes")
    lon = np.array([_number(v) for v in longitudes], dtype=float)
    lat = np.array([_number(v) for v in latitudes], dtype=float)
    result: list[PlacedPoint | None] = [None] * len(lon)
    usable = np.flatnonzero(~(np.isnan(lon) | np.isnan(lat)))
    if usable.size == 0:
        return result
    boundaries = _boundaries()
    points = shapely.points(lon[usable], lat[usable])
    point_index, polygon_index = boundaries.tree.query(points, predicate="intersects")
    order = np.lexsort((polygon_index, point_index))  # polygons are sorted by code: first hit = lowest code
    for i, j in zip(point_index[order], polygon_index[order]):
        k = usable[i]
        if result[k] is None:
            result[k] = boundaries.places[j]
    return result


def shipped_lsoas() -> frozenset[str]:
    """The codes of the LSOAs whose boundaries safer ships (points can be placed only in these)."""
    return frozenset(p.lsoa_code for p in _boundaries().places)


@dataclass(frozen=True)
class _Boundaries:
    tree: shapely.STRtree
    places: tuple[PlacedPoint, ...]


@lru_cache(maxsize=1)
def _boundaries() -> _Boundaries:
    """The shipped LSOA polygons (sorted by code) in a spatial index, with each LSOA's district."""
    source = resources.files("safer").joinpath(BOUNDARIES_FILE)
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    features.sort(key=lambda f: f["properties"]["lsoa_code"])
    districts = _lsoa_districts({f["properties"]["lsoa_code"] for f in features})
    geometries = [shapely.geometry.shape(f["geometry"]) for f in features]
    places = tuple(PlacedPoint(f["properties"]["lsoa_code"], f["properties"]["lsoa_name"],
                               districts.get(f["properties"]["lsoa_code"])) for f in features)
    return _Boundaries(tree=shapely.STRtree(geometries), places=places)


def _lsoa_districts(codes: set[str]) -> dict[str, str]:
    source = resources.files("safer").joinpath(LOOKUP_FILE)
    with resources.as_file(source) as path, gzip.open(path, "rt", encoding="utf-8") as handle:
        return {row["lsoa_code"]: row["lad_code"] for row in csv.DictReader(handle) if row["lsoa_code"] in codes}


@lru_cache(maxsize=1)
def _district_forces() -> dict[str, str]:
    source = resources.files("safer").joinpath(FORCE_FILE)
    rows = csv.DictReader(source.read_text(encoding="utf-8").splitlines())
    return {row["lad_code"]: row["force"] for row in rows}


def _point(record: object) -> tuple[str, str] | None:
    if not isinstance(record, dict) or not isinstance(record.get("location"), dict):
        return None
    location = record["location"]
    return location.get("longitude"), location.get("latitude")


def _number(value: object) -> float:
    try:
        return float(value) if value not in (None, "") else float("nan")
    except (TypeError, ValueError):
        return float("nan")


def _text(value: object) -> str:
    """A field value as one line of text ('' for missing)."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def _row(record: object, place: PlacedPoint | None, force: str | None) -> tuple[str, ...]:
    if not isinstance(record, dict):
        return ("",) * len(API_COLUMNS)  # quarantined: every required field is blank
    api_id = _text(record.get("id"))
    crime_id = _text(record.get("persistent_id"))
    location = record.get("location") if isinstance(record.get("location"), dict) else {}
    street = location.get("street") if isinstance(location.get("street"), dict) else {}
    outcome = record.get("outcome_status")
    reported = BTP if record.get("location_type") == "BTP" else (force or "")
    slug = _text(record.get("category"))
    return (
        crime_id or (f"api:{api_id}" if api_id else ""),
        api_id,
        crime_id,
        _text(record.get("month")),
        reported,
        reported,
        _text(location.get("longitude")),
        _text(location.get("latitude")),
        _text(street.get("name")),
        place.lsoa_code if place else "",
        place.lsoa_name if place else "",
        CATEGORY_LABELS.get(slug, slug),
        _text(outcome.get("category")) if isinstance(outcome, dict) else "",
        _text(record.get("context")),
    )


def _matches(local: Path, name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def _convert(local: Path, workdir: Path, name: str) -> tuple[Path, RecordFormat]:
    conversion = convert_records(read_response(local, name), name)
    return write_working_copy(conversion, workdir, name), API_STREET


CONVERTER = register_converter(Converter(name="police.uk API crimes-street JSON", suffixes=SUFFIXES,
                                         matches=_matches, convert=_convert))

__all__ = ["API_STREET", "CATEGORY_LABELS", "CONVERTER", "ApiConversion", "PlacedPoint", "convert_records",
           "place_points", "read_response", "shipped_lsoas"]
