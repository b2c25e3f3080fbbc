"""The cost of crime section: the Home Office crime type x cost category table, shares, bearers, ranking.

Example:
    >>> cost_findings(assessment)[0]  # doctest: +SKIP
    'Crime recorded in Westminster over the last year is estimated to have cost £211m ...'
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from safer.analysis.costs import COST_CATEGORIES
from safer.assessment import Assessment
from safer.report import charts
from safer.report.formatting import count, pct
from safer.report.sections.base import ReportSection


def money(value: float | None) -> str:
    """Pounds, in millions above £1m: ``£279.8m``, ``£4,485,280``.

    >>> money(279773640), money(4485280)
    ('£279.8m', '£4.5m')
    """
    if value is None:
        return "n/a"
    if abs(value) >= 1_000_000:
        return f"£{value / 1_000_000:,.1f}m"
    return f"£{round(value):,}"


def cost_findings(assessment: Assessment) -> list[str]:
    """The total, the costliest crime types against their volume, who bears the cost, attributions."""
    section = assessment.section("cost_of_crime")
    table = section.table
    if not table.rows:
        return []
    meta = assessment.meta
    sentences = [f"Crime recorded in {meta.area_name} in {meta.current.label} is estimated to have cost "
                 f"{money(table.total.total)} (Home Office 2018 unit costs, 2015/16 prices; from "
                 f"{section.source})."]
    top = table.rows[0]
    sentences.append(f"{top.crime_type} was the largest cost, {pct(top.share_of_cost, 0)} of the total, from "
                     f"{pct(top.share_of_volume, 0)} of recorded crime.")
    heavy = max(table.rows, key=lambda r: (r.share_of_cost or 0) - (r.share_of_volume or 0))
    light = min(table.rows, key=lambda r: (r.share_of_cost or 0) - (r.share_of_volume or 0))
    if heavy is not top:
        sentences.append(f"{heavy.crime_type} accounted for {pct(heavy.share_of_cost, 0)} of the cost but only "
                         f"{pct(heavy.share_of_volume, 0)} of the volume of crime.")
    if light is not heavy:
        sentences.append(f"In contrast, {light.crime_type.lower()} accounted for {pct(light.share_of_volume, 0)} of "
                         f"the volume of crime but {pct(light.share_of_cost, 0)} of the cost.")
    for bearer in section.by_bearer:
        if bearer.top_crime_type:
            sentences.append(f"For {bearer.bearer.lower()}, the costliest crime was {bearer.top_crime_type.lower()} "
                             f"({pct(bearer.top_share, 0)} of {money(bearer.total)}).")
    for item in section.attributions:
        if item.name == "opiate and crack cocaine use":
            sentences.append(
                f"If {pct(100 * item.share, 0)} of acquisitive crime "
                f"({', '.join(t.lower() for t in item.crime_types)}) is committed by people dependent on opiates and/or crack cocaine, that would equate to "
                f"{count(item.crimes)} recorded crimes in {meta.area_name} at a cost of "
                f"{money(item.attributed_cost)} (shoplifting is not included in the cost).")
        else:
            sentences.append(
                f"If {pct(100 * item.share, 0)} of violent crime is alcohol-related, that would equate to "
                f"{count(item.crimes)} of the violent crimes recorded in {meta.area_name} at an estimated cost of "
                f"{money(item.attributed_cost)}.")
    return sentences


def cost_charts(assessment: Assessment) -> dict[str, str]:
    """Share of cost against share of recorded crime, by Home Office crime type."""
    table = assessment.section("cost_of_crime").table
    rows = []
    for row in table.rows:
        rows.append({"crime_type": row.crime_type, "measure": "Share of recorded crime", "share": row.share_of_volume})
        rows.append({"crime_type": row.crime_type, "measure": "Share of the cost of crime", "share": row.share_of_cost})
    data = pd.DataFrame(rows, columns=["crime_type", "measure", "share"]).dropna()
    order = [r.crime_type for r in table.rows]
    chart = (
        alt.Chart(data, title="Share of cost against share of volume, by crime type")
        .mark_bar()
        .encode(
            y=alt.Y("crime_type:N", sort=order, title=None),
            yOffset=alt.YOffset("measure:N"),
            x=alt.X("share:Q", title="% of total"),
            color=alt.Color("measure:N", title=None, scale=alt.Scale(range=["#9db4c0", "#b03a2e"]),
                            legend=alt.Legend(orient="bottom")),
            tooltip=["crime_type:N", "measure:N", alt.Tooltip("share:Q", format=".1f")],
        )
        .properties(width=520, height=max(160, 26 * len(order)))
    )
    return {"shares": charts.render_svg(chart)}


def _contents(assessment: Assessment) -> list[tuple[str, str]]:
    return [("cost-of-crime", "Cost of crime")]


SECTION = ReportSection(key="cost_of_crime", template="sections/costs.html.j2", contents=_contents,
                        findings=cost_findings, charts=cost_charts)

__all__ = ["COST_CATEGORIES", "SECTION", "cost_charts", "cost_findings", "money"]
