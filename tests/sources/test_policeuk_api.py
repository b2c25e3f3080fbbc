"""Saved police.uk API crimes-street responses: loaded like street CSVs, deduplicated by API id, LSOAs by polygon."""

from __future__ import annotations

import gzip
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from shapely.geometry import shape

import safer
from policeuk_samples import copy_warehouse_file, quarantine_rows
from safer.errors import SourceError
from safer.sources.files import discover
from safer.sources.policeuk_api import convert_records, place_points
from safer.warehouse.connect import open_warehouse, run
from safer.warehouse.ingest import ingest_paths

# shared/ sits beside the repository (here and in CI's fresh clone)
REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real" / "crime_api_westminster_wards"
MONTH = "2017-07"
JSON_DIR = REAL / "raw_json_gz" / "london_month_2017_07"
CSV_DIR = REAL / "police_uk_format" / MONTH

pytestmark = pytest.mark.skipif(not JSON_DIR.exists(), reason="shared real data not available")


def _record(api_id, *, category="burglary", persistent_id=None, lon="-0.134558", lat="51.511291",
            location_type="Force", outcome=None, month="2018-01"):
    location = None if lon is None else {"latitude": lat, "longitude": lon, "street": {"id": 1, "name": "On or near X"}}
    return {"category": category, "context": "", "id": api_id, "location": location, "location_subtype": "",
            "location_type": location_type, "month": month,
            "outcome_status": {"category": outcome, "date": month} if outcome else None,
            "persistent_id": persistent_id if persistent_id is not None else f"crime{api_id}"}


def _write_json(path: Path, records) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(records).encode()
    if path.name.endswith(".gz"):
        with gzip.open(path, "wb") as handle:
            handle.write(data)
    else:
        path.write_bytes(data)
    return path


def _by_type(wh) -> dict[str, int]:
    return dict(run(wh.duckdb, "SELECT crime_type, count(*) FROM crimes GROUP BY 1"))


@pytest.fixture(scope="module")
def json_and_csv_loads(tmp_path_factory, empty_warehouse_file):
    """One month of the raw ward responses and the same month's police.uk-layout CSVs, in two warehouses."""
    folder = tmp_path_factory.mktemp("api")
    out = {}
    for name, source in (("json", JSON_DIR), ("csv", CSV_DIR)):
        wh = open_warehouse(copy_warehouse_file(empty_warehouse_file, folder / f"{name}.duckdb"))
        try:
            results = ingest_paths(wh, [source])
            out[name] = (results, _by_type(wh),
                         dict(run(wh.duckdb, "SELECT record_key, lsoa_code FROM crimes WHERE crime_id IS NOT NULL")),
                         run(wh.duckdb, "SELECT count(*) FROM crimes WHERE lsoa_code IS NULL")[0][0])
        finally:
            wh.close()
    return out


def test_json_and_csv_paths_of_the_same_month_give_the_same_counts_by_type(json_and_csv_loads):
    _, json_counts, _, _ = json_and_csv_loads["json"]
    _, csv_counts, _, _ = json_and_csv_loads["csv"]
    assert json_counts == csv_counts
    assert sum(json_counts.values()) > 5000


def test_records_in_two_wards_responses_load_once_by_api_id(json_and_csv_loads):
    results, counts, _, _ = json_and_csv_loads["json"]
    identities, raw_records = set(), 0
    for path in sorted(JSON_DIR.glob("*.json.gz")):
        for record in json.loads(gzip.decompress(path.read_bytes())):
            raw_records += 1
            identities.add(record["persistent_id"] or f"api:{record['id']}")
    assert sum(r.rows_read for r in results) == raw_records
    assert sum(r.rows_loaded for r in results) == len(identities) == sum(counts.values())
    assert sum(r.rows_duplicate for r in results) == raw_records - len(identities) > 0
    assert all(r.format == "policeuk-api-street" and r.balanced for r in results)


def test_lsoas_placed_by_polygon_mostly_agree_with_the_published_lsoas(json_and_csv_loads):
    _, _, json_lsoas, unplaced = json_and_csv_loads["json"]
    _, _, csv_lsoas, _ = json_and_csv_loads["csv"]
    shared = [key for key in json_lsoas if key in csv_lsoas]
    agree = sum(json_lsoas[k] == csv_lsoas[k] for k in shared) / len(shared)
    assert len(shared) > 4000
    assert agree > 0.9  # the generalised boundaries put edge points in the neighbouring LSOA now and then
    assert unplaced == 0  # every Westminster ward point lies inside the shipped boundaries


def test_gzipped_and_plain_responses_load_alike(tmp_path, warehouse):
    source = sorted(JSON_DIR.glob("*.json.gz"))[0]
    plain = tmp_path / source.name[:-3]
    plain.write_bytes(gzip.decompress(source.read_bytes()))
    first = ingest_paths(warehouse, [plain])[0]
    again = ingest_paths(warehouse, [source])[0]  # same content hash: a no-op re-ingest
    records = json.loads(plain.read_bytes())
    assert first.rows_read == len(records)
    assert again.already_loaded


def _inside(lsoa_code: str) -> tuple[float, float]:
    """A point certainly inside one shipped LSOA polygon (shapely's representative point)."""
    path = Path(safer.__file__).parent / "data" / "geography" / "lsoa_boundaries_westminster_and_neighbours.geojson"
    feature = next(f for f in json.loads(path.read_text())["features"] if f["properties"]["lsoa_code"] == lsoa_code)
    point = shape(feature["geometry"]).representative_point()
    return point.x, point.y


def test_points_outside_the_shipped_boundaries_are_counted_not_placed():
    lon, lat = _inside("E01004736")
    records = [_record(1, lon=str(lon), lat=str(lat)), _record(2, lon="-2.2426", lat="53.4808"), _record(3, lon=None)]
    conversion = convert_records(records)
    assert conversion.unplaced == 2
    assert [row[9] for row in conversion.rows] == ["E01004736", "", ""]
    assert conversion.force == "Metropolitan Police Service"


def test_point_in_polygon_places_known_points():
    codes = ["E01004736", "E01000914", "E01002819"]  # Westminster 018A, Camden 028B, Kensington and Chelsea 012B
    points = [_inside(code) for code in codes]
    placed = place_points([p[0] for p in points], [p[1] for p in points])
    assert [p.lsoa_code for p in placed] == codes
    assert [p.lad_code for p in placed] == ["E09000033", "E09000007", "E09000020"]


def test_unknown_category_is_quarantined_and_btp_records_keep_their_force(tmp_path, warehouse):
    records = [_record(1), _record(2, category="bicycle-crimes"), _record(3, location_type="BTP", persistent_id="")]
    path = _write_json(tmp_path / "ward.json", records)
    result = ingest_paths(warehouse, [path])[0]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    rows = quarantine_rows(warehouse.duckdb)
    assert rows[0][0] == 3 and rows[0][1] == "Crime type" and "'bicycle-crimes' is not a police.uk crime type" in rows[0][2]
    forces = dict(run(warehouse.duckdb, "SELECT record_key, reported_by FROM crimes"))
    assert forces == {"crime1": "Metropolitan Police Service", "api:3": "British Transport Police"}


@pytest.mark.parametrize("content, message", [
    (b"[{\"id\": 1,", "not valid JSON"),
    (b"{\"id\": 1}", "expected a police.uk API crimes-street response"),
])
def test_a_file_that_is_not_a_response_is_refused(tmp_path, warehouse, content, message):
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=message) as error:
        ingest_paths(warehouse, [path])
    assert "broken.json" in str(error.value)
    assert run(warehouse.duckdb, "SELECT count(*) FROM ingest_ledger")[0][0] == 0


def test_a_response_with_no_placeable_point_is_refused(tmp_path, warehouse):
    path = _write_json(tmp_path / "manchester.json.gz", [_record(1, lon="-2.2426", lat="53.4808")])
    with pytest.raises(SourceError, match="none of the response's 1 records"):
        ingest_paths(warehouse, [path])


def test_responses_are_found_in_folders_and_zips(tmp_path):
    folder = tmp_path / "responses"
    _write_json(folder / "a.json", [_record(1)])
    _write_json(folder / "b.json.gz", [_record(2)])
    archive = shutil.make_archive(str(tmp_path / "responses"), "zip", folder)
    assert sorted(Path(i.name).name for i in discover([folder])) == ["a.json", "b.json.gz"]
    assert sorted(i.member for i in discover([Path(archive)])) == ["a.json", "b.json.gz"]
    assert Counter(i.path.suffix for i in discover([folder, Path(archive)]))[".zip"] == 2
