"""Compute a strategic assessment: every result the report shows, from the warehouse.

An assessment is a :class:`Meta` and a set of sections. Each section is one module
in this package with a ``compute_<section>(scope)`` function returning a result that
has ``as_dict()``; :data:`SECTIONS` lists them in report order. The analysis
functions they call are pure; the report only formats what this returns.

Example:
    >>> with open_warehouse(cfg.warehouse) as wh:  # doctest: +SKIP
    ...     result = build_assessment(cfg, wh)
    >>> result.section("overview").by_type.total.area.pct_change  # doctest: +SKIP
    9.0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from safer import __version__
from safer.analysis.data_quality import DataQuality, data_quality
from safer.analysis.periods import Period
from safer.assessment.costs import compute_cost_of_crime
from safer.assessment.flagged import compute_flagged
from safer.assessment.outcomes import compute_outcomes
from safer.assessment.locations import compute_concentration, compute_hotspots, compute_vli, compute_wards
from safer.assessment.overview import Overview, compute_overview
from safer.assessment.offenders import compute_offenders
from safer.assessment.victims import compute_victims
from safer.assessment.partnership import compute_asb, compute_partnership
from safer.assessment.temporal import compute_temporal
from safer.assessment.ward_profiles import compute_ward_profiles
from safer.assessment.stop_search import compute_stop_search
from safer.assessment.scope import Scope, resolve_scope
from safer.config import Config
from safer.privacy.disclosure import disclosure_rule, person_level_table_keys
from safer.warehouse.connect import Warehouse

Step = Callable[[str], None]

#: (results key, step description, compute function), in report order.
SECTIONS: list[tuple[str, str, Callable[[Scope], Any]]] = [
    ("overview", "Overview of crime", compute_overview),
    ("outcomes", "Outcomes of crimes", compute_outcomes),
    ("flagged", "Flagged crime and police category tables", compute_flagged),
    ("cost_of_crime", "Cost of crime", compute_cost_of_crime),
    ("stop_search", "Stop and search", compute_stop_search),
    ("concentration", "Where crime concentrates", compute_concentration),
    ("wards", "Crime by ward", compute_wards),
    ("hotspots", "Hotspots", compute_hotspots),
    ("vli", "Vulnerable localities", compute_vli),
    ("ward_profiles", "Priority ward profiles", compute_ward_profiles),
    ("partnership", "Partnership data: the multi-agency picture", compute_partnership),
    ("asb", "Anti-social behaviour from police and council", compute_asb),
    ("temporal", "Times of day and week", compute_temporal),
    ("victims", "Victims: repeat victims across agencies and the MARAC", compute_victims),
    ("offenders", "Offenders: cohorts, IOM and reoffending", compute_offenders),
]


@dataclass(frozen=True)
class Meta:
    partnership: str
    area_codes: tuple[str, ...]
    area_name: str
    force: str
    comparator_name: str
    comparator_lads: tuple[str, ...]
    current: Period
    previous: Period
    separate_forces: tuple[str, ...]
    disclosure_threshold: int
    data_notes: tuple[str, ...]
    generated_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    @property
    def disclosure_rule(self) -> str:
        return disclosure_rule(self.disclosure_threshold)

    def as_dict(self) -> dict[str, object]:
        return {
            "partnership": self.partnership, "area": {"lad_codes": list(self.area_codes), "name": self.area_name},
            "force": self.force,
            "comparator": {"name": self.comparator_name, "lad_codes": list(self.comparator_lads)},
            "current_period": self.current.as_dict(), "previous_period": self.previous.as_dict(),
            "separately_reported_forces": list(self.separate_forces),
            "disclosure": {"threshold": self.disclosure_threshold, "rule": self.disclosure_rule,
                           "person_level_tables": []},
            "data_notes": list(self.data_notes),
            "generated_at": self.generated_at, "safer_version": __version__,
        }


@dataclass(frozen=True)
class Assessment:
    meta: Meta
    sections: dict[str, Any]
    data_quality: DataQuality

    @property
    def overview(self) -> Overview:
        return self.sections["overview"]

    def section(self, key: str) -> Any:
        return self.sections[key]

    def as_dict(self) -> dict[str, object]:
        document = {"meta": self.meta.as_dict(), **{k: v.as_dict() for k, v in self.sections.items()},
                    "data_quality": self.data_quality.as_dict()}
        document["meta"]["disclosure"]["person_level_tables"] = person_level_table_keys(document)
        return document


def assessment_steps() -> list[str]:
    """The progress steps :func:`build_assessment` reports, in order."""
    return ["Choosing the area, comparator and periods", *(title for _, title, _ in SECTIONS), "Data quality"]


def build_assessment(config: Config, warehouse: Warehouse, on_step: Step | None = None) -> Assessment:
    """Run every section of the assessment for ``config`` over ``warehouse``."""
    step = on_step or (lambda _: None)
    steps = iter(assessment_steps())
    step(next(steps))
    scope = resolve_scope(config, warehouse)
    sections = {}
    for key, _, compute in SECTIONS:
        step(next(steps))
        sections[key] = compute(scope)
    step(next(steps))
    quality = data_quality(warehouse.table("ingest_ledger"), warehouse.table("quarantine"), scope.located)
    meta = Meta(
        partnership=config.partnership, area_codes=config.area, area_name=scope.area_name, force=scope.force,
        comparator_name=scope.comparator_name, comparator_lads=scope.comparator_lads, current=scope.current,
        previous=scope.previous, separate_forces=config.separate_forces,
        disclosure_threshold=config.disclosure_threshold, data_notes=config.data_notes,
    )
    return Assessment(meta=meta, sections=sections, data_quality=quality)


__all__ = ["SECTIONS", "Assessment", "Meta", "Scope", "assessment_steps", "build_assessment"]
