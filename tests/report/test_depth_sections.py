"""The outcomes, flagged crime, cost of crime and stop and search sections of the demo report, and the wording
of changes that are not significant."""

from __future__ import annotations

from html import unescape

from safer.analysis.change import Change
from safer.report.sections.overview import _moved


def test_results_have_the_new_sections(demo_results):
    assert {"outcomes", "flagged", "cost_of_crime", "stop_search"} <= set(demo_results)
    assert {"outcomes", "flagged", "cost_of_crime", "stop_search"} <= set(demo_results["findings"])
    burglary = next(r for r in demo_results["outcomes"]["by_type"]["rows"] if r["crime_type"] == "Burglary")
    assert burglary["comparator_covered"]  # the real force-wide burglary files give the Met comparator
    assert burglary["area"]["current"]["crimes"] == next(
        r for r in demo_results["overview"]["by_type"]["rows"] if r["crime_type"] == "Burglary")["area"]["current"]
    assert all(not r["comparator_covered"] for r in demo_results["outcomes"]["by_type"]["rows"]
               if r["crime_type"] != "Burglary")
    assert demo_results["stop_search"]["comparator"]["covered"] is False
    assert demo_results["flagged"]["category_table"] is None  # the demo has no category table
    for key in ("z", "significant", "direction"):
        assert key in demo_results["overview"]["by_type"]["total"]["area"]


def test_cost_table_adds_up(demo_results):
    table = demo_results["cost_of_crime"]["table"]
    assert table["total"]["total"] == sum(r["total"] for r in table["rows"])
    assert table["total"]["volume"] == sum(r["volume"] for r in table["rows"])
    for key in ("police_costs", "health_services", "other_cjs_costs"):
        assert table["total"][key] == sum(r[key] for r in table["rows"])
    by_type = {r["crime_type"]: r for r in demo_results["overview"]["by_type"]["rows"]}
    assert table["all_recorded_crime"] == demo_results["overview"]["by_type"]["total"]["area"]["current"]
    for share in demo_results["cost_of_crime"]["split"]:
        assert share["volume"] <= by_type[share["crime_type"]]["area"]["current"]


def test_the_report_shows_each_section_and_its_caveats(demo_output):
    page = unescape((demo_output / "assessment.html").read_text(encoding="utf-8"))
    for anchor in ('id="outcomes"', 'id="flagged"', 'id="cost-of-crime"', 'id="stop-search"'):
        assert anchor in page
    assert "How police.uk outcomes differ from official detection rates" in page
    assert "a bounding box around Westminster" in page  # the stop-and-search comparator is not covered
    assert "No police category table covering" in page
    assert 'id="chart-outcome-rates"><svg' in page and 'id="chart-cost-shares"><svg' in page


def test_only_significant_changes_are_called_increases_or_decreases():
    assert _moved(Change.between(53686, 58627)) == "increased by 9%"
    assert _moved(Change.between(33, 36)) == "was broadly unchanged (+9%, not a significant change)"
    assert _moved(Change.between(0, 12)) == "has no previous figure to compare with"
    assert _moved(Change.between(400, 400)) == "was unchanged"


def test_overview_findings_never_call_a_chance_change_a_rise_or_fall(demo_results):
    rows = demo_results["overview"]["by_type"]["rows"]
    findings = " ".join(demo_results["findings"]["overview"])
    for row in rows:
        if not row["area"]["significant"]:
            assert f"{row['crime_type']} in Westminster increased" not in findings
            assert f"{row['crime_type']} in Westminster decreased" not in findings
    movers = [s for s in demo_results["findings"]["overview"] if s.startswith("The largest")]
    named = {r["crime_type"].lower(): r for r in rows}
    for sentence in movers:
        for name, row in named.items():
            if f"{name} (" in sentence:
                assert row["area"]["significant"], name
