"""Person-level files: refused without a key, pseudonymised before loading with one, quarantined without values.

Expected tokens are recomputed with the standard library's hmac from the documented message
layout, not taken from safer's output.
"""

from __future__ import annotations

import hashlib
import hmac
import os

import pytest
from person_samples import PEOPLE, hate_row, marac_row, write

from safer.errors import PrivacyError, SaferError
from safer.privacy import configured_keyring, new_key_file, pseudonymise_dataset, pseudonymising, read_key_file
from safer.privacy.keys import read_key_env
from safer.privacy.rotation import rotate_key
from safer.warehouse.connect import run
from safer.warehouse.ingest import ingest_paths


def _name_dob_token(secret: bytes, forename: str, surname: str, iso: str) -> str:
    return hmac.new(secret, f"safer|v1|name_dob|{surname}|{forename}|{iso}".encode(), hashlib.sha256).hexdigest()


@pytest.fixture
def ring(tmp_path):
    return new_key_file(tmp_path / "partnership.key")


def test_person_level_data_without_a_key_is_refused_and_nothing_loads(warehouse, tmp_path):
    path = write(tmp_path / "marac.csv", "marac-cases", [marac_row(0, "2018-01-05")])
    with pytest.raises(PrivacyError) as info, pseudonymising(warehouse, None):
        ingest_paths(warehouse, [path])
    message = str(info.value)
    assert "marac.csv" in message and "safer key new" in message and "key_file" in message
    assert "Quorwell" not in message and "19/07/1983" not in message
    assert run(warehouse.duckdb, "SELECT count(*) FROM ingest_ledger")[0][0] == 0


def test_a_raw_file_loads_pseudonymised_with_tokens_anyone_with_the_key_can_recompute(warehouse, tmp_path, ring):
    rows = [marac_row(0, "2018-01-05"), marac_row(1, "2018-02-01", **{"Victim forename": "ZOE"}),
            marac_row(1, "2018-03-09", **{"Victim forename": "zoë", "Victim surname": "Branaskova"})]
    path = write(tmp_path / "marac.csv", "marac-cases", rows)
    with pseudonymising(warehouse, ring):
        (result,) = ingest_paths(warehouse, [path])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    tokens = [r[0] for r in run(warehouse.duckdb, "SELECT name_dob_token FROM marac_cases ORDER BY source_line")]
    secret = ring.secrets[0]
    assert tokens[0] == _name_dob_token(secret, "XANTHIPPE", "QUORWELL", "1983-07-19")
    assert tokens[1] == tokens[2] == _name_dob_token(secret, "ZOE", "BRANASKOVA", "1979-11-02")
    columns = {r[0] for r in run(warehouse.duckdb, "SELECT column_name FROM information_schema.columns "
                                                   "WHERE table_name = 'marac_cases'")}
    assert not columns & {"victim_forename", "victim_surname", "victim_date_of_birth", "case_id"}
    assert run(warehouse.duckdb, "SELECT birth_year, age_at_event FROM marac_cases ORDER BY source_line LIMIT 1") == \
        [(1983, 34)]
    assert run(warehouse.duckdb, "SELECT key_id FROM pseudonym_key_epochs") == [(ring.key_id,)]


def test_unreadable_identifiers_are_quarantined_with_file_line_and_field_but_no_value(warehouse, tmp_path, ring):
    rows = [marac_row(0, "2018-01-05"), marac_row(2, "2018-01-06", **{"Victim date of birth": "31/02/1991"}),
            marac_row(3, "2018-01-07", **{"Case ID": ""})]
    path = write(tmp_path / "marac.csv", "marac-cases", rows, extra_lines=["", "too,few,fields,Ignatius,Vandersloot"])
    with pseudonymising(warehouse, ring):
        (result,) = ingest_paths(warehouse, [path])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 1, 3)
    quarantined = run(warehouse.duckdb, "SELECT line_no, field, reason, raw_line FROM quarantine ORDER BY line_no")
    assert [(q[0], q[1]) for q in quarantined] == [(3, "Victim date of birth"), (4, "Case ID"), (6, "(whole row)")]
    assert "not a real date of birth" in quarantined[0][2] and "is blank; it is required" in quarantined[1][2]
    for _, _, reason, raw_line in quarantined:
        for secret in ("31/02/1991", "Ottoline", "Fennimoreau", "Jolyon", "Ignatius", "Vandersloot", "too,few"):
            assert secret not in reason and secret not in raw_line


def test_the_agency_copy_ingests_as_usual_and_matches_the_raw_path(warehouse, tmp_path, ring):
    raw_file = write(tmp_path / "hate.csv", "hate-crime-victims", [hate_row(i, "2018-03-02") for i in range(4)])
    shared = tmp_path / "shared" / "hate-pseudonymised.csv"
    made = pseudonymise_dataset("hate-crime-victims", raw_file, shared, key_file=tmp_path / "partnership.key")
    assert made.rows == 4 and made.problems == ()
    text = shared.read_text(encoding="utf-8")
    for forename, surname, dob, iso in PEOPLE[:4]:
        assert surname not in text and dob not in text and iso not in text and forename.upper() not in text
    with pseudonymising(warehouse, ring):
        (from_agency,) = ingest_paths(warehouse, [shared])
        (from_raw,) = ingest_paths(warehouse, [raw_file])
    assert from_agency.rows_loaded == 4
    # the same rows pseudonymised at the agency and at ingest are the same records: all duplicates
    assert (from_raw.rows_loaded, from_raw.rows_duplicate) == (0, 4)


def test_a_file_made_with_another_key_is_refused(warehouse, tmp_path, ring):
    new_key_file(tmp_path / "other.key")
    raw_file = write(tmp_path / "hate.csv", "hate-crime-victims", [hate_row(0, "2018-03-02")])
    shared = pseudonymise_dataset("hate-crime-victims", raw_file, tmp_path / "x.csv", key_file=tmp_path / "other.key")
    with pytest.raises(PrivacyError) as info, pseudonymising(warehouse, ring):
        ingest_paths(warehouse, [shared.output])
    assert "x.csv line 2" in str(info.value) and "not the partnership's key" in str(info.value)


def test_a_warehouse_refuses_a_key_other_than_its_own(warehouse, tmp_path, ring):
    path = write(tmp_path / "marac.csv", "marac-cases", [marac_row(0, "2018-01-05")])
    with pseudonymising(warehouse, ring):
        ingest_paths(warehouse, [path])
    other = new_key_file(tmp_path / "other.key")
    with pytest.raises(PrivacyError) as info, pseudonymising(warehouse, other):
        pass
    assert ring.key_id in str(info.value) and "never match" in str(info.value)


def test_rotation_rekeys_the_warehouse_so_old_and_new_records_still_link(warehouse, tmp_path, ring):
    key_file = tmp_path / "partnership.key"
    first = write(tmp_path / "marac1.csv", "marac-cases", [marac_row(0, "2018-01-05"), marac_row(2, "2018-01-06",
                  **{"Victim date of birth": "bad"})])
    with pseudonymising(warehouse, ring):
        ingest_paths(warehouse, [first])
    before = run(warehouse.duckdb, "SELECT name_dob_token, record_key FROM marac_cases")[0]
    quarantined_before = run(warehouse.duckdb, "SELECT raw_line FROM quarantine")[0][0]
    # an agency still holding the first key pseudonymises a later file
    late = pseudonymise_dataset("marac-cases", write(tmp_path / "marac2.csv", "marac-cases",
                                                     [marac_row(0, "2018-05-05")]),
                                tmp_path / "marac2-shared.csv", key_file=key_file)
    done = rotate_key(key_file, warehouse)
    rotated = read_key_file(key_file)
    assert (done.epoch, rotated.epoch, len(rotated.secrets)) == (1, 1, 2)
    assert not (tmp_path / "partnership.key.rotating").exists()
    new_secret = rotated.secrets[1]
    after = run(warehouse.duckdb, "SELECT name_dob_token, record_key FROM marac_cases")[0]
    assert after == tuple(hmac.new(new_secret, t.encode(), hashlib.sha256).hexdigest() for t in before)
    quarantined_after = run(warehouse.duckdb, "SELECT raw_line FROM quarantine")[0][0]
    assert rotated.key_id in quarantined_after and ring.key_id not in quarantined_after
    assert quarantined_after != quarantined_before
    with pseudonymising(warehouse, rotated):
        (loaded,) = ingest_paths(warehouse, [late.output])  # made at epoch 0, lifted to epoch 1 as it loads
    assert loaded.rows_loaded == 1
    tokens = {r[0] for r in run(warehouse.duckdb, "SELECT name_dob_token FROM marac_cases")}
    assert len(tokens) == 1  # the same person before and after the rotation
    assert run(warehouse.duckdb, "SELECT epoch, key_id FROM pseudonym_key_epochs ORDER BY epoch") == [
        (0, ring.key_id), (1, rotated.key_id)]


def test_a_failed_rotation_leaves_the_key_file_and_the_warehouse_unchanged(warehouse, tmp_path, ring, monkeypatch):
    key_file = tmp_path / "partnership.key"
    with pseudonymising(warehouse, ring):
        ingest_paths(warehouse, [write(tmp_path / "m.csv", "marac-cases", [marac_row(0, "2018-01-05")])])
    before = run(warehouse.duckdb, "SELECT name_dob_token FROM marac_cases")
    original = key_file.read_bytes()
    from safer.privacy import rotation

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(rotation, "record_epoch", broken)
    with pytest.raises(RuntimeError):
        rotate_key(key_file, warehouse)
    assert key_file.read_bytes() == original and not (tmp_path / "partnership.key.rotating").exists()
    assert run(warehouse.duckdb, "SELECT name_dob_token FROM marac_cases") == before


def test_key_files_are_private_and_never_overwritten(tmp_path):
    ring = new_key_file(tmp_path / "k.key")
    assert oct(os.stat(tmp_path / "k.key").st_mode & 0o777) == "0o600"
    with pytest.raises(PrivacyError):
        new_key_file(tmp_path / "k.key")
    assert read_key_file(tmp_path / "k.key").key_id == ring.key_id
    with pytest.raises(SaferError) as info:
        read_key_file(tmp_path / "missing.key")
    assert "safer key new" in str(info.value)


def test_a_key_can_come_from_an_environment_variable(tmp_path, monkeypatch):
    ring = new_key_file(tmp_path / "k.key")
    secret = (tmp_path / "k.key").read_text().split()[-1]
    monkeypatch.setenv("SAFER_TEST_KEY", secret)
    assert read_key_env("SAFER_TEST_KEY").key_id == ring.key_id
    assert configured_keyring(None, "SAFER_TEST_KEY").key_id == ring.key_id
    monkeypatch.delenv("SAFER_TEST_KEY")
    with pytest.raises(PrivacyError):
        configured_keyring(None, "SAFER_TEST_KEY")
