"""The new victim contracts round-trip: synth -> pseudonymised ingest -> the warehouse holds what was generated.

Counts are taken from the generated CSV files with pandas and compared with the ingest ledger and the
warehouse tables; no name or date of birth of the input may reach the warehouse.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from safer.privacy import new_key_file, pseudonymising
from safer.sources.contracts import CONTRACTS
from safer.synth import PERSON_FOLDER, generate
from safer.warehouse.connect import run
from safer.warehouse.ingest import ingest_paths

NEW = ("crime-victims", "asb-victims")
CATEGORY = {"crime-victims": ("Offence group", "offence_group"), "asb-victims": ("ASB type", "asb_type")}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("victims")
    generate("E09000033", seed=4, out=out, region=False, datasets=NEW)
    return out


@pytest.mark.parametrize("name", NEW)
def test_the_victim_file_loads_pseudonymised_and_complete(generated, warehouse, tmp_path, name):
    path = generated / PERSON_FOLDER / f"synthetic-{name}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    with pseudonymising(warehouse, new_key_file(tmp_path / "partnership.key")):
        (result,) = ingest_paths(warehouse, [path])
    assert result.format == f"{name} (synthetic) (pseudonymised)"
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_duplicate) == \
        (len(frame), len(frame), 0, 0)
    table = CONTRACTS[name].table
    stored, synthetic = run(warehouse.duckdb, f"SELECT count(*), count(*) FILTER (WHERE synthetic) FROM {table}")[0]
    assert stored == synthetic == len(frame)
    header, field = CATEGORY[name]
    by_category = dict(run(warehouse.duckdb, f"SELECT {field}, count(*) FROM {table} GROUP BY ALL"))
    assert by_category == frame[header].value_counts().to_dict()
    people = frame["Victim forename"] + "|" + frame["Victim surname"] + "|" + frame["Victim date of birth"]
    tokens = run(warehouse.duckdb, f"SELECT count(DISTINCT name_dob_token) FROM {table}")[0][0]
    assert tokens == people.nunique()  # one token per person, and no two people share one
    if name == "asb-victims":
        assert run(warehouse.duckdb, f"SELECT count(DISTINCT case_token) FROM {table}")[0][0] == \
            frame["Victim ID"].nunique()
    stored_values = {str(v) for row in run(warehouse.duckdb, f"SELECT * FROM {table}") for v in row}
    assert not stored_values & (set(frame["Victim surname"]) | set(frame["Victim forename"])
                                | set(frame["Victim date of birth"]))
