"""The victims section: linkage across agencies, repeat victims, and the MARAC indicators.

Every table here is built from person-level data and published only through
:func:`safer.privacy.disclosure.publish_together` (small numbers suppressed, with the totals and
complements that would reveal them). The pseudonymous list of repeat victims, for the agencies
to offer support, is kept on the result for :func:`safer.report.analyst_only.write_analyst_only`
and is never part of ``results.json`` or the report.

Victim datasets are those below that are loaded; a victim dataset missing is a data gap, stated.

Example:
    >>> victims = compute_victims(scope)  # doctest: +SKIP
    >>> victims.repeat.value("all", "repeat_rate")  # doctest: +SKIP
    18.4
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import ibis

from safer.analysis.linkage import INDIRECT, LINK_RULES, LinkageReport
from safer.analysis.marac import INDICATORS, Expectation, MaracIndicators, marac_indicators
from safer.analysis.repeat_victims import AGE_BANDS, RepeatVictim, RepeatVictimisation, repeat_victimisation
from safer.assessment.people import (
    UNKNOWN,
    age_of,
    is_synthetic,
    people_linkage,
    person_level_tables,
    sex_label,
    with_person,
)
from safer.assessment.scope import Scope
from safer.privacy.disclosure import (
    MEASURE,
    RATIO,
    TEXT,
    Column,
    PersonTable,
    PublishedTable,
    Relation,
    Row,
    part_of,
    publish_together,
    sums,
)
from safer.privacy.identifiers import LINK_RULE_NAMES

#: Victim datasets (contract names) and, where only some records are victimisations, which.
VICTIM_DATASETS: dict[str, tuple[str, tuple[str, ...]] | None] = {
    "crime-victims": None,
    "asb-victims": None,
    "hate-crime-victims": None,
    "marac-cases": None,
    "adult-safeguarding": ("Crime or potential crime", ("Yes",)),
    "vawg-referrals": None,
}
DATASET_TITLES = {
    "crime-victims": "Crime victims (police)", "asb-victims": "Anti-social behaviour victims",
    "hate-crime-victims": "Hate crime victims (police)", "marac-cases": "MARAC cases",
    "adult-safeguarding": "Adult safeguarding (crime or potential crime)", "vawg-referrals": "VAWG service referrals",
}
MARAC_REFERENCE = "data/reference/marac_indicators.csv"
FEMALE_POPULATION = "data/reference/female_population_16_plus_2019.csv"


@dataclass(frozen=True)
class Victims:
    """Published victim tables (None when their data is missing), with the gaps stated."""

    datasets: tuple[str, ...]
    data_gaps: tuple[str, ...]
    synthetic: bool
    window_months: int
    benchmark_pct: float
    linkage: PublishedTable | None
    linkage_pairs: PublishedTable | None
    repeat: PublishedTable | None
    marac: PublishedTable | None
    marac_population_note: str
    analyst_list: tuple[RepeatVictim, ...] = ()  # analyst only: never serialised, never in the report

    @property
    def available(self) -> bool:
        return self.repeat is not None or self.marac is not None

    @property
    def dataset_titles(self) -> tuple[str, ...]:
        return tuple(dataset_title(name) for name in self.datasets)

    def as_dict(self) -> dict[str, object]:
        return {
            "available": self.available, "synthetic": self.synthetic, "datasets": list(self.datasets),
            "data_gaps": list(self.data_gaps), "repeat_window_months": self.window_months,
            "repeat_benchmark_pct": self.benchmark_pct,
            "linkage": {"datasets": _table(self.linkage), "pairs": _table(self.linkage_pairs),
                        "rules": [{"rule": r, "name": LINK_RULE_NAMES[r], "priority": i + 1}
                                  for i, r in enumerate(LINK_RULES)]},
            "repeat_victims": _table(self.repeat),
            "marac": _table(self.marac), "marac_population_note": self.marac_population_note,
            "analyst_only_list": "written separately for analysts (analyst-only/repeat-victims.csv); "
                                 "not part of the published assessment",
        }


def dataset_title(name: str) -> str:
    """A dataset's title for the report: the victim titles above, else its contract's title."""
    if name in DATASET_TITLES:
        return DATASET_TITLES[name]
    from safer.privacy.contracts import CONTRACTS

    return CONTRACTS[name].title if name in CONTRACTS else name


def _table(table: PublishedTable | None) -> dict[str, object] | None:
    return table.as_dict() if table is not None else None


def compute_victims(scope: Scope) -> Victims:
    """Linkage, repeat victims and MARAC indicators from the person-level data loaded."""
    config = scope.config
    tables = person_level_tables(scope)
    victim_sets = [name for name in VICTIM_DATASETS if name in tables]
    gaps = [f"{DATASET_TITLES[name]} were not supplied." for name in VICTIM_DATASETS if name not in tables]
    linkage = people_linkage(scope)
    threshold = config.disclosure_threshold
    person_tables: list[PersonTable] = []
    same: list = []
    if linkage is not None:
        person_tables += _linkage_tables(linkage.report)
        for p in (p for p in linkage.report.pairs if p.both):  # a dataset's people appear in both linkage tables
            same += [(("linkage", p.first, "people"), ("linkage_pairs", f"{p.first}|{p.second}", "first_people")),
                     (("linkage", p.second, "people"), ("linkage_pairs", f"{p.first}|{p.second}", "second_people"))]
    repeat = analyst_list = None
    if victim_sets:
        victimisations = ibis.union(*[_victimisations(scope, name) for name in victim_sets])
        repeat = repeat_victimisation(victimisations, scope.current, config.repeat_window_months)
        person_tables.append(_repeat_table(repeat, scope, victim_sets))
        analyst_list = repeat.victims_list
    marac, population_note = None, ""
    if "marac-cases" in tables:
        population, population_note = _adult_female_population(config.area)
        marac = marac_indicators(_marac_cases(scope), scope.current, adult_female_population=population,
                                 expectations=marac_expectations(),
                                 repeat_window_months=config.repeat_window_months)
        person_tables.append(_marac_table(marac))
    else:
        gaps.append("MARAC cases were not supplied, so the SafeLives indicators cannot be shown.")
    published = publish_together(person_tables, threshold, same)
    if len(victim_sets) < 2 and victim_sets:
        gaps.append("Only one victim dataset was supplied, so repeat victims known to several agencies cannot "
                    "be found.")
    used = [tables[name] for name in victim_sets]
    return Victims(
        datasets=tuple(victim_sets), data_gaps=tuple(gaps), synthetic=is_synthetic(used),
        window_months=config.repeat_window_months, benchmark_pct=config.repeat_benchmark_pct,
        linkage=published.get("linkage"), linkage_pairs=published.get("linkage_pairs"),
        repeat=published.get("repeat_victims"), marac=published.get("marac"),
        marac_population_note=population_note, analyst_list=analyst_list or (),
    )


def _victimisations(scope: Scope, dataset: str) -> ibis.Table:
    from safer.privacy.contracts import contract

    c = contract(dataset)
    t = with_person(scope, dataset)
    rule = VICTIM_DATASETS[dataset]
    if rule is not None:
        t = t.filter(t[c.column(rule[0]).field].isin(list(rule[1])))
    when, sex, band, ward = (c.role(r) for r in ("when", "sex", "age_band", "ward"))
    return t.select(
        person_id=t.person_id, dataset=ibis.literal(dataset), event_date=t[when.field].cast("date"),
        age=age_of(t, band.field if band else None, band.allowed if band else ()),
        sex=sex_label(t[sex.field]) if sex else ibis.literal(UNKNOWN),
        ward=t[ward.field].cast("string") if ward else ibis.null("string"),
        source_file=t.source_file, source_line=t.source_line.cast("int64"),
    )


def _marac_cases(scope: Scope) -> ibis.Table:
    from safer.privacy.contracts import contract

    c = contract("marac-cases")
    t = with_person(scope, "marac-cases")

    def col(name: str):
        return t[c.column(name).field]

    band = c.role("age_band")
    return t.select(person_id=t.person_id, referral_date=t[c.role("when").field].cast("date"),
                    referring_agency=col("Referring agency"), repeat_case=col("Repeat case"),
                    sex=t[c.role("sex").field], age_band=t[band.field] if band else ibis.null("string"),
                    age=age_of(t, None, ()), bme=col("BME"), lgbt=col("LGBT"), disability=col("Disability"),
                    children=col("Children in household"))


def marac_expectations() -> dict[str, Expectation]:
    """The SafeLives expected ranges packaged with safer (``data/reference/marac_indicators.csv``)."""
    text = resources.files("safer").joinpath(MARAC_REFERENCE).read_text(encoding="utf-8")
    out = {}
    for row in csv.DictReader(text.splitlines()):
        low, high = row["benchmark_low"].strip(), row["benchmark_high"].strip()
        out[row["indicator"]] = Expectation(indicator=row["indicator"], low=float(low) if low else None,
                                            high=float(high) if high else None, unit=row["unit"],
                                            status=row["status"], source=row["source"])
    return out


def _adult_female_population(area: tuple[str, ...]) -> tuple[int | None, str]:
    text = resources.files("safer").joinpath(FEMALE_POPULATION).read_text(encoding="utf-8")
    rows = {r["lad_code"]: int(r["females_16_plus"])
            for r in csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))}
    if all(code in rows for code in area):
        return sum(rows[code] for code in area), ("Adult women: women and girls aged 16 and over, ONS mid-2019 "
                                                  f"estimates ({sum(rows[c] for c in area):,}).")
    return None, ("Cases per 10,000 adult women are not shown: safer holds adult female population figures for "
                  "London boroughs only.")


def _linkage_tables(report: LinkageReport) -> list[PersonTable]:
    columns = (
        Column("records", "Records"), Column("records_with_token", "Records that can be linked"),
        Column("people", "People"), Column("people_in_other_datasets", "Also in another dataset"),
        Column("share_in_other_datasets", "% also in another dataset", kind=RATIO,
               numerator="people_in_other_datasets", denominator="people"),
        Column("people_with_several_records", "With several records"),
    )
    rows, relations = [], []
    for d in report.datasets:
        rows.append(Row(d.dataset, dataset_title(d.dataset), d.as_dict()))
        relations += [part_of((d.dataset, "records"), (d.dataset, "records_with_token")),
                      part_of((d.dataset, "people"), (d.dataset, "people_in_other_datasets")),
                      part_of((d.dataset, "people"), (d.dataset, "people_with_several_records"))]
    datasets = PersonTable("linkage", "People in each person-level dataset", "Dataset", columns, tuple(rows),
                           tuple(relations),
                           note="Records that can be linked carry at least one person token (an agency person "
                                "reference, PNC identifier, NHS number, or a name with a date of birth); every other "
                                "record counts as a person of its own.")
    rule_columns = tuple(Column(f"rule_{r}", LINK_RULE_NAMES.get(r, "through another dataset"))
                         for r in (*report.rules, INDIRECT))
    pair_columns = (
        Column("first_people", "People in the first"), Column("second_people", "People in the second"),
        Column("both", "In both"),
        Column("first_rate", "% of the first in the second", kind=RATIO, numerator="both", denominator="first_people"),
        Column("second_rate", "% of the second in the first", kind=RATIO, numerator="both",
               denominator="second_people"),
        *rule_columns,
    )
    pair_rows, pair_relations = [], []
    for p in report.pairs:
        if p.both == 0:  # pairs with nobody in common are left out, as the note says
            continue
        key = f"{p.first}|{p.second}"
        values = {"first_people": p.first_people, "second_people": p.second_people, "both": p.both,
                  **{f"rule_{r}": n for r, n in p.by_rule.items()}}
        pair_rows.append(Row(key, f"{dataset_title(p.first)} and {dataset_title(p.second)}", values))
        pair_relations += [part_of((key, "first_people"), (key, "both")),
                           part_of((key, "second_people"), (key, "both")),
                           Relation(tuple(((key, c.key), 1) for c in rule_columns) + (((key, "both"), -1),))]
    pairs = PersonTable("linkage_pairs", "People found in two datasets, and the rule that linked them",
                        "Datasets", pair_columns, tuple(pair_rows), tuple(pair_relations),
                        note="Only pairs of datasets with people in common are listed. Match rule: the first token "
                             "type, in priority order, that a record of each dataset shares; 'through another "
                             "dataset' when they are linked only through a third.")
    return [datasets, pairs]


_REPEAT_COLUMNS = (
    Column("victims", "Victims"), Column("repeat_victims", "Repeat victims"),
    Column("repeat_rate", "% repeat victims", kind=RATIO, numerator="repeat_victims", denominator="victims"),
    Column("repeat_within", "Repeat victims within this dataset alone"),
    Column("victimisations", "Victimisations"),
    Column("of_repeat", "Victimisations of repeat victims"),
    Column("share_of_repeat", "% of victimisations suffered by repeat victims", kind=RATIO, numerator="of_repeat",
           denominator="victimisations"),
)


def _repeat_table(result: RepeatVictimisation, scope: Scope, datasets: list[str]) -> PersonTable:
    o = result.overall
    rows = [Row("all", "All victim datasets", {
        "victims": o.victims, "repeat_victims": o.repeat_victims,
        "repeat_within": o.repeat_victims - result.repeat_only_when_combined,
        "victimisations": o.victimisations, "of_repeat": o.victimisations_of_repeat_victims}, group="All")]
    relations: list[Relation] = [part_of(("all", "victims"), ("all", "repeat_victims")),
                                 part_of(("all", "repeat_victims"), ("all", "repeat_within")),
                                 part_of(("all", "victimisations"), ("all", "of_repeat"))]
    dataset_keys = []
    for name in datasets:
        counts = result.by_dataset.get(name)
        within = result.within_dataset.get(name)
        key = f"dataset:{name}"
        dataset_keys.append(key)
        rows.append(Row(key, dataset_title(name), {
            "victims": counts.victims if counts else 0, "repeat_victims": counts.repeat_victims if counts else 0,
            "repeat_within": within.repeat_victims if within else 0,
            "victimisations": counts.victimisations if counts else 0,
            "of_repeat": counts.victimisations_of_repeat_victims if counts else 0}, group="Dataset"))
        relations += [part_of((key, "victims"), (key, "repeat_victims")),
                      part_of((key, "repeat_victims"), (key, "repeat_within")),
                      part_of((key, "victimisations"), (key, "of_repeat"))]
    # people known to several datasets: the datasets' victims add up to more than all victims
    relations.append(Relation(tuple(((k, "victims"), 1) for k in dataset_keys) + ((("all", "victims"), -1),),
                              exact=False))
    groups = (("Age band", "age", [label for label, _, _ in AGE_BANDS] + [UNKNOWN], result.by_age),
              ("Sex", "sex", ["Female", "Male", UNKNOWN], result.by_sex),
              ("Ward", "ward", *_wards(scope, result)))
    for group, prefix, keys, counted in groups:
        labels = keys if isinstance(keys, dict) else {k: k for k in keys}
        part_keys = []
        for value, label in labels.items():
            c = counted.get(value)
            key = f"{prefix}:{value}"
            part_keys.append(key)
            rows.append(Row(key, label, {"victims": c.victims if c else 0,
                                         "repeat_victims": c.repeat_victims if c else 0,
                                         "victimisations": c.victimisations if c else 0,
                                         "of_repeat": c.victimisations_of_repeat_victims if c else 0}, group=group))
            relations += [part_of((key, "victims"), (key, "repeat_victims")),
                          part_of((key, "victimisations"), (key, "of_repeat"))]
        relations += list(sums("all", part_keys, ("victims", "repeat_victims", "victimisations", "of_repeat")))
    period = scope.current.label
    return PersonTable(
        "repeat_victims", f"Repeat victims, {period}", "Victims", _REPEAT_COLUMNS, tuple(rows), tuple(relations),
        note=(f"A repeat victim was victimised again within {result.window_months} months (any agency). A person's "
              "records on one day count as one victimisation. Age, sex and ward are those of the person's first "
              "victimisation in the period."))


def _wards(scope: Scope, result: RepeatVictimisation) -> tuple[dict[str, str], dict]:
    geo = scope.geography
    wards = (geo.filter(geo.lad_code.isin(list(scope.config.area))).select("ward_code", "ward_name").distinct()
             .order_by("ward_name").execute())
    labels = dict(zip(wards["ward_code"], wards["ward_name"]))
    outside = {code for code in result.by_ward if code not in labels and code != UNKNOWN}
    counted = dict(result.by_ward)
    if outside:
        merged = [counted.pop(code) for code in outside]
        from safer.analysis.repeat_victims import RepeatCounts

        counted["outside"] = RepeatCounts(*(sum(getattr(m, f) for m in merged) for f in (
            "victims", "repeat_victims", "victimisations", "victimisations_of_repeat_victims")))
    labels["outside"] = f"Outside {scope.area_name}"
    labels[UNKNOWN] = UNKNOWN
    return labels, counted


_MARAC_COLUMNS = (
    Column("count", "Number"),
    Column("value", "Rate", kind=MEASURE, based_on=("count",)),
    Column("unit", "Rate is", kind=TEXT),
    Column("expected", "Expected (SafeLives)", kind=TEXT),
    Column("assessment", "Against expectation", kind=TEXT, based_on=("count",)),
)


def _marac_table(result: MaracIndicators) -> PersonTable:
    rows, relations = [], []
    for indicator in result.indicators:
        expectation = indicator.expectation
        expected = expectation.label if expectation else None
        if expectation is not None and expected and expectation.status != "verified":
            expected += " (unverified)"
        rows.append(Row(indicator.key, indicator.label, {
            "count": indicator.count, "value": indicator.value, "unit": indicator.unit or None,
            "expected": expected, "assessment": indicator.assessment}))
        if indicator.key not in ("cases", "children"):
            relations.append(part_of(("cases", "count"), (indicator.key, "count")))
    return PersonTable("marac", f"MARAC indicators, {result.period.label}", "Indicator", _MARAC_COLUMNS,
                       tuple(rows), tuple(relations),
                       note="Expected ranges: SafeLives, as packaged in marac_indicators.csv; those marked unverified "
                            "are commonly quoted figures that could not be checked against a SafeLives source.")


__all__ = ["DATASET_TITLES", "INDICATORS", "VICTIM_DATASETS", "Victims", "compute_victims", "dataset_title",
           "marac_expectations"]
