"""Category tables: the seed's published tables come back out, and counts give the overview's table exactly as records do."""

from __future__ import annotations

import gzip
import random
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

import safer
from policeuk_samples import STREET_HEADER, crime_id, street, write_csv
from safer.assessment.flagged import compute_flagged
from safer.assessment.overview import compute_overview
from safer.assessment.scope import resolve_scope
from safer.config import Config
from safer.errors import WarehouseError
from safer.warehouse.ingest import ingest_paths
from seed_category_counts import FLAGS, OFFENCES, TOTALS, write_seed_table

LOOKUP = Path(safer.__file__).parent / "data" / "geography" / "lsoa_lookup.csv.gz"
TYPES = ("Burglary", "Robbery", "Shoplifting", "Vehicle crime", "Violence and sexual offences")


def _config(**settings) -> Config:
    return Config(partnership="Test", area=("E09000033",), end_month="2018-06", **settings)


@pytest.fixture
def seed_warehouse(tmp_path, warehouse):
    write_csv(tmp_path / "2016-07-metropolitan-street.csv", STREET_HEADER, [street(crime_id=crime_id(1), month="2016-07")])
    write_csv(tmp_path / "2018-06-metropolitan-street.csv", STREET_HEADER, [street(crime_id=crime_id(2), month="2018-06")])
    write_seed_table(tmp_path / "categories.csv")
    ingest_paths(warehouse, [tmp_path])
    return warehouse


def test_the_seed_tables_come_back_out_of_the_category_path(seed_warehouse):
    section = compute_flagged(resolve_scope(_config(), seed_warehouse))
    table = section.category_table
    assert (table.total.area.previous, table.total.area.current) == TOTALS
    majors = Counter()
    for major, _, previous, current in OFFENCES:
        majors[(major, 0)] += previous
        majors[(major, 1)] += current
    for group in table.groups:
        assert (group.total.area.previous, group.total.area.current) == (majors[(group.major, 0)], majors[(group.major, 1)])
    assert round(table.total.area.pct_change) == 9  # the seed: "crime in Westminster has increased by 9%"
    shown = {r.flag: r for r in (*section.hate_crime, *section.other_flags)}
    seed = {"Gun Crime": "Gun crime", "Youth Violence": "Youth violence", "Domestic abuse hate crime": "Domestic abuse",
            "Racist & Religious hate crime": "Racist and religious hate crime", "Homophobic crime": "Homophobic hate crime",
            "Anti-semitic": "Antisemitic hate crime", "Islamaphobic": "Islamophobic hate crime"}
    for label, previous, current, pct in FLAGS:
        row = shown[seed.get(label, label)]
        assert (row.area.previous, row.area.current) == (previous, current)
        assert round(row.area.pct_change) == pct, label
    assert len(shown) == len(FLAGS)
    # hate crime strands overlap: "Hate crime" is its own count, never the sum of its strands
    strands = sum(r.area.current for r in section.hate_crime if r.kind == "hate crime strand")
    assert shown["Hate crime"].area.current == 1720 != strands
    assert round(section.hate_share_of_crime) == 3  # the seed: "3% of all crime in Westminster is hate crime"
    assert section.by_type.row("Burglary").area.current == 2266 + 1723
    assert section.by_type.total.area.current == TOTALS[1]  # every seed category has a police.uk type
    assert section.by_type.total.comparator is None  # no comparator rows in the seed's table


def _lsoas(lad: str, n: int) -> list[tuple[str, str]]:
    lookup = pd.read_csv(gzip.open(LOOKUP))
    rows = lookup[lookup["lad_code"] == lad].sort_values("lsoa_code").head(n)
    return list(zip(rows["lsoa_code"], rows["lsoa_name"]))


def test_counts_give_the_overview_table_exactly_as_records_do(tmp_path, warehouse):
    """Street records for Westminster and Camden, and the same records counted into a category table."""
    rng = random.Random(20180630)
    places = {"E09000033": _lsoas("E09000033", 4), "E09000007": _lsoas("E09000007", 4)}
    months = [f"{y}-{m:02d}" for y, m in [(2016 + (6 + i) // 12, (6 + i) % 12 + 1) for i in range(24)]]
    lines, counted = [], Counter()
    for i in range(1500):
        lad = rng.choice(list(places))
        code, name = rng.choice(places[lad])
        month, crime_type = rng.choice(months), rng.choice(TYPES)
        lines.append(street(crime_id=crime_id(("r", i)), month=month, lsoa_code=code, lsoa_name=name,
                            crime_type=crime_type))
        counted[(lad, month, crime_type)] += 1
    write_csv(tmp_path / "records" / "street.csv", STREET_HEADER, lines)
    table = ["area,period_start,period_end,major_category,minor_category,count"]
    for lad in places:
        for month in months:
            for crime_type in TYPES:
                table.append(f"{lad},{month},{month},{crime_type},,{counted[(lad, month, crime_type)]}")
    (tmp_path / "counts").mkdir()
    (tmp_path / "counts" / "categories.csv").write_text("\n".join(table) + "\n")
    ingest_paths(warehouse, [tmp_path / "records", tmp_path / "counts"])

    scope = resolve_scope(_config(comparator=("E09000007",)), warehouse)
    assert scope.covered_types == frozenset(TYPES)
    from_records = compute_overview(scope).by_type
    from_counts = compute_flagged(scope).by_type
    assert from_counts.as_dict() == from_records.as_dict()
    assert from_records.total.area.previous + from_records.total.area.current == \
        sum(n for (lad, _, _), n in counted.items() if lad == "E09000033")


def test_a_row_across_the_period_edge_leaves_the_period_uncovered(tmp_path, warehouse):
    write_csv(tmp_path / "2016-07-metropolitan-street.csv", STREET_HEADER, [street(crime_id=crime_id(1), month="2016-07")])
    write_csv(tmp_path / "2018-06-metropolitan-street.csv", STREET_HEADER, [street(crime_id=crime_id(2), month="2018-06")])
    (tmp_path / "categories.csv").write_text(
        "area,period_start,period_end,major_category,minor_category,count\n"
        "E09000033,2016-01,2016-12,Burglary,Burglary Residential,1300\n"
        "E09000033,2017-01,2018-06,Burglary,Burglary Residential,2600\n")
    ingest_paths(warehouse, [tmp_path])
    section = compute_flagged(resolve_scope(_config(), warehouse))
    assert section.category_table is None and section.hate_crime == ()
    assert any("across the edge of July 2016 to June 2017" in note for note in section.notes)


def test_overlapping_tables_from_two_files_are_refused(tmp_path, warehouse):
    write_csv(tmp_path / "2018-06-metropolitan-street.csv", STREET_HEADER, [street(crime_id=crime_id(1), month="2018-06")])
    header = "area,period_start,period_end,major_category,minor_category,count\n"
    (tmp_path / "a.csv").write_text(header + "E09000033,2017-07,2018-06,Burglary,Burglary Residential,1723\n")
    (tmp_path / "b.csv").write_text(header + "E09000033,2018-01,2018-06,Burglary,Burglary Residential,900\n")
    ingest_paths(warehouse, [tmp_path])
    with pytest.raises(WarehouseError, match="overlapping months in different files") as error:
        compute_flagged(resolve_scope(_config(), warehouse))
    assert "a.csv line 2" in str(error.value) and "b.csv line 2" in str(error.value)
