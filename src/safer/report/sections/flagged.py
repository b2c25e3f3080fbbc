"""The flagged crime section: the police category table and the hate crime, domestic abuse, knife and gun
crime tables, when a category table was loaded.

Example:
    >>> flagged_findings(assessment)  # doctest: +SKIP
    ['Hate crime in Westminster increased by 17% (1,468 to 1,720) ...']
"""

from __future__ import annotations

from safer.assessment import Assessment
from safer.report import charts
from safer.report.formatting import count, pct
from safer.report.sections.base import ReportSection


def flagged_findings(assessment: Assessment) -> list[str]:
    section = assessment.section("flagged")
    if not section.available:
        return []
    meta = assessment.meta
    sentences = []
    if section.category_table is not None:
        total = section.category_table.total.area
        sentences.append(f"The police category table records {count(total.current)} offences in {meta.area_name} "
                         f"in {meta.current.label}; the total {_moved(total)} on the year before "
                         f"({count(total.previous)}).")
    for row in (*section.hate_crime[:1], *section.other_flags):
        sentences.append(f"{row.flag} in {meta.area_name} {_moved(row.area)}: "
                         f"{count(row.area.previous)} to {count(row.area.current)}"
                         + (f"; across the {meta.comparator_name} it {_moved(row.comparator)}"
                            if row.comparator is not None else "") + ".")
    share = section.hate_share_of_crime
    if share is not None:
        sentences.append(f"{pct(share, 0)} of all crime in {meta.area_name} was hate crime. Hate crime strands "
                         "overlap (one crime can have several), so they are never added together.")
    return sentences


def _moved(change) -> str:
    if change.pct_change is None:
        return "has no previous figure to compare with"
    if not change.significant:
        return f"was broadly unchanged ({'+' if change.change > 0 else '−' if change.change < 0 else ''}" \
               f"{abs(change.pct_change):.0f}%, not a significant change)"
    return f"{'increased' if change.change > 0 else 'decreased'} by {abs(change.pct_change):.0f}%"


def flagged_charts(assessment: Assessment) -> dict[str, str]:
    section = assessment.section("flagged")
    rows = [*section.hate_crime, *section.other_flags]
    if not rows:
        return {}
    return {"flags": charts.change_chart([r.flag for r in rows], [r.area.pct_change for r in rows],
                                         title=f"% change in flagged crime, {assessment.meta.area_name}")}


def _contents(assessment: Assessment) -> list[tuple[str, str]]:
    return [("flagged", "Flagged crime and the police category table")]


SECTION = ReportSection(key="flagged", template="sections/flagged.html.j2", contents=_contents,
                        findings=flagged_findings, charts=flagged_charts)
