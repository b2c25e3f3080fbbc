"""The stop and search section: volumes, objects, outcomes and who was searched, with the comparator caveat.

Example:
    >>> stop_search_findings(assessment)[0]  # doctest: +SKIP
    'Police carried out 6,917 stops and searches in Westminster in July 2017 to June 2018 ...'
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from safer.assessment import Assessment
from safer.report import charts
from safer.report.formatting import count, pct
from safer.report.sections.base import ReportSection


def stop_search_findings(assessment: Assessment) -> list[str]:
    section = assessment.section("stop_search")
    if not section.available:
        return []
    meta = assessment.meta
    total = section.total
    sentences = [f"Police carried out {count(total.current)} stops and searches in {meta.area_name} in "
                 f"{meta.current.label}, {_moved(total)} on the previous year ({count(total.previous)})."]
    gaps = section.sparse_months
    if gaps:
        sentences.append("The files hold very few searches for " + _join([f"{m.month:%B %Y} ({count(m.count)})"
                                                                         for m in gaps])
                         + "; these gaps in the data, not fewer searches, may explain part of the change.")
    if section.by_object:
        top = section.by_object[0]
        sentences.append(f"{pct(top.share_current, 0)} of searches were for {top.category.lower()}.")
    rate = section.arrest_rate
    sentences.append(f"{pct(rate.current)} of searches led to an arrest, "
                     + ("not significantly different from" if not rate.significance.significant
                        else "down from" if (rate.change_pp or 0) < 0 else "up from")
                     + f" {pct(rate.previous)} the year before; {pct(section.further_action_rate.current)} ended in "
                     "some further action (arrest, summons, caution, penalty notice, warning or community resolution).")
    people = [r for r in section.by_age if r.category != "Not recorded"]
    if people:
        young = max(people, key=lambda r: r.change.current)
        sentences.append(f"The largest age group searched was {young.category} ({pct(young.share_current, 0)}).")
    if not section.coverage.covered:
        sentences.append(f"No comparison with the {meta.comparator_name} is made: the stop-and-search data loaded "
                         "does not cover it (see the section's note).")
    return sentences


def _moved(change) -> str:
    if change.pct_change is None:
        return "with none the previous year to compare"
    if not change.significant:
        return f"not a significant change ({'+' if change.change > 0 else '−' if change.change < 0 else ''}" \
               f"{abs(change.pct_change):.0f}%)"
    word = "up" if change.change > 0 else "down"
    return f"{word} {abs(change.pct_change):.0f}%"


def stop_search_charts(assessment: Assessment) -> dict[str, str]:
    section = assessment.section("stop_search")
    data = pd.DataFrame({"month": [f"{m.month:%Y-%m-01}" for m in section.monthly],
                         "searches": [m.count for m in section.monthly]})
    chart = (
        alt.Chart(data, title=f"Stops and searches per month, {assessment.meta.area_name}")
        .mark_bar(color="#1f4e79")
        .encode(x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=-40)),
                y=alt.Y("searches:Q", title="Searches"),
                tooltip=[alt.Tooltip("month:T", format="%B %Y"), "searches:Q"])
        .properties(width=620, height=220)
    )
    return {"monthly": charts.render_svg(chart)}


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _contents(assessment: Assessment) -> list[tuple[str, str]]:
    return [("stop-search", "Stop and search")]


SECTION = ReportSection(key="stop_search", template="sections/stop_search.html.j2", contents=_contents,
                        findings=stop_search_findings, charts=stop_search_charts)
