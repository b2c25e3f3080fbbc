"""The anti-social behaviour section: police-recorded incidents and council reports side by side, with a
note wherever one source is missing.

Example:
    >>> asb_findings(assessment)[0]  # doctest: +SKIP
    'Police recorded 12,625 anti-social behaviour incidents in Westminster in July 2017 to June 2018 ...'
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from safer.analysis.asb import SOURCE_NAMES
from safer.assessment import Assessment
from safer.report.charts import render_svg
from safer.report.formatting import count, decimal, pct
from safer.report.sections.base import ReportSection

_WHAT = {"police": ("Police recorded", "anti-social behaviour incidents"),
         "council": ("The council received", "anti-social behaviour reports")}


def asb_findings(assessment: Assessment) -> list[str]:
    asb = assessment.section("asb")
    meta = assessment.meta
    sentences = []
    for s in asb.sources:
        verb, noun = _WHAT.get(s.source, (s.source, "records"))
        text = (f"{verb} {count(s.change.current)} {noun} in {meta.area_name} in {meta.current.label}"
                f"{' (synthetic data)' if s.synthetic else ''}, {decimal(s.per_day_current)} a day against "
                f"{decimal(s.per_day_previous)} the year before ({_moved(s.change)})")
        if s.share_current is not None:
            text += f"; {pct(s.share_current)} of the comparator's"
        sentences.append(text + ".")
    police, council = asb.source("police"), asb.source("council")
    if police and council and police.change.pct_change and council.change.pct_change:
        same = (police.change.pct_change > 0) == (council.change.pct_change > 0)
        sentences.append("Police and council records " + ("moved the same way." if same else
                                                          "moved in opposite directions, so neither alone shows the "
                                                          "whole picture of anti-social behaviour."))
    sentences.extend(asb.notes)
    return sentences


def _moved(change) -> str:
    if change.pct_change is None:
        return "none the year before"
    if not getattr(change, "significant", True) or change.pct_change == 0:
        return f"not a significant change, {change.pct_change:+.0f}%".replace("-", "−")
    return f"{'up' if change.pct_change > 0 else 'down'} {abs(change.pct_change):.0f}%"


def asb_charts(assessment: Assessment) -> dict[str, str]:
    asb = assessment.section("asb")
    rows = []
    for s in asb.sources:
        name = s.source.capitalize() + (" (synthetic)" if s.synthetic else "")
        for point in s.trend.points:
            rows.append({"month": point.month.isoformat(), "source": name, "measure": "Monthly daily average",
                         "value": point.daily_average})
            if point.moving_daily_average is not None:
                rows.append({"month": point.month.isoformat(), "source": name,
                             "measure": f"{s.trend.window_months}-month moving average",
                             "value": point.moving_daily_average})
    if not rows:
        return {}
    chart = alt.Chart(pd.DataFrame(rows), title="Anti-social behaviour per day, by source").mark_line().encode(
        x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=-40)),
        y=alt.Y("value:Q", title="Records per day", scale=alt.Scale(zero=False)),
        color=alt.Color("source:N", title=None, legend=alt.Legend(orient="bottom")),
        strokeDash=alt.StrokeDash("measure:N", title=None, legend=alt.Legend(orient="bottom")),
        tooltip=["source:N", "measure:N", alt.Tooltip("month:T", format="%B %Y"), alt.Tooltip("value:Q", format=".1f")],
    ).properties(width=620, height=240)
    return {"trend": render_svg(chart)}


def _contents(assessment: Assessment) -> list[tuple[str, str]]:
    return [("asb-sources", "Anti-social behaviour: police and council")]


SECTION = ReportSection(key="asb", template="sections/asb_sources.html.j2", contents=_contents, findings=asb_findings,
                        charts=asb_charts)

__all__ = ["SECTION", "SOURCE_NAMES", "asb_charts", "asb_findings"]
