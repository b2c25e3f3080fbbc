"""Finding input files, hashing and recognising them, and refusing files that are not police.uk CSVs."""

from __future__ import annotations

import gzip
import hashlib
import zipfile

import pytest

from policeuk_samples import (
    OUTCOMES_HEADER,
    STOP_SEARCH_HEADER,
    STREET_HEADER,
    crime_id,
    outcome,
    stop_search,
    street,
    write_csv,
)
from safer.errors import SourceError
from safer.sources.files import discover, prepare
from safer.sources.policeuk import detect_format, force_from_name

ALL_COLUMNS = set(STREET_HEADER) | set(OUTCOMES_HEADER) | set(STOP_SEARCH_HEADER)


def _archive(path, members: dict[str, bytes]):
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_discover_walks_folders_expands_zips_and_keeps_a_stable_order(tmp_path):
    root = tmp_path / "downloads"
    b = write_csv(root / "b" / "2018-02-metropolitan-street.csv", STREET_HEADER, [street()])
    a = write_csv(root / "a" / "2018-01-metropolitan-outcomes.csv.gz", OUTCOMES_HEADER, [outcome(crime_id="x")])
    (root / "a" / "notes.txt").write_text("not data")
    (root / "README.md").write_text("not data")
    z = _archive(root / "c" / "2018-03.zip", {
        "2018-03/2018-03-metropolitan-street.csv": b"x", "2018-03/2018-03-btp-street.csv": b"x",
        "2018-03/readme.txt": b"x"})
    found = discover([root])
    assert [f.name for f in found] == [str(a), str(b), f"{z}!2018-03/2018-03-btp-street.csv",
                                       f"{z}!2018-03/2018-03-metropolitan-street.csv"]
    assert [f.member for f in found] == [None, None, "2018-03/2018-03-btp-street.csv",
                                         "2018-03/2018-03-metropolitan-street.csv"]
    # Paths are taken in the order given.
    assert [f.name for f in discover([b, a])] == [str(b), str(a)]


@pytest.mark.parametrize("kind", ["missing", "empty folder", "folder of other files", "text file",
                                  "broken zip", "zip without csv"])
def test_discover_refuses_paths_with_nothing_to_load(tmp_path, kind):
    if kind == "missing":
        path = tmp_path / "no-such-folder"
    elif kind == "empty folder":
        path = tmp_path / "empty"
        path.mkdir()
    elif kind == "folder of other files":
        path = tmp_path / "docs"
        path.mkdir()
        (path / "notes.txt").write_text("x")
    elif kind == "text file":
        path = tmp_path / "2018-01-metropolitan-street.txt"
        path.write_text(",".join(STREET_HEADER))
    elif kind == "broken zip":
        path = tmp_path / "2018-01.zip"
        path.write_bytes(b"PK\x03\x04 this is not really a zip")
    else:
        path = _archive(tmp_path / "2018-01.zip", {"2018-01/readme.txt": b"x"})
    with pytest.raises(SourceError) as info:
        discover([path])
    assert str(path) in str(info.value)


def test_prepare_hashes_content_and_recognises_format_and_force(tmp_path):
    plain = write_csv(tmp_path / "2018-01-avon-and-somerset-stop-and-search.csv", STOP_SEARCH_HEADER,
                      [stop_search()])
    gz = write_csv(tmp_path / "2018-01-btp-street.csv.gz", STREET_HEADER, [street(crime_id=crime_id(1))])
    member_bytes = write_csv(tmp_path / "m.csv", OUTCOMES_HEADER, [outcome(crime_id="y")]).read_bytes()
    z = _archive(tmp_path / "archive.zip", {"2018-01/2018-01-metropolitan-outcomes.csv": member_bytes})
    odd_name = write_csv(tmp_path / "my street extract.csv", STREET_HEADER, [street()], encoding="cp1252")

    work = tmp_path / "work"
    p_plain, p_gz, p_member, p_odd = [prepare(item, work) for item in discover([plain, gz, z, odd_name])]

    assert (p_plain.format.name, p_plain.force, p_plain.encoding) == ("stop-and-search", "avon-and-somerset", "utf-8")
    assert p_plain.sha256 == hashlib.sha256(plain.read_bytes()).hexdigest()
    assert p_plain.header == STOP_SEARCH_HEADER

    assert (p_gz.format.name, p_gz.force) == ("street", "btp")
    assert p_gz.sha256 == hashlib.sha256(gzip.decompress(gz.read_bytes())).hexdigest()

    assert (p_member.format.name, p_member.force) == ("outcomes", "metropolitan")
    assert p_member.sha256 == hashlib.sha256(member_bytes).hexdigest()
    assert p_member.local_path.read_bytes() == member_bytes  # a byte-for-byte working copy

    assert (p_odd.format.name, p_odd.force) == ("street", None)


def test_prepare_makes_a_utf8_copy_of_a_windows_1252_file(tmp_path):
    path = write_csv(tmp_path / "2018-01-metropolitan-street.csv", STREET_HEADER,
                     [street(location="On or near Café Royal"), street(location="On or near St James’s Street")],
                     encoding="cp1252")
    (item,) = discover([path])
    prepared = prepare(item, tmp_path / "work")
    assert prepared.encoding == "cp1252"
    assert prepared.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert prepared.local_path != path
    assert prepared.local_path.read_text(encoding="utf-8") == path.read_bytes().decode("cp1252")


def test_header_with_byte_order_mark_and_padding_is_recognised():
    header = ["\ufeffCrime ID ", " Month", *STREET_HEADER[2:]]
    assert detect_format(header, "x.csv").name == "street"


@pytest.mark.parametrize("header", [
    ["id", "date", "type", "lat", "lng"],
    list(STREET_HEADER[:-1]),  # a column missing
    list(STREET_HEADER) + ["Extra"],
    [c.lower() for c in OUTCOMES_HEADER],
    list(STOP_SEARCH_HEADER[1:]) + [STOP_SEARCH_HEADER[0]],  # reordered
])
def test_a_header_that_is_not_police_uk_is_refused_with_the_expected_columns(tmp_path, header):
    path = tmp_path / "2018-01-metropolitan-street.csv"
    path.write_text(",".join(header) + "\n" + ",".join("x" * len(header)) + "\n")
    (item,) = discover([path])
    with pytest.raises(SourceError) as info:
        prepare(item, tmp_path / "work")
    message = str(info.value)
    assert str(path) in message
    assert "line 1" in message
    for column in ALL_COLUMNS:
        assert column in message, column


@pytest.mark.parametrize("content", [b"", b"\n" + ",".join(STREET_HEADER).encode() + b"\n", b"\r\n\r\n"])
def test_an_empty_file_or_one_starting_with_a_blank_line_is_refused(tmp_path, content):
    path = tmp_path / "2018-01-metropolitan-street.csv"
    path.write_bytes(content)
    (item,) = discover([path])
    with pytest.raises(SourceError, match="2018-01-metropolitan-street.csv"):
        prepare(item, tmp_path / "work")


def test_a_truncated_gzip_file_is_refused(tmp_path):
    full = write_csv(tmp_path / "full.csv.gz", STREET_HEADER, [street(crime_id=crime_id(i)) for i in range(2000)])
    path = tmp_path / "2018-01-metropolitan-street.csv.gz"
    path.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    (item,) = discover([path])
    with pytest.raises(SourceError, match="2018-01-metropolitan-street.csv.gz"):
        prepare(item, tmp_path / "work")


@pytest.mark.parametrize(("name", "force"), [
    ("2017-01-metropolitan-street.csv", "metropolitan"),
    ("2017-01-btp-outcomes.csv", "btp"),
    ("2017-01-metropolitan-stop-and-search.csv", "metropolitan"),
    ("2017-01-avon-and-somerset-street.csv.gz", "avon-and-somerset"),
    ("2017-01/2017-01-city-of-london-stop-and-search.csv", "city-of-london"),
    ("my-street.csv", None),
    ("2017-01-metropolitan.csv", None),
])
def test_force_from_file_name(name, force):
    assert force_from_name(name) == force
