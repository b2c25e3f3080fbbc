"""The report's sections, in the order they appear."""

from safer.report.sections import overview
from safer.report.sections.base import ReportSection

REPORT_SECTIONS: list[ReportSection] = [overview.SECTION]

__all__ = ["REPORT_SECTIONS", "ReportSection"]
