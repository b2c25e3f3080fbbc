"""The report's sections, in the order they appear."""

from safer.report.sections import costs, flagged, outcomes, overview, stop_search
from safer.report.sections.base import ReportSection
from safer.report.sections import locations, ward_profiles  # noqa: E402  (Locations chapter)

REPORT_SECTIONS: list[ReportSection] = [overview.SECTION, outcomes.SECTION, flagged.SECTION, costs.SECTION,
                                        stop_search.SECTION]
REPORT_SECTIONS += [*locations.SECTIONS, ward_profiles.SECTION]
from safer.report.sections import asb_sources, partnership, temporal  # noqa: E402  (partner data)
REPORT_SECTIONS += [partnership.SECTION, asb_sources.SECTION, temporal.SECTION]
from safer.report.sections import offenders, victims  # noqa: E402  (people: victims and offenders)
REPORT_SECTIONS += [victims.SECTION, offenders.SECTION]

__all__ = ["REPORT_SECTIONS", "ReportSection"]
