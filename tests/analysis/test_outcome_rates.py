"""Outcome rates: the latest-outcome rule on a hand-made fixture, and burglary rates hand-counted from real files."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

import safer
from policeuk_samples import OUTCOMES_HEADER, STREET_HEADER, crime_id, outcome, street, write_csv
from safer.analysis.outcomes import UNRECOGNISED, rate_counts, with_latest_outcome
from safer.analysis.periods import assessment_periods
from safer.assessment.outcomes import compute_outcomes, groups_table
from safer.assessment.scope import resolve_scope
from safer.config import Config
from safer.warehouse.ingest import ingest_paths

BURGLARY = Path(__file__).resolve().parents[3] / "shared" / "data" / "real" / "met_burglary_street_outcomes"
LOOKUP = Path(safer.__file__).parent / "data" / "geography" / "lsoa_lookup.csv.gz"
CURRENT, PREVIOUS = assessment_periods(pd.Timestamp("2018-06-01").date(), 12)

#: The sanction-detection outcomes (outcomes-and-detections.md): charge or summons and every court result,
#: caution, offence taken into consideration, penalty notice, cannabis (drugs possession) warning.
SANCTIONED = {
    "Suspect charged", "Awaiting court outcome", "Court result unavailable", "Court case unable to proceed",
    "Defendant found not guilty", "Defendant sent to Crown Court", "Offender sent to prison",
    "Offender given suspended prison sentence", "Offender given community sentence", "Offender fined",
    "Offender given conditional discharge", "Offender given absolute discharge", "Offender ordered to pay compensation",
    "Offender deprived of property", "Offender otherwise dealt with", "Suspect charged as part of another case",
    "Offender given a caution", "Offender given penalty notice", "Offender given a drugs possession warning",
}
PENDING = {"Under investigation", "Status update unavailable"}
COURT = SANCTIONED - {"Suspect charged", "Awaiting court outcome", "Suspect charged as part of another case",
                      "Offender given a caution", "Offender given penalty notice",
                      "Offender given a drugs possession warning"}


def _stage(label) -> int:
    """A crime's progress: none, pending, closed, disposal decided, court result."""
    if not isinstance(label, str) or not label:
        return 0
    if label in PENDING:
        return 1
    if label in COURT:
        return 4
    if label in SANCTIONED or label == "Local resolution":
        return 3
    return 2


@pytest.fixture
def fixture_warehouse(tmp_path, warehouse):
    ids = {name: crime_id(name) for name in "ABCDEFGH"}
    crimes = [("A", "Burglary", "Under investigation"), ("B", "Burglary", "Offender sent to prison"),
              ("C", "Burglary", "Investigation complete; no suspect identified"), ("D", "Burglary", "Local resolution"),
              ("E", "Burglary", "Under investigation"), ("F", "Robbery", "Status update unavailable"),
              ("G", "Robbery", "Court result unavailable"), ("H", "Robbery", "Mystery outcome")]
    write_csv(tmp_path / "2018-01-metropolitan-street.csv", STREET_HEADER,
              [street(crime_id=ids[n], crime_type=t, last_outcome_category=o) for n, t, o in crimes]
              + [street(crime_id=crime_id("old"), month="2016-07")])
    events = [("A", "2018-03", "Suspect charged"), ("B", "2018-02", "Suspect charged"),
              ("C", "2018-05", "Suspect charged"), ("E", "2018-04", "Offender given a caution"),
              ("E", "2018-04", "Investigation complete; no suspect identified"),
              ("F", "2018-02", "Unable to prosecute suspect"),
              ("G", "2018-05", "Investigation complete; no suspect identified")]
    write_csv(tmp_path / "2018-05-metropolitan-outcomes.csv", OUTCOMES_HEADER,
              [outcome(crime_id=ids[n], month=m, outcome_type=o) for n, m, o in events])
    ingest_paths(warehouse, [tmp_path])
    return warehouse, ids


def test_the_latest_outcome_moves_forward_whichever_file_is_newer(fixture_warehouse):
    warehouse, ids = fixture_warehouse
    records = with_latest_outcome(warehouse.table("crimes"), warehouse.table("outcomes"), groups_table()).execute()
    latest = dict(zip(records["crime_id"], records["latest_outcome"]))
    assert latest[ids["A"]] == "Suspect charged"  # pending street record, later charge
    assert latest[ids["B"]] == "Offender sent to prison"  # the street record is already further on
    assert latest[ids["C"]] == "Suspect charged"  # reopened and charged after no suspect was found
    assert latest[ids["D"]] == "Local resolution"  # no outcome events
    assert latest[ids["E"]] == "Offender given a caution"  # two events in one month: the furthest on
    assert latest[ids["F"]] == "Unable to prosecute suspect"
    assert latest[ids["G"]] == "Court result unavailable"
    groups = dict(zip(records["crime_id"], records["outcome_group"]))
    assert groups[ids["H"]] == UNRECOGNISED and groups[ids["D"]] == "Community resolution"

    rates = rate_counts(with_latest_outcome(warehouse.table("crimes"), warehouse.table("outcomes"), groups_table()),
                        CURRENT, PREVIOUS)
    burglary, robbery = rates["Burglary"][1], rates["Robbery"][1]
    assert (burglary.crimes, burglary.sanctioned, burglary.positive) == (5, 4, 5)
    assert (robbery.crimes, robbery.sanctioned, robbery.positive) == (3, 1, 1)
    assert burglary.sanctioned_rate == 80.0 and robbery.sanctioned_rate == 33.3


def test_the_outcomes_section_reports_unknown_labels_and_updates(fixture_warehouse):
    warehouse, _ = fixture_warehouse
    section = compute_outcomes(resolve_scope(Config(partnership="T", area=("E09000033",), end_month="2018-06"),
                                             warehouse))
    assert section.unrecognised == ("Mystery outcome",)
    assert section.updated_by_outcomes == 4  # A, C, E, F took their outcome from the outcomes file
    assert section.outcome_events == 7
    total = section.rates.total.area.current
    assert (total.crimes, total.sanctioned) == (8, 5)


@pytest.mark.skipif(not BURGLARY.exists(), reason="shared real data not available")
def test_westminster_burglary_rate_hand_counted_from_the_real_files(tmp_path, warehouse):
    """One month of real burglaries and the following year's outcomes files, counted with pandas."""
    months = [f"{y}-{m:02d}" for y, m in [(2017, 7), (2017, 8), (2017, 9), (2017, 10), (2017, 11), (2017, 12),
                                          (2018, 1), (2018, 2), (2018, 3), (2018, 4), (2018, 5), (2018, 6)]]
    files = [BURGLARY / "2017-07" / "2017-07-metropolitan-street.csv"]
    files += [BURGLARY / m / f"{m}-metropolitan-outcomes.csv" for m in months]
    ingest_paths(warehouse, files)

    lookup = pd.read_csv(gzip.open(LOOKUP), usecols=["lsoa_code", "lad_code"])
    westminster = set(lookup.loc[lookup["lad_code"] == "E09000033", "lsoa_code"])
    crimes = pd.read_csv(files[0], dtype=str).drop_duplicates("Crime ID")
    crimes = crimes[crimes["LSOA code"].isin(westminster)]
    events = pd.concat([pd.read_csv(f, dtype=str) for f in files[1:]], ignore_index=True)
    events["stage"] = events["Outcome type"].map(_stage)
    last = events.sort_values(["Month", "stage"]).groupby("Crime ID").tail(1).set_index("Crime ID")
    sanctioned = 0
    for row in crimes.itertuples(index=False):
        street_outcome = row[10]  # Last outcome category
        event = last["Outcome type"].get(row[0])
        use_event = isinstance(event, str) and _stage(event) >= _stage(street_outcome)
        sanctioned += (event if use_event else street_outcome) in SANCTIONED

    scope = resolve_scope(Config(partnership="T", area=("E09000033",), end_month="2018-06"), warehouse)
    row = compute_outcomes(scope).rates.row("Burglary")
    assert row.area.current.crimes == len(crimes) > 200
    assert row.area.current.sanctioned == sanctioned > 0
    assert row.area.current.sanctioned_rate == round(100 * sanctioned / len(crimes), 1)
    assert row.comparator is None  # one month only: the comparator is not covered in the previous period
