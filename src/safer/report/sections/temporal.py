"""The times-of-day section: an hour x weekday heatmap per timed dataset, with the top and bottom 10% of
cells marked (red and green, as in the 2018 assessment's BTP table), and the peaks in words.

Example:
    >>> temporal_findings(assessment)[0]  # doctest: +SKIP
    'British Transport Police incidents (synthetic data): Friday was the peak day ...'
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from safer.analysis.temporal import WEEKDAYS, HourWeekdayTable
from safer.assessment import Assessment
from safer.report.charts import render_svg
from safer.report.formatting import count, pct
from safer.report.sections.base import ReportSection

TOP_COLOUR = "#c0392b"
BOTTOM_COLOUR = "#1e8449"
_SHORT_DAYS = tuple(d[:3] for d in WEEKDAYS)


def temporal_findings(assessment: Assessment) -> list[str]:
    """One sentence per timed dataset: peak day, peak hours, busiest cells and the night-time share."""
    temporal = assessment.section("temporal")
    sentences = []
    for d in temporal.datasets:
        p = d.profile
        label = f"{d.title}{' (synthetic data)' if d.synthetic else ''}"
        busiest = ", ".join(f"{WEEKDAYS[day]} {hour:02d}:00" for hour, day, _ in p.peak.busiest[:2])
        sentences.append(
            f"{label}: {p.peak.day_name} was the peak day ({count(p.peak.day_count)}, {pct(p.peak.day_share)} of the "
            f"week's) and {p.peak.hours.window.label} the peak hours ({pct(p.peak.hours.share)}); the busiest hours "
            f"of the week were {busiest}. {pct(p.night_time.share)} happened in the night-time economy hours, "
            f"{p.night_time.window.label}.")
    return sentences


def heatmap_chart(table: HourWeekdayTable, *, title: str) -> str:
    """The hour x weekday table as a heatmap: shade by count, top 10% cells outlined red, bottom 10% green."""
    rows = []
    for hour in range(24):
        for day in range(7):
            mark = table.mark(hour, day)
            rows.append({"hour": f"{hour:02d}", "weekday": _SHORT_DAYS[day], "count": table.counts[hour][day],
                         "mark": {"top": "Top 10%", "bottom": "Bottom 10%"}.get(mark, "")})
    data = pd.DataFrame(rows)
    base = alt.Chart(data, title=title).encode(
        x=alt.X("weekday:O", sort=list(_SHORT_DAYS), title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("hour:O", sort=[f"{h:02d}" for h in range(24)], title="Hour of day"),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("count:Q", title="Events", scale=alt.Scale(scheme="greys"), legend=alt.Legend(orient="right")),
        tooltip=["weekday:O", "hour:O", "count:Q", "mark:N"],
    )
    outlines = base.transform_filter(alt.datum.mark != "").mark_rect(fill=None, strokeWidth=2.5).encode(
        stroke=alt.Stroke("mark:N", title="Marked", scale=alt.Scale(domain=["Top 10%", "Bottom 10%"],
                                                                      range=[TOP_COLOUR, BOTTOM_COLOUR])),
    )
    labels = base.mark_text(fontSize=9).encode(
        text="count:Q",
        color=alt.condition(alt.datum.count > max(1, table.thresholds[0] if table.thresholds else 1) * 0.6,
                            alt.value("white"), alt.value("#1d2731")),
    )
    chart = (cells + outlines + labels).properties(width=300, height=430)
    return render_svg(chart)


def temporal_charts(assessment: Assessment) -> dict[str, str]:
    temporal = assessment.section("temporal")
    return {d.name: heatmap_chart(d.profile.table, title=f"{d.title}{' (SYNTHETIC)' if d.synthetic else ''}: "
                                  f"{assessment.meta.current.label}") for d in temporal.datasets}


def _contents(assessment: Assessment) -> list[tuple[str, str]]:
    return [("temporal", "Times of day and week")]


SECTION = ReportSection(key="temporal", template="sections/temporal.html.j2", contents=_contents,
                        findings=temporal_findings, charts=temporal_charts)
