"""Synthetic national police.uk street files: every force, the real volumes and mix, loadable, repeatable.

Expected volumes are recomputed from the Home Office file in the shared real data (not from the
table packaged with safer), and the force areas are checked against the ONS lookup with pandas.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from safer.errors import ConfigError
from safer.synth.national import FORCES, force_lads, generate_national
from safer.warehouse.connect import run
from safer.warehouse.ingest import ingest_paths

PRC = Path(__file__).parents[3] / "shared" / "data" / "real" / "home_office_prc" / "prc-pfa-201718_new.csv"
LOOKUP = Path(__file__).parents[2] / "src" / "safer" / "data" / "geography" / "lsoa_lookup.csv.gz"
HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
          "Last outcome category,Context")
FRAUD_BODIES = {"Action Fraud", "CIFAS", "UK Finance", "Financial Fraud Action UK"}
SCALE = 0.05


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """April to June 2017 (the first financial quarter) at 5% of the national volume."""
    out = tmp_path_factory.mktemp("national")
    return generate_national(out, months=3, seed=11, scale=SCALE)


@pytest.fixture(scope="module")
def rows(national) -> pd.DataFrame:
    frames = []
    for f in national.files:
        frame = pd.read_csv(f.path, dtype=str, keep_default_na=False)
        frame["slug"] = f.force
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def test_every_force_has_a_police_uk_street_file_every_month(national):
    names = sorted(p.relative_to(national.out).as_posix() for p in national.out.rglob("*.csv"))
    assert len(names) == 3 * 44
    slugs = {re.fullmatch(r"(\d{4}-\d{2})/\1-([a-z-]+)-street\.csv", n).group(2) for n in names}
    assert len(slugs) == 44 and "btp" in slugs and "metropolitan" in slugs
    assert {n[:7] for n in names} == {"2017-04", "2017-05", "2017-06"}
    for path in national.out.rglob("*.csv"):
        assert path.read_text(encoding="utf-8").split("\n", 1)[0] == HEADER


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path):
    def digest(out: Path) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.rglob("*.csv"))}

    first = generate_national(tmp_path / "a", months=1, seed=5, scale=0.002)
    again = generate_national(tmp_path / "b", months=1, seed=5, scale=0.002)
    other = generate_national(tmp_path / "c", months=1, seed=6, scale=0.002)
    assert digest(first.out) == digest(again.out)
    assert digest(first.out) != digest(other.out)


def test_each_force_area_is_its_local_authorities_and_covers_england_and_wales_once():
    lookup = pd.read_csv(LOOKUP, dtype=str)
    areas = force_lads()
    territorial = [set(codes) for slug, codes in areas.items() if slug != "btp"]
    assert len(territorial) == 43 and areas["btp"] == ()
    assert sum(len(c) for c in territorial) == len(set().union(*territorial)) == lookup["lad_code"].nunique()
    names = dict(zip(lookup["lad_code"], lookup["lad_name"]))
    assert {names[c] for c in areas["west-yorkshire"]} == {"Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"}
    assert {names[c] for c in areas["city-of-london"]} == {"City of London"}
    assert len(areas["metropolitan"]) == 32 and "E09000033" in areas["metropolitan"]


def test_crime_by_force_follows_police_recorded_crime_for_the_quarter(rows):
    prc = pd.read_csv(PRC)
    q1 = prc[(prc["Financial_Quarter"] == 1) & ~prc["Force_Name"].isin(FRAUD_BODIES)]
    expected = q1.groupby("Force_Name")["Number_of_Offences"].sum() * SCALE  # 3 months = the whole quarter
    crime = rows[rows["Crime type"] != "Anti-social behaviour"]
    by_name = crime.groupby("Falls within").size()
    home_office = {f.name: f.home_office for f in FORCES}
    assert len(by_name) == 44
    for name, count in by_name.items():
        mean = expected[home_office[name]]
        assert abs(count - mean) <= 5 * np.sqrt(mean) + 1, (name, count, mean)


def test_the_crime_type_mix_and_the_share_of_anti_social_behaviour(rows):
    prc = pd.read_csv(PRC)
    q1 = prc[(prc["Financial_Quarter"] == 1) & ~prc["Force_Name"].isin(FRAUD_BODIES)]
    expected = q1.groupby(q1["Policeuk_Cat"].str.lower())["Number_of_Offences"].sum()
    expected = expected / expected.sum()
    crime = rows[rows["Crime type"] != "Anti-social behaviour"]
    found = crime["Crime type"].str.lower().value_counts(normalize=True)
    assert set(found.index) == set(expected.index)
    for crime_type, share in expected.items():
        assert abs(found[crime_type] - share) < 0.01, crime_type
    asb = (rows["Crime type"] == "Anti-social behaviour").sum()
    assert abs(asb / len(crime) - 0.33) < 0.02
    assert (rows.loc[rows["Crime type"] == "Anti-social behaviour", "Crime ID"] == "").all()
    assert crime["Crime ID"].str.fullmatch(r"[0-9a-f]{64}").all() and crime["Crime ID"].is_unique


def test_records_fall_in_their_forces_area_and_a_few_places_hold_much_of_it(rows):
    lookup = pd.read_csv(LOOKUP, dtype=str)
    lad_of = dict(zip(lookup["lsoa_code"], lookup["lad_code"]))
    areas = force_lads()
    located = rows[rows["LSOA code"] != ""]
    assert 0.99 < len(located) / len(rows) < 1.0  # about 0.5% have no location, as on police.uk
    territorial = located[located["slug"] != "btp"]
    inside = [lad_of[code] in areas[slug] for code, slug in zip(territorial["LSOA code"], territorial["slug"])]
    assert all(inside)
    per_lsoa = territorial.groupby("LSOA code").size().sort_values(ascending=False)
    top_tenth = per_lsoa.iloc[: len(per_lsoa) // 10].sum() / per_lsoa.sum()
    assert top_tenth > 0.25, top_tenth  # concentrated, as real crime is, not spread evenly (10%)


def test_the_files_load_into_safer_without_a_single_rejection(warehouse, national):
    results = ingest_paths(warehouse, [national.out])  # the whole folder: its README.md is passed by
    written = sum(f.rows for f in national.files)
    assert len(results) == 3 * 44
    assert sum(r.rows_quarantined for r in results) == 0
    assert sum(r.rows_duplicate for r in results) == 0
    assert sum(r.rows_loaded for r in results) == written
    unknown = run(warehouse.duckdb, "SELECT count(*) FROM crimes c LEFT JOIN geo_lsoa g USING (lsoa_code) "
                                    "WHERE c.lsoa_code IS NOT NULL AND g.lad_code IS NULL")[0][0]
    assert unknown == 0


@pytest.mark.parametrize("kwargs, message", [
    ({"months": 0}, "--months"), ({"months": 500}, "--months"), ({"seed": -1}, "--seed"),
    ({"first_month": "2017-13"}, "first month"), ({"scale": 0}, "scale"),
])
def test_bad_arguments_say_what_to_give(tmp_path, kwargs, message):
    with pytest.raises(ConfigError) as info:
        generate_national(tmp_path, **kwargs)
    assert message in str(info.value)


def test_safer_synth_national_writes_the_files_from_the_command_line(tmp_path):
    from typer.testing import CliRunner

    from safer.cli import app

    result = CliRunner().invoke(app, ["synth", "--national", "--months", "1", "--out", str(tmp_path / "n")])
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "n" / "2017-04").glob("*-street.csv"))
    assert len(files) == 44
    rows = sum(f.read_text(encoding="utf-8").count("\n") - 1 for f in files)
    assert 500_000 < rows < 580_000  # a national month: about 6.5 million rows a year
