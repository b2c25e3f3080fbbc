"""The partner-data sections of the report: labelled synthetic, heatmaps marked, gaps noted, appendix complete.

Checks the demo's assessment.html and results.json, and an assessment of police data alone, in which
every partner section must be skipped cleanly with a data-gap note.
"""

from __future__ import annotations

import re
import shutil
from html import unescape
from html.parser import HTMLParser

import numpy as np
import pytest

from safer.sources.contracts import CONTRACTS

TIMED = ["btp-incidents", "council-asb", "las-alcohol", "las-assaults", "las-overdoses", "lfb-incidents",
         "tfl-incidents"]
LOADABLE = sorted(n for n, c in CONTRACTS.items() if not c.identifying)
PERSON_LEVEL = sorted(n for n, c in CONTRACTS.items() if c.identifying)


@pytest.fixture(scope="module")
def page(demo_output) -> str:
    return unescape((demo_output / "assessment.html").read_text(encoding="utf-8"))


def _section(page: str, anchor: str) -> str:
    start = page.index(f'<section id="{anchor}">')
    return page[start:page.index("</section>", start)]


def test_results_json_has_keys_per_dataset(demo_results):
    partnership = demo_results["partnership"]
    assert sorted(partnership["datasets"]) == LOADABLE  # the multi-agency picture: incident and aggregate data
    catalogue = {e["name"]: e for e in partnership["catalogue"]}
    assert sorted(catalogue) == sorted(CONTRACTS)
    assert sorted(partnership["supplied"] + partnership["not_supplied"]) == sorted(CONTRACTS)
    assert set(LOADABLE) <= set(partnership["supplied"]) <= set(partnership["synthetic_datasets"])
    for name, entry in catalogue.items():
        assert entry["supplied"] == (entry["records"] > 0) == (name in partnership["supplied"])
    assert sorted(demo_results["temporal"]["datasets"]) == TIMED and demo_results["temporal"]["not_supplied"] == []
    assert set(demo_results["asb"]["sources"]) == {"police", "council"}
    assert demo_results["asb"]["sources"]["police"]["synthetic"] is False
    assert demo_results["asb"]["sources"]["council"]["synthetic"] is True
    for name in LOADABLE:
        assert partnership["datasets"][name]["synthetic"] is True


def test_every_synthetic_dataset_is_labelled_where_it_shows(page, demo_results):
    partnership = _section(page, "partnership")
    assert "Synthetic data." in partnership and "Do not use their figures for decisions" in partnership
    for name in LOADABLE:
        heading = re.search(rf'<h3 id="partnership-{name}">(.*?)</h3>', partnership, re.S).group(1)
        assert "synthetic data" in heading, name
    temporal = _section(page, "temporal")
    for name in TIMED:
        heading = re.search(rf'<h3 id="temporal-{name}">(.*?)</h3>', temporal, re.S).group(1)
        assert "synthetic data" in heading, name
        assert f'id="chart-temporal-{name}"' in temporal and "SYNTHETIC" in temporal
    for key in ("partnership", "temporal"):
        assert demo_results["findings"][key]
        for sentence in demo_results["findings"][key]:
            assert sentence in page
            if "partner datasets were not supplied" not in sentence:  # every other sentence names a dataset
                assert "(synthetic data)" in sentence, sentence


def test_the_heatmap_table_shades_the_top_and_bottom_ten_percent(page, demo_results):
    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.marks = {}

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            key = a.get("data-key") or ""
            match = re.fullmatch(r"temporal\.datasets\.las-assaults\.hour_weekday\.counts\.(\d+)\.(\d+)", key)
            if tag == "td" and match:
                self.marks[(int(match.group(1)), int(match.group(2)))] = a.get("class")

    parser = Cells()
    parser.feed(_section(page, "temporal"))
    counts = np.array(demo_results["temporal"]["datasets"]["las-assaults"]["hour_weekday"]["counts"])
    assert len(parser.marks) == 168
    ordered = np.sort(counts.ravel())
    top, bottom = ordered[-17], ordered[16]
    for (hour, day), css in parser.marks.items():
        n = counts[hour, day]
        expected = "cell-top" if n >= top else "cell-bottom" if n <= bottom else "cell-plain"
        assert css == expected, (hour, day, counts[hour, day])
    assert counts.sum() == 1795


def test_the_appendix_lists_every_dataset_supplied_or_not(page, demo_results):
    appendix = page[page.index('<h3 id="appendix-partner-data">'):]
    appendix = appendix[:appendix.index("</table>")]
    for c in CONTRACTS.values():
        assert c.title in appendix, c.name
    catalogue = demo_results["partnership"]["catalogue"]
    supplied_people = sum(1 for e in catalogue if e["supplied"] and e["identifying_fields"])
    assert appendix.count(">supplied (synthetic)<") == len(LOADABLE)
    assert appendix.count(">supplied, pseudonymised (synthetic)<") == supplied_people
    assert appendix.count("not supplied: person-level data, loaded only pseudonymised") == \
        len(PERSON_LEVEL) - supplied_people
    notes = " ".join(demo_results["meta"]["data_notes"])
    assert "SYNTHETIC partner data" in notes and "generated" in notes


def test_the_ward_table_sets_datasets_side_by_side(page, demo_results):
    table = demo_results["partnership"]["ward_table"]
    assert len(table["rows"]) == 20 and len(table["datasets"]) == 7
    for j, total in enumerate(table["totals"]):
        assert total >= sum(row["counts"][j] for row in table["rows"])
    assert "Wards across partner datasets" in page


@pytest.fixture(scope="module")
def police_only_page(demo_warehouse, tmp_path_factory):
    """My sections rendered over a warehouse holding police.uk data alone."""
    from safer.analysis.data_quality import data_quality
    from safer.assessment import Assessment, Meta
    from safer.assessment.partnership import compute_asb, compute_partnership
    from safer.assessment.scope import resolve_scope
    from safer.assessment.temporal import compute_temporal
    from safer.demo import demo_config
    from safer.report.html import render_html
    from safer.warehouse.connect import open_warehouse

    folder = tmp_path_factory.mktemp("police-only")
    shutil.copy(demo_warehouse.path, folder / "safer.duckdb")
    cfg = demo_config(folder)
    with open_warehouse(cfg.warehouse) as wh:
        scope = resolve_scope(cfg, wh)
        sections = {"partnership": compute_partnership(scope), "asb": compute_asb(scope),
                    "temporal": compute_temporal(scope)}
        quality = data_quality(wh.table("ingest_ledger"), wh.table("quarantine"), scope.located)
        meta = Meta(partnership=cfg.partnership, area_codes=cfg.area, area_name=scope.area_name, force=scope.force,
                    comparator_name=scope.comparator_name, comparator_lads=scope.comparator_lads,
                    current=scope.current, previous=scope.previous, separate_forces=cfg.separate_forces,
                    disclosure_threshold=cfg.disclosure_threshold, data_notes=cfg.data_notes)
        assessment = Assessment(meta=meta, sections=sections, data_quality=quality)
        return assessment, unescape(render_html(assessment))


def test_without_partner_data_every_section_is_skipped_with_a_data_gap_note(police_only_page):
    assessment, html = police_only_page
    partnership = assessment.section("partnership")
    assert partnership.datasets == () and partnership.ward_table is None
    assert all(not e.supplied for e in partnership.catalogue)
    assert f"Data gaps: {len(CONTRACTS)} of the {len(CONTRACTS)} partner datasets were not supplied" in html
    assert "Synthetic data." not in html and "synthetic data</span>" not in html
    temporal = assessment.section("temporal")
    assert temporal.datasets == () and sorted(temporal.not_supplied) == TIMED
    assert "Data gap: no timed records" in html
    asb = assessment.section("asb")
    assert [s.source for s in asb.sources] == ["police"] and asb.missing == ("council",)
    assert "Council-recorded anti-social behaviour reports were not supplied" in html
    assert 'id="partner-datasets"' in html and html.count("not supplied") >= len(CONTRACTS)
