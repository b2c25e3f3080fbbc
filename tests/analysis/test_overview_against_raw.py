"""The overview numbers in results.json, recomputed from the raw police.uk CSVs with pandas.

Nothing here calls safer's analysis code: the raw files are read straight from the
bundled zips, de-duplicated by the documented rule, placed with the lookup, and
counted independently. Every figure must match exactly.
"""

from __future__ import annotations

import calendar
import io
import zipfile

from pathlib import Path

import pandas as pd
import pytest

import safer

WESTMINSTER = "E09000033"
MPS = "Metropolitan Police Service"
BTP = "British Transport Police"
ASB = "Anti-social behaviour"
CURRENT = pd.period_range("2017-07", "2018-06", freq="M")
PREVIOUS = pd.period_range("2016-07", "2017-06", freq="M")


@pytest.fixture(scope="module")
def street(demo_zips, lookup) -> pd.DataFrame:
    """Every street record once, in load order (zips sorted by name, members sorted), with its LAD."""
    frames = []
    for archive_path in demo_zips:
        with zipfile.ZipFile(archive_path) as archive:
            for member in sorted(archive.namelist()):
                if not member.endswith("-street.csv"):
                    continue
                frame = pd.read_csv(io.BytesIO(archive.read(member)), dtype=str, keep_default_na=False)
                whole_row = frame.iloc[:, 0].str.cat([frame[c] for c in frame.columns[1:]], sep="|")
                occurrence = whole_row.groupby(whole_row).cumcount().astype(str)
                frame["_identity"] = frame["Crime ID"].where(frame["Crime ID"] != "", whole_row + "#" + occurrence)
                frames.append(frame)
    records = pd.concat(frames, ignore_index=True).drop_duplicates("_identity", keep="first")
    records = records.merge(lookup[["lsoa_code", "lad_code"]], how="left", left_on="LSOA code",
                            right_on="lsoa_code")
    records["period"] = pd.PeriodIndex(records["Month"], freq="M")
    return records


@pytest.fixture(scope="module")
def lookup() -> pd.DataFrame:
    return pd.read_csv(Path(safer.__file__).parent / "data" / "geography" / "lsoa_lookup.csv.gz", dtype=str)


@pytest.fixture(scope="module")
def area_crime(street) -> pd.DataFrame:
    return street[(street["lad_code"] == WESTMINSTER) & (street["Reported by"] != BTP)
                  & (street["Crime type"] != ASB)]


def _row(results, crime_type):
    return next(r for r in results["overview"]["by_type"]["rows"] if r["crime_type"] == crime_type)


def test_counts_by_type_match_raw_files(demo_results, area_crime):
    for crime_type, group in area_crime.groupby("Crime type"):
        row = _row(demo_results, crime_type)
        assert row["area"]["current"] == group["period"].isin(CURRENT).sum(), crime_type
        assert row["area"]["previous"] == group["period"].isin(PREVIOUS).sum(), crime_type
    total = demo_results["overview"]["by_type"]["total"]["area"]
    assert total["current"] == area_crime["period"].isin(CURRENT).sum()
    assert total["previous"] == area_crime["period"].isin(PREVIOUS).sum()
    assert total["pct_change"] == round(100 * (total["current"] - total["previous"]) / total["previous"], 1)


def test_burglary_comparator_is_the_whole_force(demo_results, street):
    met_burglary = street[(street["Falls within"] == MPS) & (street["Crime type"] == "Burglary")]
    row = _row(demo_results, "Burglary")
    assert row["comparator"]["current"] == met_burglary["period"].isin(CURRENT).sum()
    assert row["comparator"]["previous"] == met_burglary["period"].isin(PREVIOUS).sum()
    share = 100 * row["area"]["current"] / row["comparator"]["current"]
    assert row["share_of_comparator_current"] == round(share, 1)


def test_types_outside_the_comparator_extract_are_not_compared(demo_results):
    # The bundled data covers the whole Met for burglary only: every other type is an area extract.
    compared = {r["crime_type"] for r in demo_results["overview"]["by_type"]["rows"] if r["comparator"]}
    assert compared == {"Burglary"}
    assert demo_results["overview"]["by_type"]["total"]["comparator"] is None


def test_monthly_daily_and_moving_average(demo_results, area_crime):
    monthly = area_crime.groupby("period").size()
    points = {p["month"]: p for p in demo_results["overview"]["monthly"]["crime"]["points"]}
    assert len(points) == 24
    for period, n in monthly.items():
        point = points[str(period)]
        days = calendar.monthrange(period.year, period.month)[1]
        assert point["count"] == n
        assert point["daily_average"] == pytest.approx(n / days, abs=5e-4)
    last = demo_results["overview"]["monthly"]["crime"]["points"][-1]
    window = monthly.loc[CURRENT]
    days = sum(calendar.monthrange(p.year, p.month)[1] for p in CURRENT)
    assert last["moving_daily_average"] == pytest.approx(window.sum() / days, abs=5e-4)
    assert demo_results["overview"]["monthly"]["crime"]["points"][10]["moving_daily_average"] is None


def test_daily_average_difference(demo_results, area_crime):
    current = area_crime["period"].isin(CURRENT).sum() / 365
    previous = area_crime["period"].isin(PREVIOUS).sum() / 365
    daily = demo_results["overview"]["daily_average"]
    assert daily["periods"][0]["per_day"] == pytest.approx(current, abs=5e-3)
    assert daily["periods"][1]["per_day"] == pytest.approx(previous, abs=5e-3)
    assert daily["difference_per_day"] == pytest.approx(current - previous, abs=5e-3)


def test_peak_and_lowest_calendar_months(demo_results, area_crime):
    monthly = area_crime.groupby("period").size().to_frame("n")
    monthly["rate"] = [n / calendar.monthrange(p.year, p.month)[1] for p, n in monthly["n"].items()]
    by_calendar_month = monthly.groupby(monthly.index.month)["rate"].mean().sort_values(ascending=False)
    season = demo_results["overview"]["seasonality"]
    assert [m["month"] for m in season["peak"]] == list(by_calendar_month.index[:2])
    assert season["lowest"]["month"] == by_calendar_month.index[-1]
    assert season["peak"][0]["mean_daily_average"] == pytest.approx(by_calendar_month.iloc[0], abs=5e-4)


def test_asb_and_btp_are_reported_separately(demo_results, street):
    in_area = street[street["lad_code"] == WESTMINSTER]
    asb = in_area[(in_area["Crime type"] == ASB) & (in_area["Reported by"] != BTP)]
    result = demo_results["overview"]["asb"]["total"]["area"]
    assert result["current"] == asb["period"].isin(CURRENT).sum()
    assert result["previous"] == asb["period"].isin(PREVIOUS).sum()
    btp = in_area[(in_area["Reported by"] == BTP) & (in_area["Crime type"] != ASB)]
    (table,) = demo_results["overview"]["separate_forces"]
    assert table["force"] == BTP
    assert table["total"]["area"]["current"] == btp["period"].isin(CURRENT).sum()
    assert table["total"]["area"]["previous"] == btp["period"].isin(PREVIOUS).sum()


def test_unmatched_geography_is_counted_not_dropped(demo_results, street):
    quality = demo_results["data_quality"]["unmatched_geography"]
    assert quality["records_without_lsoa"] == (street["LSOA code"] == "").sum()
    assert quality["records_with_unknown_lsoa"] == ((street["LSOA code"] != "") & street["lad_code"].isna()).sum()
