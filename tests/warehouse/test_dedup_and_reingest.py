"""Loading the same content twice, the same crime in two files, and identical anti-social behaviour rows."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil

from policeuk_samples import (
    BTP,
    OUTCOMES_HEADER,
    STOP_SEARCH_HEADER,
    STREET_HEADER,
    counts,
    crime_id,
    outcome,
    snapshot,
    stop_search,
    street,
    write_csv,
)
from safer.warehouse.ingest import ingest_paths

ASB = "Anti-social behaviour"


def _ledger(con, source_file):
    return con.execute("SELECT rows_read, rows_loaded, rows_quarantined, rows_duplicate FROM ingest_ledger "
                       "WHERE source_file = ?", [source_file]).fetchall()


def _three_kinds(folder):
    """One small file of each police.uk kind, with a quarantined row in each."""
    write_csv(folder / "2018-01-metropolitan-street.csv", STREET_HEADER,
              [street(crime_id=crime_id(i)) for i in range(5)] + [street(crime_type=ASB)] * 2
              + [street(crime_id=crime_id(99), month="2018-13")])
    write_csv(folder / "2018-01-metropolitan-outcomes.csv", OUTCOMES_HEADER,
              [outcome(crime_id=crime_id(i)) for i in range(3)] + [outcome(crime_id="")])
    write_csv(folder / "2018-01-metropolitan-stop-and-search.csv", STOP_SEARCH_HEADER,
              [stop_search(), stop_search(), stop_search(gender="Female"), stop_search(date="soon")])
    return folder


def test_ingesting_the_same_files_again_is_a_no_op(warehouse, tmp_path):
    folder = _three_kinds(tmp_path / "in")
    first = ingest_paths(warehouse, [folder])
    assert [r.already_loaded for r in first] == [False, False, False]
    assert [r.rows_quarantined for r in first] == [1, 1, 1]
    before = counts(warehouse.duckdb)
    assert before["crimes"] == 7 and before["outcomes"] == 3 and before["stop_searches"] == 3
    assert before["quarantine"] == 3 and before["ingest_ledger"] == 3
    full_before = snapshot(warehouse.duckdb)

    again = ingest_paths(warehouse, [folder])
    assert [r.already_loaded for r in again] == [True, True, True]
    assert [(r.source_file, r.rows_read, r.rows_loaded, r.rows_quarantined, r.rows_duplicate) for r in again] == \
        [(r.source_file, r.rows_read, r.rows_loaded, r.rows_quarantined, r.rows_duplicate) for r in first]
    assert snapshot(warehouse.duckdb) == full_before


def test_a_copy_under_another_name_is_recognised_by_its_content(warehouse, tmp_path):
    folder = _three_kinds(tmp_path / "in")
    ingest_paths(warehouse, [folder])
    before = snapshot(warehouse.duckdb)
    copies = tmp_path / "copies"
    copies.mkdir()
    shutil.copy(folder / "2018-01-metropolitan-street.csv", copies / "january-street-copy.csv")
    shutil.copy(folder / "2018-01-metropolitan-stop-and-search.csv", copies / "2018-02-btp-stop-and-search.csv")
    results = ingest_paths(warehouse, [copies])
    assert [r.already_loaded for r in results] == [True, True]
    # The ledger entry reported is the original one.
    assert {r.source_file for r in results} == {str(folder / "2018-01-metropolitan-street.csv"),
                                                str(folder / "2018-01-metropolitan-stop-and-search.csv")}
    assert snapshot(warehouse.duckdb) == before


def test_a_file_and_its_copy_in_one_batch_load_once(warehouse, tmp_path):
    original = write_csv(tmp_path / "a" / "2018-01-metropolitan-street.csv", STREET_HEADER,
                         [street(crime_type=ASB), street(crime_id=crime_id(1))])
    copy = tmp_path / "b" / "renamed.csv"
    copy.parent.mkdir()
    shutil.copy(original, copy)
    first, second = ingest_paths(warehouse, [original, copy])
    assert not first.already_loaded and first.rows_loaded == 2
    assert second.already_loaded
    assert counts(warehouse.duckdb)["crimes"] == 2
    assert counts(warehouse.duckdb)["ingest_ledger"] == 1


def test_same_crime_id_in_force_and_btp_files_loads_once(warehouse, tmp_path):
    shared = crime_id("shared")
    met = write_csv(tmp_path / "2018-01" / "2018-01-metropolitan-street.csv", STREET_HEADER,
                    [street(crime_id=crime_id("met-1")), street(crime_id=shared, crime_type="Robbery")])
    btp = write_csv(tmp_path / "2018-01" / "2018-01-btp-street.csv", STREET_HEADER,
                    [street(crime_id=shared, crime_type="Robbery", reported_by=BTP, falls_within=BTP),
                     street(crime_id=crime_id("btp-1"), reported_by=BTP, falls_within=BTP),
                     street(crime_type=ASB, reported_by=BTP, falls_within=BTP)])
    # The folder is loaded in name order: btp before metropolitan.
    results = {r.source_file: r for r in ingest_paths(warehouse, [tmp_path / "2018-01"])}
    assert list(results) == [str(btp), str(met)]
    first, second = results[str(btp)], results[str(met)]
    assert (first.rows_read, first.rows_loaded, first.rows_duplicate) == (3, 3, 0)
    assert (second.rows_read, second.rows_loaded, second.rows_duplicate) == (2, 1, 1)
    assert _ledger(warehouse.duckdb, str(met)) == [(2, 1, 0, 1)]
    con = warehouse.duckdb
    assert con.execute("SELECT count(*) FROM crimes").fetchone()[0] == 4
    assert con.execute("SELECT source_file, force, reported_by FROM crimes WHERE crime_id = ?",
                       [shared]).fetchall() == [(str(btp), "btp", BTP)]


def test_a_reissued_month_adds_only_new_crimes(warehouse, tmp_path):
    ids = [crime_id(("2018-01", i)) for i in range(6)]
    first = write_csv(tmp_path / "old" / "2018-01-metropolitan-street.csv", STREET_HEADER,
                      [street(crime_id=i, last_outcome_category="Under investigation") for i in ids[:4]])
    # Re-issued later: the same crimes with updated outcomes, plus two crimes recorded late.
    reissue = write_csv(tmp_path / "new" / "2018-01-metropolitan-street.csv", STREET_HEADER,
                        [street(crime_id=i) for i in ids])
    (r1,) = ingest_paths(warehouse, [first])
    (r2,) = ingest_paths(warehouse, [reissue])
    assert (r1.rows_loaded, r1.rows_duplicate) == (4, 0)
    assert (r2.rows_read, r2.rows_loaded, r2.rows_duplicate) == (6, 2, 4)
    rows = warehouse.duckdb.execute("SELECT crime_id, source_file FROM crimes").fetchall()
    assert sorted(rows) == sorted([(i, str(first)) for i in ids[:4]] + [(i, str(reissue)) for i in ids[4:]])


def test_identical_asb_rows_in_one_file_are_all_kept(warehouse, tmp_path):
    same = street(crime_type=ASB, location="On or near Leicester Square")
    lines = [same, same, street(crime_type=ASB), same, street(crime_id=crime_id(1))]
    path = write_csv(tmp_path / "2018-01-metropolitan-street.csv", STREET_HEADER, lines)
    (result,) = ingest_paths(warehouse, [path])
    assert (result.rows_read, result.rows_loaded, result.rows_duplicate) == (5, 5, 0)
    got = warehouse.duckdb.execute(
        "SELECT source_line FROM crimes WHERE crime_id IS NULL AND location = 'On or near Leicester Square' "
        "ORDER BY source_line").fetchall()
    assert got == [(2,), (3,), (5,)]
    # Rows without a Crime ID are keyed by a hash of the whole row and their occurrence in the file.
    whole_row = hashlib.md5("\x1f".join(next(csv.reader(io.StringIO(same)))).encode()).hexdigest()
    keys = warehouse.duckdb.execute(
        "SELECT record_key FROM crimes WHERE location = 'On or near Leicester Square' ORDER BY source_line").fetchall()
    assert keys == [(f"{whole_row}:1",), (f"{whole_row}:2",), (f"{whole_row}:3",)]
    assert warehouse.duckdb.execute("SELECT record_key FROM crimes WHERE crime_id = ?", [crime_id(1)]).fetchone() == \
        (crime_id(1),)


def test_reissued_file_with_one_changed_asb_row_loads_only_that_row(warehouse, tmp_path):
    same = street(crime_type=ASB, location="On or near Leicester Square")
    lines = [same, same, same, street(crime_type=ASB, location="On or near Wardour Street"),
             street(crime_id=crime_id(1))]
    original = write_csv(tmp_path / "2018-01-metropolitan-street.csv", STREET_HEADER, lines)
    changed = list(lines)
    changed[1] = street(crime_type=ASB, location="On or near Lisle Street")
    reissue = write_csv(tmp_path / "reissued" / "2018-01-metropolitan-street-v2.csv", STREET_HEADER, changed)
    (r1,) = ingest_paths(warehouse, [original])
    (r2,) = ingest_paths(warehouse, [reissue])
    assert not r2.already_loaded
    assert (r2.rows_read, r2.rows_loaded, r2.rows_quarantined, r2.rows_duplicate) == (5, 1, 0, 4)
    assert _ledger(warehouse.duckdb, str(reissue)) == [(5, 1, 0, 4)]
    assert warehouse.duckdb.execute(
        "SELECT location, source_line FROM crimes WHERE source_file = ?", [str(reissue)]).fetchall() == \
        [("On or near Lisle Street", 3)]
    assert counts(warehouse.duckdb)["crimes"] == 6


def test_same_rows_with_other_line_endings_and_encoding_are_all_duplicates(warehouse, tmp_path):
    lines = [street(crime_type=ASB, location="On or near Café Royal"), street(crime_type=ASB),
             street(crime_type=ASB), street(crime_id=crime_id(7))]
    first = write_csv(tmp_path / "2018-01-metropolitan-street.csv", STREET_HEADER, lines)
    other = write_csv(tmp_path / "windows" / "2018-01-metropolitan-street.csv", STREET_HEADER, lines,
                      newline="\r\n", encoding="cp1252")
    r1, r2 = ingest_paths(warehouse, [first, other])
    assert r1.rows_loaded == 4
    assert (r2.already_loaded, r2.rows_read, r2.rows_loaded, r2.rows_duplicate) == (False, 4, 0, 4)


def test_identical_outcome_and_stop_search_rows_in_one_file_are_kept_and_reloads_are_duplicates(
        warehouse, tmp_path):
    outcomes = [outcome(crime_id=crime_id(1))] * 2 + [outcome(crime_id=crime_id(1), outcome_type="Court result")]
    searches = [stop_search()] * 3
    o = write_csv(tmp_path / "2018-01-metropolitan-outcomes.csv", OUTCOMES_HEADER, outcomes)
    s = write_csv(tmp_path / "2018-01-metropolitan-stop-and-search.csv", STOP_SEARCH_HEADER, searches)
    ro, rs = ingest_paths(warehouse, [o, s])
    assert (ro.rows_loaded, rs.rows_loaded) == (3, 3)
    # Same rows, one more identical search: only the extra occurrence is new.
    s2 = write_csv(tmp_path / "v2" / "2018-01-metropolitan-stop-and-search.csv", STOP_SEARCH_HEADER,
                   searches + [stop_search()])
    (rs2,) = ingest_paths(warehouse, [s2])
    assert (rs2.rows_read, rs2.rows_loaded, rs2.rows_duplicate) == (4, 1, 3)
    assert counts(warehouse.duckdb)["stop_searches"] == 4


def test_progress_is_reported_for_every_file(warehouse, tmp_path):
    folder = _three_kinds(tmp_path / "in")
    prepared, loaded = [], []
    results = ingest_paths(
        warehouse, [folder],
        on_prepared=lambda name, done, total: prepared.append((name, done, total)),
        on_loaded=lambda result, done, total: loaded.append((result.source_file, done, total)))
    names = [r.source_file for r in results]
    assert prepared == [(name, i, 3) for i, name in enumerate(names, start=1)]
    assert loaded == prepared


def test_a_copy_later_in_the_same_ingest_does_not_change_which_file_wins(warehouse, tmp_path):
    """Files A, B and a copy of A in one ingest: A loads first (its crime, shared with B, is A's), the copy is skipped."""
    shared = crime_id("shared")
    a = write_csv(tmp_path / "a" / "2018-01-metropolitan-street.csv", STREET_HEADER,
                  [street(crime_id=shared, location="On or near A Street"), street(crime_id=crime_id("a-only"))])
    b = write_csv(tmp_path / "b" / "2018-01-btp-street.csv", STREET_HEADER,
                  [street(crime_id=shared, location="On or near B Street")])
    copy = tmp_path / "c" / "2018-01-metropolitan-street.csv"
    copy.parent.mkdir()
    shutil.copy(a, copy)
    first, second, again = ingest_paths(warehouse, [a, b, copy])
    assert (first.rows_loaded, first.already_loaded) == (2, False)
    assert (second.rows_loaded, second.rows_duplicate) == (0, 1)
    assert again.already_loaded and again.source_file == str(a)
    assert warehouse.duckdb.execute("SELECT location, source_file FROM crimes WHERE crime_id = ?",
                                    [shared]).fetchall() == [("On or near A Street", str(a))]
