"""The written assessment: results.json parsed back and matched, cell by cell, to the HTML."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest


class _KeyedCells(HTMLParser):
    """Collects the text of every element carrying a ``data-key`` attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[str, str] = {}
        self._stack: list[str | None] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("src", "href"):
            value = attributes.get(name) or ""
            if tag in ("script", "img", "link", "iframe") and value.startswith(("http:", "https:", "//")):
                self.external.append(value)
        if tag in ("td", "span", "th"):
            self._stack.append(attributes.get("data-key"))
            if attributes.get("data-key"):
                self.cells[attributes["data-key"]] = ""

    def handle_endtag(self, tag):
        if tag in ("td", "span", "th") and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        key = next((k for k in reversed(self._stack) if k), None)
        if key:
            self.cells[key] += data


def _resolve(document, key: str):
    """Follow a dotted key; list items are picked by index or by their ``crime_type``."""
    node = document
    parts = key.split(".")
    i = 0
    while i < len(parts):
        part = parts[i]
        if isinstance(node, list):
            if part.isdigit():
                node = node[int(part)]
            else:
                node = next(item for item in node if item.get("crime_type") == part)
        else:
            node = node[part]
        i += 1
    return node


def _number(text: str) -> float | None:
    text = text.strip().replace(",", "").replace("%", "").replace("−", "-").replace("+", "")
    return None if text in ("n/a", "*") else float(text)  # "*": suppressed by disclosure control (null)


@pytest.fixture(scope="module")
def html_cells(demo_output) -> _KeyedCells:
    parser = _KeyedCells()
    parser.feed((demo_output / "assessment.html").read_text(encoding="utf-8"))
    return parser


def test_every_keyed_cell_shows_the_number_in_results_json(html_cells, demo_results):
    assert len(html_cells.cells) > 60
    for key, text in html_cells.cells.items():
        expected = _resolve(demo_results, key)
        shown = _number(text)
        if expected is None:
            assert shown is None, key
        else:
            # cells round to at most two decimals; whole counts are shown exactly
            assert shown == pytest.approx(expected, abs=0.006), (key, text, expected)


def test_every_crime_type_row_of_results_is_in_the_html(html_cells, demo_results):
    for row in demo_results["overview"]["by_type"]["rows"]:
        assert f"overview.by_type.rows.{row['crime_type']}.area.current" in html_cells.cells


def test_html_is_self_contained(demo_output, html_cells):
    html = (demo_output / "assessment.html").read_text(encoding="utf-8")
    assert html_cells.external == []
    assert html.count("<svg") >= 3  # the charts are inline
    assert "<script" not in html


def test_findings_in_html_and_results_agree(demo_output, demo_results):
    page = unescape((demo_output / "assessment.html").read_text(encoding="utf-8"))
    findings = demo_results["findings"]["overview"]
    assert findings
    for sentence in findings:
        assert f"<li>{sentence}</li>" in page
    daily = demo_results["overview"]["daily_average"]["periods"]
    assert f"On average {round(daily[0]['per_day'])} crimes were recorded per day" in findings[0]


def test_results_json_has_the_documented_keys(demo_results):
    assert {"meta", "overview", "data_quality", "findings"} <= set(demo_results)
    assert {"monthly", "by_type", "daily_average", "asb"} <= set(demo_results["overview"])
    assert demo_results["meta"]["disclosure"]["threshold"] == 4
    assert demo_results["meta"]["current_period"]["label"] == "July 2017 to June 2018"
    json.dumps(demo_results)  # plain JSON all the way down


def test_data_appendix_attributes_the_data(demo_output):
    html = (demo_output / "assessment.html").read_text(encoding="utf-8")
    assert "Open Government Licence v3.0" in html
    assert re.search(r"reformatted into the police\.uk street CSV layout", html)
