"""The partnership data section: each partner dataset's volume, places and people, the wards side by side,
and (in the data appendix) which datasets were and were not supplied.

Synthetic datasets are labelled in every heading, sentence and chart caption.

Example:
    >>> partnership_findings(assessment)[0]  # doctest: +SKIP
    'London Ambulance Service assaults (synthetic data): 1,795 in Westminster in July 2017 to June 2018 ...'
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from safer.analysis.change import Change
from safer.assessment import Assessment
from safer.assessment.partnership import DatasetPicture
from safer.report.charts import render_svg
from safer.report.formatting import count, pct
from safer.report.sections.base import ReportSection

_MIN_SHARE_GAP = 3.0  # percentage points: smaller differences from the comparator are not worth a sentence


def partnership_findings(assessment: Assessment) -> list[str]:
    """Key sentences for every supplied dataset, then the gaps."""
    picture = assessment.section("partnership")
    area = assessment.meta.area_name
    sentences = []
    for d in picture.datasets:
        sentences.extend(_dataset_sentences(assessment, d, area))
    missing = [e.title for e in picture.catalogue if not e.supplied]
    if missing:
        sentences.append(f"{len(missing)} of the {len(picture.catalogue)} partner datasets were not supplied "
                         "(see the data appendix).")
    return sentences


def _label(d: DatasetPicture) -> str:
    return f"{d.title}{' (synthetic data)' if d.synthetic else ''}"


def _dataset_sentences(a: Assessment, d: DatasetPicture, area: str) -> list[str]:
    out = []
    period = a.meta.current.label
    if d.volume is not None:
        v = d.volume
        text = (f"{_label(d)}: {count(v.area.current)} in {area} in {period}, {_moved(v.area)} on the year before "
                f"({count(v.area.previous)})")
        if v.comparator is not None:
            text += f"; {pct(v.share_current)} of the comparator's, against {pct(v.share_previous)} a year earlier"
        out.append(text + ".")
    if d.wards is not None and d.wards.places:
        top = d.wards.places[:2]
        text = (f"{pct(sum(p.share for p in top), 0)} of {_label(d)} in {area} were in "
                + " and ".join(f"{p.name} ({pct(p.share, 0)})" for p in top) + " wards")
        if d.lsoas is not None and d.lsoas.places:
            text += (f", and {pct(d.lsoas.top_share, 0)} in just {len(d.lsoas.places)} of its "
                     f"{d.lsoas.places_in_area} LSOAs")
        out.append(text + ".")
    for profile in d.demographics:
        if not profile.comparator_covered:
            continue
        rows = [(r, r.as_dict(profile.area_total, profile.comparator_total)) for r in profile.rows
                if r.value != "Unknown"]
        gaps = [(abs((x["area_share"] or 0) - (x["comparator_share"] or 0)), r, x) for r, x in rows]
        if gaps:
            gap, row, shares = max(gaps, key=lambda g: g[0])
            if gap >= _MIN_SHARE_GAP:
                what = "aged " + row.value if "age" in profile.attribute else row.value.lower()
                out.append(f"{_label(d)}: {pct(shares['area_share'], 0)} of people involved in {area} were {what}, "
                           f"against {pct(shares['comparator_share'], 0)} across the comparator.")
    if d.level == "aggregate" and d.categories and d.volume is None:
        first = d.categories[0]
        when = f" ({getattr(first, 'month', '')})" if hasattr(first, "month") else ""
        out.append(f"{_label(d)}: {first.category}{when} {count(first.area.current)} in {area}, {_moved(first.area)} "
                   f"on {count(first.area.previous)} a year before.")
    for rate in d.rates:
        if rate.group == "All":
            others = "; ".join(f"{name} {pct(value)}" for (code, name), (_, value) in zip(d.rate_areas, rate.others))
            out.append(f"{_label(d)}: the proven reoffending rate of the cohort to {rate.month} was {pct(rate.rate)} "
                       f"in {area} ({count(rate.numerator)} of {count(rate.denominator)} offenders)"
                       + (f", against {others}." if others else "."))
    return out


def _moved(change: Change) -> str:
    if change.pct_change is None:
        return "with none the year before"
    significant = getattr(change, "significant", True)
    if change.pct_change == 0 or not significant:
        return f"not a significant change ({_signed(change.pct_change)})"
    return f"{'up' if change.pct_change > 0 else 'down'} {abs(change.pct_change):.0f}%"


def _signed(value: float) -> str:
    return f"{'+' if value > 0 else '−' if value < 0 else ''}{abs(value):.0f}%"


def partnership_charts(assessment: Assessment) -> dict[str, str]:
    """The area's share of the comparator for each dataset that covers it."""
    picture = assessment.section("partnership")
    rows = [{"dataset": f"{d.title}{' (synthetic)' if d.synthetic else ''}", "share": d.volume.share_current}
            for d in picture.datasets if d.volume is not None and d.volume.share_current is not None]
    if not rows:
        return {}
    data = pd.DataFrame(rows)
    bars = alt.Chart(data, title=f"{assessment.meta.area_name}'s share of the comparator, "
                                 f"{assessment.meta.current.label}").mark_bar(color="#1f4e79").encode(
        y=alt.Y("dataset:N", sort="-x", title=None), x=alt.X("share:Q", title="% of the comparator's records"),
        tooltip=["dataset:N", alt.Tooltip("share:Q", format=".1f")])
    text = bars.mark_text(align="left", dx=3).encode(text=alt.Text("share:Q", format=".1f"))
    return {"shares": render_svg((bars + text).properties(width=480, height=max(120, 26 * len(rows))))}


def _contents(assessment: Assessment) -> list[tuple[str, str]]:
    picture = assessment.section("partnership")
    entries = [("partnership", "Partnership data: the multi-agency picture")]
    if picture.ward_table is not None:
        entries.append(("partnership-wards", "Wards across partner datasets"))
    return entries


SECTION = ReportSection(key="partnership", template="sections/partnership.html.j2", contents=_contents,
                        findings=partnership_findings, charts=partnership_charts)
