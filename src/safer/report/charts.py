"""Charts as inline SVG (Altair specifications rendered offline by vl-convert).

Example:
    >>> svg = trend_chart(assessment.overview.crime_trend, title="Crime")  # doctest: +SKIP
    >>> svg.startswith("<svg")  # doctest: +SKIP
    True
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert

from safer.analysis.trends import MonthlyTrend

_COLOURS = {"Monthly daily average": "#9db4c0", "12-month moving daily average": "#1f4e79"}


def trend_chart(trend: MonthlyTrend, *, title: str, y_title: str = "Records per day") -> str:
    """Monthly daily average (thin) and moving daily average (bold) as one SVG line chart."""
    rows = []
    for point in trend.points:
        rows.append({"month": point.month.isoformat(), "series": "Monthly daily average",
                     "value": point.daily_average})
        if point.moving_daily_average is not None:
            rows.append({"month": point.month.isoformat(), "series": f"{trend.window_months}-month moving daily average",
                         "value": point.moving_daily_average})
    data = pd.DataFrame(rows)
    domain = list(_COLOURS)
    chart = (
        alt.Chart(data, title=title)
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=-40)),
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
            color=alt.Color("series:N", title=None, scale=alt.Scale(domain=domain, range=list(_COLOURS.values())),
                            legend=alt.Legend(orient="bottom")),
            strokeWidth=alt.condition(alt.datum.series == domain[1], alt.value(3), alt.value(1.5)),
            tooltip=[alt.Tooltip("month:T", format="%B %Y"), "series:N", alt.Tooltip("value:Q", format=".1f")],
        )
        .properties(width=620, height=240)
    )
    return render_svg(chart)


def change_chart(labels: list[str], changes: list[float | None], *, title: str) -> str:
    """Horizontal bars of % change by category (categories without a % change are left out)."""
    data = pd.DataFrame({"category": labels, "pct_change": changes}).dropna()
    chart = (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("category:N", sort="-x", title=None),
            x=alt.X("pct_change:Q", title="% change on previous period"),
            color=alt.condition(alt.datum.pct_change > 0, alt.value("#b03a2e"), alt.value("#2e86c1")),
            tooltip=["category:N", alt.Tooltip("pct_change:Q", format=".1f")],
        )
        .properties(width=520, height=max(120, 22 * len(data)))
    )
    return render_svg(chart)


def render_svg(chart: alt.TopLevelMixin) -> str:
    """Render an Altair chart to an SVG string without any network access."""
    return vl_convert.vegalite_to_svg(chart.to_dict())
