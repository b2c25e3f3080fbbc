"""The bundled demo's police.uk street records read straight from the zips with pandas (no safer code).

Shared by the location tests: read once per test session. Records are de-duplicated by
Crime ID, or, without one, by the whole row and its occurrence in the file (the loader's
documented rule), and placed in wards and local authorities with the packaged lookup.
"""

from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path

import pandas as pd

import safer

DEMO_DIR = Path(safer.__file__).parent / "data" / "demo"
LOOKUP = Path(safer.__file__).parent / "data" / "geography" / "lsoa_lookup.csv.gz"
WESTMINSTER = "E09000033"
MPS = "Metropolitan Police Service"
BTP = "British Transport Police"
ASB = "Anti-social behaviour"
CURRENT = pd.period_range("2017-07", "2018-06", freq="M")
PREVIOUS = pd.period_range("2016-07", "2017-06", freq="M")


@functools.lru_cache(maxsize=1)
def lookup() -> pd.DataFrame:
    return pd.read_csv(LOOKUP, dtype=str)


@functools.lru_cache(maxsize=1)
def street() -> pd.DataFrame:
    frames = []
    for archive_path in sorted(DEMO_DIR.glob("*.zip")):
        with zipfile.ZipFile(archive_path) as archive:
            for member in sorted(archive.namelist()):
                if member.endswith("-street.csv"):
                    frame = pd.read_csv(io.BytesIO(archive.read(member)), dtype=str, keep_default_na=False)
                    whole = frame.iloc[:, 0].str.cat([frame[c] for c in frame.columns[1:]], sep="|")
                    nth = whole.groupby(whole).cumcount().astype(str)
                    frame["_id"] = frame["Crime ID"].where(frame["Crime ID"] != "", whole + "#" + nth)
                    frames.append(frame)
    records = pd.concat(frames, ignore_index=True).drop_duplicates("_id", keep="first")
    records = records.merge(lookup()[["lsoa_code", "lad_code", "ward_code", "ward_name"]], how="left",
                            left_on="LSOA code", right_on="lsoa_code")
    records["period"] = pd.PeriodIndex(records["Month"], freq="M")
    return records
