"""Where the real public data read by the tests lives: the shared folder beside the repository."""

from pathlib import Path

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
ONS_WARD_LOOKUP = REAL / "lookups" / "Lower_Layer_Super_Output_Area_2011_to_Ward_2018_Lookup_in_England_and_Wales_v3.csv"
