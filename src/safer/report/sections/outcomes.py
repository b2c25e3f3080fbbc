"""The outcomes section of the report: sanctioned outcome rates by crime type, against the comparator.

Findings only call a rate higher or lower than a year earlier when the change is significant
(two-proportion test, see ``safer.analysis.significance``).

Example:
    >>> outcomes_findings(assessment)[0]  # doctest: +SKIP
    'Of the 51,854 crimes recorded in Westminster over the last year, 8.0% have a sanctioned outcome ...'
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from safer.assessment import Assessment
from safer.report import charts
from safer.report.formatting import count, pct
from safer.report.sections.base import ReportSection

_MIN_CRIMES_FOR_SENTENCE = 100


def outcomes_findings(assessment: Assessment) -> list[str]:
    """Key sentences: the overall rate and its change, notable types, and the comparator."""
    section = assessment.section("outcomes")
    rates = section.rates
    total = rates.total.area
    if not total.current.crimes:
        return []
    meta = assessment.meta
    sentences = [
        f"Of the {count(total.current.crimes)} crimes recorded in {meta.area_name} in {meta.current.label}, "
        f"{pct(total.current.sanctioned_rate)} have a sanctioned outcome on police.uk (charge or summons, caution, "
        f"offence taken into consideration, penalty notice or drugs warning), "
        f"{_rate_move(total)} {pct(total.previous.sanctioned_rate)} for the crimes of the previous year."]
    moved = [r for r in rates.rows if r.area.significance.significant
             and min(r.area.previous.crimes, r.area.current.crimes) >= _MIN_CRIMES_FOR_SENTENCE]
    falls = sorted((r for r in moved if (r.area.change_pp or 0) < 0), key=lambda r: r.area.change_pp)[:3]
    rises = sorted((r for r in moved if (r.area.change_pp or 0) > 0), key=lambda r: -r.area.change_pp)[:3]
    if falls:
        sentences.append("The sanctioned outcome rate fell significantly for " + _join(
            [f"{r.crime_type.lower()} ({pct(r.area.previous.sanctioned_rate)} to "
             f"{pct(r.area.current.sanctioned_rate)})" for r in falls]) + ".")
    if rises:
        sentences.append("It rose significantly for " + _join(
            [f"{r.crime_type.lower()} ({pct(r.area.previous.sanctioned_rate)} to "
             f"{pct(r.area.current.sanctioned_rate)})" for r in rises]) + ".")
    for row in rates.rows:
        if row.comparator is None or not row.comparator.current.crimes:
            continue
        here, there = row.area.current.sanctioned_rate, row.comparator.current.sanctioned_rate
        relation = "higher than" if here > there else "lower than" if here < there else "the same as"
        sentences.append(f"For {row.crime_type.lower()}, {meta.area_name}'s sanctioned outcome rate "
                         f"({pct(here)}) was {relation} the {meta.comparator_name}'s ({pct(there)}).")
    pending = sum(m.crimes for m in section.mix if m.group in ("Under investigation", "Status update unavailable"))
    if pending:
        share = 100.0 * pending / total.current.crimes
        sentences.append(f"{pct(share)} of the last year's crimes show no outcome yet or no status update on "
                         "police.uk, so these rates are provisional and lower than they will become.")
    return sentences


def _rate_move(change) -> str:
    if change.change_pp is None:
        return "with no previous year to compare with; it was"
    if not change.significance.significant:
        return "not significantly different from"
    return "down from" if change.change_pp < 0 else "up from"


def outcomes_charts(assessment: Assessment) -> dict[str, str]:
    """Sanctioned outcome rates by crime type: the area's two periods and the comparator where covered."""
    section = assessment.section("outcomes")
    meta = assessment.meta
    rows = []
    for row in section.rates.rows:
        rows.append({"crime_type": row.crime_type, "series": f"{meta.area_name}, {meta.previous.label}",
                     "rate": row.area.previous.sanctioned_rate})
        rows.append({"crime_type": row.crime_type, "series": f"{meta.area_name}, {meta.current.label}",
                     "rate": row.area.current.sanctioned_rate})
        if row.comparator is not None:
            rows.append({"crime_type": row.crime_type, "series": f"{meta.comparator_name}, {meta.current.label}",
                         "rate": row.comparator.current.sanctioned_rate})
    data = pd.DataFrame(rows).dropna() if rows else pd.DataFrame(columns=["crime_type", "series", "rate"])
    series = list(dict.fromkeys(data["series"])) if len(data) else []
    chart = (
        alt.Chart(data, title=f"Sanctioned outcome rate by crime type, {meta.area_name}")
        .mark_bar()
        .encode(
            y=alt.Y("crime_type:N", title=None),
            yOffset=alt.YOffset("series:N", sort=series),
            x=alt.X("rate:Q", title="% of crimes with a sanctioned outcome"),
            color=alt.Color("series:N", title=None, sort=series,
                            scale=alt.Scale(range=["#9db4c0", "#1f4e79", "#d68910"]),
                            legend=alt.Legend(orient="bottom", columns=1)),
            tooltip=["crime_type:N", "series:N", alt.Tooltip("rate:Q", format=".1f")],
        )
        .properties(width=520, height=max(160, 16 * len(data)))
    )
    return {"rates": charts.render_svg(chart)}


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _contents(assessment: Assessment) -> list[tuple[str, str]]:
    return [("outcomes", "Outcomes of crimes")]


SECTION = ReportSection(key="outcomes", template="sections/outcomes.html.j2", contents=_contents,
                        findings=outcomes_findings, charts=outcomes_charts)
