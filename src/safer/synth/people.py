"""Synthetic person-level datasets: MARAC, VAWG, YOS, IGU, IOM, CSE, Troubled Families, safeguarding,
treatment, Prevent, hate crime victims and suspects, victims of crime and anti-social behaviour victims.

These files carry the fields that identify a person (references, names, dates of birth, postcodes),
all invented: names come from short lists of common names, references start ``SYN-``, postcodes use
real district prefixes with random units, and PNC identifiers are well formed (two-digit year,
seven-digit serial, check letter) with serials from 9,900,000 up. They are written so that safer
treats them exactly as it would a real export: refused while no pseudonymisation key is configured,
and loaded only pseudonymised, the identifying fields never reaching the warehouse.

The people are drawn from one shared :class:`Population`, so the same person appears in several
agencies' files as they would in a real partnership: nearly half of the YOS cohort is also on the
IGU's (the seed's figure), some young people and MARAC victims are also police-recorded victims of
crime, hate crime victims are victims of crime, and people are victimised again. A person keeps
their name, date of birth and sex in every file, so linkage finds them; the rates are in
``safer.synth.calibration``.

Example:
    >>> cases = marac_cases(context, Population(np.random.default_rng(1)))  # doctest: +SKIP
    >>> (cases["Referral date"] >= "2017-07-01").sum()  # doctest: +SKIP
    379
"""

from __future__ import annotations

from collections.abc import Callable
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
#: The PNC check letters, indexed by (two-digit year and seven-digit serial, as one number) modulo 23.
PNC_CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"
#: Synthetic PNC serial numbers start here, so that they stand out.
SYNTHETIC_PNC_SERIAL = 9_900_000
SPAN_DAYS = 365  # a repeat is within 12 months


def pnc_identifier(year: int, serial: int) -> str:
    """A well-formed PNC identifier ``YY/NNNNNNNL`` with its check letter.

    >>> pnc_identifier(2001, 171310), pnc_identifier(2011, 9900001)
    ('01/0171310W', '11/9900001M')
    """
    if not 0 <= serial <= 9_999_999:
        raise ValueError(f"PNC serial {serial} must have at most seven digits")
    yy = year % 100
    return f"{yy:02d}/{serial:07d}{PNC_CHECK_LETTERS[int(f'{yy:02d}{serial:07d}') % 23]}"


class Population:
    """Everyone the synthetic person-level files are about: one name, date of birth and sex each.

    Generators add the people they create (:meth:`add`) and draw on those other generators added
    before them (:meth:`tagged`), so that people recur across agencies. No two people share a name
    and date of birth, so every link the analyses find is one the generator made.
    """

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.forename: list[str] = []
        self.surname: list[str] = []
        self.dob: list[np.datetime64] = []
        self.sex: list[str] = []
        self._keys: set[tuple[str, str, np.datetime64]] = set()
        self._tags: dict[str, list[int]] = {}
        self._pnc: dict[int, str] = {}
        self.records: dict[str, pd.DataFrame] = {}  # a dataset's rows with a ``person`` column, for later files

    def __len__(self) -> int:
        return len(self.dob)

    def add(self, sex: np.ndarray, dob: np.ndarray, tag: str) -> np.ndarray:
        """New people with these sexes and dates of birth (names drawn), tagged ``tag``; their indices."""
        start = len(self)
        for s, d in zip(sex, np.asarray(dob, dtype="datetime64[D]")):
            while True:
                forename = FORENAMES[int(self.rng.integers(len(FORENAMES)))]
                surname = SURNAMES[int(self.rng.integers(len(SURNAMES)))]
                if (forename, surname, d) not in self._keys:
                    break
            self._keys.add((forename, surname, d))
            self.forename.append(forename)
            self.surname.append(surname)
            self.dob.append(d)
            self.sex.append(str(s))
        people = np.arange(start, len(self))
        self.tag(people, tag)
        return people

    def tag(self, people: np.ndarray, tag: str) -> None:
        known = self._tags.setdefault(tag, [])
        seen = set(known)
        known.extend(int(p) for p in people if int(p) not in seen and not seen.add(int(p)))

    def tagged(self, tag: str) -> np.ndarray:
        return np.array(self._tags.get(tag, []), dtype=int)

    def names(self, people: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (np.array([self.forename[p] for p in people], dtype=object),
                np.array([self.surname[p] for p in people], dtype=object))

    def birth_dates(self, people: np.ndarray) -> np.ndarray:
        return np.array([self.dob[p] for p in people], dtype="datetime64[D]")

    def sexes(self, people: np.ndarray) -> np.ndarray:
        return np.array([self.sex[p] for p in people], dtype=object)

    def pnc(self, people: np.ndarray) -> np.ndarray:
        """Each person's PNC identifier, made the first time it is asked for (year: when they were 16)."""
        out = []
        for p in people:
            if int(p) not in self._pnc:
                year = int(str(self.dob[p])[:4]) + 16
                self._pnc[int(p)] = pnc_identifier(year, SYNTHETIC_PNC_SERIAL + len(self._pnc))
            out.append(self._pnc[int(p)])
        return np.array(out, dtype=object)


def age_on(dob: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Whole years from each date of birth to each date.

    >>> age_on(np.array(["2000-03-01"], "datetime64[D]"), np.array(["2018-02-28"], "datetime64[D]"))
    array([17])
    """
    dob, on = np.asarray(dob, "datetime64[D]"), np.asarray(on, "datetime64[D]")

    def month_day(days: np.ndarray) -> np.ndarray:
        month = days.astype("datetime64[M]").astype(int) % 12
        return month * 100 + (days - days.astype("datetime64[M]").astype("datetime64[D]")).astype(int)

    years = on.astype("datetime64[Y]").astype(int) - dob.astype("datetime64[Y]").astype(int)
    return years - (month_day(on) < month_day(dob)).astype(int)


def band_finder(ranges: dict[str, tuple[int, int]]) -> Callable[[int], str | None]:
    """The band of an age, from a dataset's ``{label: (low, high)}`` (an ``Unknown`` band is never matched)."""
    def band(age: int) -> str | None:
        for label, (low, high) in ranges.items():
            if label != "Unknown" and low <= age <= high:
                return label
        return None
    return band


def assign_people(ctx: Context, pool: Population, when: np.ndarray, sex: np.ndarray, bands: np.ndarray,
                  ages: np.ndarray, band: Callable[[int], str | None] | None, tag: str, *, repeat: float = 0.0,
                  shared: dict[str, float] | None = None) -> np.ndarray:
    """A person for each record dated ``when`` (sorted): an earlier victim again, someone another agency knows, or new.

    With probability ``repeat`` the record is a further one of a person this dataset recorded on an
    earlier day in the previous 12 months; with the probabilities in ``shared``, a person tagged
    with that key; otherwise (or when no such person fits) a new person, ``ages`` old on the day.
    With a ``band`` function, a person drawn again must have the record's sex and fall in its age
    band on the day, so the dataset's published shares are kept; without one, anyone will do (the
    dataset then takes sex and age band from the person).
    """
    rng = ctx.rng
    when = np.asarray(when, dtype="datetime64[D]")
    shared = shared or {}
    if len(when) and (np.diff(when.astype(int)) < 0).any():
        raise ValueError("records must be in date order")
    if not len(when) == len(sex) == len(bands) == len(ages):
        raise ValueError("when, sex, bands and ages must have one value per record")
    if min(repeat, *shared.values(), 0.0) < 0 or repeat + sum(shared.values()) > 1:
        raise ValueError("repeat and the shared shares are probabilities adding up to at most 1")
    new_dob = _birth_dates(ctx, when, ages)
    person = np.full(len(when), -1, dtype=int)
    pools = {name: pool.tagged(name) for name in shared}

    def fits(p: int, i: int) -> bool:
        if band is None:
            return pool.dob[p] < when[i]
        if pool.sex[p] != sex[i] and sex[i] in ("Female", "Male"):
            return False
        age = int(age_on(np.array([pool.dob[p]]), when[i:i + 1])[0])
        return age >= 0 and band(age) == bands[i]

    for i in range(len(when)):
        u = rng.random()
        if u < repeat:
            first = np.searchsorted(when, when[i] - np.timedelta64(SPAN_DAYS, "D"), "left")
            last = np.searchsorted(when, when[i], "left")  # earlier days only
            for _ in range(20 if last > first else 0):
                p = person[int(rng.integers(first, last))]
                if fits(p, i):
                    person[i] = p
                    break
        else:
            u -= repeat
            for name, share in shared.items():
                if u < share:
                    candidates = pools[name]
                    for _ in range(20 if len(candidates) else 0):
                        p = int(candidates[int(rng.integers(len(candidates)))])
                        if fits(p, i):
                            person[i] = p
                            break
                    break
                u -= share
        if person[i] < 0:
            person[i] = pool.add(sex[i:i + 1], new_dob[i:i + 1], tag)[0]
    pool.tag(person, tag)
    return person


def _ids(prefix: str, n: int, start: int = 1) -> np.ndarray:
    return np.array([f"SYN-{prefix}-{start + i:05d}" for i in range(n)], dtype=object)


def _person_ids(prefix: str, people: np.ndarray) -> np.ndarray:
    """An agency's reference for each person, the same on every row of the same person."""
    ids: dict[int, str] = {}
    return np.array([ids.setdefault(int(p), f"SYN-{prefix}-{len(ids) + 1:05d}") for p in people], dtype=object)


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


def marac_cases(ctx: Context, pool: Population) -> pd.DataFrame:
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
    people = assign_people(ctx, pool, referred, sex, bands, _ages_in_bands(ctx, bands, ranges), band_finder(ranges),
                           "marac", repeat=cal.REPEAT_RECORD_SHARE["marac-cases"])
    forename, surname = pool.names(people)
    wards = _first_place(people, _wards(ctx, n, {cal.CHURCH_STREET: 0.12, cal.QUEENS_PARK: 0.11,
                                               cal.HARROW_ROAD: 0.10}))
    frame = pd.DataFrame({
        "Case ID": _ids("MARAC", n), "Victim forename": forename, "Victim surname": surname,
        "Victim date of birth": _iso(pool.birth_dates(people)),
        "Referral date": _iso(referred), "Referring agency": routes, "Repeat case": columns["Repeat case"],
        "Victim sex": sex, "Victim age band": bands, "BME": columns["BME"], "LGBT": columns["LGBT"],
        "Disability": columns["Disability"], "Children in household": children, "Ward code": wards,
    })
    pool.records["marac-cases"] = frame.assign(person=people)
    return frame


def _first_place(people: np.ndarray, wards: np.ndarray) -> np.ndarray:
    """Each person's first place (ward or LSOA) in the file, so a person's records agree on where they live."""
    first: dict[int, str] = {}
    return np.array([first.setdefault(int(p), w) for p, w in zip(people, wards)], dtype=object)


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


def youth_cohorts(ctx: Context, pool: Population) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The YOS caseload and offences, and the IGU cohort, sharing young people as the seed describes.

    Supervision episodes keep the mid-month caseload at the seed's average. Of the young people on
    the YOS caseload in each year, ``IGU_SHARE_OF_YOS`` are referred to the IGU that year ("nearly
    half of the YOS cohort is being worked with by the IGU"); the rest of the IGU cohort are new.
    """
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
    sex = labels(rng, n, {"Female": 0.15, "Male": 0.85})
    people = pool.add(sex, _birth_dates(ctx, start, ages), "yos")
    forename, surname = pool.names(people)
    wards = _wards(ctx, n, cal.IGU_WARDS)
    caseload = pd.DataFrame({
        "Episode ID": _ids("YOSEP", n), "Young person ID": _ids("YP", n), "Forename": forename, "Surname": surname,
        "Date of birth": _iso(pool.birth_dates(people)), "Start date": _iso(start), "End date": end_text,
        "Sex": sex,
        "Ethnicity": drawn(rng, n, {"White": 0.14, "Black": 0.33, "Asian": 0.08, "Mixed": 0.12, "Other": 0.31,
                                    "Not known": 0.02}),
        "Intervention level": labels(rng, n, cal.YOS_INTERVENTION),
        "Risk of serious harm": drawn(rng, n, {"Low": 0.25, "Medium": 0.5, "High": 0.18, "Very high": 0.02,
                                               "Not yet assessed": 0.05}),
        "Known to IGU": np.full(n, "false", dtype=object),
        "Ward code": wards,
    })
    igu, igu_people = _igu_cohort(ctx, pool, people, start, end, wards)
    caseload["Known to IGU"] = np.where(np.isin(people, igu_people), "true", "false").astype(object)
    return caseload, _yos_offences(ctx, caseload), igu


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
    end = np.where(caseload["End date"] == "", str(dates.max()), caseload["End date"]).astype("datetime64[D]")
    people = caseload["Young person ID"].to_numpy()
    wards = caseload["Ward code"].to_numpy()
    # a few young people commit most offences: each one's share is gamma distributed (ASSUMED shape), and an
    # offence belongs to someone whose supervision has started and ended no more than six months before
    weight = rng.gamma(cal.YOS_OFFENDING_SHAPE, 1.0, len(people))
    chosen = np.zeros(len(dates), dtype=int)
    for i, d in enumerate(dates):
        eligible = np.flatnonzero((start <= d) & (end + np.timedelta64(183, "D") >= d))
        if len(eligible):
            chosen[i] = rng.choice(eligible, p=weight[eligible] / weight[eligible].sum())
    category = np.concatenate([labels(rng, k, cal.YOS_OFFENCE_SHARES) for k in (previous, current)])
    knife = np.where((category == "Violence against the person") & (rng.random(len(dates)) < 1 / 3), "true", "false")
    return pd.DataFrame({"Offence ID": _ids("YOSOF", len(dates)), "Young person ID": people[chosen],
                         "Offence date": _iso(dates),
                         "Disposal date": _disposal_dates(ctx, dates, cal.PROVEN_SHARE["yos-offences"]),
                         "Offence category": category,
                         "Knife or offensive weapon": knife.astype(object), "Ward code": wards[chosen]})


def _disposal_dates(ctx: Context, offences: np.ndarray, proven: float) -> np.ndarray:
    """The date each offence was proven (conviction or caution), blank if never, or not by the end of the data."""
    rng = ctx.rng
    offences = np.asarray(offences, dtype="datetime64[D]")
    lag = np.maximum(rng.lognormal(np.log(cal.DISPOSAL_MEDIAN_DAYS), cal.DISPOSAL_SPREAD, len(offences)), 1)
    disposal = offences + lag.astype(int).astype("timedelta64[D]")
    last_day = np.datetime64(ctx.periods[1].end_exclusive) - np.timedelta64(1, "D")
    known = (rng.random(len(offences)) < proven) & (disposal <= last_day)
    return np.where(known, _iso(disposal), "").astype(object)


_IGU_BANDS = {"10-13": (10, 13), "14-15": (14, 15), "16-17": (16, 17), "18-20": (18, 20), "21-24": (21, 24)}


def _igu_cohort(ctx: Context, pool: Population, yos_people: np.ndarray, yos_start: np.ndarray,
                yos_end: np.ndarray, yos_wards: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """People referred to the IGU in each year: a share of that year's YOS caseload, the rest new."""
    rng = ctx.rng
    counts = [round(k * ctx.scale) for k in cal.IGU_PEOPLE]
    people: list[int] = []
    referred: list[np.datetime64] = []
    wards: list[str] = []
    for period, count in zip(ctx.periods, counts):
        first, end = np.datetime64(period.first), np.datetime64(period.end_exclusive)
        active = np.flatnonzero((yos_start < end) & (yos_end >= first))  # one episode of each young person
        linked = rng.choice(active, size=min(round(cal.IGU_SHARE_OF_YOS * len(active)), count), replace=False)
        for episode in np.sort(linked):
            low = max(yos_start[episode], first)
            high = min(yos_end[episode], end - np.timedelta64(1, "D"))
            referred.append(low + np.timedelta64(int(rng.integers(0, (high - low).astype(int) + 1)), "D"))
            people.append(int(yos_people[episode]))
            wards.append(yos_wards[episode])
        new = count - len(linked)
        when = random_dates(rng, new, period.first, period.end_exclusive)
        bands = labels(rng, new, {"10-13": 0.08, "14-15": 0.25, "16-17": 0.40, "18-20": 0.19, "21-24": 0.08})
        sex = labels(rng, new, {"Female": 0.16, "Male": 0.84})
        added = pool.add(sex, _birth_dates(ctx, when, _ages_in_bands(ctx, bands, _IGU_BANDS)), "igu")
        people += [int(p) for p in added]
        referred += list(when)
        wards += list(_wards(ctx, new, cal.IGU_WARDS))
    order = np.argsort(np.array(referred, dtype="datetime64[D]"), kind="stable")
    who = np.array(people, dtype=int)[order]
    when = np.array(referred, dtype="datetime64[D]")[order]
    pool.tag(who, "igu")
    n = len(who)
    band = band_finder(_IGU_BANDS)
    bands = np.array([band(int(a)) or "21-24" for a in age_on(pool.birth_dates(who), when)], dtype=object)
    forename, surname = pool.names(who)
    known_to_yos = np.isin(who, yos_people)
    frame = pd.DataFrame({
        "Person ID": _person_ids("IGU", who), "Forename": forename, "Surname": surname,
        "Date of birth": _iso(pool.birth_dates(who)), "Date referred": _iso(when), "Sex": pool.sexes(who),
        "Age band": bands, "Known to children's services": _flags(ctx, n, 0.58),
        "Known to YOS": np.where(known_to_yos, "true", "false").astype(object),
        "Reported missing": _flags(ctx, n, 0.33),
        "Commissioned support": labels(rng, n, {"Employment coach": 0.30, "Sexual violence practitioner": 0.18,
                                                "Gang exit (St Giles Trust)": 0.16,
                                                "Child and adolescent mental health": 0.10, "None": 0.26}),
        "Ward code": np.array(wards, dtype=object)[order],
    })
    return frame, who


_COSTS = {"Violence with injury": 14050, "Violence without injury": 5930, "Robbery": 11320, "Burglary": 5930,
          "Theft from the person": 1380, "Shoplifting": 150, "Other theft": 1180, "Vehicle offences": 4290,
          "Drugs": 0, "Criminal damage": 1350, "Public order": 0, "Other": 0}  # 2015/16 unit costs, rounded


_IOM_ETHNICITY = {"White North European": 0.57, "Black": 0.25, "Asian": 0.06, "Middle Eastern": 0.05,
                  "White South European": 0.05, "Unknown": 0.02}


def iom_cohort(ctx: Context, pool: Population) -> tuple[pd.DataFrame, pd.DataFrame]:
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
    sex = np.concatenate([labels(rng, k, {"Male": 0.95, "Female": 0.05}) for k in (current, leavers)])
    people = _iom_people(ctx, pool, joined, sex, ages)
    forename, surname = pool.names(people)
    cohort = pd.DataFrame({
        "PNC ID": pool.pnc(people), "Forename": forename, "Surname": surname,
        "Date of birth": _iso(pool.birth_dates(people)),
        "Date joined": _iso(joined), "Date left": np.where(np.isnat(left), "", _iso(left)).astype(object),
        "Sex": sex,
        "Ethnic appearance": np.concatenate([labels(rng, k, _IOM_ETHNICITY) for k in (current, leavers)]),
        "RAG status": rag,
        "Starting Over client": np.concatenate([labels(rng, current, {"true": cal.IOM_STARTING_OVER / current,
                                                                      "false": 1 - cal.IOM_STARTING_OVER / current}),
                                                _flags(ctx, leavers, 0.1)]),
        "Ward code": _wards(ctx, n, {cal.HARROW_ROAD: 0.14, cal.CHURCH_STREET: 0.13, cal.QUEENS_PARK: 0.12}),
    })
    return cohort, _iom_offences(ctx, cohort, current)


def _iom_people(ctx: Context, pool: Population, joined: np.ndarray, sex: np.ndarray, ages: np.ndarray) -> np.ndarray:
    """IOM members: ``IOM_FROM_IGU`` of them young adults from the IGU cohort (same sex, 19 or over), the rest new."""
    rng = ctx.rng
    people = pool.add(sex, _birth_dates(ctx, joined, ages), "iom")
    igu = pool.tagged("igu")
    linked = 0
    for i in rng.permutation(len(joined)):
        if linked >= round(cal.IOM_FROM_IGU * ctx.scale) or not len(igu):
            break
        age = age_on(pool.birth_dates(igu), np.full(len(igu), joined[i]))
        fits = igu[(age >= 19) & (pool.sexes(igu) == sex[i]) & ~np.isin(igu, people)]
        if len(fits):
            people[i] = int(fits[int(rng.integers(len(fits)))])
            linked += 1
    pool.tag(people, "iom")
    return people


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
                         "Disposal date": _disposal_dates(ctx, when, cal.PROVEN_SHARE["iom-offences"]),
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


def hate_crime_victims(ctx: Context, pool: Population) -> tuple[pd.DataFrame, pd.DataFrame]:
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
    refs = _cris_references(ctx, when)
    sex = labels(rng, n, {"Male": 2 / 3, "Female": 0.32, "Unknown": 1 / 3 - 0.32})
    people = assign_people(ctx, pool, when, sex, bands, _ages_in_bands(ctx, bands, _HATE_AGE_RANGES),
                           band_finder(_HATE_AGE_RANGES), "hate-victim",
                           repeat=cal.REPEAT_RECORD_SHARE["hate-crime-victims"])
    forename, surname = pool.names(people)
    wards = _wards(ctx, n, {cal.WEST_END: 0.2, cal.ST_JAMES: 0.15})
    victims = pd.DataFrame({
        "CRIS reference": refs, "Victim forename": forename, "Victim surname": surname,
        "Victim date of birth": _iso(pool.birth_dates(people)),
        "Offence date": _iso(when), "Strand": strand, "Offence group": offence,
        "Victim sex": sex,
        "Victim age band": bands, "Repeat victim": _flags(ctx, n, cal.HATE_REPEAT_VICTIMS), "Ward code": wards,
    })
    with_suspect = np.flatnonzero(rng.random(n) < 0.6)
    k = len(with_suspect)
    suspect_bands = drawn(rng, k, {"Under 18": 0.12, "18-25": 0.3, "26-35": 0.28, "36-45": 0.16, "46-55": 0.09,
                                   "56+": 0.04, "Unknown": 0.01})
    for name, young in (("Homophobic", "18-25"), ("Transgender", "18-25"), ("Disability", "Under 18")):
        rows = np.flatnonzero(strand[with_suspect] == name)
        suspect_bands[rows] = np.where(rng.random(len(rows)) < 0.48, young, suspect_bands[rows])
    suspect_sex = drawn(rng, k, {"Male": 0.8, "Female": 0.19, "Unknown": 0.01})
    suspect_people = assign_people(ctx, pool, when[with_suspect], suspect_sex, suspect_bands,
                                   _ages_in_bands(ctx, suspect_bands, _HATE_AGE_RANGES), band_finder(_HATE_AGE_RANGES),
                                   "hate-suspect", shared={"iom": cal.HATE_SUSPECTS_FROM_IOM})
    s_forename, s_surname = pool.names(suspect_people)
    suspects = pd.DataFrame({
        "CRIS reference": refs[with_suspect], "Suspect forename": s_forename, "Suspect surname": s_surname,
        "Suspect date of birth": _iso(pool.birth_dates(suspect_people)),
        "Offence date": _iso(when[with_suspect]), "Strand": strand[with_suspect],
        "Suspect sex": suspect_sex,
        "Suspect age band": suspect_bands, "Ward code": wards[with_suspect],
    })
    pool.records["hate-crime-victims"] = victims.assign(person=people)
    return victims, suspects


def _cris_references(ctx: Context, when: np.ndarray) -> np.ndarray:
    """Crime references in the CRIS style, ``SYN`` then seven digits, a slash and the two-digit year."""
    return np.array([f"SYN{ctx.rng.integers(0, 9999999):07d}/{str(d)[2:4]}" for d in when], dtype=object)


_REPORT_BANDS = {"Under 18": (10, 17), "18-24": (18, 24), "25-34": (25, 34), "35-44": (35, 44), "45-54": (45, 54),
                 "55-64": (55, 64), "65 and over": (65, 92), "Unknown": (40, 40)}
_HATE_GROUPS = {"Public order": "Public order", "Violence without injury": "Violence without injury",
                "Violence with injury": "Violence with injury", "Harassment": "Violence without injury",
                "Common assault": "Violence without injury", "Criminal damage": "Criminal damage", "Other": "Other"}


def _report_band(ages: np.ndarray) -> np.ndarray:
    band = band_finder({**_REPORT_BANDS, "65 and over": (65, 150)})
    return np.array([band(int(a)) or "Unknown" for a in ages], dtype=object)


def crime_victims(ctx: Context, pool: Population) -> pd.DataFrame:
    """Victims of violence, sexual offences and robbery: the hate crime victims, MARAC victims and young people
    among them, and other victims, some victimised again within a year.

    Rows per year are ``CRIME_VICTIMS``; a hate crime victim's row has the hate crime's reference,
    date and place. Age bands come from each victim's date of birth on the day.
    """
    rng = ctx.rng
    first = np.datetime64(ctx.periods[0].first)
    parts = []
    hate = pool.records.get("hate-crime-victims")
    if hate is not None:  # every hate crime victim is a victim of crime
        parts.append(pd.DataFrame({
            "person": hate["person"].to_numpy(), "when": hate["Offence date"].to_numpy().astype("datetime64[D]"),
            "ref": hate["CRIS reference"].to_numpy(), "group": hate["Offence group"].map(_HATE_GROUPS).to_numpy(),
            "domestic": "false", "hate": "true", "sex": hate["Victim sex"].to_numpy(),
            "ward": hate["Ward code"].to_numpy()}))
    marac = pool.records.get("marac-cases")
    if marac is not None:  # the domestic abuse crime behind a MARAC referral, recorded on the day of the referral
        chosen = marac[rng.random(len(marac)) < cal.MARAC_IN_CRIME_VICTIMS]
        when = chosen["Referral date"].to_numpy().astype("datetime64[D]")
        keep = when >= first
        parts.append(pd.DataFrame({
            "person": chosen["person"].to_numpy()[keep], "when": when[keep], "ref": None,
            "group": drawn(rng, int(keep.sum()), {"Violence with injury": 0.45, "Violence without injury": 0.55}),
            "domestic": "true", "hate": "false", "sex": chosen["Victim sex"].to_numpy()[keep],
            "ward": chosen["Ward code"].to_numpy()[keep]}))
    young = np.union1d(pool.tagged("yos"), pool.tagged("igu"))
    victims = young[rng.random(len(young)) < cal.YOUTH_CRIME_VICTIM_SHARE]
    if len(victims):
        parts.append(pd.DataFrame({
            "person": victims, "when": random_dates(rng, len(victims), ctx.periods[0].first,
                                                    ctx.periods[1].end_exclusive),
            "ref": None, "group": drawn(rng, len(victims), {"Robbery": 0.5, "Violence with injury": 0.5}),
            "domestic": "false", "hate": "false", "sex": pool.sexes(victims),
            "ward": _wards(ctx, len(victims), cal.IGU_WARDS)}))
    known = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["person", "when", "ref", "group", "domestic", "hate", "sex", "ward"])
    known_when = known["when"].to_numpy().astype("datetime64[D]")
    counts = []
    for period, target in zip(ctx.periods, _split(cal.CRIME_VICTIMS, ctx)):
        inside = (known_when >= np.datetime64(period.first)) & (known_when < np.datetime64(period.end_exclusive))
        counts.append(max(target - int(inside.sum()), 0))
    when = _dates(ctx, (counts[0], counts[1]))
    n = len(when)
    sex = drawn(rng, n, {"Female": 0.44, "Male": 0.55, "Unknown": 0.01})
    bands = drawn(rng, n, cal.CRIME_VICTIM_AGE)
    people = assign_people(ctx, pool, when, sex, bands, _ages_in_bands(ctx, bands, _REPORT_BANDS), None,
                           "crime-victim", repeat=cal.REPEAT_RECORD_SHARE["crime-victims"],
                           shared={"marac": 0.01, "hate-victim": 0.01})
    general = pd.DataFrame({"person": people, "when": when, "ref": None,
                            "group": drawn(rng, n, cal.CRIME_VICTIM_GROUPS),
                            "domestic": np.where(rng.random(n) < 0.12, "true", "false"), "hate": "false",
                            "sex": pool.sexes(people), "ward": None})
    rows = pd.concat([known, general], ignore_index=True)
    rows["when"] = rows["when"].to_numpy().astype("datetime64[D]")
    rows = rows.sort_values("when", kind="stable").reset_index(drop=True)
    pool.tag(rows["person"].to_numpy(), "crime-victim")
    k = len(rows)
    weights = ctx.geo.area_weights(rng, {cal.WEST_END: 0.2, cal.ST_JAMES: 0.17} if ctx.calibrated else {}, {})
    places = rng.choice(ctx.geo.lsoas["lsoa_code"].to_numpy(), size=k, p=weights)
    ward = rows["ward"].to_numpy()
    has_ward = pd.notna(ward)  # records copied from another file keep its ward, without an LSOA
    lsoa = np.where(has_ward, "", places).astype(object)
    ward = np.where(has_ward, ward, ctx.geo.ward_of(places))
    who = rows["person"].to_numpy().astype(int)
    dob = pool.birth_dates(who)
    refs = rows["ref"].to_numpy()
    refs = np.where(pd.notna(refs), refs, _cris_references(ctx, rows["when"].to_numpy()))
    forename, surname = pool.names(who)
    return pd.DataFrame({
        "CRIS reference": refs.astype(object), "Victim forename": forename, "Victim surname": surname,
        "Victim date of birth": _iso(dob), "Offence date": _iso(rows["when"].to_numpy()),
        "Offence group": rows["group"].to_numpy(), "Domestic abuse": rows["domestic"].to_numpy(),
        "Hate crime": rows["hate"].to_numpy(),
        "Victim sex": np.where(rows["sex"].isin(["Female", "Male", "Unknown"]), rows["sex"], "Unknown").astype(object),
        "Victim age band": _report_band(age_on(dob, rows["when"].to_numpy())),
        "LSOA code": lsoa, "Ward code": ward.astype(object),
    })


def asb_victims(ctx: Context, pool: Population) -> pd.DataFrame:
    """Anti-social behaviour victims known to the council: many report again; a few are also victims of crime."""
    rng = ctx.rng
    previous, current = _split(cal.ASB_VICTIMS, ctx)
    n = previous + current
    when = _dates(ctx, (previous, current))
    sex = drawn(rng, n, {"Female": 0.55, "Male": 0.44, "Unknown": 0.01})
    bands = drawn(rng, n, cal.ASB_VICTIM_AGE)
    people = assign_people(ctx, pool, when, sex, bands, _ages_in_bands(ctx, bands, _REPORT_BANDS), None,
                           "asb-victim", repeat=cal.REPEAT_RECORD_SHARE["asb-victims"],
                           shared={"crime-victim": 0.05})
    sex = pool.sexes(people)
    weights = ctx.geo.area_weights(
        rng, {cal.QUEENS_PARK: 0.1, cal.CHURCH_STREET: 0.1, cal.WEST_END: 0.1} if ctx.calibrated else {}, {})
    homes = rng.choice(ctx.geo.lsoas["lsoa_code"].to_numpy(), size=n, p=weights)
    lsoa = _first_place(people, homes)  # a victim's reports are about their home
    dob = pool.birth_dates(people)
    forename, surname = pool.names(people)
    return pd.DataFrame({
        "Case ID": _ids("ASBC", n), "Victim ID": _person_ids("ASBV", people), "Victim forename": forename, "Victim surname": surname,
        "Victim date of birth": _iso(dob), "Report date": _iso(when), "ASB type": labels(rng, n, cal.ASB_VICTIM_TYPES),
        "Vulnerable victim": _flags(ctx, n, 0.18), "Victim sex": sex,
        "Victim age band": _report_band(age_on(dob, when)), "LSOA code": lsoa.astype(object),
        "Ward code": ctx.geo.ward_of(lsoa),
    })
