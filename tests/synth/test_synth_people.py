"""Synthetic people: the same people across agencies at the calibrated rates, well-formed PNCs, repeat victims.

Everything is recounted from the generated CSV files with pandas, matching people by name and date of
birth (the generator never gives two people both), independently of safer's linkage.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from safer.privacy.identifiers import Identifier, row_tokens
from safer.privacy.keys import Keyring
from safer.sources.contracts import CONTRACTS
from safer.synth import PERSON_FOLDER, generate
from safer.synth import calibration as cal

PERSON_LEVEL = tuple(name for name, c in CONTRACTS.items() if c.identifying)
CURRENT = ("2017-07-01", "2018-07-01")
LAST_DAY = "2018-06-30"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("people")
    generate("E09000033", seed=1, out=out, region=False, datasets=PERSON_LEVEL)
    return out


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / PERSON_FOLDER / f"synthetic-{name}.csv", dtype=str, keep_default_na=False)


def _people(frame: pd.DataFrame, forename: str, surname: str, dob: str) -> set[tuple[str, str, str]]:
    return set(zip(frame[forename], frame[surname], frame[dob]))


def test_nearly_half_of_the_yos_cohort_is_also_on_the_igu_cohort(folder):
    yos, igu = _read(folder, "yos-caseload"), _read(folder, "igu-cohort")
    ends = yos["End date"].replace("", "9999-12-31")
    on_yos = yos[(yos["Start date"] < CURRENT[1]) & (ends >= CURRENT[0])]
    on_igu = igu[(igu["Date referred"] >= CURRENT[0]) & (igu["Date referred"] < CURRENT[1])]
    yos_people = _people(on_yos, "Forename", "Surname", "Date of birth")
    igu_people = _people(on_igu, "Forename", "Surname", "Date of birth")
    assert len(on_igu) == cal.IGU_PEOPLE[1]
    assert len(yos_people & igu_people) / len(yos_people) == pytest.approx(cal.IGU_SHARE_OF_YOS, abs=0.01)
    # the flags each agency keeps agree with who is really in the other cohort
    everyone_igu = _people(igu, "Forename", "Surname", "Date of birth")
    everyone_yos = _people(yos, "Forename", "Surname", "Date of birth")
    known = [p in everyone_igu for p in zip(yos["Forename"], yos["Surname"], yos["Date of birth"])]
    assert (yos["Known to IGU"] == "true").tolist() == known
    known = [p in everyone_yos for p in zip(igu["Forename"], igu["Surname"], igu["Date of birth"])]
    assert (igu["Known to YOS"] == "true").tolist() == known


def test_people_recur_across_agencies(folder):
    name = ("Victim forename", "Victim surname", "Victim date of birth")
    crime = _people(_read(folder, "crime-victims"), *name)
    hate = _read(folder, "hate-crime-victims")
    marac = _people(_read(folder, "marac-cases"), *name)
    asb = _people(_read(folder, "asb-victims"), *name)
    igu = _people(_read(folder, "igu-cohort"), "Forename", "Surname", "Date of birth")
    iom = _people(_read(folder, "iom-cohort"), "Forename", "Surname", "Date of birth")
    assert _people(hate, *name) <= crime  # every hate crime victim is a victim of crime
    assert len(marac & crime) >= 0.4 * len(marac)
    assert len(asb & crime) > 0 and len(igu & crime) > 0
    assert len(iom & igu) == cal.IOM_FROM_IGU
    crimes = _read(folder, "crime-victims")
    hate_rows = set(zip(hate["CRIS reference"], hate["Offence date"]))
    flagged = crimes[crimes["Hate crime"] == "true"]
    assert set(zip(flagged["CRIS reference"], flagged["Offence date"])) == hate_rows


def test_about_one_victim_in_five_is_a_repeat_victim(folder):
    """Victims in the current year with another victimisation in the 365 days before, across the victim files."""
    frames = []
    for name, when in (("crime-victims", "Offence date"), ("asb-victims", "Report date"),
                       ("hate-crime-victims", "Offence date"), ("marac-cases", "Referral date")):
        f = _read(folder, name)
        frames.append(pd.DataFrame({"who": f["Victim forename"] + "|" + f["Victim surname"] + "|"
                                    + f["Victim date of birth"], "day": pd.to_datetime(f[when])}))
    days = pd.concat(frames).drop_duplicates().sort_values(["who", "day"])
    days["gap"] = days.groupby("who")["day"].diff().dt.days
    days["repeat"] = days["gap"].le(365)
    current = days[(days["day"] >= CURRENT[0]) & (days["day"] < CURRENT[1])]
    rate = current.groupby("who")["repeat"].any().mean()
    assert rate == pytest.approx(cal.REPEAT_BENCHMARK, abs=0.04)


def test_crime_victims_match_the_police_counts_and_their_age_bands_their_dates_of_birth(folder):
    crimes = _read(folder, "crime-victims")
    current = crimes[(crimes["Offence date"] >= CURRENT[0]) & (crimes["Offence date"] < CURRENT[1])]
    assert len(current) == cal.CRIME_VICTIMS[1] and len(crimes) == sum(cal.CRIME_VICTIMS)
    born = pd.to_datetime(crimes["Victim date of birth"])
    on = pd.to_datetime(crimes["Offence date"])
    age = on.dt.year - born.dt.year - ((on.dt.month * 100 + on.dt.day) < (born.dt.month * 100 + born.dt.day))
    bands = pd.cut(age, [-1, 17, 24, 34, 44, 54, 64, 200],
                   labels=["Under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65 and over"]).astype(str)
    assert (bands == crimes["Victim age band"]).all()
    assert ((crimes["LSOA code"] != "") | (crimes["Ward code"] != "")).all()


def test_synthetic_pnc_identifiers_pass_the_pnc_check_with_their_check_letter(folder):
    cohort, offences = _read(folder, "iom-cohort"), _read(folder, "iom-offences")
    assert set(offences["PNC ID"]) <= set(cohort["PNC ID"]) and cohort["PNC ID"].is_unique
    ring = Keyring(secrets=(b"k" * 32,))
    letters = "ZABCDEFGHJKLMNPQRTUVWXY"
    for pnc in cohort["PNC ID"]:
        tokens = row_tokens({"PNC ID": pnc}, (Identifier("PNC ID", "pnc"),), ring)  # an agency's file: no marker
        assert tokens.problems == () and "pnc" in tokens.tokens, pnc
        year, rest = pnc.split("/")
        serial, letter = rest[:-1], rest[-1]
        assert len(year) == 2 and len(serial) == 7 and int(serial) >= 9_900_000
        assert letter == letters[int(year + serial) % 23]


@pytest.mark.parametrize("name", ["yos-offences", "iom-offences"])
def test_disposal_dates_follow_their_offences_and_the_data_ends_before_some(folder, name):
    offences = _read(folder, name)
    proven = offences[offences["Disposal date"] != ""]
    assert (proven["Disposal date"] >= proven["Offence date"]).all() and (proven["Disposal date"] <= LAST_DAY).all()
    assert 0.5 < len(proven) / len(offences) < cal.PROVEN_SHARE[name] + 0.02
    recent = offences[offences["Offence date"] > "2018-06-01"]
    assert (recent["Disposal date"] == "").mean() > 0.5  # most offences of the last month are not yet proven


def test_a_file_is_the_same_whatever_else_is_generated_and_the_same_seed_repeats(folder, tmp_path):
    alone = generate("E09000033", seed=1, out=tmp_path / "a", region=False, datasets=("igu-cohort", "asb-victims"))
    for f in alone.files:
        assert f.path.read_bytes() == (folder / PERSON_FOLDER / f.path.name).read_bytes(), f.dataset
    other = generate("E09000033", seed=2, out=tmp_path / "b", region=False, datasets=("igu-cohort",))
    assert other.files[0].path.read_bytes() != (folder / PERSON_FOLDER / "synthetic-igu-cohort.csv").read_bytes()
    assert np.all(pd.read_csv(alone.file("asb-victims").path)["Synthetic"])
