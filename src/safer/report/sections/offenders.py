"""The offenders section of the report: cohorts and their overlap, IOM impact, RAG mix, reoffending.

Sentences use published (disclosure-controlled) values only, and say so when a number is suppressed.

Example:
    >>> offenders_findings(assessment)[0]  # doctest: +SKIP
    '47.3% of the YOS cohort were also worked with by the IGU ...'
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from safer.assessment import Assessment
from safer.assessment.offenders import Offenders
from safer.report import charts
from safer.report.formatting import count, pct
from safer.report.sections.base import ReportSection


def _o(assessment: Assessment) -> Offenders:
    return assessment.section("offenders")


def offenders_findings(assessment: Assessment) -> list[str]:
    o = _o(assessment)
    if not o.available:
        return ["No offender cohort data was supplied (YOS, IGU, IOM), so cohorts, their overlap and reoffending "
                "cannot be described (see Offenders: data gaps)."]
    out = []
    synthetic = " (synthetic data)" if o.synthetic else ""
    if o.profile is not None:
        for cohort in o.cohorts:
            size = o.profile.value("size", f"c:{cohort}")
            if size:
                out.append(f"The {cohort}{synthetic} worked with {count(size)} people in the period.")
        out += _overlap_sentences(o)
    if o.iom is not None:
        out += _iom_sentences(o)
    if o.reoffending is not None:
        for row in o.reoffending.rows:
            if row.label == "All" and row.values["binary_rate"] is not None:
                out.append(f"{pct(row.values['binary_rate'])} of the {row.group} cohort{synthetic} committed a "
                           f"recorded offence within a year of starting (local approximation of proven "
                           f"reoffending; {count(row.values['offenders'])} people).")
    return out


def _overlap_sentences(o: Offenders) -> list[str]:
    out = []
    for cohort in o.cohorts:
        for other in o.cohorts:
            if other == cohort:
                continue
            share = o.profile.value(f"also:{other}", f"p:{cohort}")
            if share is not None and share >= 25:
                out.append(f"{pct(share)} of the {cohort} cohort were also worked with by the {other}.")
    return out


def _iom_sentences(o: Offenders) -> list[str]:
    t = o.iom
    before, after = t.value("before", "per_100_days"), t.value("after", "per_100_days")
    members = t.value("before", "members")
    if members is None:
        return ["Too few IOM members left the cohort in the year compared to publish their offending."]
    if before is None or after is None:
        return [f"{count(members)} IOM spells ended in the year compared; too few offences to publish the change."]
    direction = "fell" if after < before else "rose" if after > before else "did not change"
    text = (f"Among the {count(members)} IOM spells that ended in the year compared, offences per 100 days at liberty "
            f"{direction} from {before:.2f} in the {o.iom_details['window_months']} months before joining to "
            f"{after:.2f} in the {o.iom_details['window_months']} months after leaving")
    cost_before, cost_after = t.value("before", "cost_per_100_days"), t.value("after", "cost_per_100_days")
    if cost_before is not None and cost_after is not None:
        text += f", and the cost of crime per 100 days from £{count(cost_before)} to £{count(cost_after)}"
    text += "."
    if not o.iom_details.get("custody_known"):
        text += " Custody periods were not supplied, so part of any fall may be time in prison."
    return [text]


def offenders_charts(assessment: Assessment) -> dict[str, str]:
    o = _o(assessment)
    if o.iom is None:
        return {}
    rows = [{"window": row.label, "rate": row.values["per_100_days"]} for row in o.iom.rows
            if row.values["per_100_days"] is not None]
    if len(rows) < 2:
        return {}
    chart = (alt.Chart(pd.DataFrame(rows), title="IOM offences per 100 days at liberty")
             .mark_bar(color="#1f4e79")
             .encode(x=alt.X("window:N", sort=None, title=None, axis=alt.Axis(labelAngle=0)),
                     y=alt.Y("rate:Q", title="Offences per 100 days"),
                     tooltip=["window:N", alt.Tooltip("rate:Q", format=".2f")])
             .properties(width=420, height=220))
    return {"iom": charts.render_svg(chart)}


def _contents(assessment: Assessment) -> list[tuple[str, str]]:
    return [("offenders", "Offenders")]


SECTION = ReportSection(key="offenders", template="sections/offenders.html.j2", contents=_contents,
                        findings=offenders_findings, charts=offenders_charts)
