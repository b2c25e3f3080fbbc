"""The Vulnerable Localities Index against worked examples whose arithmetic is written out here.

1. Four wards, three indicators (one where lower means more vulnerable), by hand.
2. The demo's Westminster wards with an indicator file made up for the test: burglary and
   criminal damage rates recounted from the raw police.uk files with pandas.
3. The indicator file contract: blank values, unknown codes, missing columns.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import locations_raw as raw
from locations_raw import ASB, BTP, CURRENT, PREVIOUS, WESTMINSTER
from policeuk_samples import copy_warehouse_file
from safer.analysis.vli import vulnerable_localities_index
from safer.assessment.locations import compute_vli
from safer.assessment.scope import resolve_scope
from safer.config import Config
from safer.errors import ConfigError, SourceError
from safer.warehouse.connect import open_warehouse

HAND = pd.DataFrame({
    "code": ["A", "B", "C", "D"], "year": [2018] * 4,
    "burglary": [20.0, 10.0, 5.0, 5.0],  # mean 10 -> indices 200, 100, 50, 50
    "income": [0.30, 0.15, 0.10, 0.05],  # mean 0.15 -> 200, 100, 66.67, 33.33
    "gcse_points": [30.0, 40.0, 50.0, 40.0],  # mean 40, lower = worse -> 40/30, 1, 40/50, 1 -> 133.33, 100, 80, 100
})


def _scores(result) -> dict[str, float]:
    return {row.code: row.latest.score for row in result.rows}


def test_equal_weights_by_hand():
    result = vulnerable_localities_index(HAND, lower_is_more_vulnerable=["gcse_points"])
    # A: (200 + 200 + 133.33) / 3 = 177.78; B: 100; C: (50 + 66.67 + 80) / 3 = 65.56; D: (50 + 33.33 + 100) / 3 = 61.11
    assert _scores(result) == {"A": 177.8, "B": 100.0, "C": 65.6, "D": 61.1}
    assert [r.code for r in result.rows] == ["A", "B", "C", "D"]
    assert [r.code for r in result.above_average] == ["A"]  # B is exactly average, not above
    assert result.priority == ()
    a = result.rows[0].latest
    assert {i.indicator: round(i.index, 2) for i in a.indices} == {"burglary": 200.0, "income": 200.0,
                                                                   "gcse_points": 133.33}


def test_weights_change_the_combination():
    result = vulnerable_localities_index(HAND, lower_is_more_vulnerable=["gcse_points"],
                                         weights={"burglary": 2, "gcse_points": 0})
    # A: (2 * 200 + 200) / 3 = 200; C: (2 * 50 + 66.67) / 3 = 55.56
    scores = _scores(result)
    assert scores["A"] == 200.0 and scores["C"] == 55.6
    assert result.indicators == ("burglary", "income")


def test_reference_average_can_be_a_subset_and_scores_over_200_are_priorities():
    result = vulnerable_localities_index(HAND, reference=["C", "D"])
    # means over C and D: burglary 5, income 0.075, gcse 45 (not inverted here)
    # A: (400 + 400 + 66.67) / 3 = 288.89; B: (200 + 200 + 88.89) / 3 = 162.96
    assert _scores(result)["A"] == 288.9 and _scores(result)["B"] == 163.0
    assert [r.code for r in result.priority] == ["A"]
    assert result.reference_units == {2018: 2}


def test_scores_over_years_with_change():
    earlier = HAND.assign(year=2017, burglary=[10.0, 10.0, 10.0, 10.0])
    result = vulnerable_localities_index(pd.concat([earlier, HAND]), lower_is_more_vulnerable=["gcse_points"])
    a = next(r for r in result.rows if r.code == "A")
    # 2017: burglary index 100 for all; A: (100 + 200 + 133.33) / 3 = 144.44
    assert a.score_in(2017) == 144.4 and a.score_in(2018) == 177.8
    assert a.change == round(177.8 - 144.4, 1)
    assert result.years == (2017, 2018)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="not indicators"):
        vulnerable_localities_index(HAND, weights={"unknown": 1})
    with pytest.raises(ValueError, match="not indicators"):
        vulnerable_localities_index(HAND, lower_is_more_vulnerable=["income_score"])


# --------------------------------------------------------------------------- on the demo data


@pytest.fixture(scope="module")
def scope_for(demo_warehouse, tmp_path_factory):
    folder = tmp_path_factory.mktemp("vli")
    path = copy_warehouse_file(demo_warehouse.path, folder / "w.duckdb")
    warehouse = open_warehouse(path)

    def make(csv_text: str, **settings) -> object:
        indicators = folder / f"indicators-{abs(hash(csv_text))}.csv"
        indicators.write_text(csv_text, encoding="utf-8")
        config = Config(partnership="Test", area=(WESTMINSTER,), end_month="2018-06", base_dir=folder,
                        vli_indicators=indicators, **settings)
        return resolve_scope(config, warehouse)

    yield make
    warehouse.close()


def _wards() -> pd.DataFrame:
    lookup = raw.lookup()
    westminster = lookup[lookup["lad_code"] == WESTMINSTER]
    households = westminster.assign(h=westminster["households_2011"].astype(int)).groupby("ward_code")["h"].sum()
    return households.rename("households").reset_index()


def _indicator_csv(wards: pd.DataFrame, extra_rows: str = "") -> str:
    lines = ["area_code,year,income_deprivation"]
    for i, code in enumerate(wards["ward_code"]):
        lines.append(f"{code},2017,{0.10 + 0.01 * i:.2f}")
        lines.append(f"{code},2018,{0.12 + 0.01 * i:.2f}")
    return "\n".join(lines) + "\n" + extra_rows


def test_demo_wards_recomputed_from_raw_files(scope_for):
    wards = _wards()
    section = compute_vli(scope_for(_indicator_csv(wards)))
    assert section.available and section.unit == "ward"
    assert section.vli.years == (2017, 2018)
    street = raw.street()
    territorial = street[(street["lad_code"] == WESTMINSTER) & (street["Reported by"] != BTP)
                         & (street["Crime type"] != ASB)]
    for year, months in ((2018, CURRENT), (2017, PREVIOUS)):
        chosen = territorial[territorial["period"].isin(months)]
        rates = {}
        for name, crime_type in (("burglary", "Burglary"), ("criminal_damage", "Criminal damage and arson")):
            counts = chosen[chosen["Crime type"] == crime_type].groupby("ward_code").size()
            rates[name] = wards.set_index("ward_code").apply(
                lambda w: 1000.0 * counts.get(w.name, 0) / w["households"], axis=1)
        income = pd.Series({code: (0.10 if year == 2017 else 0.12) + 0.01 * i
                            for i, code in enumerate(wards["ward_code"])})
        expected = (100 * rates["burglary"] / rates["burglary"].mean()
                    + 100 * rates["criminal_damage"] / rates["criminal_damage"].mean()
                    + 100 * income / income.mean()) / 3
        for row in section.vli.rows:
            assert row.score_in(year) == pytest.approx(round(expected[row.code], 1), abs=0.051), (row.name, year)
    assert section.crime_periods == {2017: "July 2016 to June 2017", 2018: "July 2017 to June 2018"}
    assert "Census 2011" in section.denominator


def test_wards_outside_the_area_do_not_set_the_average_when_crime_there_is_not_loaded(scope_for):
    wards = _wards()
    camden_ward = "E05000128"  # a Camden ward: the demo data hold only burglary outside Westminster
    text = _indicator_csv(wards, extra_rows=f"{camden_ward},2017,0.5\n{camden_ward},2018,0.5\nE99999999,2018,0.1\n")
    section = compute_vli(scope_for(text))
    assert section.vli.reference_units == {2017: 20, 2018: 20}
    assert any("reference average" in note for note in section.notes)
    assert [code for _, code, _ in section.left_out] == ["E99999999"]
    assert section.left_out[0][0] == 44  # its line in the file
    assert all(row.code != camden_ward for row in section.vli.rows)


def test_indicator_file_errors_name_the_line_and_field(scope_for):
    with pytest.raises(SourceError, match=r"line 3, field 'income_deprivation': blank"):
        compute_vli(scope_for("area_code,year,income_deprivation\nE05000634,2018,0.3\nE05000642,2018,\n"))
    with pytest.raises(SourceError, match="missing column"):
        compute_vli(scope_for("ward,year,income\nE05000634,2018,0.3\n"))
    with pytest.raises(SourceError, match="line 2, field 'year'"):
        compute_vli(scope_for("area_code,year,income\nE05000634,18,0.3\n"))
    with pytest.raises(ConfigError, match="vli"):
        compute_vli(scope_for(_indicator_csv(_wards()), vli_weights=(("poverty", 1.0),)))


def test_without_an_indicator_file_the_gap_is_stated(demo_results):
    vli = demo_results["vli"]
    assert vli["available"] is False
    assert "docs/contracts/vli-indicators.md" in vli["note"]
    assert demo_results["findings"]["vli"] == [vli["note"]]


def test_indicator_file_path_is_resolved_against_the_config(tmp_path):
    config = Config(partnership="Test", area=(WESTMINSTER,), vli_indicators=Path("data/vli.csv"), base_dir=tmp_path)
    assert config.vli_indicators_path == tmp_path / "data" / "vli.csv"
