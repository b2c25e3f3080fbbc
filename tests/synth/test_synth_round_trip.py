"""Every contract round-trips: synth -> ingest -> the warehouse holds exactly what was generated.

Counts are taken from the generated CSV files with pandas and compared with the ledger, the quarantine
and the warehouse tables; person-level files must be refused, naming their identifying fields.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from safer.errors import SaferError
from safer.sources.contracts import CONTRACTS
from safer.synth import LOADABLE_FOLDER, PERSON_FOLDER, generate
from safer.warehouse.connect import run
from safer.warehouse.ingest import ingest_paths

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
