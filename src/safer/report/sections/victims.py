"""The victims section of the report: repeat victims across agencies, linkage and the MARAC.

Every number in a sentence comes from a published (disclosure-controlled) table; when the number
is suppressed, the sentence says so instead of giving it.

Example:
    >>> victims_findings(assessment)[0]  # doctest: +SKIP
    'Linking the victim data of 4 agencies, 212 of 1,093 victims (19.4%) were repeat victims ...'
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from safer.assessment import Assessment
from safer.assessment.victims import Victims
from safer.report import charts
from safer.report.formatting import count, pct
from safer.report.sections.base import ReportSection


def _v(assessment: Assessment) -> Victims:
    return assessment.section("victims")


def victims_findings(assessment: Assessment) -> list[str]:
    v = _v(assessment)
    if not v.available:
        return ["No person-level victim data was supplied, so repeat victims across the partnership's agencies "
                "cannot be identified (see Victims: data gaps)."]
    out = []
    if v.repeat is not None:
        out += _repeat_sentences(v)
    if v.marac is not None:
        out += _marac_sentences(v)
    if v.linkage is not None and v.linkage_pairs is not None:
        out += _linkage_sentences(v)
    return out


def _published(value: object) -> bool:
    return value is not None


def _repeat_sentences(v: Victims) -> list[str]:
    t = v.repeat
    victims, repeat, rate = t.value("all", "victims"), t.value("all", "repeat_victims"), t.value("all", "repeat_rate")
    agencies = len(v.datasets)
    synthetic = " (synthetic data)" if v.synthetic else ""
    if not (_published(victims) and _published(repeat) and _published(rate)):
        return [f"Too few repeat victims were found in the victim data{synthetic} to publish their number."]
    lead = (f"Combining the victim data of {agencies} {'agency' if agencies == 1 else 'agencies'}{synthetic}, "
            f"{count(repeat)} of {count(victims)} victims ({pct(rate)}) were repeat victims, victimised again within "
            f"{v.window_months} months")
    difference = rate - v.benchmark_pct
    compare = ("in line with" if abs(difference) < 1 else "above" if difference > 0 else "below")
    out = [f"{lead}; this is {compare} the benchmark of {pct(v.benchmark_pct, 0)} (one in five victims across London "
           "are repeat victims)."]
    share = t.value("all", "share_of_repeat")
    if _published(share):
        out.append(f"Repeat victims suffered {pct(share)} of all victimisations recorded in the period.")
    within = t.value("all", "repeat_within")
    if _published(within) and repeat - within > 0:
        out.append(f"{count(repeat - within)} of the repeat victims were repeat victims only when the agencies' "
                   "records were put together: no single agency's data shows them as repeat victims.")
    return out


def _marac_sentences(v: Victims) -> list[str]:
    t = v.marac
    cases = t.value("cases", "count")
    if cases is None:
        return ["Too few MARAC cases were discussed in the period to publish their number."]
    text = f"The MARAC discussed {count(cases)} cases"
    rate = t.value("cases", "value")
    if rate is not None:
        text += f" ({rate:.1f} per 10,000 adult women; SafeLives expects {_expected(t, 'cases')})"
    text += "."
    parts = []
    for key, noun in (("repeat_recorded", "repeat cases"), ("police", "police referrals"),
                      ("disability", "victims with a disability"), ("male", "male victims")):
        value, assessment = t.value(key, "value"), t.value(key, "assessment")
        if value is not None and assessment:
            parts.append(f"{noun} were {pct(value)}, {assessment} the expected {_expected(t, key)}")
    if parts:
        text += " " + parts[0][0].upper() + "; ".join(parts)[1:] + "."
    linked, recorded = t.value("repeat_linked", "count"), t.value("repeat_recorded", "count")
    if linked is not None and recorded is not None and linked != recorded:
        text += (f" Linking referrals of the same victim within 12 months finds {count(linked)} repeat cases, "
                 f"against {count(recorded)} recorded as repeats by the MARAC.")
    return [text]


def _expected(table, key: str) -> str:
    text = str(table.value(key, "expected"))
    return text.replace(" (unverified)", ", a commonly quoted but unverified figure")


def _linkage_sentences(v: Victims) -> list[str]:
    linked = [row for row in v.linkage_pairs.rows if row.values["both"]]
    if not linked:
        return ["Linking the pseudonymised person-level datasets found no one known to two of them."]
    best = max(linked, key=lambda row: row.values["both"])
    return [f"Linking the pseudonymised person-level datasets, the largest overlap between two of them is "
            f"{count(best.values['both'])} people, in both the {best.label}."]


def victims_charts(assessment: Assessment) -> dict[str, str]:
    v = _v(assessment)
    if v.repeat is None:
        return {}
    rows = [{"band": row.label, "rate": row.values["repeat_rate"]} for row in v.repeat.rows
            if row.group == "Age band" and row.values["repeat_rate"] is not None]
    if not rows:
        return {}
    chart = (alt.Chart(pd.DataFrame(rows), title="% of victims who were repeat victims, by age band")
             .mark_bar(color="#1f4e79")
             .encode(y=alt.Y("band:N", sort=None, title=None), x=alt.X("rate:Q", title="% repeat victims"),
                     tooltip=["band:N", alt.Tooltip("rate:Q", format=".1f")])
             .properties(width=520, height=max(120, 24 * len(rows))))
    return {"repeat_by_age": charts.render_svg(chart)}


def _contents(assessment: Assessment) -> list[tuple[str, str]]:
    return [("victims", "Victims")]


SECTION = ReportSection(key="victims", template="sections/victims.html.j2", contents=_contents,
                        findings=victims_findings, charts=victims_charts)
