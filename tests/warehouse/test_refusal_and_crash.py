"""A wrong file stops a batch before anything loads; a failure mid-load leaves the warehouse as it was."""

from __future__ import annotations

import zipfile

import pytest

import safer.warehouse.loader as loader
from policeuk_samples import (
    OUTCOMES_HEADER,
    STOP_SEARCH_HEADER,
    STREET_HEADER,
    counts,
    crime_id,
    outcome,
    quarantine_rows,
    snapshot,
    street,
    write_csv,
)
from safer.errors import SourceError
from safer.warehouse.ingest import ingest_paths

ASB = "Anti-social behaviour"


@pytest.fixture
def loaded(warehouse, tmp_path):
    """A warehouse already holding one file (so 'unchanged' is not just 'empty')."""
    path = write_csv(tmp_path / "earlier" / "2017-12-metropolitan-street.csv", STREET_HEADER,
                     [street(crime_id=crime_id(("2017-12", i)), month="2017-12") for i in range(3)]
                     + [street(crime_id=crime_id("bad"), month="2017-13")])
    ingest_paths(warehouse, [path])
    assert counts(warehouse.duckdb)["crimes"] == 3
    return warehouse


def _not_police_uk(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Reference,Date,Offence,Ward\nA1,2018-01-02,Theft,St James's\n")
    return path


def test_a_non_police_uk_file_is_refused_naming_the_file_and_the_expected_columns(warehouse, tmp_path):
    bad = _not_police_uk(tmp_path / "2018-01-metropolitan-street.csv")
    with pytest.raises(SourceError) as info:
        ingest_paths(warehouse, [bad])
    message = str(info.value)
    assert str(bad) in message
    for column in (*STREET_HEADER, *OUTCOMES_HEADER, *STOP_SEARCH_HEADER):
        assert column in message, column
    assert "Reference" in message  # and says what it found instead


@pytest.mark.parametrize("layout", ["two paths", "one folder", "zip member"])
def test_one_bad_file_in_a_batch_stops_the_whole_batch(loaded, tmp_path, layout):
    folder = tmp_path / "batch"
    # The good file comes first in load order, so it would be loaded if loading started before checking.
    good = write_csv(folder / "2018-01-metropolitan-street.csv", STREET_HEADER,
                     [street(crime_id=crime_id(i)) for i in range(5)] + [street(month="2018-13")])
    if layout == "zip member":
        bad = folder / "2018-02.zip"
        with zipfile.ZipFile(bad, "w") as archive:
            archive.writestr("2018-02/2018-02-metropolitan-street.csv", "Reference,Date\nA1,2018-02-01\n")
    else:
        bad = _not_police_uk(folder / "2018-02-metropolitan-street.csv")
    before = snapshot(loaded.duckdb)
    paths = [folder] if layout == "one folder" else [good, bad]
    with pytest.raises(SourceError, match="2018-02"):
        ingest_paths(loaded, paths)
    assert snapshot(loaded.duckdb) == before


@pytest.mark.parametrize("kind", ["missing path", "empty folder"])
def test_nothing_to_load_is_refused(loaded, tmp_path, kind):
    path = tmp_path / "nothing"
    if kind == "empty folder":
        path.mkdir()
    before = snapshot(loaded.duckdb)
    with pytest.raises(SourceError) as info:
        ingest_paths(loaded, [path])
    assert str(path) in str(info.value)
    assert snapshot(loaded.duckdb) == before


def _file_with_bad_rows(tmp_path):
    return write_csv(tmp_path / "new" / "2018-01-metropolitan-street.csv", STREET_HEADER,
                     [street(crime_id=crime_id(i)) for i in range(4)]
                     + [street(crime_type=ASB)] * 2
                     + [street(crime_id=crime_id("bad-1"), longitude="999"), street(lsoa_code="nope")])


class Crash(Exception):
    pass


def _crash_after_quarantine(original):
    """Replacement for _insert_new_records: check the quarantine insert happened, then fail."""
    def crash(con, fmt):
        assert con.execute("SELECT count(*) FROM quarantine WHERE source_file LIKE '%2018-01-metropolitan-street.csv'"
                           ).fetchall()[0][0] == 2
        raise Crash("disk full")
    return crash


def _crash_after_insert(original):
    """Replacement for _write_ledger: records are in, the ledger is not, then fail."""
    def crash(con, files, results):
        assert con.execute("SELECT count(*) FROM crimes WHERE source_file = ?",
                           [files[0].name]).fetchall()[0][0] == 6
        raise Crash("power cut")
    return crash


def _database_error(original):
    """A DuckDB error inside the transaction, after records are in."""
    def crash(con, files, results):
        con.execute("INSERT INTO ingest_ledger (file_sha256) VALUES ('x')")  # violates NOT NULL
    return crash


def _interrupt(original):
    def crash(con, fmt):
        original(con, fmt)
        raise KeyboardInterrupt
    return crash


@pytest.mark.parametrize(("target", "make", "error"), [
    ("_insert_new_records", _crash_after_quarantine, Crash),
    ("_write_ledger", _crash_after_insert, Crash),
    ("_write_ledger", _database_error, Exception),
    ("_insert_new_records", _interrupt, KeyboardInterrupt),
])
def test_a_crash_mid_load_leaves_every_table_exactly_as_before(loaded, tmp_path, monkeypatch, target, make, error):
    path = _file_with_bad_rows(tmp_path)
    before = snapshot(loaded.duckdb)
    monkeypatch.setattr(loader, target, make(getattr(loader, target)))
    with pytest.raises(error):
        ingest_paths(loaded, [path])
    assert snapshot(loaded.duckdb) == before
    # No working table is left behind to trip up the next load.
    assert loaded.duckdb.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name LIKE '\\_%' ESCAPE '\\'"
    ).fetchall()[0][0] == 0

    monkeypatch.undo()
    (result,) = ingest_paths(loaded, [path])
    assert not result.already_loaded
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_duplicate) == (8, 6, 2, 0)
    after = counts(loaded.duckdb)
    assert after["crimes"] == len(before["crimes"]) + 6
    assert after["quarantine"] == len(before["quarantine"]) + 2
    assert after["ingest_ledger"] == len(before["ingest_ledger"]) + 1
    assert [(line, field) for line, field, *_ in quarantine_rows(loaded.duckdb, str(path))] == \
        [(8, "Longitude"), (9, "LSOA code")]


def test_a_crash_in_the_second_batch_keeps_the_first(loaded, tmp_path, monkeypatch):
    """Each batch (here, one per format) is its own transaction: a batch committed before the crash stays."""
    first = write_csv(tmp_path / "b" / "2018-01-metropolitan-outcomes.csv", OUTCOMES_HEADER,
                      [outcome(crime_id=crime_id(1))])
    second = _file_with_bad_rows(tmp_path)
    before = snapshot(loaded.duckdb)
    real = loader._insert_new_records

    def crash_on_street(con, fmt):
        if fmt.table == "crimes":
            raise Crash("disk full")
        return real(con, fmt)

    monkeypatch.setattr(loader, "_insert_new_records", crash_on_street)
    with pytest.raises(Crash):
        ingest_paths(loaded, [first, second])
    after = snapshot(loaded.duckdb)
    assert len(after["outcomes"]) == 1
    assert sorted(row[1] for row in after["ingest_ledger"]) == \
        sorted([row[1] for row in before["ingest_ledger"]] + [str(first)])
    for table in ("crimes", "quarantine", "stop_searches"):
        assert after[table] == before[table]


def test_a_crash_in_a_batch_rolls_back_every_file_of_it(loaded, tmp_path, monkeypatch):
    """Files of one format load together: a failure in the batch leaves none of its files loaded."""
    first = write_csv(tmp_path / "c" / "2018-02-metropolitan-street.csv", STREET_HEADER,
                      [street(crime_id=crime_id(("2018-02", i)), month="2018-02") for i in range(3)])
    second = _file_with_bad_rows(tmp_path)
    before = snapshot(loaded.duckdb)
    monkeypatch.setattr(loader, "_write_ledger", _crash_after_insert_of(first))
    with pytest.raises(Crash):
        ingest_paths(loaded, [first, second])
    assert snapshot(loaded.duckdb) == before
    monkeypatch.undo()
    results = ingest_paths(loaded, [first, second])
    assert [(r.rows_read, r.rows_loaded, r.rows_quarantined) for r in results] == [(3, 3, 0), (8, 6, 2)]


def _crash_after_insert_of(path):
    def crash(con, files, results):
        assert [f.name for f in files] == [str(path), str(files[1].name)]
        assert con.execute("SELECT count(*) FROM crimes WHERE month = DATE '2018-02-01'").fetchall()[0][0] == 3
        raise Crash("power cut")
    return crash
