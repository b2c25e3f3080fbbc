"""The bundled real police.uk demo zips, ingested once, checked against counts made here from the raw CSVs."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import zipfile
from collections import Counter
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pytest

from policeuk_samples import OUTCOMES_HEADER, STOP_SEARCH_HEADER, STREET_HEADER, copy_warehouse_file, counts
from safer.warehouse.connect import open_warehouse
from safer.warehouse.ingest import ingest_paths

CRIME_TYPES = {
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs", "Other crime",
    "Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting", "Theft from the person",
    "Vehicle crime", "Violence and sexual offences",
}
TABLE_OF = {STREET_HEADER: "crimes", OUTCOMES_HEADER: "outcomes", STOP_SEARCH_HEADER: "stop_searches"}


@dataclass
class MemberFacts:
    """What the tests know about one zip member, worked out from its bytes alone."""

    name: str  # as the loader names it: "<zip path>!<member>"
    member: str
    table: str
    sha256: str
    csv_rows: int  # non-blank data lines, by the csv module
    invalid: int  # rows breaking the police.uk layout rules, by pandas
    identities: list[str]  # record identity of each valid row, in file order


def _valid_mask(df: pd.DataFrame, table: str) -> pd.Series:
    def blank(col):
        return df[col] == ""

    def number_in(col, limit):
        values = pd.to_numeric(df[col], errors="coerce")
        return blank(col) | (values.notna() & (values.abs() <= limit))

    ok = pd.Series(True, index=df.index)
    if table in ("crimes", "outcomes"):
        ok &= df["Month"].str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").fillna(False)
        ok &= ~blank("Reported by") & ~blank("Falls within")
        ok &= blank("LSOA code") | df["LSOA code"].str.fullmatch(r"[EW]01\d{6}").fillna(False)
    if table == "crimes":
        ok &= df["Crime type"].isin(CRIME_TYPES)
    if table == "outcomes":
        ok &= ~blank("Crime ID") & ~blank("Outcome type")
    if table == "stop_searches":
        ok &= ~blank("Type")
        ok &= pd.to_datetime(df["Date"], errors="coerce", format="ISO8601", utc=True).notna()
        for col in ("Part of a policing operation", "Outcome linked to object of search",
                    "Removal of more than just outer clothing"):
            ok &= blank(col) | df[col].str.lower().isin(["true", "false"])
    ok &= number_in("Longitude", 180) & number_in("Latitude", 90)
    ok &= blank("Longitude") == blank("Latitude")
    return ok


def _identities(df: pd.DataFrame, table: str) -> pd.Series:
    """Crime ID where a street row has one; otherwise the whole row and its occurrence among identical
    rows of the same file (``df`` holds the data columns plus ``_file``)."""
    data = df.drop(columns="_file")
    row_hash = pd.util.hash_pandas_object(data, index=False).astype("uint64").astype(str)
    occurrence = df.groupby([df["_file"], row_hash]).cumcount() + 1
    whole_row = "row:" + row_hash + ":" + occurrence.astype(str)
    if table == "crimes":
        return pd.Series(np.where(df["Crime ID"] != "", "id:" + df["Crime ID"], whole_row), index=df.index)
    return whole_row


@pytest.fixture(scope="module")
def demo_facts(demo_zips) -> list[MemberFacts]:
    facts: list[MemberFacts] = []
    frames: dict[str, list[pd.DataFrame]] = {}
    for zip_path in demo_zips:
        with zipfile.ZipFile(zip_path) as archive:
            for member in sorted(m for m in archive.namelist() if m.endswith(".csv")):
                data = archive.read(member)
                text = data.decode("utf-8-sig")
                reader = csv.reader(io.StringIO(text, newline=""))
                header = tuple(next(reader))
                csv_rows = sum(1 for row in reader if row)
                table = TABLE_OF[header]
                df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True)
                assert tuple(df.columns) == header and len(df) == csv_rows
                df["_file"] = len(facts)
                frames.setdefault(table, []).append(df)
                facts.append(MemberFacts(name=f"{zip_path}!{member}", member=member, table=table,
                                         sha256=hashlib.sha256(data).hexdigest(), csv_rows=csv_rows,
                                         invalid=0, identities=[]))
    for table, parts in frames.items():
        df = pd.concat(parts, ignore_index=True)
        data_columns = [c for c in df.columns if c != "_file"]
        df[data_columns] = df[data_columns].apply(lambda col: col.str.strip())
        valid = _valid_mask(df, table)
        for file_index, n_invalid in df.loc[~valid, "_file"].value_counts().items():
            facts[file_index].invalid = int(n_invalid)
        kept = df[valid]
        for file_index, identities in _identities(kept, table).groupby(kept["_file"], sort=False):
            facts[file_index].identities = list(identities)
    return facts


@pytest.fixture
def demo_con(demo_warehouse):
    con = duckdb.connect(str(demo_warehouse.path), read_only=True)
    yield con
    con.close()


def test_every_member_is_loaded_in_order_with_a_balanced_ledger(demo_warehouse, demo_facts, demo_con):
    results = demo_warehouse.results
    assert [r.source_file for r in results] == [f.name for f in demo_facts]
    assert len(results) == 120
    for result in results:
        assert not result.already_loaded
        assert result.rows_read == result.rows_loaded + result.rows_quarantined + result.rows_duplicate

    ledger = demo_con.execute(
        "SELECT source_file, file_sha256, format, force, encoding, rows_read, rows_loaded, rows_quarantined, "
        "rows_duplicate FROM ingest_ledger").fetchall()
    assert len(ledger) == len(demo_facts)
    by_name = {row[0]: row for row in ledger}
    for facts in demo_facts:
        _, sha256, fmt, force, encoding, read, loaded, quarantined, duplicate = by_name[facts.name]
        assert read == loaded + quarantined + duplicate, facts.name
        assert sha256 == facts.sha256
        assert encoding == "utf-8"
        # 2017-03/2017-03-btp-street.csv -> btp
        assert force == re.sub(r"^\d{4}-\d{2}-|-(street|outcomes|stop-and-search)\.csv$", "",
                               facts.member.split("/")[-1])


def test_rows_read_are_the_non_blank_data_lines_of_each_member(demo_warehouse, demo_facts):
    read = {r.source_file: r.rows_read for r in demo_warehouse.results}
    assert {f.name: f.csv_rows for f in demo_facts} == read
    # The street files hold every Westminster row plus all-London burglary.
    assert sum(f.csv_rows for f in demo_facts if f.table == "crimes") > 250_000


def test_loaded_duplicate_and_quarantined_counts_match_an_independent_replay(demo_warehouse, demo_facts):
    """Replay the files in load order: a row is new unless its identity was seen earlier (in any file)."""
    seen: dict[str, set[str]] = {"crimes": set(), "outcomes": set(), "stop_searches": set()}
    expected = {}
    for facts in demo_facts:
        new = 0
        for identity in facts.identities:
            if identity not in seen[facts.table]:
                seen[facts.table].add(identity)
                new += 1
        expected[facts.name] = (facts.csv_rows, new, facts.invalid, facts.csv_rows - facts.invalid - new)
    actual = {r.source_file: (r.rows_read, r.rows_loaded, r.rows_quarantined, r.rows_duplicate)
              for r in demo_warehouse.results}
    assert actual == expected
    # The all-London burglary files share Crime IDs with the Westminster street files.
    assert sum(e[3] for name, e in expected.items() if "westminster-street" in name) > 1000


def test_tables_hold_one_row_per_distinct_record_identity(demo_facts, demo_con):
    for table in ("crimes", "outcomes", "stop_searches"):
        identities = [i for f in demo_facts if f.table == table for i in f.identities]
        distinct = set(identities)
        assert demo_con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(distinct), table
        if table == "crimes":  # the burglary and Westminster street files overlap
            assert len(distinct) < len(identities)

    street_ids = {i for f in demo_facts if f.table == "crimes" for i in f.identities}
    with_id = {i for i in street_ids if i.startswith("id:")}
    got_ids, got_without = demo_con.execute(
        "SELECT count(DISTINCT crime_id), count(*) FILTER (WHERE crime_id IS NULL) FROM crimes").fetchone()
    assert got_ids == len(with_id)
    assert got_without == len(street_ids) - len(with_id)
    # No Crime ID is stored twice.
    assert demo_con.execute("SELECT count(*) FROM crimes WHERE crime_id IS NOT NULL").fetchone()[0] == len(with_id)


def test_each_crime_is_stored_from_the_first_file_it_appeared_in(demo_facts, demo_con):
    """Each stored crime carries the file it was first seen in; compare the per-file totals."""
    first_file: dict[str, str] = {}
    for facts in demo_facts:
        if facts.table == "crimes":
            for identity in facts.identities:
                first_file.setdefault(identity, facts.name)
    expected = Counter(first_file.values())
    actual = dict(demo_con.execute("SELECT source_file, count(*) FROM crimes GROUP BY source_file").fetchall())
    assert actual == {name: n for name, n in expected.items() if n}


def test_demo_data_has_nothing_to_quarantine(demo_facts, demo_con):
    assert sum(f.invalid for f in demo_facts) == 0
    assert demo_con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 0


def test_reingesting_the_demo_zips_changes_nothing(demo_warehouse, tmp_path):
    path = copy_warehouse_file(demo_warehouse.path, tmp_path / "w.duckdb")
    with open_warehouse(path) as wh:
        before = counts(wh.duckdb)
        again = ingest_paths(wh, list(demo_warehouse.zips))
        assert len(again) == len(demo_warehouse.results)
        for first, second in zip(demo_warehouse.results, again):
            assert second.already_loaded
            assert (second.source_file, second.rows_read, second.rows_loaded, second.rows_quarantined,
                    second.rows_duplicate) == (first.source_file, first.rows_read, first.rows_loaded,
                                               first.rows_quarantined, first.rows_duplicate)
        assert counts(wh.duckdb) == before

        # The same member saved under a name that says nothing about it is recognised by its content.
        member = "2017-03/2017-03-btp-street.csv"
        renamed = tmp_path / "reissue" / "btp-march.csv"
        renamed.parent.mkdir()
        zip_path = next(z for z in demo_warehouse.zips if "westminster-street" in z.name)
        with zipfile.ZipFile(zip_path) as archive, archive.open(member) as src, open(renamed, "wb") as dst:
            shutil.copyfileobj(src, dst)
        (result,) = ingest_paths(wh, [renamed])
        assert result.already_loaded
        assert result.source_file == f"{zip_path}!{member}"
        assert counts(wh.duckdb) == before
