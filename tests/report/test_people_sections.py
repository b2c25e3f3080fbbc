"""The demo's victims and offenders sections: present, disclosure-controlled, and labelled synthetic.

The demo loads the synthetic person-level partner files pseudonymised with its own key, so these
sections are computed from tokens only. Every table built from person-level data must be listed in
``meta.disclosure.person_level_tables`` and hold no count from 1 to the threshold.
"""

from __future__ import annotations

import json

import pytest


def _resolve(document, dotted: str):
    node = document
    for part in dotted.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def test_people_sections_are_in_results(demo_results):
    assert demo_results["victims"]["available"] and demo_results["offenders"]["available"]
    assert demo_results["victims"]["synthetic"] and demo_results["offenders"]["synthetic"]
    assert {"hate-crime-victims", "marac-cases"} <= set(demo_results["victims"]["datasets"])
    assert demo_results["offenders"]["cohorts"] == ["YOS", "IGU", "IOM"]


def test_every_person_level_table_is_listed_and_holds_no_small_count(demo_results):
    disclosure = demo_results["meta"]["disclosure"]
    threshold = disclosure["threshold"]
    listed = disclosure["person_level_tables"]
    assert {"victims.repeat_victims", "victims.marac", "offenders.cohort_profile", "offenders.iom.windows",
            "offenders.reoffending.local"} <= set(listed)
    assert "offenders.reoffending.published" not in listed  # the MoJ's published figures are aggregate
    suppressed = 0
    for key in listed:
        table = _resolve(demo_results, key)
        assert table["person_level"] is True and table["threshold"] == threshold
        counts = [c["key"] for c in table["columns"] if c["kind"] == "count"]
        for row in table["rows"]:
            for column in counts:
                value = row[column]
                assert value is None or value == 0 or value > threshold, (key, row["label"], column, value)
            suppressed += len(row["suppressed"])
            for column in row["suppressed"]:
                assert row[column] is None
    assert suppressed > 0  # the synthetic data does have small cells, and they were suppressed


def test_the_rule_and_the_synthetic_label_are_in_the_report(demo_output, demo_results):
    html = (demo_output / "assessment.html").read_text(encoding="utf-8")
    victims = html[html.index('<section id="victims">'):html.index('<section id="offenders">')]
    assert demo_results["meta"]["disclosure"]["rule"] in victims.replace("&#39;", "'")
    assert "Synthetic data." in victims
    assert 'class="suppressed"' in html


def test_the_analyst_list_is_written_apart_and_never_in_the_results(demo_output, demo_results):
    listing = demo_output / "analyst-only" / "repeat-victims.csv"
    assert listing.exists()
    assert oct(listing.stat().st_mode & 0o777) == "0o600"
    rows = listing.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "person,datasets,victimisations,first,last,records" and len(rows) > 1
    text = json.dumps(demo_results)
    assert "RV00001" not in text and "repeat-victims.csv" in demo_results["victims"]["analyst_only_list"]


@pytest.mark.parametrize("table", ["victims.repeat_victims", "offenders.cohort_profile"])
def test_totals_match_their_parts_where_both_are_shown(demo_results, table):
    """Where a total and all its parts are published, the parts add up (the tables are not perturbed)."""
    data = _resolve(demo_results, table)
    column = "victims" if table.startswith("victims") else "c:IOM"
    total = data["rows"][0][column]
    for group in {row["group"] for row in data["rows"][1:]} - {"Dataset", "Overlap with other cohorts"}:
        parts = [row[column] for row in data["rows"] if row["group"] == group]
        if total is not None and all(p is not None for p in parts):
            assert sum(parts) == total, group


def test_without_person_level_data_the_sections_state_the_gap(demo_warehouse, tmp_path):
    """The police-only demo warehouse: both sections are skipped cleanly, saying what was not supplied."""
    from policeuk_samples import copy_warehouse_file

    from safer.assessment.offenders import compute_offenders
    from safer.assessment.scope import resolve_scope
    from safer.assessment.victims import compute_victims
    from safer.config import Config
    from safer.report.sections.offenders import offenders_findings
    from safer.report.sections.victims import victims_findings
    from safer.warehouse.connect import open_warehouse

    path = copy_warehouse_file(demo_warehouse.path, tmp_path / "w.duckdb")
    with open_warehouse(path) as wh:
        scope = resolve_scope(Config(partnership="Test", area=("E09000033",), end_month="2018-06"), wh)
        victims, offenders = compute_victims(scope), compute_offenders(scope)

    class _Stub:
        sections = {"victims": victims, "offenders": offenders}

        def section(self, key):
            return self.sections[key]

    assert not victims.available and not offenders.available
    assert victims.as_dict()["repeat_victims"] is None and offenders.as_dict()["cohort_profile"] is None
    assert any("MARAC cases were not supplied" in gap for gap in victims.data_gaps)
    assert any("YOS cohort" in gap for gap in offenders.data_gaps)
    assert "cannot be identified" in victims_findings(_Stub())[0]
    assert "No offender cohort data" in offenders_findings(_Stub())[0]
