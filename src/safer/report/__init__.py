"""The report: the assessment as HTML, and the machine-readable results file."""

from safer.report.html import render_html, write_html
from safer.report.results_file import results_document, write_results

__all__ = ["render_html", "results_document", "write_html", "write_results"]
