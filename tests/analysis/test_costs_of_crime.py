"""Cost of crime: recomputed from the Home Office unit-cost CSV, and the 2018 assessment's table reproduced."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import safer
from policeuk_samples import STREET_HEADER, crime_id, street, write_csv
from safer.analysis.costs import CATEGORY_KEYS, cost_by_bearer, cost_table, split_volumes
from safer.assessment.costs import compute_cost_of_crime, default_split, unit_costs
from safer.assessment.scope import resolve_scope
from safer.config import Config
from safer.errors import ConfigError
from safer.warehouse.ingest import ingest_paths
from seed_category_counts import SEED_COST_TOTAL, write_seed_table

UNIT_COSTS = Path(safer.__file__).parent / "data" / "reference" / "unit_costs_of_crime_2018.csv"

#: Rows of the seed's cost table (crime type -> total £), typed from the seed text.
SEED_ROW_TOTALS = {"Violence without injury": 55_475_150, "Violence with injury": 49_090_700,
                   "Commercial burglary": 35_032_360, "Theft from person": 30_823_680, "Robbery": 28_175_480,
                   "Homicide": 12_870_960, "Commercial robbery": 1_845_000, "Fraud": 96_750}
#: The seed's TOTAL row by cost category.
SEED_CATEGORY_TOTALS = {"defensive_expenditure": 24_390_980, "police_costs": 25_806_200,
                        "other_cjs_costs": 51_913_270, "physical_emotional_harm": 102_108_910,
                        "health_services": 14_803_460}


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    return pd.read_csv(UNIT_COSTS)


def test_cost_table_is_volume_times_unit_cost_in_every_category(units):
    volumes = {"Robbery": 2114, "Rape": 312, "Theft from vehicle": 2741}
    table = cost_table(volumes, unit_costs(), all_recorded_crime=51854)
    for name, volume in volumes.items():
        expected = units.set_index("crime_type").loc[name, list(CATEGORY_KEYS)] * volume
        row = table.row(name)
        assert list(row.costs) == list(expected)
        assert row.total == units.set_index("crime_type").loc[name, "total"] * volume
        assert row.share_of_volume == round(100 * volume / 51854, 1)
    grand = sum(units.set_index("crime_type").loc[n, "total"] * v for n, v in volumes.items())
    assert table.total.total == grand
    for i, key in enumerate(CATEGORY_KEYS):
        assert table.total.costs[i] == sum(units.set_index("crime_type").loc[n, key] * v for n, v in volumes.items())
    assert [r.crime_type for r in table.rows] == sorted(volumes, key=lambda n: -table.row(n).total)


def test_the_seed_volumes_give_the_seed_cost_table(units):
    """The unit-cost CSV records the volume behind each row of the seed's table: the costs must match it."""
    volumes = dict(zip(units["crime_type"], units["seed_volume"]))
    table = cost_table(volumes, unit_costs(), all_recorded_crime=58627)
    assert table.total.total == SEED_COST_TOTAL
    for name, total in SEED_ROW_TOTALS.items():
        assert table.row(name).total == total, name
    for key, total in SEED_CATEGORY_TOTALS.items():
        assert table.total.costs[CATEGORY_KEYS.index(key)] == total, key
    # the seed: "Violence with injury ... 6% of the volume ... 18% of the costs"; theft from person 38% vs 11%
    assert round(table.row("Violence with injury").share_of_volume) == 6
    assert round(table.row("Violence with injury").share_of_cost) == 18
    assert (round(table.row("Theft from person").share_of_volume), round(table.row("Theft from person").share_of_cost)) \
        == (38, 11)
    bearers = {b.bearer: b for b in cost_by_bearer(table)}
    assert bearers["Police"].top_crime_type == "Violence without injury"  # "nearly one third of costs to the police"
    assert 29 <= bearers["Police"].top_share <= 34
    assert bearers["Health services"].top_crime_type == "Theft from person"  # "the highest cost to health"


def test_split_volumes_adds_up_and_rounds_by_largest_remainder():
    assert split_volumes(8493, {"a": 0.5, "b": 0.5}) == {"a": 4247, "b": 4246}  # ties go to the first listed
    parts = split_volumes(3877, default_split()["Burglary"])
    assert sum(parts.values()) == 3877
    assert parts == {"Domestic Burglary": round(3877 * 1723 / 3989), "Commercial burglary": 3877 - round(3877 * 1723 / 3989)}
    vehicle = split_volumes(3975, default_split()["Vehicle crime"])  # interference (11%) carries no cost
    assert sum(vehicle.values()) == round(3975 * (842 + 2899) / 4204)
    with pytest.raises(ValueError, match="add up to at most 1"):
        split_volumes(10, {"a": 0.7, "b": 0.7})


@pytest.fixture
def seed_scope(tmp_path, warehouse):
    """A warehouse with two Westminster street records (to set the periods) and the seed's category table."""
    write_csv(tmp_path / "2016-07-metropolitan-street.csv", STREET_HEADER,
              [street(crime_id=crime_id(1), month="2016-07")])
    write_csv(tmp_path / "2018-06-metropolitan-street.csv", STREET_HEADER,
              [street(crime_id=crime_id(2), month="2018-06")])
    write_seed_table(tmp_path / "westminster-categories.csv")
    ingest_paths(warehouse, [tmp_path])
    return lambda **settings: resolve_scope(Config(partnership="Test", area=("E09000033",), end_month="2018-06",
                                                   **settings), warehouse)


def test_the_category_path_reproduces_the_seed_cost_of_crime(seed_scope):
    section = compute_cost_of_crime(seed_scope())
    assert section.source == "police category table"
    assert section.table.total.total == SEED_COST_TOTAL
    assert section.table.all_recorded_crime == 58627
    assert section.split == ()
    opiates, alcohol = section.attributions
    # the seed: 45% of acquisitive crime "would equate to 6,943 recorded crimes at the cost of £39 million"
    assert opiates.crimes == 6943
    assert round(opiates.attributed_cost / 1e6) == 39
    assert alcohol.share == 0.4


def test_the_split_can_be_set_in_the_configuration(seed_scope, tmp_path):
    scope = seed_scope(cost_split=(("Burglary", (("Domestic Burglary", 1.0),)),))
    from safer.assessment.costs import split_in_use
    split, configured = split_in_use(scope)
    assert split["Burglary"] == {"Domestic Burglary": 1.0} and configured == {"Burglary"}
    with pytest.raises(ConfigError, match="'Castle burglary' is not a Home Office crime type"):
        split_in_use(seed_scope(cost_split=(("Burglary", (("Castle burglary", 1.0),)),)))
    with pytest.raises(ConfigError, match="shares add up to 1.200"):
        seed_scope(cost_split=(("Burglary", (("Domestic Burglary", 0.6), ("Commercial burglary", 0.6))),))
