"""Write the assessment as one self-contained HTML file (charts inline, no network needed).

Example:
    >>> write_html(assessment, Path("out/assessment.html"))  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from safer import __version__
from safer.assessment import Assessment
from safer.report import charts, formatting
from safer.report.findings import overview_findings


def render_html(assessment: Assessment) -> str:
    """The assessment as an HTML document."""
    env = Environment(loader=PackageLoader("safer", "report/templates"), autoescape=select_autoescape(),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(count=formatting.count, decimal=formatting.decimal, pct=formatting.pct,
                       signed=formatting.signed, signed_pct=formatting.signed_pct)
    overview = assessment.overview
    rendered_charts = {
        "crime_trend": charts.trend_chart(overview.crime_trend, title="Police recorded crime per day",
                                          y_title="Crimes per day"),
        "asb_trend": charts.trend_chart(overview.asb_trend, title="Anti-social behaviour per day",
                                        y_title="Incidents per day"),
        "by_type_change": charts.change_chart([r.crime_type for r in overview.by_type.rows],
                                              [r.area.pct_change for r in overview.by_type.rows],
                                              title=f"% change by crime type, {assessment.meta.area_name}"),
    }
    return env.get_template("assessment.html.j2").render(
        meta=assessment.meta, overview=overview, data_quality=assessment.data_quality,
        findings=overview_findings(assessment), charts=rendered_charts, version=__version__,
        disclosure_rule=assessment.meta.as_dict()["disclosure"]["rule"],
    )


def write_html(assessment: Assessment, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(assessment), encoding="utf-8")
    return path
