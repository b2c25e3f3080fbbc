"""Write the assessment as one self-contained HTML file (charts inline, no network needed).

Example:
    >>> write_html(assessment, Path("out/assessment.html"))  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from safer import __version__
from safer.assessment import Assessment
from safer.report import formatting
from safer.report.sections import REPORT_SECTIONS


def report_findings(assessment: Assessment) -> dict[str, list[str]]:
    """Each present section's key sentences, by section key."""
    return {s.key: s.findings(assessment) for s in REPORT_SECTIONS if s.key in assessment.sections}


def render_html(assessment: Assessment) -> str:
    """The assessment as an HTML document."""
    env = Environment(loader=PackageLoader("safer", "report/templates"), autoescape=select_autoescape(),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(count=formatting.count, decimal=formatting.decimal, pct=formatting.pct,
                       signed=formatting.signed, signed_pct=formatting.signed_pct)
    sections = [s for s in REPORT_SECTIONS if s.key in assessment.sections]
    findings = report_findings(assessment)
    return env.get_template("assessment.html.j2").render(
        assessment=assessment, meta=assessment.meta, data_quality=assessment.data_quality,
        sections=sections, contents=[entry for s in sections for entry in s.contents(assessment)],
        findings=[sentence for s in sections for sentence in findings[s.key]],
        section_charts={s.key: s.charts(assessment) for s in sections},
        coverage=assessment.overview.coverage if "overview" in assessment.sections else (),
        version=__version__, disclosure_rule=assessment.meta.disclosure_rule,
    )


def write_html(assessment: Assessment, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(assessment), encoding="utf-8")
    write_section_files(assessment, path.parent)
    return path


def write_section_files(assessment: Assessment, folder: Path) -> list[Path]:
    """Write the extra files sections provide (e.g. GeoJSON of hotspots) into ``folder``."""
    written = []
    for section in REPORT_SECTIONS:
        if section.key not in assessment.sections:
            continue
        for name, text in section.files(assessment).items():
            target = folder / name
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written
