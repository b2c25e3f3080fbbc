"""Synthetic person-level datasets: MARAC, VAWG, YOS, IGU, IOM, CSE, Troubled Families, safeguarding,
treatment, Prevent and hate crime victims and suspects.

These files carry the fields that identify a person (references, names, dates of birth, postcodes),
all invented: names come from short lists of common names, references start ``SYN-``, postcodes use
real district prefixes with random units. They are written so that safer treats them exactly as it
would a real export: refused while no pseudonymisation key is configured, and loaded only
pseudonymised, the identifying fields never reaching the warehouse.

Example:
    >>> cases = marac_cases(context)  # doctest: +SKIP
    >>> (cases["Referral date"] >= "2017-07-01").sum()  # doctest: +SKIP
    379
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from safer.synth import calibration as cal
from safer.synth.incidents import Context, drawn, labels
from safer.synth.timing import exact_counts, random_dates

FORENAMES = ("Alex", "Sam", "Jordan", "Chris", "Robin", "Jamie", "Taylor", "Morgan", "Casey", "Riley", "Charlie",
             "Avery", "Quinn", "Rowan", "Sasha", "Kai", "Noor", "Ayesha", "Mohammed", "Fatima", "Daniel", "Emily",
             "Olivia", "Jack", "Amira", "Tomasz", "Ana", "Yusuf", "Grace", "Leon")
SURNAMES = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Khan", "Ali",
            "Ahmed", "Walker", "Wright", "Thompson", "White", "Hughes", "Edwards", "Green", "Lewis", "Wood", "Harris",
            "Martin", "Jackson", "Clarke", "Nowak", "Silva", "Hassan", "Begum", "Okafor")
DISTRICTS = ("W1", "W2", "W9", "W10", "W11", "NW1", "NW6", "NW8", "SW1", "WC2")


def _names(ctx: Context, n: int) -> tuple[np.ndarray, np.ndarray]:
    return ctx.rng.choice(np.array(FORENAMES, dtype=object), n), ctx.rng.choice(np.array(SURNAMES, dtype=object), n)


def _ids(prefix: str, n: int, start: int = 1) -> np.ndarray:
    return np.array([f"SYN-{prefix}-{start + i:05d}" for i in range(n)], dtype=object)


def _iso(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days.astype("datetime64[D]")).astype(object)


def _dates(ctx: Context, counts: tuple[int, int]) -> np.ndarray:
    """Dates spread over the previous then the current period, ``counts`` in each, sorted within each."""
    parts = []
    for period, n in zip(ctx.periods, counts):
        parts.append(np.sort(random_dates(ctx.rng, n, period.first, period.end_exclusive)))
    return np.concatenate(parts)


def _birth_dates(ctx: Context, on: np.ndarray, ages: np.ndarray) -> np.ndarray:
    """A date of birth making each person ``ages`` (whole years) old on the date ``on``."""
    days = (ages * 365.25 + ctx.rng.uniform(0, 364, len(ages))).astype(int)
    return on.astype("datetime64[D]") - days.astype("timedelta64[D]")


def _ages_in_bands(ctx: Context, bands: np.ndarray, ranges: dict[str, tuple[int, int]]) -> np.ndarray:
    low = np.array([ranges[b][0] for b in bands])
    high = np.array([ranges[b][1] for b in bands])
    return ctx.rng.integers(low, high + 1)


def _wards(ctx: Context, n: int, shares: dict[str, float]) -> np.ndarray:
    """Home wards: the named wards their shares, the rest by residents."""
    wards = ctx.geo.lsoas.groupby("ward_code")["population"].sum()
    named = {k: v for k, v in shares.items() if k in wards.index} if ctx.calibrated else {}
    rest = wards.drop(list(named))
    left = 1.0 - sum(named.values())
    weights = {**named, **{k: left * v / rest.sum() for k, v in rest.items()}}
    return labels(ctx.rng, n, weights)


def _flags(ctx: Context, n: int, share: float) -> np.ndarray:
    return labels(ctx.rng, n, {"true": share, "false": 1 - share})


def _split(counts: tuple[int, int], ctx: Context) -> tuple[int, int]:
    return round(counts[0] * ctx.scale), round(counts[1] * ctx.scale)


def marac_cases(ctx: Context) -> pd.DataFrame:
    previous, current = _split(cal.MARAC_CASES, ctx)
    n = previous + current
    referred = _dates(ctx, (previous, current))
    ind = cal.MARAC_INDICATORS
    columns: dict[str, np.ndarray] = {}
    for name, share in (("Repeat case", ind["repeat"]), ("BME", ind["bme"]), ("LGBT", ind["lgbt"]),
                        ("Disability", ind["disability"])):
        columns[name] = np.concatenate([_flags(ctx, k, share) for k in (previous, current)])
    routes = np.concatenate([labels(ctx.rng, k, cal.MARAC_ROUTES) for k in (previous, current)])
    sex = np.concatenate([labels(ctx.rng, k, {"Male": ind["male"], "Female": 1 - ind["male"]})
                          for k in (previous, current)])
    young = np.concatenate([labels(ctx.rng, k, {"16-17": ind["aged_16_17"], "adult": 1 - ind["aged_16_17"]})
                            for k in (previous, current)])
    adult_bands = {"18-24": 0.14, "25-34": 0.36, "35-44": 0.27, "45-54": 0.14, "55-64": 0.06, "65+": 0.03}
    bands = np.where(young == "16-17", "16-17", drawn(ctx.rng, n, adult_bands)).astype(object)
    ranges = {"16-17": (16, 17), "18-24": (18, 24), "25-34": (25, 34), "35-44": (35, 44), "45-54": (45, 54),
              "55-64": (55, 64), "65+": (65, 85)}
    children = np.concatenate([_children(ctx, previous, round(cal.MARAC_CHILDREN * previous / current)),
                               _children(ctx, current, round(cal.MARAC_CHILDREN * ctx.scale))])
    forename, surname = _names(ctx, n)
    return pd.DataFrame({
        "Case ID": _ids("MARAC", n), "Victim forename": forename, "Victim surname": surname,
        "Victim date of birth": _iso(_birth_dates(ctx, referred, _ages_in_bands(ctx, bands, ranges))),
        "Referral date": _iso(referred), "Referring agency": routes, "Repeat case": columns["Repeat case"],
        "Victim sex": sex, "Victim age band": bands, "BME": columns["BME"], "LGBT": columns["LGBT"],
        "Disability": columns["Disability"], "Children in household": children,
        "Ward code": _wards(ctx, n, {cal.CHURCH_STREET: 0.12, cal.QUEENS_PARK: 0.11, cal.HARROW_ROAD: 0.10}),
    })


def _children(ctx: Context, households: int, total: int) -> np.ndarray:
    """Children per household adding up to ``total`` exactly."""
    return ctx.rng.multinomial(total, np.ones(households) / households) if households else np.array([], int)


def vawg_referrals(ctx: Context) -> pd.DataFrame:
    previous, current = _split(cal.VAWG_REFERRALS, ctx)
    n = previous + current
    referred = _dates(ctx, (previous, current))
    clients = _ids("VAWGC", n)
    repeat = np.concatenate([labels(ctx.rng, k, {"Repeat": 0.26, "New": 0.74}) for k in (previous, current)])
    firsts = np.flatnonzero(repeat == "New")
    for i in np.flatnonzero(repeat == "Repeat"):  # a repeat referral reuses an earlier client's reference
        earlier = firsts[firsts < i]
        if len(earlier):
            clients[i] = clients[ctx.rng.choice(earlier)]
    bands = drawn(ctx.rng, n, {"Under 18": 0.03, "18-25": 0.2, "26-35": 0.38, "36-45": 0.22, "46-55": 0.11,
                               "56+": 0.05, "Unknown": 0.01})
    ranges = {"Under 18": (15, 17), "18-25": (18, 25), "26-35": (26, 35), "36-45": (36, 45), "46-55": (46, 55),
              "56+": (56, 80), "Unknown": (30, 30)}
    return pd.DataFrame({
        "Referral ID": _ids("VAWG", n), "Client ID": clients,
        "Client date of birth": _iso(_birth_dates(ctx, referred, _ages_in_bands(ctx, bands, ranges))),
        "Referral date": _iso(referred), "Referral type": repeat,
        "Support type": np.concatenate([labels(ctx.rng, k, cal.VAWG_SUPPORT) for k in (previous, current)]),
        "Client sex": drawn(ctx.rng, n, {"Female": 0.97, "Male": 0.03}), "Client age band": bands,
        "Sexual orientation": drawn(ctx.rng, n, {"Heterosexual": 0.85, "Lesbian or gay": 0.04, "Bisexual": 0.03,
                                                 "Other": 0.01, "Not stated": 0.07}),
        "Has children": _flags(ctx, n, 0.62), "Mental health need": _flags(ctx, n, 0.55),
        "Ward code": _wards(ctx, n, {cal.CHURCH_STREET: 0.11, cal.QUEENS_PARK: 0.10, cal.WESTBOURNE: 0.10}),
    })


def yos_caseload(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Supervision episodes keeping the mid-month caseload at the seed's average, and their offences."""
    rng = ctx.rng
    targets = [round(t * ctx.scale) for t in cal.YOS_CASELOAD]
    months = _all_months(ctx)
    starts: list[np.datetime64] = []
    ends: list[np.datetime64] = []
    warm_up = months[0] - np.timedelta64(365, "D")
    for i in range(targets[0]):  # episodes already open when the data begins
        starts.append(warm_up + np.timedelta64(int(rng.integers(0, 330)), "D"))
        ends.append(months[0] + np.timedelta64(int(rng.integers(10, 330)), "D"))
    for index, month in enumerate(months):
        target = targets[0] if index < 12 else targets[1]
        mid = month + np.timedelta64(14, "D")
        open_now = sum(1 for s, e in zip(starts, ends) if s <= mid <= e)
        for _ in range(max(0, target - open_now)):
            start = month + np.timedelta64(int(rng.integers(0, 14)), "D")
            starts.append(start)
            ends.append(start + np.timedelta64(int(rng.integers(90, 365)), "D"))
    n = len(starts)
    start = np.array(starts, dtype="datetime64[D]")
    end = np.array(ends, dtype="datetime64[D]")
    last_day = np.datetime64(ctx.periods[1].end_exclusive) - np.timedelta64(1, "D")
    end_text = np.where(end > last_day, "", _iso(end)).astype(object)
    ages = np.where(rng.random(n) < 0.66, rng.integers(16, 18, n), rng.integers(12, 16, n))
    people = _ids("YP", n)
    forename, surname = _names(ctx, n)
    caseload = pd.DataFrame({
        "Episode ID": _ids("YOSEP", n), "Young person ID": people, "Forename": forename, "Surname": surname,
        "Date of birth": _iso(_birth_dates(ctx, start, ages)), "Start date": _iso(start), "End date": end_text,
        "Sex": labels(rng, n, {"Female": 0.15, "Male": 0.85}),
        "Ethnicity": drawn(rng, n, {"White": 0.14, "Black": 0.33, "Asian": 0.08, "Mixed": 0.12, "Other": 0.31,
                                    "Not known": 0.02}),
        "Intervention level": labels(rng, n, cal.YOS_INTERVENTION),
        "Risk of serious harm": drawn(rng, n, {"Low": 0.25, "Medium": 0.5, "High": 0.18, "Very high": 0.02,
                                               "Not yet assessed": 0.05}),
        "Known to IGU": _flags(ctx, n, 0.45),
        "Ward code": _wards(ctx, n, cal.IGU_WARDS),
    })
    return caseload, _yos_offences(ctx, caseload)


def _all_months(ctx: Context) -> list[np.datetime64]:
    out = []
    for period in ctx.periods:
        month = np.datetime64(period.first, "M")
        while month < np.datetime64(period.end_exclusive, "M"):
            out.append(month.astype("datetime64[D]"))
            month += 1
    return out


def _yos_offences(ctx: Context, caseload: pd.DataFrame) -> pd.DataFrame:
    rng = ctx.rng
    previous, current = _split(cal.YOS_OFFENCES, ctx)
    dates = _dates(ctx, (previous, current))
    start = caseload["Start date"].to_numpy().astype("datetime64[D]")
    people = caseload["Young person ID"].to_numpy()
    wards = caseload["Ward code"].to_numpy()
    chosen = np.array([rng.choice(np.flatnonzero(start <= d)) if (start <= d).any() else 0 for d in dates])
    category = np.concatenate([labels(rng, k, cal.YOS_OFFENCE_SHARES) for k in (previous, current)])
    knife = np.where((category == "Violence against the person") & (rng.random(len(dates)) < 1 / 3), "true", "false")
    return pd.DataFrame({"Offence ID": _ids("YOSOF", len(dates)), "Young person ID": people[chosen],
                         "Offence date": _iso(dates), "Offence category": category,
                         "Knife or offensive weapon": knife.astype(object), "Ward code": wards[chosen]})


def igu_cohort(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng
    n = round(cal.IGU_PEOPLE * ctx.scale)
    referred = np.sort(random_dates(rng, n, ctx.periods[0].first, ctx.periods[1].end_exclusive))
    bands = labels(rng, n, {"10-13": 0.08, "14-15": 0.25, "16-17": 0.40, "18-20": 0.19, "21-24": 0.08})
    ranges = {"10-13": (10, 13), "14-15": (14, 15), "16-17": (16, 17), "18-20": (18, 20), "21-24": (21, 24)}
    forename, surname = _names(ctx, n)
    return pd.DataFrame({
        "Person ID": _ids("IGU", n), "Forename": forename, "Surname": surname,
        "Date of birth": _iso(_birth_dates(ctx, referred, _ages_in_bands(ctx, bands, ranges))),
        "Date referred": _iso(referred), "Sex": labels(rng, n, {"Female": 0.16, "Male": 0.84}), "Age band": bands,
        "Known to children's services": _flags(ctx, n, 0.58), "Known to YOS": _flags(ctx, n, 0.43),
        "Reported missing": _flags(ctx, n, 0.33),
        "Commissioned support": labels(rng, n, {"Employment coach": 0.30, "Sexual violence practitioner": 0.18,
                                                "Gang exit (St Giles Trust)": 0.16,
                                                "Child and adolescent mental health": 0.10, "None": 0.26}),
        "Ward code": _wards(ctx, n, cal.IGU_WARDS),
    })


_COSTS = {"Violence with injury": 14050, "Violence without injury": 5930, "Robbery": 11320, "Burglary": 5930,
          "Theft from the person": 1380, "Shoplifting": 150, "Other theft": 1180, "Vehicle offences": 4290,
          "Drugs": 0, "Criminal damage": 1350, "Public order": 0, "Other": 0}  # 2015/16 unit costs, rounded


_IOM_ETHNICITY = {"White North European": 0.57, "Black": 0.25, "Asian": 0.06, "Middle Eastern": 0.05,
                  "White South European": 0.05, "Unknown": 0.02}


def iom_cohort(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cohort at the end of the period (RAG mix as published) plus those who left during it, and offences."""
    rng = ctx.rng
    current = round(sum(cal.IOM_RAG.values()) * ctx.scale)
    leavers = round(cal.IOM_LEAVERS * ctx.scale)
    n = current + leavers
    first, end = ctx.periods[0].first, ctx.periods[1].end_exclusive
    joined = random_dates(rng, n, first, end)
    left = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    stay = rng.integers(120, 700, leavers).astype("timedelta64[D]")
    left[current:] = np.minimum(joined[current:] + stay, np.datetime64(end) - np.timedelta64(95, "D"))
    joined[current:] = np.minimum(joined[current:], left[current:] - np.timedelta64(60, "D"))
    rag = np.concatenate([labels(rng, current, {k: v / sum(cal.IOM_RAG.values()) for k, v in cal.IOM_RAG.items()}),
                          drawn(rng, leavers, {"Green": 0.5, "Amber": 0.3, "Blue": 0.2})])
    ages = np.where(rng.random(n) < 0.28, rng.integers(23, 28, n), rng.integers(19, 59, n))
    forename, surname = _names(ctx, n)
    pnc = np.array([f"SYN{rng.integers(0, 99):02d}/{rng.integers(0, 999999):06d}X" for _ in range(n)], dtype=object)
    cohort = pd.DataFrame({
        "PNC ID": pnc, "Forename": forename, "Surname": surname, "Date of birth": _iso(_birth_dates(ctx, joined, ages)),
        "Date joined": _iso(joined), "Date left": np.where(np.isnat(left), "", _iso(left)).astype(object),
        "Sex": np.concatenate([labels(rng, k, {"Male": 0.95, "Female": 0.05}) for k in (current, leavers)]),
        "Ethnic appearance": np.concatenate([labels(rng, k, _IOM_ETHNICITY) for k in (current, leavers)]),
        "RAG status": rag,
        "Starting Over client": np.concatenate([labels(rng, current, {"true": cal.IOM_STARTING_OVER / current,
                                                                      "false": 1 - cal.IOM_STARTING_OVER / current}),
                                                _flags(ctx, leavers, 0.1)]),
        "Ward code": _wards(ctx, n, {cal.HARROW_ROAD: 0.14, cal.CHURCH_STREET: 0.13, cal.QUEENS_PARK: 0.12}),
    })
    return cohort, _iom_offences(ctx, cohort, current)


def _iom_offences(ctx: Context, cohort: pd.DataFrame, current: int) -> pd.DataFrame:
    """Offences of the leavers: exactly the published numbers before, during and after; some for the rest."""
    rng = ctx.rng
    joined = cohort["Date joined"].to_numpy().astype("datetime64[D]")
    left_text = cohort["Date left"].to_numpy()
    rows = []
    before, during, after = (round(k * ctx.scale) for k in cal.IOM_OFFENCES_BEFORE_DURING_AFTER)
    leavers = np.arange(current, len(cohort))
    if len(leavers):
        left = left_text[leavers].astype("datetime64[D]")
        for count, low, high in ((before, joined[leavers] - np.timedelta64(90, "D"), joined[leavers]),
                                 (during, joined[leavers], left),
                                 (after, left + np.timedelta64(1, "D"), left + np.timedelta64(90, "D"))):
            who = rng.choice(len(leavers), size=count)
            span = (high[who] - low[who]).astype(int)
            for i, w in enumerate(who):
                day = low[w] + np.timedelta64(int(rng.integers(0, span[i])), "D")
                rows.append((cohort["PNC ID"].iat[leavers[w]], day))
    for i in range(current):  # current members: a few offences each while on the cohort
        for _ in range(int(rng.poisson(2.0))):
            rows.append((cohort["PNC ID"].iat[i], joined[i] + np.timedelta64(int(rng.integers(0, 200)), "D")))
    pnc = np.array([r[0] for r in rows], dtype=object)
    when = np.array([r[1] for r in rows], dtype="datetime64[D]")
    category = drawn(rng, len(rows), {"Shoplifting": 0.22, "Other theft": 0.12, "Theft from the person": 0.10,
                                      "Burglary": 0.09, "Violence with injury": 0.10, "Violence without injury": 0.09,
                                      "Robbery": 0.05, "Drugs": 0.10, "Criminal damage": 0.04, "Public order": 0.04,
                                      "Vehicle offences": 0.02, "Other": 0.03})
    home = dict(zip(cohort["PNC ID"], cohort["Ward code"]))
    wards = np.where(rng.random(len(rows)) < 0.5, [home[p] for p in pnc],
                     _wards(ctx, len(rows), {cal.WEST_END: 0.2, cal.ST_JAMES: 0.15})).astype(object)
    return pd.DataFrame({"Offence ID": _ids("IOMOF", len(rows)), "PNC ID": pnc, "Offence date": _iso(when),
                         "Offence category": category,
                         "Estimated cost": np.array([str(_COSTS[c]) for c in category], dtype=object),
                         "Ward code": wards})


def cse_risk_assessments(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng
    per_year = round(cal.CSE_ASSESSMENTS * ctx.scale)
    counts = (per_year, per_year)
    n = sum(counts)
    assessed = _dates(ctx, counts)
    ages = np.concatenate([np.repeat([11, 12, 13, 14, 15, 16, 17, 18],
                                     exact_counts(k, [0.03, 0.04, 0.08, 0.14, 0.2, 0.31, 0.15, 0.05]))
                           for k in counts])
    rng.shuffle(ages)
    return pd.DataFrame({
        "Child ID": _ids("CSE", n), "Date of birth": _iso(_birth_dates(ctx, assessed, ages)),
        "Assessment date": _iso(assessed), "Sex": labels(rng, n, {"Female": 0.86, "Male": 0.14}),
        "Age at assessment": ages.astype(str).astype(object),
        "Risk level": drawn(rng, n, {"Low": 0.3, "Medium": 0.45, "High": 0.25}),
        "Typology": labels(rng, n, {"Online or social media": 0.55, "Peer on peer": 0.15, "Gang associated": 0.12,
                                    "Inappropriate relationship": 0.12, "Other": 0.06}),
        "Missing episodes": _flags(ctx, n, 0.4), "Ward code": _wards(ctx, n, cal.IGU_WARDS),
    })


def troubled_families(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng
    total, crime = (round(k * ctx.scale) for k in cal.TROUBLED_FAMILIES)
    wards = cal.TROUBLED_FAMILIES_WARDS if ctx.calibrated else {
        w: (1.0, 1.0) for w in ctx.geo.lsoas["ward_code"].unique()}
    crime_wards = labels(rng, crime, {w: b for w, (_, b) in wards.items()})
    # the other families make up each ward's share of all families
    other_shares = {w: max(a * total / 100 - b * crime / 100, 0.0) for w, (a, b) in wards.items()}
    other_wards = labels(rng, total - crime, other_shares)
    ward = np.concatenate([crime_wards, other_wards])
    is_crime = np.concatenate([np.full(crime, "true"), np.full(total - crime, "false")]).astype(object)
    columns = {}
    for source, share in cal.TROUBLED_FAMILIES_SOURCES.items():
        columns[source] = np.concatenate([_flags(ctx, crime, share), _flags(ctx, total - crime, share * 0.7)])
    postcode = np.array([f"{rng.choice(DISTRICTS)} {rng.integers(1, 10)}{chr(65 + rng.integers(0, 26))}"
                         f"{chr(65 + rng.integers(0, 26))}" for _ in range(total)], dtype=object)
    identified = random_dates(rng, total, date(ctx.periods[0].first.year - 2, 1, 1), ctx.periods[1].end_exclusive)
    frame = pd.DataFrame({"Family ID": _ids("TF", total), "Postcode": postcode, "Ward code": ward,
                          "Date identified": _iso(identified), "Crime or ASB criterion": is_crime, **columns})
    return frame.sample(frac=1.0, random_state=int(rng.integers(0, 2**31))).reset_index(drop=True)


def adult_safeguarding(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng
    previous, current = _split(cal.SAFEGUARDING_CONCERNS, ctx)
    n = previous + current
    received = _dates(ctx, (previous, current))
    crime_share = cal.SAFEGUARDING_CRIME_SHARE
    unknown = cal.SAFEGUARDING_UNKNOWN_SHARE
    crime = np.concatenate([labels(rng, k, {"Yes": crime_share, "Unknown": unknown, "No": 1 - crime_share - unknown})
                            for k in (previous, current)])
    is_crime = crime == "Yes"
    band = np.where(is_crime, drawn(rng, n, {"65+": 0.62, "18-64": 0.38}),
                    drawn(rng, n, {"65+": 0.70, "18-64": 0.30})).astype(object)
    ages = np.where(band == "65+", rng.integers(65, 98, n), rng.integers(18, 65, n))
    abuse = {name: np.where(rng.random(n) < share, "true", "false").astype(object)
             for name, share in cal.SAFEGUARDING_ABUSE.items()}
    return pd.DataFrame({
        "Concern ID": _ids("SG", n), "Date of birth": _iso(_birth_dates(ctx, received, ages)),
        "Date received": _iso(received), "Crime or potential crime": crime, "Age band": band,
        "Sex": drawn(rng, n, {"Female": 0.52, "Male": 0.47, "Unknown": 0.01}),
        "Primary support reason": drawn(rng, n, cal.SAFEGUARDING_SUPPORT), **abuse,
        "Relationship to person alleged": drawn(rng, n, cal.SAFEGUARDING_RELATIONSHIP),
        "Raised with police": np.where(is_crime & (rng.random(n) < 0.70), "true", "false").astype(object),
        "Ward code": _wards(ctx, n, cal.SAFEGUARDING_WARDS),
    })


def drug_alcohol_treatment(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng
    current = {k: round(v * ctx.scale) for k, v in cal.TREATMENT.items()}
    previous = {k: round(v * cal.TREATMENT_PREVIOUS_FACTOR) for k, v in current.items()}
    counts = (sum(previous.values()), sum(current.values()))
    n = sum(counts)
    started = _dates(ctx, counts)
    group = np.concatenate([labels(rng, counts[0], previous), labels(rng, counts[1], current)])
    bands = np.concatenate([labels(rng, k, cal.TREATMENT_AGE) for k in counts])
    ranges = {"18-29": (18, 29), "30-34": (30, 34), "35-44": (35, 44), "45-54": (45, 54), "55-64": (55, 64),
              "65+": (65, 80)}
    return pd.DataFrame({
        "Client ID": _ids("DAT", n),
        "Date of birth": _iso(_birth_dates(ctx, started, _ages_in_bands(ctx, bands, ranges))),
        "Treatment start": _iso(started), "Substance group": group,
        "Referral source": drawn(rng, n, cal.TREATMENT_REFERRAL),
        "Sex": drawn(rng, n, {"Male": 0.70, "Female": 0.29, "Unknown": 0.01}), "Age band": bands,
        "Prior conviction": _flags(ctx, n, 0.21),
        "Ward code": _wards(ctx, n, {cal.CHURCH_STREET: 0.1, cal.QUEENS_PARK: 0.09, cal.HARROW_ROAD: 0.09}),
    })


def prevent_referrals(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng
    previous, current = _split(cal.PREVENT_REFERRALS, ctx)
    n = previous + current
    referred = _dates(ctx, (previous, current))
    outcome = np.concatenate([labels(rng, k, cal.PREVENT_OUTCOMES) for k in (previous, current)])
    channel = np.isin(outcome, ["Discussed at Channel", "Adopted by Channel"])
    sex = np.where(channel, drawn(rng, n, {"Male": 0.86, "Female": 0.14}),
                   drawn(rng, n, {"Male": 0.75, "Female": 0.25})).astype(object)
    bands = drawn(rng, n, {"Under 15": 0.18, "15-17": 0.22, "18-24": 0.2, "25-39": 0.25, "40+": 0.13, "Unknown": 0.02})
    ranges = {"Under 15": (10, 14), "15-17": (15, 17), "18-24": (18, 24), "25-39": (25, 39), "40+": (40, 70),
              "Unknown": (30, 30)}
    return pd.DataFrame({
        "Referral ID": _ids("PREV", n),
        "Date of birth": _iso(_birth_dates(ctx, referred, _ages_in_bands(ctx, bands, ranges))),
        "Referral date": _iso(referred), "Sex": sex, "Age band": bands,
        "Concern": drawn(rng, n, {"Islamist": 0.45, "Extreme right wing": 0.30, "Mixed unclear or unstable": 0.20,
                                  "Other": 0.05}),
        "Outcome": outcome,
        "Ward code": _wards(ctx, n, {cal.CHURCH_STREET: 0.16, cal.QUEENS_PARK: 0.14, cal.HARROW_ROAD: 0.13}),
    })


_HATE_AGE = {"Under 18": 0.08, "18-25": 0.2, "26-35": 0.32, "36-45": 0.2, "46-55": 0.12, "56+": 0.07, "Unknown": 0.01}
_HATE_AGE_RANGES = {"Under 18": (12, 17), "18-25": (18, 25), "26-35": (26, 35), "36-45": (36, 45), "46-55": (46, 55),
                    "56+": (56, 80), "Unknown": (30, 30)}


def hate_crime_victims(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One victim per offence flagged "All hate crime", and a suspect for about three in five of them."""
    rng = ctx.rng
    previous, current = _split(cal.HATE_CRIME["All hate crime"], ctx)
    n = previous + current
    when = _dates(ctx, (previous, current))
    strand = np.concatenate([labels(rng, k, cal.HATE_MAIN_STRAND) for k in (previous, current)])
    offence = np.empty(n, dtype=object)
    for name in cal.HATE_MAIN_STRAND:
        rows = np.flatnonzero(strand == name)
        table = cal.HATE_OFFENCES.get(name, cal.HATE_OFFENCES["Racist and religious"])
        offence[rows] = drawn(rng, len(rows), table)
    bands = drawn(rng, n, _HATE_AGE)
    disability = np.flatnonzero(strand == "Disability")
    bands[disability] = labels(rng, len(disability), {"Under 18": 0.48, "18-25": 0.2, "26-35": 0.14, "36-45": 0.1,
                                                      "46-55": 0.05, "56+": 0.03})
    refs = np.array([f"SYN{rng.integers(0, 9999999):07d}/{str(d)[2:4]}" for d in when], dtype=object)
    forename, surname = _names(ctx, n)
    wards = _wards(ctx, n, {cal.WEST_END: 0.2, cal.ST_JAMES: 0.15})
    victims = pd.DataFrame({
        "CRIS reference": refs, "Victim forename": forename, "Victim surname": surname,
        "Victim date of birth": _iso(_birth_dates(ctx, when, _ages_in_bands(ctx, bands, _HATE_AGE_RANGES))),
        "Offence date": _iso(when), "Strand": strand, "Offence group": offence,
        "Victim sex": labels(rng, n, {"Male": 2 / 3, "Female": 0.32, "Unknown": 1 / 3 - 0.32}),
        "Victim age band": bands, "Repeat victim": _flags(ctx, n, cal.HATE_REPEAT_VICTIMS), "Ward code": wards,
    })
    with_suspect = np.flatnonzero(rng.random(n) < 0.6)
    k = len(with_suspect)
    suspect_bands = drawn(rng, k, {"Under 18": 0.12, "18-25": 0.3, "26-35": 0.28, "36-45": 0.16, "46-55": 0.09,
                                   "56+": 0.04, "Unknown": 0.01})
    for name, young in (("Homophobic", "18-25"), ("Transgender", "18-25"), ("Disability", "Under 18")):
        rows = np.flatnonzero(strand[with_suspect] == name)
        suspect_bands[rows] = np.where(rng.random(len(rows)) < 0.48, young, suspect_bands[rows])
    s_forename, s_surname = _names(ctx, k)
    suspects = pd.DataFrame({
        "CRIS reference": refs[with_suspect], "Suspect forename": s_forename, "Suspect surname": s_surname,
        "Suspect date of birth": _iso(_birth_dates(ctx, when[with_suspect],
                                                   _ages_in_bands(ctx, suspect_bands, _HATE_AGE_RANGES))),
        "Offence date": _iso(when[with_suspect]), "Strand": strand[with_suspect],
        "Suspect sex": drawn(rng, k, {"Male": 0.8, "Female": 0.19, "Unknown": 0.01}),
        "Suspect age band": suspect_bands, "Ward code": wards[with_suspect],
    })
    return victims, suspects
