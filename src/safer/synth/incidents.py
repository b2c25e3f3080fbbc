"""Synthetic incident-level datasets: ambulance, fire, transport and council ASB records.

Each generator returns a DataFrame whose columns are the dataset contract's header, one row per
incident, for the area (calibrated to the seed, see ``calibration.py``) and, with ``region=True``,
for the rest of its region (the comparator). Counts the seed publishes are reproduced exactly; shares
it publishes (places, age, sex) exactly up to rounding; times are drawn from the dataset's hour x
weekday profile (``timing.py``). Every reference starts ``SYN-`` so no one mistakes a record for a
real one.

Places come in the three forms the contracts accept (:func:`place_columns`): most rows give the LSOA
and its ward, about 2% only the ward, and about 3% only a point (longitude, latitude) drawn inside
their LSOA's packaged boundary, which safer places back in that LSOA as the file loads.

Example:
    >>> frame = las_assaults(context)  # doctest: +SKIP
    >>> len(frame[frame["LSOA code"].isin(area_lsoas)])  # doctest: +SKIP
    3615
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from safer.synth import calibration as cal
from safer.synth.geography import AreaGeography, points_in_lsoas
from safer.synth.timing import allocate, exact_counts, profile, timestamps

WESTMINSTER_POPULATION_2011 = 219396
LONDON_REST_POPULATION_2011 = 8_173_941 - WESTMINSTER_POPULATION_2011


@dataclass(frozen=True)
class SynthPeriod:
    label: str  # "previous" or "current"
    first: date
    end_exclusive: date


@dataclass(frozen=True)
class Context:
    """Everything a generator needs: the places, the two periods and the random stream."""

    geo: AreaGeography
    periods: tuple[SynthPeriod, SynthPeriod]  # previous, current
    rng: np.random.Generator
    region: bool = True

    @property
    def calibrated(self) -> bool:
        return self.geo.area_code == cal.CALIBRATED_AREA

    @property
    def scale(self) -> float:
        """Volumes relative to Westminster's, by residents (1 for Westminster itself)."""
        return 1.0 if self.calibrated else self.geo.population / WESTMINSTER_POPULATION_2011


def labels(rng: np.random.Generator, n: int, shares: dict[str, float]) -> np.ndarray:
    """``n`` values with exactly the given shares (rounded), in random order."""
    values = np.repeat(np.array(list(shares), dtype=object), exact_counts(n, list(shares.values())))
    rng.shuffle(values)
    return values


def drawn(rng: np.random.Generator, n: int, shares: dict[str, float]) -> np.ndarray:
    """``n`` values drawn independently with the given probabilities."""
    p = np.asarray(list(shares.values()), float)
    return rng.choice(np.array(list(shares), dtype=object), size=n, p=p / p.sum())


def _stamp_text(stamps: np.ndarray) -> np.ndarray:
    """``YYYY-MM-DD HH:MM`` text, the contracts' local date and time."""
    return np.char.replace(np.datetime_as_string(stamps.astype("datetime64[m]"), unit="m"), "T", " ").astype(object)


def _references(prefix: str, period: SynthPeriod, n: int, offset: int = 0) -> np.ndarray:
    return np.array([f"SYN-{prefix}-{period.first.year}{period.first.month:02d}-{offset + i:06d}"
                     for i in range(n)], dtype=object)


def _area_counts(ctx: Context, spec: cal.IncidentCalibration) -> tuple[int, int]:
    return round(spec.previous * ctx.scale), round(spec.current * ctx.scale)


def _region_counts(ctx: Context, spec: cal.IncidentCalibration) -> tuple[int, int]:
    """Rest-of-region records per period: from Westminster's published share of London's records, and
    for another area the same rate per resident of the rest of its region."""
    if not ctx.region or spec.area_share_of_region >= 1.0:
        return 0, 0
    london_rest = spec.current * (1 / spec.area_share_of_region - 1)
    residents = ctx.geo.region_lsoas["population"].sum()
    current = round(london_rest if ctx.calibrated else london_rest * residents / LONDON_REST_POPULATION_2011)
    return round(current / (1 + spec.region_growth)), current


def incidents(ctx: Context, spec: cal.IncidentCalibration, prefix: str, *, area_lsoas: np.ndarray | None = None
              ) -> pd.DataFrame:
    """The common part of every incident dataset: reference, time, place, and who it is.

    Columns: ``ref``, ``when``, ``lsoa``, ``ward``, ``period``, ``in_area`` and, where the
    calibration has them, ``category``, ``age_band``, ``sex``. ``area_lsoas`` (one LSOA per area
    record, both periods concatenated) overrides the spread by ward and LSOA shares.
    """
    rng = ctx.rng
    weights = ctx.geo.area_weights(rng, spec.ward_shares if ctx.calibrated else {},
                                   spec.lsoa_shares if ctx.calibrated else {})
    region_weights = ctx.geo.region_weights(rng) if ctx.region else None
    area_n, region_n = _area_counts(ctx, spec), _region_counts(ctx, spec)
    weekday_hours = profile(spec.hours)
    frames, offset, used = [], 0, 0
    for index, period in enumerate(ctx.periods):
        n = area_n[index]
        exact_table = spec.hours == "btp table" and period.label == "current" and ctx.calibrated
        cells = allocate(rng, n, weekday_hours, night_share=spec.night_share, exact=exact_table)
        if area_lsoas is not None:
            lsoas = area_lsoas[used:used + n]
            used += n
        else:
            lsoas = np.repeat(ctx.geo.lsoas["lsoa_code"].to_numpy(object), exact_counts(n, weights))
            rng.shuffle(lsoas)
        area = pd.DataFrame({"when": timestamps(rng, cells, period.first, period.end_exclusive), "lsoa": lsoas})
        area["in_area"] = True
        _people(rng, area, spec.age_shares, spec.sex_shares, exact=True)
        if spec.category_counts is not None:
            area["category"] = labels(rng, n, spec.category_counts[index])
        elif spec.category_shares:
            area["category"] = labels(rng, n, _year_shares(rng, spec.category_shares, period))
        parts = [area]
        m = region_n[index]
        if m:
            region_cells = allocate(rng, m, weekday_hours)
            region = pd.DataFrame({
                "when": timestamps(rng, region_cells, period.first, period.end_exclusive),
                "lsoa": rng.choice(ctx.geo.region_lsoas["lsoa_code"].to_numpy(object), size=m, p=region_weights)})
            region["in_area"] = False
            _people(rng, region, spec.region_age_shares or spec.age_shares,
                    spec.region_sex_shares or spec.sex_shares, exact=False)
            if spec.category_counts is not None:
                region["category"] = drawn(rng, m, spec.category_counts[index])
            elif spec.category_shares:
                region["category"] = drawn(rng, m, spec.category_shares)
            parts.append(region)
        frame = pd.concat(parts, ignore_index=True)
        frame["period"] = period.label
        frame["ref"] = _references(prefix, period, len(frame), offset)
        offset += len(frame)
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)
    frame["ward"] = ctx.geo.ward_of(frame["lsoa"].to_numpy())
    return frame


def _year_shares(rng: np.random.Generator, shares: dict[str, float], period: SynthPeriod) -> dict[str, float]:
    """The published shares for the current year; for the previous year, the same shares varied a little
    (about 8%), so that categories do not all change by the same percentage."""
    if period.label == "current":
        return shares
    varied = {k: v * rng.lognormal(0.0, 0.08) for k, v in shares.items()}
    total = sum(varied.values())
    return {k: v / total for k, v in varied.items()}


def _people(rng: np.random.Generator, frame: pd.DataFrame, ages: dict[str, float], sexes: dict[str, float], *,
            exact: bool) -> None:
    pick = labels if exact else drawn
    if ages:
        frame["age_band"] = pick(rng, len(frame), ages)
    if sexes:
        frame["sex"] = pick(rng, len(frame), sexes)


def _text(stamps: pd.Series) -> np.ndarray:
    return _stamp_text(stamps.to_numpy().astype("datetime64[m]"))


#: Shares of rows giving only their ward, and only their point, in every incident dataset but BTP (stations).
WARD_ONLY_SHARE, POINT_ONLY_SHARE = 0.02, 0.03


def place_columns(rng: np.random.Generator, frame: pd.DataFrame, *, ward_only: float = WARD_ONLY_SHARE,
                  point_only: float = POINT_ONLY_SHARE, located: float = 0.0) -> dict[str, np.ndarray]:
    """``LSOA code``, ``Ward code``, ``Longitude`` and ``Latitude`` for the records of ``frame``.

    A share ``ward_only`` of rows leave the LSOA blank and give the ward; a share ``point_only`` of the
    rows whose LSOA has a packaged boundary give neither code, only a point inside that LSOA; a share
    ``located`` of the other rows with a boundary give a point as well as both codes. The rest give the
    LSOA and its ward. Every point lies inside the record's own LSOA.
    """
    n = len(frame)
    draw = rng.random(n)
    lon, lat = points_in_lsoas(rng, frame["lsoa"].to_numpy(object))
    bounded = ~np.isnan(lon)
    points_only = bounded & (draw < point_only)
    wards_only = ~points_only & (draw >= point_only) & (draw < point_only + ward_only)
    with_point = points_only | (bounded & ~wards_only & (rng.random(n) < located))
    lsoa = np.where(points_only | wards_only, "", frame["lsoa"].to_numpy(object)).astype(object)
    ward = np.where(points_only, "", frame["ward"].to_numpy(object)).astype(object)
    return {"LSOA code": lsoa, "Ward code": ward,
            "Longitude": np.where(with_point, _coordinate_text(lon), "").astype(object),
            "Latitude": np.where(with_point, _coordinate_text(lat), "").astype(object)}


def _coordinate_text(values: np.ndarray) -> np.ndarray:
    return np.array([f"{v:.5f}" if np.isfinite(v) else "" for v in values], dtype=object)


def las_assaults(ctx: Context) -> pd.DataFrame:
    f = incidents(ctx, cal.LAS_ASSAULTS, "LAS-A")
    return pd.DataFrame({"Incident number": f["ref"], "Incident datetime": _text(f["when"]),
                         "Injury type": f["category"], "Patient age band": f["age_band"], "Patient sex": f["sex"],
                         **place_columns(ctx.rng, f)})


def las_alcohol(ctx: Context) -> pd.DataFrame:
    f = incidents(ctx, cal.LAS_ALCOHOL, "LAS-AL")
    return pd.DataFrame({"Incident number": f["ref"], "Incident datetime": _text(f["when"]),
                         "Patient age band": f["age_band"], "Patient sex": f["sex"], **place_columns(ctx.rng, f)})


def las_overdoses(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng
    f = incidents(ctx, cal.LAS_OVERDOSES, "LAS-OD")
    involved = np.zeros(len(f), bool)
    sex = f["sex"].to_numpy(object).copy()
    for in_area, share in ((True, cal.OVERDOSE_ALCOHOL_INVOLVED), (False, cal.OVERDOSE_REGION_ALCOHOL_INVOLVED)):
        rows = (f["in_area"] == in_area).to_numpy()
        alcohol = rows & (f["category"] == "Alcohol").to_numpy()
        involved[alcohol] = True
        others = np.flatnonzero(rows & ~alcohol)
        extra = max(0, min(len(others), round(share * rows.sum()) - alcohol.sum()))
        involved[rng.choice(others, size=extra, replace=False)] = True
    for substance, female in cal.OVERDOSE_FEMALE_BY_SUBSTANCE.items():
        rows = np.flatnonzero((f["category"] == substance).to_numpy() & f["in_area"].to_numpy())
        sex[rows] = labels(rng, len(rows), {"Female": female, "Male": 1 - female - 0.01, "Unknown": 0.01})
    return pd.DataFrame({"Incident number": f["ref"], "Incident datetime": _text(f["when"]),
                         "Substance": f["category"], "Alcohol involved": np.where(involved, "true", "false"),
                         "Patient age band": f["age_band"], "Patient sex": sex, **place_columns(rng, f)})


_PROPERTY_BY_TYPE = {
    "Automatic fire alarm": {"Non-residential building": 0.7, "Dwelling": 0.3},
    "Primary fire": {"Dwelling": 0.5, "Non-residential building": 0.25, "Road vehicle": 0.15, "Outdoor": 0.1},
    "Secondary fire": {"Outdoor": 0.9, "Other": 0.1},
    "False alarm - good intent": {"Dwelling": 0.5, "Non-residential building": 0.4, "Other": 0.1},
    "False alarm - malicious": {"Dwelling": 0.3, "Non-residential building": 0.3, "Outdoor": 0.4},
    "Special service": {"Dwelling": 0.4, "Non-residential building": 0.2, "Road vehicle": 0.2, "Other": 0.2},
}


def lfb_incidents(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng
    f = incidents(ctx, cal.LFB_INCIDENTS, "LFB")
    if ctx.calibrated:
        _fires_by_ward(rng, f)
    prop = np.empty(len(f), dtype=object)
    for kind, shares in _PROPERTY_BY_TYPE.items():
        rows = np.flatnonzero((f["category"] == kind).to_numpy())
        prop[rows] = drawn(rng, len(rows), shares)
    return pd.DataFrame({"Incident number": f["ref"], "Call datetime": _text(f["when"]), "Incident type": f["category"],
                         "Property type": prop, **place_columns(rng, f)})


def _fires_by_ward(rng: np.random.Generator, f: pd.DataFrame) -> None:
    """Give Queen's Park and Hyde Park their published share of fires, keeping each year's totals exact."""
    fires = ("Primary fire", "Secondary fire")
    for period in ("previous", "current"):
        in_year = (f["period"] == period).to_numpy() & f["in_area"].to_numpy()
        counts = pd.Series(f.loc[in_year, "category"]).value_counts().to_dict()
        fire_split = {k: counts.get(k, 0) for k in fires}
        pool = dict(counts)
        for ward, share in cal.LFB_FIRE_SHARE_BY_WARD.items():
            rows = np.flatnonzero(in_year & (f["ward"] == ward).to_numpy())
            n_fire = min(round(share * len(rows)), sum(pool[k] for k in fires))
            split = dict(zip(fires, exact_counts(n_fire, [fire_split[k] for k in fires])))
            rest = {k: v for k, v in pool.items() if k not in fires}
            rest_counts = dict(zip(rest, exact_counts(len(rows) - n_fire, list(rest.values()))))
            chosen = {**split, **rest_counts}
            values = np.repeat(np.array(list(chosen), dtype=object), list(chosen.values()))
            rng.shuffle(values)
            f.loc[f.index[rows], "category"] = values
            for k, v in chosen.items():
                pool[k] -= v
            in_year[rows] = False
        left = np.flatnonzero(in_year)
        values = np.repeat(np.array(list(pool), dtype=object), list(pool.values()))
        rng.shuffle(values)
        f.loc[f.index[left], "category"] = values


def btp_incidents(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng
    names = np.array([s for s, _, _ in cal.BTP_STATIONS], dtype=object)
    station_lsoa = {s: lsoa for s, lsoa, _ in cal.BTP_STATIONS}
    station_weights = np.array([n for _, _, n in cal.BTP_STATIONS], float)
    previous, current = _area_counts(ctx, cal.BTP_INCIDENTS)
    if ctx.calibrated:
        stations = np.concatenate([np.repeat(names, exact_counts(n, station_weights)) for n in (previous, current)])
        for start, n in ((0, previous), (previous, current)):
            rng.shuffle(stations[start:start + n])
        f = incidents(ctx, cal.BTP_INCIDENTS, "BTP", area_lsoas=np.array([station_lsoa[s] for s in stations]))
        area_station = stations
    else:
        f = incidents(ctx, cal.BTP_INCIDENTS, "BTP")
        area_station = np.array(["Station " + code[-4:] for code in f.loc[f["in_area"], "lsoa"]], dtype=object)
    station = np.empty(len(f), dtype=object)
    station[f["in_area"].to_numpy()] = area_station
    station[~f["in_area"].to_numpy()] = "Other London station"
    return pd.DataFrame({"Incident reference": f["ref"], "Incident datetime": _text(f["when"]), "Station": station,
                         "Category": f["category"], **place_columns(rng, f, ward_only=0.0)})


def tfl_incidents(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng
    f = incidents(ctx, cal.TFL_INCIDENTS, "TFL")
    return pd.DataFrame({"Incident reference": f["ref"], "Incident datetime": _text(f["when"]),
                         "Mode": drawn(rng, len(f), {k: v for k, v in cal.TFL_MODES.items() if v}),
                         "Category": f["category"], **place_columns(rng, f)})


def council_asb(ctx: Context) -> pd.DataFrame:
    rng = ctx.rng
    f = incidents(ctx, cal.COUNCIL_ASB, "ASB")
    return pd.DataFrame({"Report reference": f["ref"], "Reported at": _text(f["when"]), "Category": f["category"],
                         **place_columns(rng, f, located=0.7)})
