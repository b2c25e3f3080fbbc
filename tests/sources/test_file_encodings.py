"""Encodings, byte-order marks, line endings, blank lines, gzip and CSV quoting, read back from the warehouse."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import unicodedata

import pytest

from policeuk_samples import (
    STOP_SEARCH_HEADER,
    STREET_HEADER,
    crime_id,
    csv_line,
    quarantine_rows,
    stop_search,
    street,
    write_csv,
)
from safer.warehouse.ingest import ingest_paths

CAFE = "On or near Café Royal"
APOSTROPHE = "On or near St James’s Street"


def _crimes(con):
    return con.execute("SELECT crime_id, source_line, location, lsoa_name, crime_type, context "
                       "FROM crimes ORDER BY source_line").fetchall()


def test_windows_1252_text_is_read_intact(warehouse, tmp_path):
    lines = [street(crime_id=crime_id(1), location=CAFE), street(crime_id=crime_id(2), location=APOSTROPHE),
             street(crime_id=crime_id(3), month="2018-13", location="On or near Rue de l’Église")]
    path = write_csv(tmp_path / "2018-01-metropolitan-street.csv", STREET_HEADER, lines, encoding="cp1252")
    raw = path.read_bytes()
    assert b"Caf\xe9 Royal" in raw and b"James\x92s" in raw  # really Windows-1252 on disk
    (result,) = ingest_paths(warehouse, [path])
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    locations = {cid: loc for cid, _, loc, *_ in _crimes(warehouse.duckdb)}
    assert locations == {crime_id(1): CAFE, crime_id(2): APOSTROPHE}
    con = warehouse.duckdb
    assert con.execute("SELECT encoding, file_sha256 FROM ingest_ledger").fetchone() == \
        ("cp1252", hashlib.sha256(raw).hexdigest())
    ((line_no, field, _, raw_line),) = quarantine_rows(con)
    assert (line_no, field) == (4, "Month")
    assert "Rue de l’Église" in raw_line


def test_utf8_with_byte_order_mark(warehouse, tmp_path):
    lines = [street(crime_id=crime_id(1), location=CAFE), street(crime_id=crime_id(2))]
    path = write_csv(tmp_path / "2018-01-metropolitan-street.csv", STREET_HEADER, lines, bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfCrime ID,")
    (result,) = ingest_paths(warehouse, [path])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
    assert [(cid, line, loc) for cid, line, loc, *_ in _crimes(warehouse.duckdb)] == \
        [(crime_id(1), 2, CAFE), (crime_id(2), 3, "On or near Coventry Street")]
    assert warehouse.duckdb.execute("SELECT encoding FROM ingest_ledger").fetchone() == ("utf-8",)


def test_crlf_line_endings_leave_no_carriage_return_in_the_last_field(warehouse, tmp_path):
    street_path = write_csv(tmp_path / "2018-01-metropolitan-street.csv", STREET_HEADER,
                            [street(crime_id=crime_id(1)), street(crime_id=crime_id(2), context="Seen on CCTV"),
                             street(crime_id=crime_id(3), lsoa_code="bad")], newline="\r\n")
    search_path = write_csv(tmp_path / "2018-01-metropolitan-stop-and-search.csv", STOP_SEARCH_HEADER,
                            [stop_search(removal_of_more_than_just_outer_clothing="True"), stop_search()],
                            newline="\r\n")
    assert b"\r\n" in street_path.read_bytes()
    ingest_paths(warehouse, [street_path, search_path])
    con = warehouse.duckdb
    assert [(cid, line, ctx) for cid, line, _, _, _, ctx in _crimes(con)] == \
        [(crime_id(1), 2, None), (crime_id(2), 3, "Seen on CCTV")]
    ((line_no, field, reason, raw_line),) = quarantine_rows(con)
    assert (line_no, field) == (4, "LSOA code") and "'bad'" in reason
    assert "\r" not in raw_line
    assert con.execute("SELECT source_line, removal_of_outer_clothing FROM stop_searches ORDER BY 1").fetchall() \
        == [(2, True), (3, False)]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_blank_lines_are_skipped_but_still_counted_for_line_numbers(warehouse, tmp_path, newline):
    lines = ["", street(crime_id=crime_id(1)), "", "", street(crime_id=crime_id(2), month="Jan 2018"),
             street(crime_id=crime_id(3)), "", street(crime_id=crime_id(4), latitude="95"), "", "", ""]
    path = write_csv(tmp_path / "2018-01-metropolitan-street.csv", STREET_HEADER, lines, newline=newline)
    # Independent line numbers: physical line of each row, header = 1.
    physical = path.read_bytes().decode().split(newline)
    where = {cid: n for n, text in enumerate(physical, start=1) for cid in [crime_id(i) for i in range(1, 5)]
             if text.startswith(cid)}
    (result,) = ingest_paths(warehouse, [path])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 2, 2)
    assert [(line, field) for line, field, _, _ in quarantine_rows(warehouse.duckdb)] == \
        [(where[crime_id(2)], "Month"), (where[crime_id(4)], "Latitude")]
    assert [(cid, line) for cid, line, *_ in _crimes(warehouse.duckdb)] == \
        [(crime_id(1), where[crime_id(1)]), (crime_id(3), where[crime_id(3)])]
    assert where == {crime_id(1): 3, crime_id(2): 6, crime_id(3): 7, crime_id(4): 9}


def test_gzip_compressed_csv(warehouse, tmp_path):
    lines = [street(crime_id=crime_id(1), location=CAFE), street(crime_id=crime_id(2), longitude="x")]
    path = write_csv(tmp_path / "2018-01-btp-street.csv.gz", STREET_HEADER, lines)
    content = gzip.decompress(path.read_bytes())
    assert content.startswith(b"Crime ID,")
    (result,) = ingest_paths(warehouse, [path])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 1, 1)
    con = warehouse.duckdb
    assert [(cid, loc) for cid, _, loc, *_ in _crimes(con)] == [(crime_id(1), CAFE)]
    assert con.execute("SELECT force FROM crimes").fetchone() == ("btp",)
    assert con.execute("SELECT file_sha256 FROM ingest_ledger").fetchone() == (hashlib.sha256(content).hexdigest(),)
    assert [(line, field) for line, field, *_ in quarantine_rows(con)] == [(3, "Longitude")]


def test_windows_1252_inside_gzip(warehouse, tmp_path):
    path = write_csv(tmp_path / "2018-01-metropolitan-street.csv.gz", STREET_HEADER,
                     [street(crime_id=crime_id(1), location=APOSTROPHE)], encoding="cp1252", newline="\r\n")
    ingest_paths(warehouse, [path])
    assert [(cid, loc) for cid, _, loc, *_ in _crimes(warehouse.duckdb)] == [(crime_id(1), APOSTROPHE)]


def test_quoted_fields_with_commas_and_doubled_quotes(warehouse, tmp_path):
    location = 'On or near "The Mall", St James\'s'
    lsoa_name = "Westminster, 018A"
    context = 'Reported as "theft, snatch"'
    lines = [
        street(crime_id=crime_id(1), location=location, lsoa_name=lsoa_name, context=context),
        # Every field quoted, as some spreadsheet exports write them.
        ",".join('"' + v.replace('"', '""') + '"' for v in next(csv.reader(io.StringIO(
            street(crime_id=crime_id(2), location=location, crime_type="Burglary"))))),
        street(crime_id=crime_id(3), location="On or near, unquoted"),  # csv_line quotes it
        street(crime_id=crime_id(4), month="2018-13", location=location),
    ]
    assert '"On or near ""The Mall"", St James\'s"' in lines[0]
    path = write_csv(tmp_path / "2018-01-metropolitan-street.csv", STREET_HEADER, lines)
    # What the csv module makes of the file is what the warehouse must hold.
    with open(path, newline="") as handle:
        parsed = {row[0]: row for row in list(csv.reader(handle))[1:]}
    (result,) = ingest_paths(warehouse, [path])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 3, 1)
    for cid, _, loc, lsoa, ctype, ctx in _crimes(warehouse.duckdb):
        row = parsed[cid]
        assert (loc, lsoa, ctype, ctx or "") == (row[6], row[8], row[9], row[11])
    assert _crimes(warehouse.duckdb)[0][2:] == (location, lsoa_name, "Theft from the person", context)
    assert _crimes(warehouse.duckdb)[1][2:5] == (location, "Westminster 018A", "Burglary")
    ((line_no, field, reason, _),) = quarantine_rows(warehouse.duckdb)
    assert (line_no, field) == (5, "Month") and "'2018-13'" in reason


def test_csv_line_helper_round_trips(tmp_path):
    values = ["a", 'b "c", d', "", "e,f"]
    assert next(csv.reader(io.StringIO(csv_line(values)))) == values


def _strip_spaces(value: str) -> str | None:
    """Python's reading of the loader's rule: strip Unicode space separators (category Zs), blank is missing."""
    start, end = 0, len(value)
    while start < end and unicodedata.category(value[start]) == "Zs":
        start += 1
    while end > start and unicodedata.category(value[end - 1]) == "Zs":
        end -= 1
    return value[start:end] or None


@pytest.mark.parametrize("location", [
    " On or near Lead Street", "On or near Trail Street ", "\u00a0On or near Hard Space\u00a0",
    "\u3000On or near Wide Space", "\u2009On or near Thin Space\u202f", "\tOn or near Tab Street\t",
    "On or near  Inner  Spaces", "   ", "\u00a0", "On or near Café Royal ", "On or near, Comma Street ",
])
def test_fields_lose_their_space_padding_however_the_line_is_written(warehouse, tmp_path, location):
    """Padding is stripped from every field, whether or not anything else on the line needs it.

    Each location goes on a plain line, on a line whose crime type is also padded, and on a line
    quoting every field, so that every way the loader reads a line is compared with Python's strip.
    """
    plain = street(crime_id=crime_id(1), location=location)
    padded_type = street(crime_id=crime_id(2), location=location, crime_type=" Burglary ")
    quoted = ",".join('"' + v.replace('"', '""') + '"'
                      for v in next(csv.reader(io.StringIO(street(crime_id=crime_id(3), location=location)))))
    path = write_csv(tmp_path / "2018-01-metropolitan-street.csv", STREET_HEADER, [plain, padded_type, quoted])
    (result,) = ingest_paths(warehouse, [path])
    assert (result.rows_loaded, result.rows_quarantined) == (3, 0)
    rows = _crimes(warehouse.duckdb)
    assert [loc for _, _, loc, *_ in rows] == [_strip_spaces(location)] * 3
    assert [ctype for *_, ctype, _ in rows][1] == "Burglary"


@pytest.mark.parametrize("data, is_utf8", [
    (("abc" + "é" * 3 + "defgh").encode(), True),  # two-byte characters cut by chunk boundaries, then ASCII
    ("abcd€efghijk".encode(), True),  # a three-byte character across two chunks
    (b"abc\xc3defgh", False),  # a character's first byte ends a chunk and ASCII follows: not UTF-8
    (b"abcdefg\xc3", False),  # the file ends inside a character
    (b"abc\xe9defgh", False),  # Windows-1252 e-acute
])
def test_utf8_check_reads_chunk_by_chunk(tmp_path, monkeypatch, data, is_utf8):
    import safer.sources.files as files

    monkeypatch.setattr(files, "_CHUNK", 4)
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert files._hash_and_check_utf8(path) == (hashlib.sha256(data).hexdigest(), is_utf8)
