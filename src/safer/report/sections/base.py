"""What a report section provides: its template, contents entries, findings and charts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReportSection:
    """One section of the assessment report.

    ``key`` is the assessment section it renders; ``contents`` gives its (anchor, title)
    entries for the table of contents; ``findings`` its key sentences; ``charts`` its
    charts as inline SVG, by name; ``files`` any extra files (e.g. GeoJSON) written beside
    the report, as {file name: text}; by default none.
    """

    key: str
    template: str
    contents: Callable[[Any], list[tuple[str, str]]]
    findings: Callable[[Any], list[str]]
    charts: Callable[[Any], dict[str, str]]
    files: Callable[[Any], dict[str, str]] = lambda assessment: {}
