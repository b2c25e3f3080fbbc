"""Priority ward profiles in the report: one page per ward named in ``partnership.priority_wards``.

Example:
    >>> ward_profile_findings(assessment)[0]  # doctest: +SKIP
    "Church Street (priority ward): 1,079 crimes in July 2017 to June 2018, up 6.8%; 10th of 20 wards ..."
"""

from __future__ import annotations

from safer.assessment import Assessment
from safer.report import maps
from safer.report.formatting import count, pct
from safer.report.sections.base import ReportSection


def ward_profile_findings(assessment: Assessment) -> list[str]:
    section = assessment.section("ward_profiles")
    period = assessment.meta.current.label
    sentences = []
    for p in section.profiles:
        total = p.crime.total
        moved = "no previous figure" if total.pct_change is None else (
            f"{'up' if total.pct_change > 0 else 'down'} {abs(total.pct_change):.1f}%" if total.pct_change else
            "unchanged")
        text = (f"{p.name} (priority ward): {count(total.current)} crimes in {period}, {moved}; "
                f"{_ordinal(p.crime.rank_in_area)} of {p.wards_in_area} wards, with {pct(p.crime.share_of_area)} of "
                f"{assessment.meta.area_name}'s crime")
        if p.top_lsoa is not None:
            text += f"; {pct(p.top_lsoa.share)} of its crime was in {p.top_lsoa.name} ({p.top_lsoa.code})"
        if p.vli is not None:
            text += f"; Vulnerable Localities Index {p.vli.latest.score:.1f}"
        sentences.append(text + ".")
    return sentences


def ward_profile_charts(assessment: Assessment) -> dict[str, str]:
    section = assessment.section("ward_profiles")
    geometry = section.geometry
    if not section.profiles or geometry is None or geometry.wards is None:
        return {}
    chosen = {p.code: "priority ward" for p in section.profiles}
    categories = {code: chosen.get(code, "other ward") for code in geometry.wards.frame["code"]}
    return {"map": maps.category_map(geometry.wards.frame, categories,
                                     {"priority ward": "#e67e22", "other ward": "#eef1f4"},
                                     wards=geometry.wards.frame, title="Priority wards",
                                     legend_title="Wards", counts_in_legend=False)}


def _ordinal(rank: int) -> str:
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def _contents(assessment: Assessment) -> list[tuple[str, str]]:
    section = assessment.section("ward_profiles")
    return [("ward-profiles", "Priority ward profiles")] + [
        (f"ward-{p.code}", f"{p.name} ward profile") for p in section.profiles]


SECTION = ReportSection(key="ward_profiles", template="sections/ward_profiles.html.j2", contents=_contents,
                        findings=ward_profile_findings, charts=ward_profile_charts)
