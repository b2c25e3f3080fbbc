"""Linkage on a small hand-made set of records whose people and match rules are worked out by hand.

Datasets and tokens (a token is any shared string here):

    A: a1 name_dob=n1 | a2 name_dob=n2 | a3 (no token) | a4 name_dob=n5, initial_dob=i5
    B: b1 name_dob=n1, case=c1 | b2 case=c1 | b3 name_dob=n3 | b4 initial_dob=i5
    C: c1 pnc=p1, name_dob=n3 | c2 pnc=p1 | c3 name_dob=n2
    D: d1 pnc=p1

People (connected records): P1 = a1 b1 b2; P2 = a2 c3; P3 = a3; P4 = a4 b4; P5 = b3 c1 c2 d1.
"""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from safer.analysis.linkage import link_people


def _table(rows: list[dict]) -> ibis.Table:
    frame = pd.DataFrame(rows)
    for column in ("case_token", "pnc_token", "name_dob_token", "initial_dob_token"):
        if column not in frame:
            frame[column] = None
        frame[column] = frame[column].astype("object")
    return ibis.memtable(frame)


@pytest.fixture(scope="module")
def linkage():
    a = _table([{"record_key": "a1", "name_dob_token": "n1"}, {"record_key": "a2", "name_dob_token": "n2"},
                {"record_key": "a3"}, {"record_key": "a4", "name_dob_token": "n5", "initial_dob_token": "i5"}])
    b = _table([{"record_key": "b1", "name_dob_token": "n1", "case_token": "c1"},
                {"record_key": "b2", "case_token": "c1"}, {"record_key": "b3", "name_dob_token": "n3"},
                {"record_key": "b4", "initial_dob_token": "i5"}])
    c = _table([{"record_key": "c1", "pnc_token": "p1", "name_dob_token": "n3"}, {"record_key": "c2", "pnc_token": "p1"},
                {"record_key": "c3", "name_dob_token": "n2"}])
    d = _table([{"record_key": "d1", "pnc_token": "p1"}])
    return link_people({"A": a, "B": b, "C": c, "D": d}), {"A": a, "B": b, "C": c, "D": d}


def test_people_are_the_connected_groups(linkage):
    result, tables = linkage
    people = pd.concat([result.person_ids(name, t).execute().assign(dataset=name) for name, t in tables.items()])
    person = dict(zip(people["record_key"], people["person_id"]))
    groups = {frozenset(k for k, p in person.items() if p == pid) for pid in person.values()}
    assert groups == {frozenset({"a1", "b1", "b2"}), frozenset({"a2", "c3"}), frozenset({"a3"}),
                      frozenset({"a4", "b4"}), frozenset({"b3", "c1", "c2", "d1"})}
    assert result.report.people == 5


def test_each_record_keeps_the_best_rule_it_shares(linkage):
    result, tables = linkage
    people = pd.concat([result.person_ids(name, t).execute() for name, t in tables.items()])
    rule = dict(zip(people["record_key"], people["match_rule"]))
    assert rule == {"a1": "name_dob", "a2": "name_dob", "a3": "unlinked", "a4": "initial_dob", "b1": "case",
                    "b2": "case", "b3": "name_dob", "b4": "initial_dob", "c1": "pnc", "c2": "pnc", "c3": "name_dob",
                    "d1": "pnc"}
    assert result.report.records_by_rule == {"case": 2, "pnc": 3, "nhs": 0, "name_dob": 4, "initial_dob": 2,
                                             "unlinked": 1}


def test_dataset_summary(linkage):
    report = linkage[0].report
    got = {d.dataset: (d.records, d.records_with_token, d.people, d.people_in_other_datasets,
                       d.people_with_several_records) for d in report.datasets}
    assert got == {"A": (4, 3, 4, 3, 0), "B": (4, 4, 3, 3, 1), "C": (3, 3, 2, 2, 1), "D": (1, 1, 1, 1, 0)}


def test_pairs_with_match_rates_and_rules(linkage):
    report = linkage[0].report
    ab = report.pair("A", "B")
    assert (ab.first_people, ab.second_people, ab.both) == (4, 3, 2)
    assert (ab.first_rate, ab.second_rate) == (50.0, 66.7)
    assert ab.by_rule == {"case": 0, "pnc": 0, "nhs": 0, "name_dob": 1, "initial_dob": 1, "indirect": 0}
    assert report.pair("A", "C").both == 1 and report.pair("A", "C").by_rule["name_dob"] == 1
    assert report.pair("A", "D").both == 0
    assert report.pair("B", "C").by_rule["name_dob"] == 1
    assert report.pair("C", "D").by_rule["pnc"] == 1
    bd = report.pair("B", "D")  # P5 is in both, linked only through C
    assert bd.both == 1 and bd.by_rule["indirect"] == 1
