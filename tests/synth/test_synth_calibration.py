"""The synthetic generator reproduces the 2018 Westminster assessment's published figures.

Every expected number below is typed from the seed document (shared/seed/westminster-strategic-assessment-
2018.txt); the generated files are read back with pandas and the ONS LSOA-to-ward lookup from the real
data folder, independently of safer's own loaders and lookup.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from real_data import ONS_WARD_LOOKUP

from safer.sources.contracts import CONTRACTS
from safer.synth import LOADABLE_FOLDER, PERSON_FOLDER, generate

LOOKUP = ONS_WARD_LOOKUP
WESTMINSTER = "E09000033"
ST_JAMES, WEST_END, QUEENS_PARK = "E05000644", "E05000649", "E05000642"
CURRENT = ("2017-07-01", "2018-07-01")
PREVIOUS = ("2016-07-01", "2017-07-01")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """Seed 1, Westminster only (the comparator is checked against the demo run's results)."""
    out = tmp_path_factory.mktemp("synth")
    generate(WESTMINSTER, seed=1, out=out, region=False)
    return out


@pytest.fixture(scope="module")
def wards() -> dict[str, str]:
    table = pd.read_csv(LOOKUP, dtype=str)
    return dict(zip(table["LSOA11CD"], table["WD18CD"]))


def _read(folder: Path, name: str) -> pd.DataFrame:
    sub = LOADABLE_FOLDER if (folder / LOADABLE_FOLDER / f"synthetic-{name}.csv").exists() else PERSON_FOLDER
    return pd.read_csv(folder / sub / f"synthetic-{name}.csv", dtype=str, keep_default_na=False)


def _in(frame: pd.DataFrame, column: str, period: tuple[str, str]) -> pd.DataFrame:
    return frame[(frame[column] >= period[0]) & (frame[column] < period[1])]


def test_every_row_of_every_file_is_marked_synthetic(synthetic):
    files = sorted(synthetic.rglob("*.csv"))
    assert len(files) == len(CONTRACTS)
    for path in files:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert list(frame.columns)[-1] == "Synthetic" and set(frame["Synthetic"]) == {"true"}, path.name
    assert "SYNTHETIC" in (synthetic / "README.md").read_text()


def test_las_assaults_match_the_published_table_by_injury_type(synthetic):
    las = _read(synthetic, "las-assaults")
    published = {"previous": {"Other Serious Injury": 974, "Minor Assault": 761, "Knife Injury": 59,
                              "Sexual Attack": 21, "Gun Injury": 5},
                 "current": {"Other Serious Injury": 964, "Minor Assault": 736, "Knife Injury": 61,
                             "Sexual Attack": 31, "Gun Injury": 3}}
    for period, bounds in (("previous", PREVIOUS), ("current", CURRENT)):
        counted = _in(las, "Incident datetime", bounds)["Injury type"].value_counts().to_dict()
        assert counted == published[period]
    assert len(_in(las, "Incident datetime", CURRENT)) == 1795


@pytest.mark.parametrize("seed", [1, 2, 7])
def test_las_hour_profile_reproduces_the_night_time_share(tmp_path, seed):
    """"56% of assaults occurred between 20:00 to 04:59 hours", for any seed, and the early hours of
    Saturday and Sunday are the busiest."""
    generate(WESTMINSTER, seed=seed, out=tmp_path, region=False, datasets=("las-assaults",))
    las = _in(_read(tmp_path, "las-assaults"), "Incident datetime", CURRENT)
    when = pd.to_datetime(las["Incident datetime"], format="%Y-%m-%d %H:%M")
    night = when.dt.hour.isin([20, 21, 22, 23, 0, 1, 2, 3, 4]).mean()
    assert night == pytest.approx(0.56, abs=0.005)
    cells = pd.crosstab(when.dt.hour, when.dt.day_of_week)
    busiest = cells.stack().sort_values(ascending=False).head(4)
    assert all(day in (5, 6) and hour < 6 for (hour, day) in busiest.index)


def test_las_assaults_concentrate_in_st_james_s_and_west_end(synthetic, wards):
    las = _in(_read(synthetic, "las-assaults"), "Incident datetime", CURRENT)
    ward = las["LSOA code"].map(wards).where(las["LSOA code"] != "", las["Ward code"])
    shares = ward.value_counts(normalize=True)
    assert shares[ST_JAMES] == pytest.approx(0.30, abs=0.02)  # "St James's (30%)"
    assert shares[WEST_END] == pytest.approx(0.18, abs=0.02)  # "West End (18%)"
    assert (las["Patient sex"] == "Female").mean() == pytest.approx(0.26, abs=0.005)


def test_alcohol_call_outs_peak_on_saturday_and_late_at_night(synthetic, wards):
    alcohol = _in(_read(synthetic, "las-alcohol"), "Incident datetime", CURRENT)
    assert len(alcohol) == 5368
    when = pd.to_datetime(alcohol["Incident datetime"], format="%Y-%m-%d %H:%M")
    assert (when.dt.day_of_week == 5).mean() == pytest.approx(0.22, abs=0.015)  # "Saturday ... 22%"
    assert when.dt.hour.isin([22, 23, 0, 1]).mean() == pytest.approx(1 / 3, abs=0.015)  # "one third 22:00 to 01:59"
    ward = alcohol["LSOA code"].map(wards).where(alcohol["LSOA code"] != "", alcohol["Ward code"])
    assert (ward == ST_JAMES).mean() == pytest.approx(0.34, abs=0.02)
    assert (ward == WEST_END).mean() == pytest.approx(0.24, abs=0.02)
    assert (alcohol["Patient sex"] == "Female").mean() == pytest.approx(0.34, abs=0.005)


def test_fire_incidents_are_mostly_automatic_alarms_with_more_fires_in_queen_s_park(synthetic, wards):
    fire = _in(_read(synthetic, "lfb-incidents"), "Call datetime", CURRENT)
    kinds = fire["Incident type"].value_counts(normalize=True)
    assert kinds["Automatic fire alarm"] == pytest.approx(0.60, abs=0.005)
    assert kinds["Primary fire"] + kinds["Secondary fire"] == pytest.approx(0.12, abs=0.005)
    ward = fire["LSOA code"].map(wards).where(fire["LSOA code"] != "", fire["Ward code"])
    queens_park = fire[ward == QUEENS_PARK]["Incident type"].isin(["Primary fire", "Secondary fire"]).mean()
    assert queens_park == pytest.approx(0.18, abs=0.02)


def test_btp_incidents_reproduce_the_published_hour_by_weekday_table(synthetic):
    btp = _in(_read(synthetic, "btp-incidents"), "Incident datetime", CURRENT)
    when = pd.to_datetime(btp["Incident datetime"], format="%Y-%m-%d %H:%M")
    table = pd.crosstab(when.dt.hour, when.dt.day_of_week).reindex(index=range(24), columns=range(7), fill_value=0)
    # the TOTAL row and column of the seed's table
    assert table.sum(axis=0).tolist() == [710, 635, 781, 732, 857, 854, 672]
    assert table.sum(axis=1).tolist() == [285, 71, 41, 42, 69, 61, 79, 150, 270, 307, 220, 180, 208, 200, 259, 295,
                                          309, 414, 467, 337, 278, 270, 216, 213]
    assert (table.loc[17, 4], table.loc[18, 2], table.loc[4, 6], table.loc[2, 2]) == (76, 74, 33, 0)
    assert len(_in(_read(synthetic, "btp-incidents"), "Incident datetime", PREVIOUS)) == round(5241 / 1.19)
    assert (btp["Category"] == "Theft").mean() == pytest.approx(0.47, abs=0.005)


def test_hate_crime_counts_match_the_published_strand_table(synthetic):
    hate = _read(synthetic, "hate-crime-counts")
    hate = hate[hate["Area code"] == WESTMINSTER].assign(Offences=lambda t: t["Offences"].astype(int))
    current = hate[(hate["Month"] >= "2017-07") & (hate["Month"] <= "2018-06")].groupby("Strand")["Offences"].sum()
    previous = hate[(hate["Month"] >= "2016-07") & (hate["Month"] <= "2017-06")].groupby("Strand")["Offences"].sum()
    assert current.to_dict() == {"All hate crime": 1720, "Racist and religious": 1395, "Homophobic": 271, "Faith": 241,
                                 "Transgender": 23, "Disability": 26, "Anti-semitic": 43, "Islamophobic": 167}
    assert previous["All hate crime"] == 1468 and previous["Homophobic"] == 191


def test_reoffending_rates_are_the_published_rates(synthetic):
    table = _read(synthetic, "reoffending-rates")
    cohort = table[(table["Cohort end"] == "2016-09")].set_index(["Area code", "Offender group"])
    rate = lambda area, group: round(100 * int(cohort.loc[(area, group), "Reoffenders"])  # noqa: E731
                                     / int(cohort.loc[(area, group), "Offenders"]), 1)
    assert int(cohort.loc[(WESTMINSTER, "All"), "Offenders"]) == 4579
    assert [rate(WESTMINSTER, g) for g in ("All", "Adult", "Juvenile", "Male", "Female")] == \
        [30.8, 30.2, 38.6, 33.5, 18.3]
    assert rate("E12000007", "All") == 29.2 and rate("K04000001", "All") == 29.5


def test_marac_cases_have_the_safelives_indicator_shares(synthetic):
    marac = _in(_read(synthetic, "marac-cases"), "Referral date", CURRENT)
    assert len(marac) == 379
    assert len(_in(_read(synthetic, "marac-cases"), "Referral date", PREVIOUS)) == 356
    share = lambda mask: round(100 * mask.mean(), 1)  # noqa: E731
    assert share(marac["Repeat case"] == "true") == pytest.approx(21, abs=0.2)
    assert share(marac["Referring agency"] == "Police") == pytest.approx(25, abs=0.2)
    assert share(marac["BME"] == "true") == pytest.approx(54, abs=0.2)
    assert share(marac["LGBT"] == "true") == pytest.approx(4.4, abs=0.2)
    assert share(marac["Disability"] == "true") == pytest.approx(22.5, abs=0.2)
    assert share(marac["Victim sex"] == "Male") == pytest.approx(7.4, abs=0.2)
    assert share(marac["Victim age band"] == "16-17") == pytest.approx(0.8, abs=0.2)
    assert marac["Children in household"].astype(int).sum() == 306


def test_iom_cohort_has_131_offenders_with_the_published_rag_mix(synthetic):
    iom = _read(synthetic, "iom-cohort")
    on_cohort = iom[iom["Date left"] == ""]
    assert len(on_cohort) == 131
    assert on_cohort["RAG status"].value_counts().to_dict() == {"Red": 86, "Blue": 34, "Green": 7, "Amber": 4}
    assert (on_cohort["Starting Over client"] == "true").sum() == 71
    assert (on_cohort["Sex"] == "Male").mean() == pytest.approx(0.95, abs=0.01)


def test_yos_monthly_caseload_averages_55_against_64_the_year_before(synthetic):
    episodes = _read(synthetic, "yos-caseload")
    start = pd.to_datetime(episodes["Start date"])
    end = pd.to_datetime(episodes["End date"].replace("", "2099-01-01"))
    def average(first: str) -> float:
        months = pd.date_range(first, periods=12, freq="MS") + pd.Timedelta(days=14)
        return float(np.mean([((start <= day) & (end >= day)).sum() for day in months]))
    assert average("2017-07-01") == pytest.approx(55, abs=3)
    assert average("2016-07-01") == pytest.approx(64, abs=3)
    offences = _read(synthetic, "yos-offences")
    assert len(_in(offences, "Offence date", CURRENT)) == 293 and len(_in(offences, "Offence date", PREVIOUS)) == 452


def test_the_same_seed_writes_the_same_files_and_another_seed_does_not(tmp_path):
    names = ("las-assaults", "marac-cases")
    first = generate(WESTMINSTER, seed=5, out=tmp_path / "a", region=False, datasets=names)
    again = generate(WESTMINSTER, seed=5, out=tmp_path / "b", region=False, datasets=names)
    other = generate(WESTMINSTER, seed=6, out=tmp_path / "c", region=False, datasets=names)
    assert [f.sha256 for f in first.files] == [f.sha256 for f in again.files]
    assert all(a.sha256 != b.sha256 for a, b in zip(first.files, other.files))


def test_another_area_is_scaled_by_residents_and_says_so(tmp_path):
    run = generate("E09000007", seed=1, out=tmp_path, region=False, datasets=("las-assaults",))
    assert "scaled by residents" in " ".join(run.notes)
    camden = _read(tmp_path, "las-assaults")
    # Camden had 220,338 residents in 2011 against Westminster's 219,396
    assert len(_in(camden, "Incident datetime", CURRENT)) == round(1795 * 220338 / 219396)


@pytest.mark.parametrize("arguments, complaint", [
    ({"area": "Westminster"}, "--area"), ({"area": "E09999999"}, "not a local authority code"),
    ({"seed": -1}, "--seed"), ({"end_month": "June 2018"}, "--end-month"),
    ({"datasets": ("ambulance",)}, "ambulance"),
])
def test_bad_arguments_are_refused_with_what_to_give_instead(tmp_path, arguments, complaint):
    from safer.errors import ConfigError

    kwargs = {"area": WESTMINSTER, "seed": 1, "out": tmp_path, **arguments}
    area = kwargs.pop("area")
    with pytest.raises(ConfigError) as info:
        generate(area, **kwargs)
    assert complaint in str(info.value)
