"""Repeat victims across police crime victims, ASB victims, hate crime victims and MARAC, end to end.

Hand-made raw files go through pseudonymised ingest, the assessment's linkage and its victimisation
table; the counts are recomputed independently below from who each row is (which the test knows and
safer only sees as tokens). Period July 2017 to June 2018, 12-month window:

    P1 crime 2017-05-10 (before the period), asb 2017-11-01           -> repeat, only when agencies combine
    P2 asb 2017-08-01 and asb 2018-02-01, surname misspelt the second
       time, linked by the council's victim ID                        -> repeat within ASB
    P3 crime 2017-09-01 and hate 2017-09-01 (the same crime)           -> one victimisation: not a repeat
    P4 crime 2016-11-30, marac 2017-12-01 (a year and a day later)     -> not a repeat
    P5 crime 2018-01-15 and crime 2018-06-20                           -> repeat within crime
    P6 hate 2017-07-20                                                 -> not a repeat
    P7 crime 2017-07-05 and asb 2017-08-05, no date of birth either
       time: nothing links them                                        -> two victims, neither a repeat

Victims 8; repeat victims 3 (P1, P2, P5); victimisations 10, of repeat victims 5; repeat only when
combined 1 (P1).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from safer.analysis.periods import Period
from safer.analysis.repeat_victims import repeat_victimisation
from safer.assessment.scope import Scope
from safer.assessment.victims import _victimisations, compute_victims
from safer.config import Config
from safer.privacy import new_key_file, pseudonymising
from safer.sources.contracts import contract
from safer.warehouse.ingest import ingest_paths

PERIOD = Period(date(2017, 7, 1), date(2018, 6, 1))
NAMES = {"P1": ("Aldous", "Wintercombe", "1950-03-14"), "P2": ("Berenice", "Quenby", "1972-10-02"),
         "P3": ("Cassius", "Throckmartin", "1990-01-31"), "P4": ("Delphine", "Oyelaran", "1984-06-06"),
         "P5": ("Evander", "Mosswick", "2001-02-17"), "P6": ("Florizel", "Abernethie", "1995-12-24"),
         "P7": ("Gwendolen", "Pettifer", "")}
# person, dataset, date; per row overrides of the identifying fields
ROWS = [
    ("P1", "crime-victims", "2017-05-10", {}), ("P1", "asb-victims", "2017-11-01", {}),
    ("P2", "asb-victims", "2017-08-01", {}), ("P2", "asb-victims", "2018-02-01", {"Victim surname": "Quenbie"}),
    ("P3", "crime-victims", "2017-09-01", {}), ("P3", "hate-crime-victims", "2017-09-01", {}),
    ("P4", "crime-victims", "2016-11-30", {}), ("P4", "marac-cases", "2017-12-01", {}),
    ("P5", "crime-victims", "2018-01-15", {}), ("P5", "crime-victims", "2018-06-20", {}),
    ("P6", "hate-crime-victims", "2017-07-20", {}),
    ("P7", "crime-victims", "2017-07-05", {}), ("P7", "asb-victims", "2017-08-05", {"Victim ID": "ASBV-7B"}),
]
WHEN = {"crime-victims": "Offence date", "asb-victims": "Report date", "hate-crime-victims": "Offence date",
        "marac-cases": "Referral date"}


def _row(person: str, dataset: str, day: str, line: int, changes: dict[str, str]) -> dict[str, str]:
    forename, surname, dob = NAMES[person]
    values = {"Victim forename": forename, "Victim surname": surname, "Victim date of birth": dob, WHEN[dataset]: day}
    values.update({
        "crime-victims": {"CRIS reference": f"01{line:05d}/17", "Offence group": "Violence without injury",
                          "Victim sex": "Female", "Victim age band": "Unknown", "Ward code": "E05000649"},
        "asb-victims": {"Case ID": f"ASBC-{line}", "Victim ID": f"ASBV-{person}", "ASB type": "Noise",
                        "Victim sex": "Female", "Victim age band": "Unknown", "Ward code": "E05000642"},
        "hate-crime-victims": {"CRIS reference": f"02{line:05d}/17", "Strand": "Homophobic", "Victim sex": "Male",
                               "Victim age band": "Unknown", "Ward code": "E05000649"},
        "marac-cases": {"Case ID": f"MARAC-{line}", "Referring agency": "Police", "Repeat case": "false",
                        "Victim sex": "Female", "Victim age band": "Unknown", "BME": "false", "LGBT": "false",
                        "Disability": "false", "Children in household": "0", "Ward code": "E05000634"},
    }[dataset])
    values.update(changes)
    return values


def _write(folder: Path) -> list[Path]:
    paths = []
    for dataset in WHEN:
        path = folder / f"{dataset}.csv"
        header = contract(dataset).header
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, header, restval="", lineterminator="\n")
            writer.writeheader()
            for line, (person, name, day, changes) in enumerate(ROWS):
                if name == dataset:
                    writer.writerow(_row(person, dataset, day, line, changes))
        paths.append(path)
    return paths


def _expected() -> dict[str, object]:
    """Repeat victims recounted from who each row is: P7's two rows are two people, since nothing links them."""
    days: dict[str, set[date]] = defaultdict(set)
    datasets: dict[str, dict[str, set[date]]] = defaultdict(lambda: defaultdict(set))
    for person, dataset, day, _ in ROWS:
        who = f"{person}:{dataset}" if person == "P7" else person
        days[who].add(date.fromisoformat(day))
        datasets[who][dataset].add(date.fromisoformat(day))

    def repeats(known: set[date]) -> tuple[int, bool]:
        inside = [d for d in known if PERIOD.first <= d < PERIOD.end_exclusive]
        again = any(e < d and e >= d - relativedelta(months=12) for d in inside for e in known)
        return len(inside), again

    victims = {who: repeats(known) for who, known in days.items() if repeats(known)[0]}
    within = {who: any(repeats(k)[1] for k in datasets[who].values()) for who in victims}
    return {"victims": len(victims), "repeat": sum(r for _, r in victims.values()),
            "victimisations": sum(n for n, _ in victims.values()),
            "of_repeat": sum(n for n, r in victims.values() if r),
            "only_combined": sum(1 for who, (_, r) in victims.items() if r and not within[who])}


@pytest.fixture
def scope(warehouse, tmp_path):
    ring = new_key_file(tmp_path / "partnership.key")
    with pseudonymising(warehouse, ring):
        results = ingest_paths(warehouse, _write(tmp_path))
    assert all(r.rows_read == r.rows_loaded for r in results), [(r.source_file, r.rows_quarantined) for r in results]
    crimes = warehouse.table("crimes")
    config = Config(partnership="Test", area=("E09000033",), end_month="2018-06")
    return Scope(config=config, warehouse=warehouse, geography=warehouse.table("geo_lsoa"), located=crimes,
                 territorial=crimes, area=crimes, comparator=crimes, area_name="Westminster", force="Test",
                 comparator_name="Test", comparator_lads=("E09000033",), current=PERIOD,
                 previous=Period(date(2016, 7, 1), date(2017, 6, 1)), first_month=date(2016, 7, 1),
                 covered_types=frozenset(), coverage=())


def test_the_hand_counts_agree_with_the_independent_recount():
    assert _expected() == {"victims": 8, "repeat": 3, "victimisations": 10, "of_repeat": 5, "only_combined": 1}


def test_crime_and_asb_victims_count_with_the_other_victim_datasets(scope):
    import ibis

    victims = compute_victims(scope)
    assert set(victims.datasets) == set(WHEN)
    assert not any("Crime victims" in gap or "Anti-social behaviour victims" in gap for gap in victims.data_gaps)
    table = ibis.union(*[_victimisations(scope, name) for name in victims.datasets])
    result = repeat_victimisation(table, PERIOD, 12)
    expected = _expected()
    o = result.overall
    assert (o.victims, o.repeat_victims, o.victimisations, o.victimisations_of_repeat_victims) == (
        expected["victims"], expected["repeat"], expected["victimisations"], expected["of_repeat"])
    assert result.repeat_only_when_combined == expected["only_combined"]
    by_dataset = {k: (c.victims, c.repeat_victims) for k, c in result.by_dataset.items()}
    assert by_dataset == {"crime-victims": (3, 1), "asb-victims": (3, 2), "hate-crime-victims": (2, 0),
                          "marac-cases": (1, 0)}
    assert {k: c.repeat_victims for k, c in result.within_dataset.items()} == {
        "crime-victims": 1, "asb-victims": 1, "hate-crime-victims": 0, "marac-cases": 0}
