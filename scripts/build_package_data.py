#!/usr/bin/env python3
"""Build the compact data files shipped inside the ``safer`` package.

This script turns the public source data (police.uk CSVs, ONS lookups,
boundaries and population tables) into the small files under
``src/safer/data/``:

``geography/lsoa_lookup.csv.gz``
    One row per 2011 LSOA in England and Wales with its 2018 ward, 2018 local
    authority district, region, Census 2011 population/households/area and
    (London only) the ONS mid-2019 population estimate.
``geography/westminster_wards.geojson``
    The 20 Westminster wards in use from 2014 to 2022.
``geography/lsoa_boundaries_westminster_and_neighbours.geojson``
    Generalised 2011 LSOA polygons for Westminster and the boroughs around it.
``demo/*.zip``
    Demo inputs in the police.uk monthly-archive layout
    (``YYYY-MM/YYYY-MM-<force>-<kind>.csv``), byte-for-byte copies of the
    source CSVs.

Every output is written deterministically (fixed gzip and zip timestamps,
sorted rows, members and features), so running the script twice gives
identical bytes. Consistency checks are asserted and printed.

Usage, from the repository root::

    python scripts/build_package_data.py --real ../shared/data/real
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "src" / "safer" / "data"
GEOGRAPHY_DIR = DATA_DIR / "geography"
DEMO_DIR = DATA_DIR / "demo"

LOOKUP_COLUMNS = [
    "lsoa_code",
    "lsoa_name",
    "ward_code",
    "ward_name",
    "lad_code",
    "lad_name",
    "region_code",
    "region_name",
    "population_2011",
    "households_2011",
    "hectares",
    "population_2019",
]

WALES_REGION_CODE = "W92000004"
WALES_REGION_NAME = "Wales"
WESTMINSTER_LAD = "E09000033"
LONDON_REGION = "E12000007"

# Position-based names for the Census 2011 table. Its header repeats
# "Persons" three times and has one empty column name, so it is read without
# a header and named here.
CENSUS_COLUMNS = [
    "region_code",
    "region_name",
    "lad_code",
    "lad_name",
    "msoa_code",
    "msoa_name",
    "lsoa_code",
    "lsoa_name",
    "blank",
    "usual_residents",
    "household_residents",
    "communal_residents",
    "hectares",
    "persons_per_hectare",
    "households",
    "persons_per_household",
]

COORD_DECIMALS = 5
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
# Demo period: July 2016 to June 2018 (24 months).
DEMO_MONTHS = [str(p) for p in pd.period_range("2016-07", "2018-06", freq="M")]


# --------------------------------------------------------------------------
# LSOA lookup
# --------------------------------------------------------------------------


def read_lsoa_ward_lookup(real: Path) -> pd.DataFrame:
    """Read the ONS LSOA 2011 -> ward 2018 -> LAD 2018 lookup."""
    path = real / "lookups" / (
        "Lower_Layer_Super_Output_Area_2011_to_Ward_2018_Lookup_in_England_and_Wales_v3.csv"
    )
    df = pd.read_csv(path, dtype=str, encoding="utf-8")
    return df.rename(
        columns={
            "LSOA11CD": "lsoa_code",
            "LSOA11NM": "lsoa_name",
            "WD18CD": "ward_code",
            "WD18NM": "ward_name",
            "LAD18CD": "lad_code",
            "LAD18NM": "lad_name",
        }
    )[["lsoa_code", "lsoa_name", "ward_code", "ward_name", "lad_code", "lad_name"]]


def read_lad_region_lookup(real: Path) -> pd.DataFrame:
    """Read the ONS LAD 2018 -> region lookup (England only)."""
    path = real / "lookups" / "Local_Authority_District_to_Region_December_2018_Lookup_in_England.csv"
    df = pd.read_csv(path, dtype=str, encoding="utf-8")
    return df.rename(
        columns={"LAD18CD": "lad_code", "RGN18CD": "region_code", "RGN18NM": "region_name"}
    )[["lad_code", "region_code", "region_name"]]


def _to_int(values: pd.Series) -> pd.Series:
    """Parse numbers written with thousands separators (e.g. ``"1,563"``)."""
    return values.str.replace(",", "", regex=False).str.strip().astype("int64")


def read_census_2011(real: Path) -> pd.DataFrame:
    """Read Census 2011 usual residents, households and hectares per LSOA.

    The file is Latin-1 encoded and uses thousands separators. Of its three
    ``Persons`` columns the first (usual residents) is used.
    """
    path = real / "population" / "census_2011_population_hh.csv"
    raw = pd.read_csv(
        path, encoding="latin-1", header=None, skiprows=1, names=CENSUS_COLUMNS, dtype=str
    )
    return pd.DataFrame(
        {
            "lsoa_code": raw["lsoa_code"].str.strip(),
            "population_2011": _to_int(raw["usual_residents"]),
            "households_2011": _to_int(raw["households"]),
            "hectares": _to_int(raw["hectares"]),
        }
    )


def read_mid2019_population(real: Path) -> pd.DataFrame:
    """Read the ONS mid-2019 population estimate (all ages) for London LSOAs."""
    path = real / "population" / "london-mid2019-pop.csv"
    raw = pd.read_csv(path, dtype=str, encoding="utf-8")
    return pd.DataFrame(
        {
            "lsoa_code": raw["LSOA11CD"],
            "population_2019": _to_int(raw["Persons_All-Ages"]).astype("Int64"),
        }
    )


def build_lsoa_lookup(real: Path) -> pd.DataFrame:
    """Join the lookups and population tables into one row per LSOA."""
    lookup = read_lsoa_ward_lookup(real)
    regions = read_lad_region_lookup(real)
    census = read_census_2011(real)
    mid2019 = read_mid2019_population(real)

    df = lookup.merge(regions, on="lad_code", how="left", validate="many_to_one")
    welsh = df["lad_code"].str.startswith("W")
    df.loc[welsh, "region_code"] = WALES_REGION_CODE
    df.loc[welsh, "region_name"] = WALES_REGION_NAME
    assert df["region_code"].notna().all(), "LAD without a region"

    df = df.merge(census, on="lsoa_code", how="left", validate="one_to_one")
    assert df["population_2011"].notna().all(), "LSOA missing from the Census 2011 table"

    unmatched_2019 = set(mid2019["lsoa_code"]) - set(df["lsoa_code"])
    assert not unmatched_2019, f"mid-2019 LSOAs not in the lookup: {sorted(unmatched_2019)[:5]}"
    df = df.merge(mid2019, on="lsoa_code", how="left", validate="one_to_one")

    return df[LOOKUP_COLUMNS].sort_values("lsoa_code", ignore_index=True)


def check_lsoa_lookup(df: pd.DataFrame) -> list[str]:
    """Assert the expected totals and return them as printable lines."""
    wm = df[df["lad_code"] == WESTMINSTER_LAD]
    london = df[df["region_code"] == LONDON_REGION]
    checks = {
        "rows": (len(df), 34_753),
        "unique lsoa_code": (df["lsoa_code"].nunique(), len(df)),
        "Westminster LSOAs": (len(wm), 128),
        "Westminster wards": (wm["ward_code"].nunique(), 20),
        "Westminster population_2011": (int(wm["population_2011"].sum()), 219_396),
        "Westminster population_2019": (int(wm["population_2019"].sum()), 261_317),
        "London LADs": (london["lad_code"].nunique(), 33),
        "London LSOAs with population_2019": (int(london["population_2019"].notna().sum()), 4_835),
        "non-London LSOAs with population_2019": (
            int(df.loc[df["region_code"] != LONDON_REGION, "population_2019"].notna().sum()),
            0,
        ),
    }
    lines = []
    for name, (got, expected) in checks.items():
        assert got == expected, f"{name}: got {got}, expected {expected}"
        lines.append(f"  ok  {name}: {got:,}")
    return lines


def write_gzip_csv(df: pd.DataFrame, path: Path) -> None:
    """Write a UTF-8 CSV, gzip-compressed with no embedded name or time."""
    text = df.to_csv(index=False, lineterminator="\n")
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


# --------------------------------------------------------------------------
# Boundaries
# --------------------------------------------------------------------------


def _round_ring(ring: Sequence[Sequence[float]]) -> list[list[float]]:
    """Round a linear ring's coordinates and drop repeated consecutive points.

    Points are only dropped when the ring keeps at least four positions, so
    every ring stays valid GeoJSON.
    """
    rounded = [[round(x, COORD_DECIMALS), round(y, COORD_DECIMALS)] for x, y, *_ in ring]
    deduped = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
    return deduped if len(deduped) >= 4 else rounded


def round_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    """Return a Polygon or MultiPolygon with coordinates rounded."""
    kind = geometry["type"]
    if kind == "Polygon":
        coords: Any = [_round_ring(r) for r in geometry["coordinates"]]
    elif kind == "MultiPolygon":
        coords = [[_round_ring(r) for r in poly] for poly in geometry["coordinates"]]
    else:
        raise ValueError(f"unsupported geometry type {kind}")
    return {"type": kind, "coordinates": coords}


def reduce_features(
    features: Iterable[dict[str, Any]], keep: dict[str, str], sort_key: str
) -> list[dict[str, Any]]:
    """Keep and rename the listed properties, round geometry, sort features."""
    out = [
        {
            "type": "Feature",
            "properties": {new: f["properties"][old] for old, new in keep.items()},
            "geometry": round_geometry(f["geometry"]),
        }
        for f in features
    ]
    return sorted(out, key=lambda f: f["properties"][sort_key])


def write_geojson(features: list[dict[str, Any]], path: Path) -> None:
    """Write a compact RFC 7946 FeatureCollection (WGS84 lon/lat, no ``crs``)."""
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def build_ward_boundaries(real: Path) -> list[dict[str, Any]]:
    """Westminster's 2014-2022 wards with ``ward_code`` and ``ward_name``."""
    path = real / "boundaries" / "westminster_wards_2014_WD20" / "E09000033_wards_WD20.geojson"
    source = json.loads(path.read_text(encoding="utf-8"))
    features = reduce_features(
        source["features"], {"WD20CD": "ward_code", "WD20NM": "ward_name"}, "ward_code"
    )
    assert len(features) == 20, len(features)
    return features


def build_lsoa_boundaries(real: Path) -> list[dict[str, Any]]:
    """All 2011 LSOA polygons for Westminster and its neighbours, merged."""
    folder = real / "boundaries" / "lsoa11_westminster_and_neighbours"
    features: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.geojson")):
        features.extend(json.loads(path.read_text(encoding="utf-8"))["features"])
    out = reduce_features(features, {"LSOA11CD": "lsoa_code", "LSOA11NM": "lsoa_name"}, "lsoa_code")
    codes = [f["properties"]["lsoa_code"] for f in out]
    assert len(codes) == len(set(codes)), "duplicate LSOA polygons"
    return out


# --------------------------------------------------------------------------
# Demo archives
# --------------------------------------------------------------------------


def collect_members(folder: Path, suffixes: Sequence[str]) -> list[tuple[str, Path]]:
    """List ``(archive name, source path)`` for every demo month and suffix.

    ``folder`` holds ``YYYY-MM/YYYY-MM-<suffix>`` files; every month and
    suffix must exist.
    """
    members = []
    for month in DEMO_MONTHS:
        for suffix in suffixes:
            name = f"{month}/{month}-{suffix}"
            path = folder / name
            assert path.is_file(), f"missing {path}"
            members.append((name, path))
    return sorted(members)


def write_zip(members: Sequence[tuple[str, Path]], path: Path) -> None:
    """Write a reproducible deflate-9 ZIP with fixed timestamps and modes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, source in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, source.read_bytes(), compresslevel=9)
    path.write_bytes(buffer.getvalue())


def verify_zip(members: Sequence[tuple[str, Path]], path: Path) -> None:
    """Check the archive holds exactly the members, byte-for-byte."""
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == [n for n, _ in members]
        for name, source in members:
            assert archive.read(name) == source.read_bytes(), name


def build_demo_archives(real: Path) -> dict[Path, int]:
    """Write the three demo ZIPs and return their member counts."""
    specs = {
        "westminster-street-2016-07-to-2018-06.zip": (
            real / "crime_api_westminster_wards" / "police_uk_format",
            ["btp-street.csv", "metropolitan-street.csv"],
        ),
        "met-burglary-street-outcomes-2016-07-to-2018-06.zip": (
            real / "met_burglary_street_outcomes",
            ["metropolitan-outcomes.csv", "metropolitan-street.csv"],
        ),
        "met-stop-and-search-westminster-2016-07-to-2018-06.zip": (
            real / "met_stop_and_search_westminster_bbox",
            ["metropolitan-stop-and-search.csv"],
        ),
    }
    counts = {}
    for filename, (folder, suffixes) in specs.items():
        members = collect_members(folder, suffixes)
        target = DEMO_DIR / filename
        write_zip(members, target)
        verify_zip(members, target)
        counts[target] = len(members)
    return counts


# --------------------------------------------------------------------------
# Reporting and entry point
# --------------------------------------------------------------------------


def report_lsoas_missing_from_lookup(real: Path, lookup: pd.DataFrame) -> list[str]:
    """Count demo street/outcome rows whose LSOA code is blank or unknown."""
    known = set(lookup["lsoa_code"])
    lines = []
    for folder, pattern in [
        (real / "crime_api_westminster_wards" / "police_uk_format", "*/*-street.csv"),
        (real / "met_burglary_street_outcomes", "*/*-street.csv"),
        (real / "met_burglary_street_outcomes", "*/*-outcomes.csv"),
    ]:
        frames = [
            pd.read_csv(p, dtype=str, usecols=["LSOA code"], keep_default_na=False)
            for p in sorted(folder.glob(pattern))
        ]
        codes = pd.concat(frames)["LSOA code"]
        blank = int((codes == "").sum())
        unknown = codes[(codes != "") & ~codes.isin(known)]
        lines.append(
            f"  {folder.name}/{pattern}: {len(codes):,} rows, {blank:,} blank LSOA, "
            f"{len(unknown):,} rows in {unknown.nunique()} LSOA codes not in the lookup"
            + (f" (e.g. {', '.join(sorted(unknown.unique())[:5])})" if len(unknown) else "")
        )
    return lines


def human_size(path: Path) -> str:
    """File size in bytes and KiB."""
    size = path.stat().st_size
    return f"{size:>10,} bytes ({size / 1024:,.1f} KiB)"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--real",
        type=Path,
        default=Path("../shared/data/real"),
        help="folder with the public source data (default: ../shared/data/real)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Build every package data file and print the checks."""
    real: Path = parse_args(argv).real.resolve()
    assert real.is_dir(), f"source data folder not found: {real}"
    GEOGRAPHY_DIR.mkdir(parents=True, exist_ok=True)
    DEMO_DIR.mkdir(parents=True, exist_ok=True)

    print(f"Source data: {real}")
    lookup = build_lsoa_lookup(real)
    print("LSOA lookup checks:")
    print("\n".join(check_lsoa_lookup(lookup)))
    write_gzip_csv(lookup, GEOGRAPHY_DIR / "lsoa_lookup.csv.gz")

    wards = build_ward_boundaries(real)
    write_geojson(wards, GEOGRAPHY_DIR / "westminster_wards.geojson")
    lsoas = build_lsoa_boundaries(real)
    write_geojson(lsoas, GEOGRAPHY_DIR / "lsoa_boundaries_westminster_and_neighbours.geojson")
    print(f"Boundaries: {len(wards)} wards, {len(lsoas):,} LSOA polygons")

    counts = build_demo_archives(real)
    print("Demo archives (members verified byte-for-byte):")
    for path, n in counts.items():
        print(f"  {path.name}: {n} members")

    print("LSOA codes in the demo street/outcome files:")
    print("\n".join(report_lsoas_missing_from_lookup(real, lookup)))

    print("Output files:")
    for path in sorted(GEOGRAPHY_DIR.glob("*")) + sorted(DEMO_DIR.glob("*")):
        if path.suffix != ".md":
            print(f"  {path.relative_to(REPO_ROOT)}  {human_size(path)}")
    geo_total = sum(p.stat().st_size for p in GEOGRAPHY_DIR.glob("*") if p.suffix != ".md")
    print(f"  geography total: {geo_total / 1024 / 1024:.2f} MiB")


if __name__ == "__main__":
    main()
