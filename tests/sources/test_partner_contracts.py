"""Partner dataset contracts: their definitions, the formats they register, and ingest of hand-made files.

The expected values are written out from the contract pages (docs/contracts/) and the hand-made rows,
not read back from safer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from safer.cli import app
from safer.errors import SaferError, SourceError
from safer.sources.contracts import CONTRACTS, FORMATS, SYNTHETIC_FORMATS, contract, formats_for, load_contract
from safer.sources.contracts.docs import contract_page, index_page
from safer.sources.formats import registered_formats
from safer.warehouse.connect import run
from safer.warehouse.ingest import ingest_paths

DOCS = Path(__file__).resolve().parents[2] / "docs" / "contracts"
LAS_HEADER = ("Incident number,Incident datetime,Injury type,Patient age band,Patient sex,LSOA code,Ward code,"
              "Longitude,Latitude")
MARAC_HEADER = ("Case ID,Victim forename,Victim surname,Victim date of birth,Referral date,Referring agency,"
                "Repeat case,Victim sex,Victim age band,BME,LGBT,Disability,Children in household,Ward code")
HATE_HEADER = "Month,Area code,Strand,Offences"

EXPECTED_CONTRACTS = {
    "council-asb", "las-assaults", "las-alcohol", "las-overdoses", "lfb-incidents", "btp-incidents", "tfl-incidents",
    "hate-crime-counts", "hate-crime-victims", "hate-crime-suspects", "marac-cases", "vawg-referrals", "yos-caseload",
    "yos-offences", "igu-cohort", "iom-cohort", "iom-offences", "cse-risk-assessments", "troubled-families",
    "adult-safeguarding", "drug-alcohol-treatment", "prevent-referrals", "rough-sleeping-counts", "reoffending-rates",
    "crime-victims", "asb-victims",
}
TIMED = {"council-asb", "las-assaults", "las-alcohol", "las-overdoses", "lfb-incidents", "btp-incidents",
         "tfl-incidents"}


def _write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_every_dataset_of_the_issue_has_a_contract_and_the_timed_ones_carry_times():
    assert set(CONTRACTS) == EXPECTED_CONTRACTS
    assert {name for name, c in CONTRACTS.items() if c.timed} == TIMED
    for name, c in CONTRACTS.items():
        assert c.role("lsoa") or c.role("ward") or c.role("area"), name  # every dataset has a place
        assert c.level in ("incident", "aggregate", "person")
        assert bool(c.identifying) == (c.level == "person"), name


@pytest.mark.parametrize("name, fields", [
    ("marac-cases", {"Case ID", "Victim forename", "Victim surname", "Victim date of birth"}),
    ("troubled-families", {"Family ID", "Postcode"}),
    ("iom-cohort", {"PNC ID", "Forename", "Surname", "Date of birth"}),
    ("las-assaults", set()),
    ("hate-crime-counts", set()),
])
def test_fields_that_identify_a_person_are_marked_and_never_become_warehouse_columns(name, fields):
    assert set(contract(name).identifying) == fields
    stored = {target for target, _, _ in FORMATS[name].targets}
    for field in fields:
        assert contract(name).column(field).field not in stored


def test_no_two_registered_formats_share_a_header():
    headers = [fmt.columns for fmt in registered_formats()]
    assert len(headers) == len(set(headers))


def test_the_synthetic_variant_is_the_header_plus_synthetic_and_loads_into_the_same_table():
    for name in CONTRACTS:
        real, synthetic = FORMATS[name], SYNTHETIC_FORMATS[name]
        assert synthetic.columns == (*real.columns, "Synthetic")
        assert synthetic.table == real.table
        assert [t[:2] for t in synthetic.targets] == [t[:2] for t in real.targets]


@pytest.mark.parametrize("text, complaint", [
    ('name = "x-y"\ntitle = "t"\nagency = "a"\nlevel = "incident"\ndescription = "d"\n'
     '[[columns]]\nname = "Kind"\ntype = "category"\ndescription = "d"\n', "allowed values"),
    ('name = "x-y"\ntitle = "t"\nagency = "a"\nlevel = "incident"\ndescription = "d"\n[roles]\nwhen = "Kind"\n'
     '[[columns]]\nname = "Kind"\ntype = "text"\ndescription = "d"\n', "role 'when'"),
    ('name = "x-y"\ntitle = "t"\nagency = "a"\nlevel = "person"\ndescription = "d"\n'
     '[[columns]]\nname = "Kind"\ntype = "text"\ndescription = "d"\n', "person-level"),
    ('name = "x-y"\ntitle = "t"\nagency = "a"\nlevel = "incident"\ndescription = "d"\ncolour = "red"\n'
     '[[columns]]\nname = "Kind"\ntype = "text"\ndescription = "d"\n', "unknown setting"),
])
def test_a_broken_contract_file_is_refused_naming_the_file_and_the_problem(tmp_path, text, complaint):
    path = tmp_path / "x-y.toml"
    path.write_text(text)
    with pytest.raises(ValueError) as info:
        load_contract(path)
    assert "x-y.toml" in str(info.value) and complaint in str(info.value)


def test_las_rows_are_typed_checked_and_quarantined_with_line_field_and_reason(warehouse, tmp_path):
    path = _write(tmp_path / "las.csv", LAS_HEADER, [
        "A1,2018-03-31 23:15,Minor Assault,20-24,Male,E01004734,E05000644,,",       # line 2: good
        "A2,2018-04-01 01:05:30,Knife Injury,,Female,,E05000649,,",                  # line 3: good, ward only
        "A3,2018-13-01 01:00,Minor Assault,20-24,Male,E01004734,,,",                 # line 4: no month 13
        "A4,2018-03-31T23:15+01:00,Minor Assault,20-24,Male,E01004734,,,",           # line 5: a time zone
        "A5,2018-03-31 22:00,Kicked,20-24,Male,E01004734,,,",                        # line 6: unknown injury type
        "A6,2018-03-31 22:00,Minor Assault,20-24,Male,,,,",                          # line 7: no place
        "A7,2018-03-31 22:00,Minor Assault,20-24,Male,W1D 4HS,,,",                   # line 8: not an LSOA
        ",2018-03-31 22:00,Minor Assault,20-24,Male,E01004734,,,",                   # line 9: no incident number
        "A1,2018-03-31 23:15,Minor Assault,20-24,Male,E01004734,E05000644,,",       # line 10: duplicate of A1
        "A8,2018-03-31 22:00,Minor Assault,20-24,Male,E01004734,,",                  # line 11: a field missing
    ])
    (result,) = ingest_paths(warehouse, [path])
    assert (result.format, result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_duplicate) == \
        ("las-assaults", 10, 2, 7, 1)
    quarantined = {line: (field, reason) for line, field, reason in
                   run(warehouse.duckdb, "SELECT line_no, field, reason FROM quarantine ORDER BY line_no")}
    assert set(quarantined) == {4, 5, 6, 7, 8, 9, 11}
    assert quarantined[4][0] == "Incident datetime" and "'2018-13-01 01:00' is not a local date" in quarantined[4][1]
    assert quarantined[5][0] == "Incident datetime" and "no time zone" in quarantined[5][1]
    assert quarantined[6][0] == "Injury type" and "'Kicked'" in quarantined[6][1]
    assert "Minor Assault" in quarantined[6][1]
    assert "give the place" in quarantined[7][1]
    assert quarantined[8][0] == "LSOA code" and "'W1D 4HS' is not an LSOA code" in quarantined[8][1]
    assert quarantined[9][0] == "Incident number" and "required" in quarantined[9][1]
    assert quarantined[11][0] == "(whole row)" and "expected 9" in quarantined[11][1]
    loaded = run(warehouse.duckdb, "SELECT incident_number, CAST(incident_datetime AS VARCHAR), injury_type, "
                                   "patient_age_band, lsoa_code, ward_code, CAST(month AS VARCHAR), synthetic "
                                   "FROM las_assaults ORDER BY incident_number")
    assert loaded == [("A1", "2018-03-31 23:15:00", "Minor Assault", "20-24", "E01004734", "E05000644", "2018-03-01",
                       False),
                      ("A2", "2018-04-01 01:05:30", "Knife Injury", None, None, "E05000649", "2018-04-01", False)]
    again = ingest_paths(warehouse, [path])
    assert again[0].already_loaded
    assert run(warehouse.duckdb, "SELECT count(*) FROM las_assaults")[0][0] == 2


def test_aggregate_counts_must_be_whole_numbers_of_zero_or_more(warehouse, tmp_path):
    path = _write(tmp_path / "hate.csv", HATE_HEADER, [
        "2018-01,E09000033,Homophobic,23", "2018-01,E09000033,Faith,-1", "2018-01,E09000033,Faith,2.5",
        "2018-01,Westminster,Faith,3", "2018-01,E09000033,All hate crime,140"])
    (result,) = ingest_paths(warehouse, [path])
    assert (result.rows_loaded, result.rows_quarantined) == (2, 3)
    reasons = [r[0] for r in run(warehouse.duckdb, "SELECT reason FROM quarantine ORDER BY line_no")]
    assert "below the minimum" in reasons[0] and "not a whole number" in reasons[1]
    assert "'Westminster' is not an ONS area code" in reasons[2]
    assert run(warehouse.duckdb, "SELECT sum(offences), min(CAST(month AS VARCHAR)) FROM hate_crime_counts") == \
        [(163, "2018-01-01")]


def test_a_person_level_file_is_refused_naming_its_identifying_fields_and_nothing_is_loaded(warehouse, tmp_path):
    good = _write(tmp_path / "las.csv", LAS_HEADER, ["A1,2018-03-31 23:15,Minor Assault,20-24,Male,E01004734,,,"])
    marac = _write(tmp_path / "marac.csv", MARAC_HEADER, [
        "M1,Alex,Smith,1980-01-01,2018-01-05,Police,false,Female,35-44,true,false,false,2,E05000634"])
    with pytest.raises(SaferError) as info:
        ingest_paths(warehouse, [good, marac])
    message = str(info.value)
    assert "marac.csv" in message and "pseudonymis" in message
    for field in ("Case ID", "Victim forename", "Victim surname", "Victim date of birth"):
        assert field in message
    assert run(warehouse.duckdb, "SELECT count(*) FROM ingest_ledger")[0][0] == 0  # the batch stopped before loading
    assert run(warehouse.duckdb, "SELECT count(*) FROM las_assaults")[0][0] == 0


def test_an_unknown_dataset_name_is_refused_with_the_list_of_contracts():
    with pytest.raises(SourceError) as info:
        formats_for("ambulance")
    for name in ("las-assaults", "marac-cases", "council-asb"):
        assert name in str(info.value)


def test_ingest_dataset_option_checks_the_header_against_that_contract(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "w.duckdb")
    wrong = _write(tmp_path / "alcohol.csv", LAS_HEADER.replace("Injury type,", ""), [
        "B1,2018-03-31 23:15,20-24,Male,E01004734,,,"])
    refused = runner.invoke(app, ["ingest", str(wrong), "--dataset", "las-assaults", "--warehouse", db])
    text = " ".join(refused.output.split())
    assert refused.exit_code == 1 and "missing Injury type" in text and "las-assaults" in text
    unknown = runner.invoke(app, ["ingest", str(wrong), "--dataset", "ambulance", "--warehouse", db])
    text = " ".join(unknown.output.split())
    assert unknown.exit_code == 1 and "'ambulance' is not a known dataset contract" in text and "las-alcohol" in text
    loaded = runner.invoke(app, ["ingest", str(wrong), "--dataset", "las-alcohol", "--warehouse", db])
    assert loaded.exit_code == 0, loaded.output


def test_an_unrecognised_header_is_refused_with_the_contracts_and_the_closest_one(tmp_path):
    runner = CliRunner()
    odd = _write(tmp_path / "fire.csv", "Incident number,Call datetime,Incident type,LSOA code",
                 ["F1,2018-01-01 10:00,Primary fire,E01004734"])
    result = runner.invoke(app, ["ingest", str(odd), "--warehouse", str(tmp_path / "w.duckdb")])
    text = " ".join(result.output.split())
    assert result.exit_code == 1
    assert "lfb-incidents" in text and "btp-incidents" in text and "Closest contract: lfb-incidents" in text
    assert "missing Property type, Ward code, Longitude, Latitude" in text


def test_the_contract_pages_are_generated_from_the_contracts_and_up_to_date():
    for name, c in CONTRACTS.items():
        page = (DOCS / f"{name}.md").read_text(encoding="utf-8")
        assert page == contract_page(c), f"docs/contracts/{name}.md is stale: python -m safer.sources.contracts.docs"
        assert "```csv" in page and ",".join(c.header) in page  # an example with the exact header
    assert (DOCS / "README.md").read_text(encoding="utf-8") == index_page(list(CONTRACTS.values()))
