"""Write ``results.json``: every number the assessment shows, under stable keys (see docs/results.md).

Example:
    >>> write_results(assessment, Path("out/results.json"))  # doctest: +SKIP
"""

from __future__ import annotations

import json
from pathlib import Path

from safer.assessment import Assessment
from safer.report.html import report_findings


def results_document(assessment: Assessment) -> dict[str, object]:
    """The results as plain JSON-ready data, with the generated findings."""
    document = assessment.as_dict()
    document["findings"] = report_findings(assessment)
    return document


def write_results(assessment: Assessment, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results_document(assessment), indent=2, ensure_ascii=False), encoding="utf-8")
    return path
