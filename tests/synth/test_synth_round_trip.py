"""Every contract round-trips: synth -> ingest -> the warehouse holds exactly what was generated.

Counts are taken from the generated CSV files with pandas and compared with the ledger, the quarantine
and the warehouse tables; person-level files must be refused, naming their identifying fields. Where a
row gives only a point, its LSOA is found here with geopandas from the packaged boundary file and its
ward from the ONS lookup in the shared real data folder.
"""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from real_data import ONS_WARD_LOOKUP

from safer.errors import SaferError
from safer.sources.contracts import CONTRACTS
from safer.synth import LOADABLE_FOLDER, PERSON_FOLDER, generate
from safer.warehouse.connect import run
from safer.warehouse.ingest import ingest_paths

BOUNDARIES = "data/geography/lsoa_boundaries_westminster_and_neighbours.geojson"
LOADABLE = sorted(name for name, c in CONTRACTS.items() if not c.identifying)
PERSON_LEVEL = sorted(name for name, c in CONTRACTS.items() if c.identifying)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("round-trip")
    generate("E09000033", seed=3, out=out, region=False)
    return out


def test_the_generator_writes_every_contract_in_the_right_folder(generated):
    assert sorted(p.name for p in (generated / LOADABLE_FOLDER).glob("*.csv")) == \
        [f"synthetic-{n}.csv" for n in LOADABLE]
    assert sorted(p.name for p in (generated / PERSON_FOLDER).glob("*.csv")) == \
        [f"synthetic-{n}.csv" for n in PERSON_LEVEL]


def test_every_loadable_contract_round_trips(generated, warehouse):
    results = {Path(r.source_file).name: r for r in ingest_paths(warehouse, [generated / LOADABLE_FOLDER])}
    for name in LOADABLE:
        path = generated / LOADABLE_FOLDER / f"synthetic-{name}.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        result = results[path.name]
        assert result.format == f"{name} (synthetic)"
        assert (result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_duplicate) == \
            (len(frame), len(frame), 0, 0), name
        table = CONTRACTS[name].table
        stored, synthetic = run(warehouse.duckdb, f"SELECT count(*), count(*) FILTER (WHERE synthetic) FROM {table}")[0]
        assert stored == synthetic == len(frame), name
    offences = run(warehouse.duckdb, "SELECT sum(offences) FROM hate_crime_counts")[0][0]
    generated_offences = pd.read_csv(generated / LOADABLE_FOLDER / "synthetic-hate-crime-counts.csv")["Offences"].sum()
    assert offences == generated_offences
    las = pd.read_csv(generated / LOADABLE_FOLDER / "synthetic-las-assaults.csv", dtype=str, keep_default_na=False)
    by_type = dict(run(warehouse.duckdb, "SELECT injury_type, count(*) FROM las_assaults GROUP BY ALL"))
    assert by_type == las["Injury type"].value_counts().to_dict()
    again = ingest_paths(warehouse, [generated / LOADABLE_FOLDER])
    assert all(r.already_loaded for r in again)


@pytest.mark.parametrize("name", PERSON_LEVEL)
def test_every_person_level_file_is_refused_naming_the_fields_that_identify_people(generated, warehouse, name):
    path = generated / PERSON_FOLDER / f"synthetic-{name}.csv"
    header = pd.read_csv(path, nrows=0).columns.tolist()
    with pytest.raises(SaferError) as info:
        ingest_paths(warehouse, [path])
    message = str(info.value)
    assert path.name in message and "pseudonymis" in message
    for column in CONTRACTS[name].identifying:
        assert column in header and column in message
    assert run(warehouse.duckdb, "SELECT count(*) FROM ingest_ledger")[0][0] == 0


# ---------------------------------------------------------------------- rows giving only their coordinates

PLACED_BY_POINT = sorted(name for name, c in CONTRACTS.items() if c.placed_by_coordinates)


def _polygons() -> gpd.GeoDataFrame:
    with resources.as_file(resources.files("safer").joinpath(BOUNDARIES)) as path:
        return gpd.read_file(path)[["lsoa_code", "geometry"]]


def _lsoa_of_points(polygons: gpd.GeoDataFrame, frame: pd.DataFrame) -> pd.Series:
    """The LSOA polygon each row's point lies within (geopandas), by row index; NaN outside them all."""
    points = gpd.GeoDataFrame(index=frame.index, crs=polygons.crs, geometry=gpd.points_from_xy(
        frame["Longitude"].astype(float), frame["Latitude"].astype(float)))
    joined = gpd.sjoin(points, polygons, predicate="within")
    return joined.groupby(level=0)["lsoa_code"].min().reindex(frame.index)


def test_some_rows_give_only_a_point_and_load_into_the_lsoa_and_ward_that_contain_it(generated, warehouse):
    ingest_paths(warehouse, [generated / LOADABLE_FOLDER])
    polygons = _polygons()
    lookup = pd.read_csv(ONS_WARD_LOOKUP, dtype=str)
    ward_of = dict(zip(lookup["LSOA11CD"], lookup["WD18CD"]))
    for name in PLACED_BY_POINT:
        c = CONTRACTS[name]
        frame = pd.read_csv(generated / LOADABLE_FOLDER / f"synthetic-{name}.csv", dtype=str, keep_default_na=False)
        only_point = frame[(frame["LSOA code"] == "") & (frame["Ward code"] == "") & (frame["Longitude"] != "")]
        assert 0.01 < len(only_point) / len(frame) < 0.06, name  # a few percent
        lsoas = _lsoa_of_points(polygons, only_point)
        assert lsoas.notna().all(), name  # the generator draws every point inside a shipped polygon
        key = c.column(c.key[0])
        expected = {ref: (lsoa, ward_of[lsoa]) for ref, lsoa in zip(only_point[key.name], lsoas)}
        stored = {ref: (lsoa, ward) for ref, lsoa, ward in run(
            warehouse.duckdb, f"SELECT {key.field}, lsoa_code, ward_code FROM {c.table} WHERE lsoa_from_coordinates")}
        assert stored == expected, name
        # every record has a ward in the warehouse, and the ward totals are those of the file
        ward = frame["LSOA code"].map(ward_of).where(frame["LSOA code"] != "", frame["Ward code"])
        ward[only_point.index] = [ward_of[lsoa] for lsoa in lsoas]
        by_ward = dict(run(warehouse.duckdb, f"SELECT ward_code, count(*) FROM {c.table} GROUP BY ALL"))
        assert by_ward == ward.value_counts().to_dict(), name


def test_points_given_with_an_lsoa_lie_in_that_lsoa():
    with tempfile.TemporaryDirectory() as tmp:
        generate("E09000033", seed=5, out=Path(tmp), region=True, datasets=("council-asb",))
        asb = pd.read_csv(Path(tmp) / LOADABLE_FOLDER / "synthetic-council-asb.csv", dtype=str, keep_default_na=False)
    both = asb[(asb["LSOA code"] != "") & (asb["Longitude"] != "")]
    assert len(both) > 0.5 * len(asb)
    assert (_lsoa_of_points(_polygons(), both) == both["LSOA code"]).all()


def test_the_same_seed_writes_the_same_points(tmp_path):
    files = []
    for run_number in (1, 2):
        out = tmp_path / str(run_number)
        generate("E09000033", seed=11, out=out, region=False, datasets=("las-assaults",))
        files.append((out / LOADABLE_FOLDER / "synthetic-las-assaults.csv").read_bytes())
    assert files[0] == files[1]
    other = tmp_path / "other"
    generate("E09000033", seed=12, out=other, region=False, datasets=("las-assaults",))
    assert (other / LOADABLE_FOLDER / "synthetic-las-assaults.csv").read_bytes() != files[0]
