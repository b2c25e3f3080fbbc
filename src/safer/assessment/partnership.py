"""The multi-agency picture and anti-social behaviour from every source, from the partner datasets loaded.

For every dataset contract this section records whether it was supplied (the data appendix lists
them all, like the 2018 assessment's Appendix 1) and, for each incident or aggregate dataset
supplied, the area's volume and change against the comparator, the breakdown by category, the top
wards and LSOAs and their share, and the age and sex profile against the comparator; the area's
wards are then set side by side across datasets. Records written by ``safer synth`` are flagged
synthetic wherever they appear.

Person-level datasets (MARAC, IOM, YOS ...) hold fields that identify people; they load only
pseudonymised, and are listed here (supplied or not) but analysed in the sections built for them,
under disclosure control.

Example:
    >>> picture = compute_partnership(scope)  # doctest: +SKIP
    >>> picture.dataset("las-assaults").wards.top_share  # doctest: +SKIP
    48.0
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis

from safer.analysis.asb import AsbSources, asb_sources
from safer.analysis.multi_agency import (UNPLACED, CategoryChange, Concentration, DemographicProfile, Rate, Snapshot,
                                         Volume, WardTable, area_place_counts, category_changes, demographic_profile,
                                         in_area, partner_counts, place_records, rates, snapshots, top_places, volume,
                                         ward_table)
from safer.analysis.periods import Period
from safer.analysis.selection import asb_only
from safer.assessment.scope import Scope
from safer.sources.policeuk import ASB
from safer.sources.contracts import CONTRACTS, Contract

TOP_WARDS = 5
TOP_LSOAS = 4  # the 2018 assessment quotes the four LSOAs holding most of each dataset
#: Names of the national areas reoffending and similar tables are published for.
NATIONAL_AREAS = {"E92000001": "England", "W92000004": "Wales", "K04000001": "England and Wales",
                  "K03000001": "Great Britain", "K02000001": "United Kingdom"}


@dataclass(frozen=True)
class CatalogueEntry:
    """One dataset contract and whether the warehouse holds its data (a row of the data appendix)."""

    name: str
    title: str
    agency: str
    level: str
    records: int
    synthetic: bool
    identifying: tuple[str, ...]
    caveats: str

    @property
    def supplied(self) -> bool:
        return self.records > 0

    @property
    def status(self) -> str:
        if self.supplied:
            status = "supplied, pseudonymised" if self.identifying else "supplied"
            return f"{status} (synthetic)" if self.synthetic else status
        if self.identifying:
            return "not supplied: person-level data, loaded only pseudonymised"
        return "not supplied"

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "title": self.title, "agency": self.agency, "level": self.level,
                "supplied": self.supplied, "status": self.status, "records": self.records,
                "synthetic": self.synthetic, "identifying_fields": list(self.identifying), "caveats": self.caveats}


@dataclass(frozen=True)
class DatasetPicture:
    """One supplied incident or aggregate dataset, for the area and its comparator."""

    name: str
    title: str
    agency: str
    level: str
    aggregation: str
    synthetic: bool
    records: int  # every record loaded, wherever and whenever
    unplaced: int  # records no LSOA, ward or area code places
    volume: Volume | None  # None for aggregate tables whose rows must not be added up
    categories: tuple[CategoryChange | Snapshot, ...]
    category_label: str | None
    wards: Concentration | None
    lsoas: Concentration | None
    demographics: tuple[DemographicProfile, ...]
    rates: tuple[Rate, ...] = ()
    rate_areas: tuple[tuple[str, str], ...] = ()  # (code, name) of the areas rates are compared with

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name, "title": self.title, "agency": self.agency, "level": self.level,
            "aggregation": self.aggregation, "synthetic": self.synthetic, "records_loaded": self.records,
            "records_unplaced": self.unplaced, "volume": self.volume.as_dict() if self.volume else None,
            "category_label": self.category_label, "categories": [c.as_dict() for c in self.categories],
            "top_wards": self.wards.as_dict() if self.wards else None,
            "top_lsoas": self.lsoas.as_dict() if self.lsoas else None,
            "demographics": {d.attribute: d.as_dict() for d in self.demographics},
            "rates": [r.as_dict() for r in self.rates],
            "rate_areas": [{"code": code, "name": name} for code, name in self.rate_areas],
        }


@dataclass(frozen=True)
class Partnership:
    datasets: tuple[DatasetPicture, ...]
    catalogue: tuple[CatalogueEntry, ...]
    ward_table: WardTable | None
    ward_table_titles: tuple[str, ...]

    def dataset(self, name: str) -> DatasetPicture:
        for d in self.datasets:
            if d.name == name:
                return d
        raise KeyError(name)

    def has(self, name: str) -> bool:
        return any(d.name == name for d in self.datasets)

    @property
    def synthetic_datasets(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.catalogue if e.supplied and e.synthetic)

    def as_dict(self) -> dict[str, object]:
        return {
            "datasets": {d.name: d.as_dict() for d in self.datasets},
            "supplied": [e.name for e in self.catalogue if e.supplied],
            "not_supplied": [e.name for e in self.catalogue if not e.supplied],
            "synthetic_datasets": list(self.synthetic_datasets),
            "catalogue": [e.as_dict() for e in self.catalogue],
            "ward_table": self.ward_table.as_dict() if self.ward_table else None,
        }


def compute_partnership(scope: Scope) -> Partnership:
    """The catalogue of every contract and the picture of each supplied incident or aggregate dataset."""
    wards = _area_wards(scope)
    lsoas = _area_lsoas(scope)
    catalogue, pictures, ward_counts = [], [], {}
    for contract in CONTRACTS.values():
        table = scope.warehouse.table(contract.table)
        records, synthetic = _records(table)
        catalogue.append(CatalogueEntry(contract.name, contract.title, contract.agency, contract.level, records,
                                        synthetic, contract.identifying, contract.caveats))
        if records == 0 or not contract.loadable:
            continue
        placed = place(scope, contract, table)
        picture, places = _picture(scope, contract, placed, records, synthetic, len(wards), lsoas)
        pictures.append(picture)
        if places is not None:
            ward_counts[contract.name] = places
    table = ward_table(ward_counts, wards) if ward_counts else None
    titles = tuple(CONTRACTS[name].title for name in ward_counts)
    return Partnership(tuple(pictures), tuple(catalogue), table, titles)


def place(scope: Scope, contract: Contract, table: ibis.Table) -> ibis.Table:
    """The dataset's records with their LSOA, ward and local authority (see ``place_records``)."""
    fields = {role: (contract.role(role).field if contract.role(role) else None) for role in ("lsoa", "ward", "area")}
    return place_records(table, scope.geography, **fields)


def _records(table: ibis.Table) -> tuple[int, bool]:
    counted = table.aggregate(n=table.count(), synthetic=table.synthetic.cast("int64").sum()).execute().iloc[0]
    n = int(counted["n"])
    return n, n > 0 and int(counted["synthetic"] or 0) > 0


def _picture(scope: Scope, contract: Contract, placed: ibis.Table, records: int, synthetic: bool, wards_in_area: int,
             lsoas_in_area: int) -> tuple[DatasetPicture, object]:
    """One dataset's picture, and its area counts by ward for the side-by-side table (None if not by ward)."""
    current, previous = scope.current, scope.previous
    count, category = contract.role("count"), contract.role("category")
    weight = count.field if count is not None else None
    people = [contract.role(r) for r in ("age_band", "sex") if contract.role(r) is not None
              and contract.level == "incident"]
    columns = [c.field for c in ([category] if category is not None else []) + people]
    counts = partner_counts(placed, scope.config.area, scope.comparator_lads, current, previous, columns=columns,
                            weight=weight if contract.aggregation == "sum" else None)
    unplaced = int(counts[counts["where"] == UNPLACED]["records"].sum())
    volume_result, categories, rate_rows, rate_areas = None, (), (), ()
    if contract.aggregation == "snapshot" and category is not None and weight:
        categories = snapshots(in_area(placed, scope.config.area), in_area(placed, scope.comparator_lads),
                               category.field, weight, current)
    elif contract.aggregation == "rate":
        rate_rows, rate_areas = _rates(scope, contract, placed)
    else:
        if not (contract.level == "aggregate" and category is not None):  # overlapping categories: no total
            volume_result = volume(counts)
        if category is not None:
            categories = category_changes(counts, category.field)
    wards = lsoas = places = None
    if contract.level == "incident":
        has_lsoa = contract.role("lsoa") is not None
        places = area_place_counts(placed, scope.config.area, current, lsoa=has_lsoa)
        wards = top_places(places, "ward", TOP_WARDS, places_in_area=wards_in_area)
        if has_lsoa:
            lsoas = top_places(places, "lsoa", TOP_LSOAS, places_in_area=lsoas_in_area)
    demographics = tuple(demographic_profile(counts, c.field, order=c.allowed) for c in people)
    picture = DatasetPicture(
        name=contract.name, title=contract.title, agency=contract.agency, level=contract.level,
        aggregation=contract.aggregation, synthetic=synthetic, records=records, unplaced=unplaced,
        volume=volume_result, categories=tuple(categories), category_label=category.name if category else None,
        wards=wards, lsoas=lsoas, demographics=demographics, rates=tuple(rate_rows), rate_areas=tuple(rate_areas))
    return picture, places


def _rates(scope: Scope, contract: Contract, placed: ibis.Table
           ) -> tuple[tuple[Rate, ...], tuple[tuple[str, str], ...]]:
    area_field = contract.role("area").field
    codes = placed.select(code=placed[area_field]).distinct().execute()["code"]
    geography = scope.geography
    regions = geography.filter(geography.lad_code.isin(list(scope.config.area))).select(
        "region_code", "region_name").distinct().execute()
    names = {**dict(zip(regions["region_code"], regions["region_name"])), **NATIONAL_AREAS}
    others = tuple((code, names[code]) for code in sorted(codes, key=str) if code in names)
    category = contract.role("category").field
    return (rates(placed, category, contract.role("numerator").field, contract.role("count").field,
                  scope.config.area, [code for code, _ in others], area_field), others)


def _area_wards(scope: Scope) -> list[tuple[str, str]]:
    geography = scope.geography
    wards = (geography.filter(geography.lad_code.isin(list(scope.config.area)))
             .select("ward_code", "ward_name").distinct().order_by("ward_name").execute())
    return list(zip(wards["ward_code"], wards["ward_name"]))


def _area_lsoas(scope: Scope) -> int:
    geography = scope.geography
    return int(geography.filter(geography.lad_code.isin(list(scope.config.area))).count().execute())


def compute_asb(scope: Scope) -> AsbSources:
    """Police-recorded ASB (police.uk) and council ASB reports (the council-asb contract), side by side."""
    council_table = scope.warehouse.table(CONTRACTS["council-asb"].table)
    council, synthetic = None, False
    records, synthetic = _records(council_table)
    if records:
        placed = place(scope, CONTRACTS["council-asb"], council_table)
        council = (in_area(placed, scope.config.area), in_area(placed, scope.comparator_lads))
    span = Period(min(scope.first_month, scope.previous.first), scope.current.last)
    # police ASB is compared only where the loaded data covers the comparator (see the overview's coverage rule)
    police_comparator = asb_only(scope.comparator) if ASB in scope.covered_types else None
    return asb_sources({"police": (asb_only(scope.area), police_comparator), "council": council}, span,
                       scope.current, scope.previous, synthetic={"council": synthetic})
