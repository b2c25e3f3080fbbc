"""The offenders section: cohort profiles and overlaps, IOM before/during/after, RAG mix, reoffending.

Cohorts are the person-level cohort datasets loaded (YOS caseload, Integrated Gangs Unit, IOM),
linked to each other and to their offences through :func:`safer.assessment.people.people_linkage`.
Every table from them is published through :func:`safer.privacy.disclosure.publish_together`.
The Ministry of Justice's published reoffending figures (the ``reoffending-rates`` contract) are
aggregate statistics and are shown in full, for comparison.

Example:
    >>> offenders = compute_offenders(scope)  # doctest: +SKIP
    >>> offenders.profile.value("also:IGU", "p:YOS")  # doctest: +SKIP
    47.3
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources

import ibis

from safer.analysis.cohorts import COHORT_AGE_BANDS, CohortProfiles, cohort_profiles
from safer.analysis.iom import IomImpact, iom_before_during_after, rag_mix
from safer.analysis.reoffending import MOJ_AGE_BANDS, Reoffending, proven_reoffending
from safer.assessment.people import (
    UNKNOWN,
    age_of,
    is_synthetic,
    person_level_tables,
    sex_label,
    table_with_rows,
    with_person,
)
from safer.assessment.scope import Scope
from safer.privacy.disclosure import (
    MEASURE,
    PUBLISHED,
    RATIO,
    Column,
    PersonTable,
    PublishedTable,
    Relation,
    Row,
    equal,
    part_of,
    publish_together,
    sums,
)

UNIT_COSTS = "data/reference/unit_costs_of_crime_2018.csv"
#: The offences contracts' column giving the date an offence was proven (conviction or caution).
DISPOSAL_DATE = "Disposal date"
#: Offence categories of the offences contracts that match one Home Office unit cost crime type.
#: Burglary (domestic or commercial), other theft, vehicle offences, drugs, public order and "other" match
#: none, so such offences are costed only when the agency gives an estimated cost.
UNIT_COST_OF_CATEGORY = {
    "violence with injury": "Violence with injury", "violence without injury": "Violence without injury",
    "robbery": "Robbery", "theft from the person": "Theft from person", "shoplifting": "Commercial theft",
    "criminal damage": "Criminal damage - other",
}


@dataclass(frozen=True)
class CohortSource:
    """A cohort dataset: its contract, the columns the contract's roles do not name, and its offences."""

    name: str
    dataset: str
    end: str | None = None  # the column ending a spell; without one a spell is the day the person was taken on
    ethnicity: str | None = None
    rag: str | None = None
    offences: str | None = None  # the contract of the cohort's offences, for reoffending
    published_group: str = "All"  # the MoJ group a local cohort compares with


COHORTS: tuple[CohortSource, ...] = (
    CohortSource("YOS", "yos-caseload", end="End date", ethnicity="Ethnicity", offences="yos-offences",
                 published_group="Juvenile"),
    CohortSource("IGU", "igu-cohort"),
    CohortSource("IOM", "iom-cohort", end="Date left", ethnicity="Ethnic appearance", rag="RAG status",
                 offences="iom-offences", published_group="Adult"),
)
AREA_NAMES = {"E92000001": "England", "K04000001": "England and Wales", "W92000004": "Wales",
              "E12000007": "London"}


@dataclass(frozen=True)
class Offenders:
    cohorts: tuple[str, ...]
    data_gaps: tuple[str, ...]
    synthetic: bool
    profile: PublishedTable | None
    iom: PublishedTable | None
    iom_change: PublishedTable | None
    iom_details: dict[str, object]
    rag: PublishedTable | None
    rag_date: str
    reoffending: PublishedTable | None
    reoffending_cohorts: dict[str, dict[str, object]]
    published_reoffending: PublishedTable | None
    published_cohort_end: str | None

    @property
    def available(self) -> bool:
        return any(t is not None for t in (self.profile, self.iom, self.rag, self.reoffending,
                                           self.published_reoffending))

    def as_dict(self) -> dict[str, object]:
        return {"available": self.available, "synthetic": self.synthetic, "cohorts": list(self.cohorts),
                "data_gaps": list(self.data_gaps), "cohort_profile": _table(self.profile),
                "iom": {"windows": _table(self.iom), "change": _table(self.iom_change), **self.iom_details},
                "rag": {"on": self.rag_date, "table": _table(self.rag)},
                "reoffending": {"local": _table(self.reoffending), "cohorts": self.reoffending_cohorts,
                                "published": _table(self.published_reoffending),
                                "published_cohort_end": self.published_cohort_end}}


def _table(table: PublishedTable | None) -> dict[str, object] | None:
    return table.as_dict() if table is not None else None


def compute_offenders(scope: Scope) -> Offenders:
    """Every offender table from the cohort and offences datasets loaded."""
    tables = person_level_tables(scope)
    present = [c for c in COHORTS if c.dataset in tables]
    gaps = [f"The {c.name} cohort ({c.dataset}) was not supplied." for c in COHORTS if c.dataset not in tables]
    threshold = scope.config.disclosure_threshold
    person_tables, same = [], []
    profile = iom = None
    if present:
        spells = ibis.union(*[_spells(scope, c) for c in present])
        profile = cohort_profiles(spells, scope.current, [c.name for c in present])
        person_tables.append(_profile_table(profile, scope))
    iom_source = next((c for c in present if c.name == "IOM"), None)
    on = scope.current.end_exclusive - timedelta(days=1)
    iom_details: dict[str, object] = {}
    if iom_source is not None and "iom-offences" in tables:
        iom = iom_before_during_after(_spells(scope, iom_source), _offences(scope, "iom-offences"), scope.current)
        person_tables += _iom_tables(iom)
        same += [(("iom", "before", "members"), ("iom_change", "all", "members"))]
        iom_details = {"left_from": iom.left_from.isoformat(), "left_to": iom.left_to.isoformat(),
                       "window_months": iom.window_months, "custody_known": iom.custody_known}
    elif iom_source is not None:
        gaps.append("IOM offences (iom-offences) were not supplied, so offending before, during and after time on "
                    "the cohort cannot be compared.")
    if iom_source is not None:
        person_tables.append(_rag_table(rag_mix(_spells(scope, iom_source, with_rag=True), on)))
    reoffending, cohorts_meta = _reoffending(scope, present, tables, gaps)
    if reoffending is not None:
        person_tables.append(reoffending)
    published_table, cohort_end = _published_reoffending(scope, tables, gaps)
    if published_table is not None:
        person_tables.append(published_table)
    published = publish_together(person_tables, threshold, same)
    used = [tables[c.dataset] for c in present] + [tables[c.offences] for c in present if c.offences in tables]
    return Offenders(
        cohorts=tuple(c.name for c in present), data_gaps=tuple(gaps), synthetic=is_synthetic(used),
        profile=published.get("cohort_profile"), iom=published.get("iom"), iom_change=published.get("iom_change"),
        iom_details=iom_details, rag=published.get("rag"), rag_date=on.isoformat(),
        reoffending=published.get("reoffending"), reoffending_cohorts=cohorts_meta,
        published_reoffending=published.get("published_reoffending"), published_cohort_end=cohort_end,
    )


def _contract(dataset: str):
    from safer.privacy.contracts import contract

    return contract(dataset)


def _spells(scope: Scope, source: CohortSource, *, with_rag: bool = False) -> ibis.Table:
    c = _contract(source.dataset)
    t = with_person(scope, source.dataset)
    start = t[c.role("when").field].cast("date")
    end = t[c.column(source.end).field].cast("date") if source.end else start
    band, sex, ward = c.role("age_band"), c.role("sex"), c.role("ward")
    columns = dict(
        person_id=t.person_id, cohort=ibis.literal(source.name), start_date=start, end_date=end,
        age=age_of(t, band.field if band else None, band.allowed if band else ()),
        sex=sex_label(t[sex.field]) if sex else ibis.literal(UNKNOWN),
        ethnicity=t[c.column(source.ethnicity).field].cast("string") if source.ethnicity else ibis.null("string"),
        ward=t[ward.field].cast("string") if ward else ibis.null("string"),
    )
    if with_rag:
        columns["rag"] = t[c.column(source.rag).field] if source.rag else ibis.null("string")
    return t.select(**columns)


def _offences(scope: Scope, dataset: str) -> ibis.Table:
    c = _contract(dataset)
    t = with_person(scope, dataset)
    category = t[c.role("category").field] if c.role("category") else ibis.null("string")
    costs = unit_costs()
    mapped = ibis.cases(*[(category.lower() == name, costs[cost]) for name, cost in _category_costs(costs).items()],
                        else_=ibis.null("float64"))
    estimated = [col for col in c.columns if col.name == "Estimated cost"]
    cost = t[estimated[0].field].cast("float64").fill_null(mapped) if estimated else mapped
    columns = {"person_id": t.person_id, "offence_date": t[c.role("when").field].cast("date"), "cost": cost}
    disposal = [col for col in c.columns if col.name == DISPOSAL_DATE]
    if disposal:
        columns["proven_date"] = t[disposal[0].field].cast("date")
    return t.select(**columns)


def with_proven_dates(offences: ibis.Table) -> tuple[ibis.Table, bool]:
    """The offences for :func:`proven_reoffending`, and whether they carry conviction or caution dates.

    A file whose ``Disposal date`` column is blank throughout has no proven dates: the column is
    dropped, so reoffending falls back to the local approximation (every recorded offence counts).
    """
    if "proven_date" not in offences.columns:
        return offences, False
    if int(offences.proven_date.notnull().sum().execute()) == 0:
        return offences.drop("proven_date"), False
    return offences, True


def unit_costs() -> dict[str, float]:
    """Home Office unit cost of crime (total, 2015/16 prices) by crime type, from the packaged reference table."""
    text = resources.files("safer").joinpath(UNIT_COSTS).read_text(encoding="utf-8")
    return {row["crime_type"]: float(row["total"]) for row in csv.DictReader(text.splitlines())}


def _category_costs(costs: dict[str, float]) -> dict[str, str]:
    out = {name.lower(): name for name in costs}
    out.update(UNIT_COST_OF_CATEGORY)
    return out


def _profile_table(profile: CohortProfiles, scope: Scope) -> PersonTable:
    cohorts = profile.cohorts
    columns = []
    for cohort in cohorts:
        columns += [Column(f"c:{cohort}", cohort),
                    Column(f"p:{cohort}", f"{cohort} %", kind=RATIO, numerator=f"c:{cohort}",
                           denominator=f"c:{cohort}", denominator_row="size")]
    count_keys = [f"c:{c}" for c in cohorts]
    rows = [Row("size", "People worked with in the period", {f"c:{c}": profile.sizes[c] for c in cohorts},
                group="Cohort")]
    relations: list[Relation] = []
    ward_names = _ward_names(scope)
    dimensions = (
        ("age", "Age band", [label for label, _, _ in COHORT_AGE_BANDS] + [UNKNOWN], {}),
        ("sex", "Sex", ["Female", "Male", UNKNOWN], {}),
        ("ethnicity", "Ethnicity", sorted(set(profile.profiles["ethnicity"]) - {UNKNOWN}) + [UNKNOWN], {}),
        ("ward", "Ward of residence", [*ward_names, "outside", UNKNOWN],
         {**ward_names, "outside": f"Outside {scope.area_name}", UNKNOWN: UNKNOWN}),
    )
    for dimension, group, categories, labels in dimensions:
        counted = dict(profile.profiles[dimension])
        if dimension == "ward":
            outside = [code for code in counted if code not in ward_names and code != UNKNOWN]
            merged: dict[str, int] = {}
            for code in outside:
                for cohort, n in counted.pop(code).items():
                    merged[cohort] = merged.get(cohort, 0) + n
            counted["outside"] = merged
        keys = []
        for category in categories:
            key = f"{dimension}:{category}"
            keys.append(key)
            rows.append(Row(key, labels.get(category, category),
                            {f"c:{c}": counted.get(category, {}).get(c, 0) for c in cohorts}, group=group))
        relations += sums("size", keys, count_keys)
    for other in cohorts:
        key = f"also:{other}"
        rows.append(Row(key, f"Also worked with by {other}",
                        {f"c:{c}": (None if c == other else profile.overlap[(c, other)]) for c in cohorts},
                        group="Overlap with other cohorts"))
        relations += [part_of(("size", f"c:{c}"), (key, f"c:{c}")) for c in cohorts if c != other]
    relations += [equal((f"also:{b}", f"c:{a}"), (f"also:{a}", f"c:{b}"))
                  for i, a in enumerate(cohorts) for b in cohorts[i + 1:]]
    return PersonTable("cohort_profile", f"Offender cohorts, {profile.period.label}", "Cohort members",
                       tuple(columns), tuple(rows), tuple(relations),
                       note="A person is in a cohort when one of their spells on it overlaps the period (for a "
                            "cohort without end dates, when they were taken on in the period); age is at the start "
                            "of their latest spell. Percentages are of the cohort's people.")


def _ward_names(scope: Scope) -> dict[str, str]:
    geo = scope.geography
    wards = (geo.filter(geo.lad_code.isin(list(scope.config.area))).select("ward_code", "ward_name").distinct()
             .order_by("ward_name").execute())
    return dict(zip(wards["ward_code"], wards["ward_name"]))


_IOM_COLUMNS = (
    Column("members", "Spells compared"), Column("members_offending", "With an offence"),
    Column("offences", "Offences"),
    Column("days", "Days at liberty", kind=MEASURE, places=0),
    Column("per_100_days", "Offences per 100 days", kind=RATIO, numerator="offences", denominator="days",
           places=2),
    Column("cost", "Cost of crime (£)", kind=MEASURE, based_on=("offences",), places=0),
    Column("cost_per_100_days", "Cost per 100 days (£)", kind=RATIO, numerator="cost", denominator="days",
           places=0),
    Column("intervals", "Intervals between offences"),
    Column("mean_interval", "Mean interval (days)", kind=MEASURE, based_on=("intervals",), places=1),
)


def _iom_tables(iom: IomImpact) -> list[PersonTable]:
    rows, relations = [], []
    for w in iom.windows:
        rows.append(Row(w.window, {"before": f"{iom.window_months} months before joining",
                                   "during": "On the cohort",
                                   "after": f"{iom.window_months} months after leaving"}[w.window],
                        {"members": w.members, "members_offending": w.members_offending, "offences": w.offences,
                         "days": w.days_at_liberty, "cost": w.cost, "intervals": w.intervals,
                         "mean_interval": w.mean_interval_days}))
        relations.append(part_of((w.window, "members"), (w.window, "members_offending")))
    relations += [equal(("before", "members"), ("during", "members")), equal(("during", "members"), ("after", "members"))]
    custody = ("Days in custody are taken out of each window." if iom.custody_known else
               "Custody periods were not supplied, so days at liberty include any time in custody.")
    windows = PersonTable(
        "iom", "IOM offending before, during and after time on the cohort", "Window", _IOM_COLUMNS, tuple(rows),
        tuple(relations),
        note=(f"Spells that ended between {iom.left_from:%d %B %Y} and {iom.left_to:%d %B %Y}, so that each "
              f"{iom.window_months}-month window after leaving is complete. {custody} Costs: the offence's estimated "
              "cost, else the Home Office unit cost of its category (2015/16 prices)."))
    unchanged = iom.members - iom.fewer_after - iom.more_after
    change = PersonTable(
        "iom_change", "Offending after leaving compared with before joining", "Spells",
        (Column("members", "Spells"),),
        (Row("fewer", "Fewer offences per 100 days after leaving", {"members": iom.fewer_after}),
         Row("more", "More offences per 100 days after leaving", {"members": iom.more_after}),
         Row("same", "The same", {"members": unchanged}),
         Row("all", "All spells compared", {"members": iom.members})),
        sums("all", ("fewer", "more", "same"), ("members",)))
    return [windows, change]


def _rag_table(mix: dict[str, int]) -> PersonTable:
    meaning = {"Red": "Red: not complying or engaging, still offending", "Amber": "Amber: engaging, high risk",
               "Green": "Green: engaging, no intelligence of offending", "Blue": "Blue: in prison"}
    keys = list(mix)
    rows = [Row(k, meaning.get(k, k), {"people": mix[k]}) for k in keys]
    rows.append(Row("total", "Total", {"people": sum(mix.values())}))
    return PersonTable("rag", "IOM cohort by RAG status", "RAG status",
                       (Column("people", "People"),
                        Column("share", "%", kind=RATIO, numerator="people", denominator="people",
                               denominator_row="total")),
                       tuple(rows), sums("total", keys, ("people",)))


_REOFFENDING_COLUMNS = (
    Column("offenders", "Offenders"), Column("reoffenders", "Reoffenders"), Column("reoffences", "Reoffences"),
    Column("binary_rate", "% reoffending", kind=RATIO, numerator="reoffenders", denominator="offenders"),
    Column("per_offender", "Reoffences per offender", kind=RATIO, numerator="reoffences", denominator="offenders",
           scale=1.0, places=2),
    Column("per_reoffender", "Reoffences per reoffender", kind=RATIO, numerator="reoffences",
           denominator="reoffenders", scale=1.0, places=2),
)


def _reoffending(scope: Scope, present: list[CohortSource], tables, gaps: list[str]):
    rows, relations, meta = [], [], {}
    counts = ("offenders", "reoffenders", "reoffences")
    last_day = scope.current.end_exclusive - timedelta(days=1)
    for source in present:
        if source.offences is None:
            continue
        if source.offences not in tables:
            gaps.append(f"{source.name} offences ({source.offences}) were not supplied, so {source.name} "
                        "reoffending cannot be measured.")
            continue
        spells = _spells(scope, source)
        cohort = spells.select("person_id", index_date=spells.start_date, age=spells.age, sex=spells.sex)
        offences, proven = with_proven_dates(_offences(scope, source.offences))
        result: Reoffending = proven_reoffending(cohort, offences, last_day)
        meta[source.name] = {"index_from": result.cohort_from.isoformat(), "index_to": result.cohort_to.isoformat(),
                             "followup_months": result.followup_months, "waiting_months": result.waiting_months,
                             "compare_with": source.published_group,
                             "method": "proven" if proven else "approximation",
                             "caveat": None if proven else _approximation_caveat(source)}
        def key(group: str, cohort: str = source.name) -> str:
            return f"{cohort}:{group}"

        for g in result.groups:
            rows.append(Row(key(g.group), g.group, {"offenders": g.offenders, "reoffenders": g.reoffenders,
                                                    "reoffences": g.reoffences}, group=source.name))
            relations.append(part_of((key(g.group), "offenders"), (key(g.group), "reoffenders")))
        bands = [label for label, _, _ in MOJ_AGE_BANDS]
        relations += sums(key("All"), [key("Adult"), key("Juvenile"), key("Age not recorded")], counts)
        relations += sums(key("All"), [key("Male"), key("Female"), key("Sex not recorded")], counts)
        relations += sums(key("All"), [key(b) for b in bands] + [key("Age not recorded")], counts)
        relations += sums(key("Juvenile"), [key("10-14"), key("15-17")], counts)
        relations += sums(key("Adult"), [key(b) for b in bands[2:]], counts)
    if not rows:
        return None, meta
    return PersonTable(
        "reoffending", "Proven reoffending of local cohorts (local approximation)", "Offender group",
        _REOFFENDING_COLUMNS, tuple(rows), tuple(relations), note=reoffending_note(meta)), meta


def _approximation_caveat(source: CohortSource) -> str:
    return (f"The {source.name} offences ({source.offences}) carry no disposal date, so whether and when each "
            "offence was proven is unknown: every recorded offence in the follow-up counts and no waiting period "
            "applies. The figure approximates proven reoffending and may overstate it.")


def reoffending_note(cohorts: dict[str, dict[str, object]]) -> str:
    """The local reoffending table's note: the measure, and for each cohort whether it is proven or approximated.

    >>> reoffending_note({"IOM": {"method": "proven", "caveat": None}})[:42]
    'Local version of the Ministry of Justice m'
    """
    note = ("Local version of the Ministry of Justice measure: each cohort member's first start in the cohort year is "
            "the index date; a reoffence is an offence committed in the 12 months after it")
    proven = [name for name, c in cohorts.items() if c["method"] == "proven"]
    if proven:
        note += (f" and, for {' and '.join(proven)}, proven by a conviction or caution (the offence's disposal date) "
                 "within those 12 months or the 6-month waiting period after them; an offence proven later, or "
                 "never, does not count.")
    else:
        note += "."
    caveats = [str(c["caveat"]) for c in cohorts.values() if c.get("caveat")]
    return " ".join([note, *caveats]) + (" Local data cannot match offenders against the Police National Computer "
                                         "nationally, so the figures are a local approximation of the published "
                                         "measure.")


def _published_reoffending(scope: Scope, tables, gaps: list[str]) -> tuple[PersonTable | None, str | None]:
    """The MoJ's published figures (the reoffending-rates contract): aggregate, shown in full."""
    t = table_with_rows(scope, "reoffending_rates")
    if t is None:
        gaps.append("Published proven reoffending figures (reoffending-rates) were not supplied.")
        return None, None
    latest = t.cohort_end.max().execute()
    rows = t.filter(t.cohort_end == latest).execute()
    names = _area_names(scope, sorted(set(rows["area_code"])))
    areas = sorted(names, key=lambda code: (code not in scope.config.area, code.startswith(("E92", "K04", "W92")),
                                            names[code]))
    columns = [Column(f"rate:{a}", f"{names[a]} %", kind=PUBLISHED) for a in areas]
    groups = [g for g in ("All", "Adult", "Juvenile", "Male", "Female") if g in set(rows["offender_group"])]
    out_rows = []
    for group in groups:
        values = {}
        for a in areas:
            match = rows[(rows["offender_group"] == group) & (rows["area_code"] == a)]
            if len(match) and int(match["offenders"].iloc[0]):
                values[f"rate:{a}"] = 100.0 * int(match["reoffenders"].iloc[0]) / int(match["offenders"].iloc[0])
        out_rows.append(Row(group, group, values))
    end = str(latest)[:7]
    return PersonTable("published_reoffending", f"Published proven reoffending rates, cohort ending {end}",
                       "Offender group", tuple(columns), tuple(out_rows), person_level=False,
                       note="Ministry of Justice proven reoffending statistics as supplied: published aggregate "
                            "figures, not subject to suppression."), end


def _area_names(scope: Scope, codes: list[str]) -> dict[str, str]:
    geo = scope.geography
    found = geo.filter(geo.lad_code.isin(codes)).select("lad_code", "lad_name").distinct().execute()
    names = dict(zip(found["lad_code"], found["lad_name"]))
    regions = geo.filter(geo.region_code.isin(codes)).select("region_code", "region_name").distinct().execute()
    names.update(zip(regions["region_code"], regions["region_name"]))
    return {code: names.get(code) or AREA_NAMES.get(code, code) for code in codes}


__all__ = ["COHORTS", "CohortSource", "Offenders", "compute_offenders", "unit_costs"]

