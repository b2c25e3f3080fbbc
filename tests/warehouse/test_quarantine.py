"""Rows that break the police.uk layout go to quarantine with their true line, field and reason."""

from __future__ import annotations

import datetime
import hashlib

import pytest

from policeuk_samples import (
    OUTCOMES_HEADER,
    STOP_SEARCH_DEFAULTS,
    STOP_SEARCH_HEADER,
    STREET_DEFAULTS,
    STREET_HEADER,
    crime_id,
    csv_line,
    outcome,
    quarantine_rows,
    stop_search,
    street,
    write_csv,
)
from safer.warehouse.ingest import ingest_paths

BAD_ID = crime_id("bad")
GOOD_IDS = (crime_id("good-1"), crime_id("good-2"))


def _street_fields(**overrides):
    values = dict(STREET_DEFAULTS, **{"Crime ID": BAD_ID})
    values.update(overrides)
    return [values[c] for c in STREET_HEADER]


STREET_CASES = {
    "month 2018-13": (street(crime_id=BAD_ID, month="2018-13"), "Month", ["'2018-13'"]),
    "month Jan 2018": (street(crime_id=BAD_ID, month="Jan 2018"), "Month", ["'Jan 2018'"]),
    "month 2018-1": (street(crime_id=BAD_ID, month="2018-1"), "Month", ["'2018-1'"]),
    "longitude > 180": (street(crime_id=BAD_ID, longitude="181.5"), "Longitude", ["'181.5'"]),
    "longitude < -180": (street(crime_id=BAD_ID, longitude="-180.25"), "Longitude", ["'-180.25'"]),
    "longitude not a number": (street(crime_id=BAD_ID, longitude="west"), "Longitude", ["'west'"]),
    "longitude NaN": (street(crime_id=BAD_ID, longitude="NaN"), "Longitude", ["'NaN'"]),
    "latitude > 90": (street(crime_id=BAD_ID, latitude="91"), "Latitude", ["'91'"]),
    "latitude < -90": (street(crime_id=BAD_ID, latitude="-90.5"), "Latitude", ["'-90.5'"]),
    "latitude not a number": (street(crime_id=BAD_ID, latitude="51.5N"), "Latitude", ["'51.5N'"]),
    "latitude infinite": (street(crime_id=BAD_ID, latitude="inf"), "Latitude", ["'inf'"]),
    "only longitude": (street(crime_id=BAD_ID, latitude=""), "Longitude", ["Longitude", "Latitude"]),
    "only latitude": (street(crime_id=BAD_ID, longitude=""), "Longitude", ["Longitude", "Latitude"]),
    "unknown crime type": (street(crime_id=BAD_ID, crime_type="Burglery"), "Crime type", ["'Burglery'"]),
    "LSOA code too short": (street(crime_id=BAD_ID, lsoa_code="E0100473"), "LSOA code", ["'E0100473'"]),
    "LSOA code not E/W": (street(crime_id=BAD_ID, lsoa_code="S01004736"), "LSOA code", ["'S01004736'"]),
    "LSOA name as code": (street(crime_id=BAD_ID, lsoa_code="Westminster 018A"), "LSOA code",
                          ["'Westminster 018A'"]),
    "blank Month": (street(crime_id=BAD_ID, month=""), "Month", ["Month", "blank"]),
    "blank Reported by": (street(crime_id=BAD_ID, reported_by=""), "Reported by", ["Reported by", "blank"]),
    "blank Falls within": (street(crime_id=BAD_ID, falls_within=""), "Falls within", ["Falls within", "blank"]),
    "blank Crime type": (street(crime_id=BAD_ID, crime_type=""), "Crime type", ["Crime type", "blank"]),
    "11 fields": (csv_line(_street_fields()[:11]), "(whole row)", ["12", "11"]),
    "13 fields": (csv_line(_street_fields() + ["extra"]), "(whole row)", ["12", "13"]),
    "unquoted comma in Location": (
        ",".join(_street_fields(Location="On or near Bond Street, W1")), "(whole row)", ["12", "13"]),
}

OUTCOME_CASES = {
    "blank Crime ID": (outcome(crime_id=""), "Crime ID", ["Crime ID", "blank"]),
    "blank Outcome type": (outcome(crime_id=BAD_ID, outcome_type=""), "Outcome type", ["Outcome type", "blank"]),
    "outcome month 2018-00": (outcome(crime_id=BAD_ID, month="2018-00"), "Month", ["'2018-00'"]),
}

STOP_SEARCH_CASES = {
    "Date not a date": (stop_search(date="yesterday"), "Date", ["'yesterday'"]),
    "Date 30 February": (stop_search(date="2018-02-30T10:00:00+00:00"), "Date", ["'2018-02-30T10:00:00+00:00'"]),
    "Date day first": (stop_search(date="31/01/2018 18:05"), "Date", ["'31/01/2018 18:05'"]),
    "blank Date": (stop_search(date=""), "Date", ["Date", "blank"]),
    "operation Yes": (stop_search(part_of_a_policing_operation="Yes"), "Part of a policing operation", ["'Yes'"]),
    "linked N": (stop_search(outcome_linked_to_object_of_search="N"), "Outcome linked to object of search",
                 ["'N'"]),
    "removal 1": (stop_search(removal_of_more_than_just_outer_clothing="1"),
                  "Removal of more than just outer clothing", ["'1'"]),
}


def _load_around(warehouse, tmp_path, name, header, good, bad):
    """header (line 1), good (2), blank (3), bad (4), good (5), blank (6)."""
    path = write_csv(tmp_path / name, header, [good[0], "", bad, good[1], ""])
    (result,) = ingest_paths(warehouse, [path])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined, result.rows_duplicate) == (3, 2, 1, 0)
    ledger = warehouse.duckdb.execute(
        "SELECT rows_read, rows_loaded, rows_quarantined, rows_duplicate FROM ingest_ledger").fetchall()
    assert ledger == [(3, 2, 1, 0)]
    (line_no, field, reason, raw_line), = quarantine_rows(warehouse.duckdb, str(path))
    sha, fmt = warehouse.duckdb.execute("SELECT file_sha256, format FROM quarantine").fetchone()
    assert sha == hashlib.sha256(path.read_bytes()).hexdigest()
    return path, line_no, field, reason, raw_line, fmt


def _check(quarantined, field, fragments, bad):
    path, line_no, got_field, reason, raw_line, _ = quarantined
    physical = path.read_text(encoding="utf-8").split("\n")
    assert physical.count(bad) == 1
    assert line_no == physical.index(bad) + 1 == 4
    assert got_field == field
    for fragment in fragments:
        assert fragment in reason, reason
    assert raw_line == bad


@pytest.mark.parametrize("case", list(STREET_CASES))
def test_street_row_is_quarantined(warehouse, tmp_path, case):
    bad, field, fragments = STREET_CASES[case]
    good = [street(crime_id=GOOD_IDS[0]), street(crime_id=GOOD_IDS[1], crime_type="Burglary")]
    quarantined = _load_around(warehouse, tmp_path, "2018-01-metropolitan-street.csv", STREET_HEADER, good, bad)
    _check(quarantined, field, fragments, bad)
    assert quarantined[-1] == "street"
    loaded = warehouse.duckdb.execute("SELECT crime_id, source_line, crime_type FROM crimes ORDER BY 2").fetchall()
    assert loaded == [(GOOD_IDS[0], 2, "Theft from the person"), (GOOD_IDS[1], 5, "Burglary")]


@pytest.mark.parametrize("case", list(OUTCOME_CASES))
def test_outcome_row_is_quarantined(warehouse, tmp_path, case):
    bad, field, fragments = OUTCOME_CASES[case]
    good = [outcome(crime_id=GOOD_IDS[0]), outcome(crime_id=GOOD_IDS[1], outcome_type="Court result unavailable")]
    quarantined = _load_around(warehouse, tmp_path, "2018-01-metropolitan-outcomes.csv", OUTCOMES_HEADER, good, bad)
    _check(quarantined, field, fragments, bad)
    assert quarantined[-1] == "outcomes"
    loaded = warehouse.duckdb.execute("SELECT crime_id, source_line, outcome_type FROM outcomes ORDER BY 2").fetchall()
    assert loaded == [(GOOD_IDS[0], 2, "Investigation complete; no suspect identified"),
                      (GOOD_IDS[1], 5, "Court result unavailable")]


@pytest.mark.parametrize("case", list(STOP_SEARCH_CASES))
def test_stop_search_row_is_quarantined(warehouse, tmp_path, case):
    bad, field, fragments = STOP_SEARCH_CASES[case]
    good = [stop_search(gender="Female"), stop_search(date="2018-01-02T09:30:00+00:00", outcome="Arrest")]
    quarantined = _load_around(warehouse, tmp_path, "2018-01-metropolitan-stop-and-search.csv",
                               STOP_SEARCH_HEADER, good, bad)
    _check(quarantined, field, fragments, bad)
    assert quarantined[-1] == "stop-and-search"
    loaded = warehouse.duckdb.execute(
        "SELECT source_line, gender, outcome, CAST(searched_at AS VARCHAR) FROM stop_searches ORDER BY 1").fetchall()
    assert loaded == [(2, "Female", STOP_SEARCH_DEFAULTS["Outcome"], "2018-01-31 18:05:00"),
                      (5, "Male", "Arrest", "2018-01-02 09:30:00")]


def test_a_row_with_several_problems_names_the_first_field_and_every_reason(warehouse, tmp_path):
    bad = street(crime_id=BAD_ID, month="2018-13", latitude="95", lsoa_code="X1", crime_type="Burglery")
    path = write_csv(tmp_path / "2018-01-metropolitan-street.csv", STREET_HEADER,
                     [street(crime_id=GOOD_IDS[0]), bad])
    ingest_paths(warehouse, [path])
    ((line_no, field, reason, _),) = quarantine_rows(warehouse.duckdb)
    assert (line_no, field) == (3, "Month")
    for value in ("'2018-13'", "'95'", "'X1'", "'Burglery'"):
        assert value in reason


def test_valid_edge_values_are_not_quarantined(warehouse, tmp_path):
    lines = [
        street(crime_id=crime_id(1), longitude="180", latitude="-90"),
        street(crime_id=crime_id(2), longitude="", latitude="", lsoa_code="", lsoa_name="",
               location="No location"),
        street(crime_id=crime_id(3), lsoa_code="W01001234", lsoa_name="Cardiff 001A"),
        street(crime_id=crime_id(4), month="2018-12", last_outcome_category="", context=""),
        street(crime_type="Anti-social behaviour"),
    ]
    path = write_csv(tmp_path / "2018-01-metropolitan-street.csv", STREET_HEADER, lines)
    (result,) = ingest_paths(warehouse, [path])
    assert quarantine_rows(warehouse.duckdb) == []
    assert (result.rows_read, result.rows_loaded) == (5, 5)
    assert warehouse.duckdb.execute(
        "SELECT longitude, latitude, month FROM crimes WHERE crime_id = ?", [crime_id(2)]).fetchone() == \
        (None, None, datetime.date(2018, 1, 1))


def test_line_numbers_are_exact_in_a_50000_row_file(warehouse, tmp_path):
    """Every 997th data row is bad (several kinds in turn); blank lines and quoted fields are scattered in."""
    bad_kinds = [
        ({"month": "2018-13"}, "Month"),
        ({"longitude": "200"}, "Longitude"),
        ({"lsoa_code": "E0100"}, "LSOA code"),
        ({"crime_type": "Burglery"}, "Crime type"),
        ({"reported_by": ""}, "Reported by"),
        ({"latitude": ""}, "Longitude"),
    ]
    lines: list[str] = []
    expected_bad: dict[int, str] = {}
    expected_good: dict[str, int] = {}
    asb_lines: list[int] = []
    for i in range(1, 50_001):
        line_no = len(lines) + 2  # the header is line 1
        if i % 997 == 0:
            overrides, field = bad_kinds[(i // 997) % len(bad_kinds)]
            lines.append(street(crime_id=crime_id(i), **overrides))
            expected_bad[line_no] = field
        elif i % 50 == 0:  # anti-social behaviour with no Crime ID, many rows identical
            lines.append(street(crime_type="Anti-social behaviour", location=f"On or near Street {i % 7}"))
            asb_lines.append(line_no)
        else:
            location = f'On or near "Place {i}", W1' if i % 101 == 0 else f"On or near Street {i}"
            lines.append(street(crime_id=crime_id(i), location=location, longitude=f"-0.1{i:05d}"))
            expected_good[crime_id(i)] = line_no
        if i % 4001 == 0:
            lines.append("")
    path = write_csv(tmp_path / "2018-01-metropolitan-street.csv", STREET_HEADER, lines + ["", ""])
    (result,) = ingest_paths(warehouse, [path])
    assert (result.rows_read, result.rows_quarantined) == (50_000, len(expected_bad))
    assert result.rows_loaded == 50_000 - len(expected_bad)

    got_bad = {line_no: field for line_no, field, _, _ in quarantine_rows(warehouse.duckdb)}
    assert got_bad == expected_bad
    got_good = dict(warehouse.duckdb.execute(
        "SELECT crime_id, source_line FROM crimes WHERE crime_id IS NOT NULL").fetchall())
    assert got_good == expected_good
    got_asb = [r[0] for r in warehouse.duckdb.execute(
        "SELECT source_line FROM crimes WHERE crime_id IS NULL ORDER BY 1").fetchall()]
    assert got_asb == asb_lines
    # The raw line kept in quarantine is the physical line at that number.
    physical = path.read_text().split("\n")
    for line_no, _, _, raw_line in quarantine_rows(warehouse.duckdb):
        assert raw_line == physical[line_no - 1]
    quoted = warehouse.duckdb.execute("SELECT location FROM crimes WHERE crime_id = ?", [crime_id(101)]).fetchone()
    assert quoted == ('On or near "Place 101", W1',)
