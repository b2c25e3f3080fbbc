"""Concentration, ward tables and ward profiles in results.json, recomputed by hand from the raw files.

The police.uk CSVs are read straight from the bundled demo zips with pandas, de-duplicated
by Crime ID (blank IDs: the whole row and its occurrence), placed with the LSOA lookup and
counted; shares, "units holding half", Gini and ranks are worked out here independently.
The seed assessment's own statements for 2017/18 (one third of crime in 4 of 128 LSOAs,
half in 9, 105 LSOAs under one crime a day, the footnoted top four LSOAs) are checked too.

Also the published worked examples of the (generalised) Gini from Bernasco & Steenbeek's
lorenzgini package documentation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import locations_raw as raw
from locations_raw import ASB, BTP, CURRENT, MPS, PREVIOUS, WESTMINSTER
from safer.analysis.concentration import generalised_gini, gini, lorenz_curve, units_holding

SEED_TOP_FOUR = {"E01033595", "E01004734", "E01004763", "E01004736"}  # seed footnote 45


@pytest.fixture(scope="module")
def lookup() -> pd.DataFrame:
    return raw.lookup()


@pytest.fixture(scope="module")
def street() -> pd.DataFrame:
    return raw.street()


@pytest.fixture(scope="module")
def area_lsoas(lookup) -> list[str]:
    return sorted(lookup.loc[lookup["lad_code"] == WESTMINSTER, "lsoa_code"])


@pytest.fixture(scope="module")
def area(street) -> pd.DataFrame:
    return street[(street["lad_code"] == WESTMINSTER) & (street["Reported by"] != BTP)]


def _counts(frame: pd.DataFrame, period, units: list[str], column: str = "lsoa_code") -> pd.Series:
    return frame[frame["period"].isin(period)].groupby(column).size().reindex(units, fill_value=0)


def _pairwise_gini(x: np.ndarray) -> float:
    x = np.asarray(x, dtype=float)
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean()))


def test_all_crime_by_lsoa_matches_hand_counts_and_the_seed(demo_results, area, area_lsoas):
    crime = area[area["Crime type"] != ASB]
    counts = _counts(crime, CURRENT, area_lsoas).sort_values(ascending=False)
    result = demo_results["concentration"]["lsoa"]
    total = counts.sum()
    assert result["units"] == len(area_lsoas) == 128
    assert result["crimes"] == total
    top4 = counts.iloc[:4]
    assert result["top"][0]["n"] == 4
    assert result["top"][0]["count"] == top4.sum()
    assert result["top"][0]["share"] == round(100 * top4.sum() / total, 1)
    assert result["top"][1]["share"] == round(100 * counts.iloc[:10].sum() / total, 1)
    assert [u["code"] for u in result["top"][0]["units"]] == list(top4.index)
    half = int(np.argmax(counts.cumsum().to_numpy() >= total / 2)) + 1
    eighty = int(np.argmax(counts.cumsum().to_numpy() >= 0.8 * total)) + 1
    assert result["units_for_half"] == half
    assert result["units_for_80"] == eighty
    assert result["under_one_a_day"] == int((counts < 365).sum())
    assert result["gini"] == pytest.approx(_pairwise_gini(counts.to_numpy()), abs=1e-4)
    # the seed: "one third of all crime ... in just 4 of the 128 LSOAs"; "half of all crime is in just 9 LSOAs";
    # "105 of the LSOAs have less than one crime a day"; footnote 45 names the four
    assert set(top4.index) == SEED_TOP_FOUR
    assert 30 <= result["top"][0]["share"] <= 37
    assert half == 9 and result["under_one_a_day"] == 105


def test_top_lsoas_persist_from_last_year(demo_results, area, area_lsoas):
    crime = area[area["Crime type"] != ASB]
    now = _counts(crime, CURRENT, area_lsoas).sort_values(ascending=False)
    before = _counts(crime, PREVIOUS, area_lsoas).sort_values(ascending=False)
    for item, n in zip(demo_results["concentration"]["lsoa"]["persistence"], (4, 10)):
        assert item["n"] == n
        assert item["kept"] == len(set(now.index[:n]) & set(before.index[:n]))


def test_by_ward_and_by_crime_type(demo_results, area, area_lsoas, lookup):
    crime = area[area["Crime type"] != ASB]
    wards = sorted(lookup.loc[lookup["lad_code"] == WESTMINSTER, "ward_code"].unique())
    by_ward = _counts(crime, CURRENT, wards, column="ward_code").sort_values(ascending=False)
    result = demo_results["concentration"]["ward"]
    assert result["units"] == 20
    assert result["top"][0]["share"] == round(100 * by_ward.iloc[:4].sum() / by_ward.sum(), 1)
    assert result["units_for_half"] == int(np.argmax(by_ward.cumsum().to_numpy() >= by_ward.sum() / 2)) + 1

    rows = {r["crime_type"]: r for r in demo_results["concentration"]["by_crime_type"]}
    for crime_type in ("Burglary", "Robbery", "Bicycle theft"):
        counts = _counts(crime[crime["Crime type"] == crime_type], CURRENT, area_lsoas).sort_values(ascending=False)
        assert rows[crime_type]["crimes"] == counts.sum()
        assert rows[crime_type]["top"][0]["share"] == round(100 * counts.iloc[:4].sum() / counts.sum(), 1)
        assert rows[crime_type]["gini"] == pytest.approx(_pairwise_gini(counts.to_numpy()), abs=1e-4)
    asb = _counts(area[area["Crime type"] == ASB], CURRENT, area_lsoas)
    assert demo_results["concentration"]["asb_lsoa"]["crimes"] == asb.sum()


def test_ward_table_matches_hand_counts(demo_results, area, lookup):
    crime = area[area["Crime type"] != ASB]
    rows = demo_results["wards"]["rows"]
    assert len(rows) == 20
    now = crime[crime["period"].isin(CURRENT)].groupby("ward_name").size()
    before = crime[crime["period"].isin(PREVIOUS)].groupby("ward_name").size()
    for rank, row in enumerate(rows, start=1):
        name = row["ward_name"]
        assert row["total"]["current"] == now.get(name, 0), name
        assert row["total"]["previous"] == before.get(name, 0), name
        assert row["share_of_area"] == round(100 * now.get(name, 0) / now.sum(), 1)
        assert row["rank_in_area"] == 1 + int((now > now.get(name, 0)).sum())
    assert [r["ward_name"] for r in rows[:2]] == ["West End", "St James's"]  # as in the seed
    theft = next(t for t in rows[0]["by_type"] if t["crime_type"] == "Other theft")
    west_end = crime[crime["ward_name"] == "West End"]
    assert theft["current"] == (west_end["period"].isin(CURRENT) & (west_end["Crime type"] == "Other theft")).sum()
    # within St James's, the busiest LSOA and its share of the ward's crime
    st_james = crime[(crime["ward_name"] == "St James's") & crime["period"].isin(CURRENT)]
    busiest = st_james.groupby("lsoa_code").size().sort_values(ascending=False)
    row = next(r for r in rows if r["ward_name"] == "St James's")
    assert row["top_lsoas"][0]["lsoa_code"] == busiest.index[0] == "E01004734"  # as the seed says
    assert row["top_lsoas"][0]["share"] == round(100 * busiest.iloc[0] / busiest.sum(), 1)


def test_burglary_rank_among_all_force_wards(demo_results, street):
    burglary = street[(street["Falls within"] == MPS) & (street["Crime type"] == "Burglary")
                      & street["period"].isin(CURRENT) & street["ward_code"].notna()]
    per_ward = burglary.groupby("ward_code").size()
    assert demo_results["wards"]["comparator_ranked_types"] == ["Burglary"]
    for row in demo_results["wards"]["rows"]:
        rank = next(r for r in row["comparator_ranks"] if r["crime_type"] == "Burglary")
        mine = per_ward.get(row["ward_code"], 0)
        assert rank["count"] == mine
        assert rank["rank"] == 1 + int((per_ward > mine).sum())
    leaders = demo_results["wards"]["comparator_leaders"][0]["wards"]
    assert leaders[0]["ward_code"] == per_ward.idxmax()


def test_priority_ward_profiles(demo_results, area, street, lookup):
    profiles = demo_results["ward_profiles"]["wards"]
    assert [p["ward_name"] for p in profiles] == ["Church Street", "Queen's Park", "St James's", "West End"]
    church = profiles[0]
    ward = area[area["ward_code"] == "E05000634"]
    crime = ward[ward["Crime type"] != ASB]
    assert church["crime"]["total"]["current"] == crime["period"].isin(CURRENT).sum()
    drugs = next(t for t in church["crime"]["by_type"] if t["crime_type"] == "Drugs")
    assert drugs["previous"] == (crime["period"].isin(PREVIOUS) & (crime["Crime type"] == "Drugs")).sum()
    assert church["asb"]["current"] == (ward["period"].isin(CURRENT) & (ward["Crime type"] == ASB)).sum()
    btp = street[(street["ward_code"] == "E05000634") & (street["Reported by"] == BTP)
                 & (street["Crime type"] != ASB)]
    forces = {f["force"]: f for f in church["separate_forces"]}
    assert forces.get(BTP, {"current": 0})["current"] == btp["period"].isin(CURRENT).sum()
    residents = lookup.loc[lookup["ward_code"] == "E05000634", "population_2019"].astype(int).sum()
    assert church["population"]["residents"] == residents
    top = crime[crime["period"].isin(CURRENT)].groupby("lsoa_code").size().sort_values(ascending=False)
    assert church["crime"]["top_lsoas"][0]["lsoa_code"] == top.index[0]


# Worked examples from the lorenzgini R package documentation (Bernasco & Steenbeek):
# c(10, 8, 2, 0 x 7): Gini 0.78, generalised the same (20 crimes >= 10 units);
# c(5, 2, 1, 0 x 7): Gini 0.8, generalised 0.75 (8 crimes < 10 units).
@pytest.mark.parametrize("counts, expected_gini, expected_generalised", [
    ([10, 8, 2] + [0] * 7, 0.78, 0.78),
    ([5, 2, 1] + [0] * 7, 0.80, 0.75),
    ([10] + [0] * 9, 0.90, 0.90),
])
def test_published_gini_examples(counts, expected_gini, expected_generalised):
    assert gini(counts) == pytest.approx(expected_gini)
    assert generalised_gini(counts) == pytest.approx(expected_generalised)


def test_maximal_equality_with_fewer_crimes_than_places_has_generalised_gini_zero():
    counts = [1, 1, 1] + [0] * 7  # 3 crimes can fill at most 3 of 10 places
    assert gini(counts) == pytest.approx(0.7)
    assert generalised_gini(counts) == pytest.approx(0.0)


def test_units_holding_and_lorenz_by_hand():
    counts = [6, 3, 1, 0]
    assert units_holding(counts, 0.5) == 1  # 6 of 10
    assert units_holding(counts, 0.8) == 2  # 9 of 10
    assert units_holding(counts, 1.0) == 3
    assert lorenz_curve(counts) == ((0.0, 0.0), (0.25, 0.0), (0.5, 0.1), (0.75, 0.4), (1.0, 1.0))
    assert units_holding([0, 0], 0.5) is None and gini([0, 0]) is None
