"""Hand-made person-level files in the partner contracts' layouts, with names and dates of birth to look for.

Names are invented and distinctive (none is an English word or a place), so finding one anywhere
but in the raw input means it leaked.
"""

from __future__ import annotations

import csv
from pathlib import Path

from safer.sources.contracts import contract

# (forename, surname, date of birth as the agency writes it, the same date in ISO)
PEOPLE = [
    ("Xanthippe", "Quorwell", "19/07/1983", "1983-07-19"),
    ("Zoë", "Brañaskova", "1979-11-02", "1979-11-02"),
    ("Ottoline", "Fennimoreau", "03.05.1991", "1991-05-03"),
    ("Jolyon", "Merriweathersby", "1966-01-28", "1966-01-28"),
    ("Perpetua", "Okonkwo-Lindqvist", "22/12/2001", "2001-12-22"),
    ("Ignatius", "Vandersloot", "1958-08-30", "1958-08-30"),
]


def write(path: Path, dataset: str, rows: list[dict[str, str]], *, extra_lines: list[str] = ()) -> Path:
    """A CSV in the dataset's contract header; values not given are blank; ``extra_lines`` appended raw."""
    header = contract(dataset).header
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            unknown = set(row) - set(header)
            assert not unknown, unknown
            writer.writerow([row.get(column, "") for column in header])
        handle.writelines(line + "\n" for line in extra_lines)
    return path


def marac_row(i: int, referral: str, **changes: str) -> dict[str, str]:
    forename, surname, dob, _ = PEOPLE[i]
    return {"Case ID": f"MARAC-18-{i:04d}-{referral}", "Victim forename": forename, "Victim surname": surname,
            "Victim date of birth": dob, "Referral date": referral, "Referring agency": "Police",
            "Repeat case": "false", "Victim sex": "Female", "Victim age band": "25-34", "BME": "true",
            "LGBT": "false", "Disability": "false", "Children in household": "1", "Ward code": "E05000634",
            **changes}


def hate_row(i: int, offence: str, **changes: str) -> dict[str, str]:
    forename, surname, dob, _ = PEOPLE[i]
    return {"CRIS reference": f"01{i:05d}/18", "Victim forename": forename.upper(), "Victim surname": surname,
            "Victim date of birth": dob, "Offence date": offence, "Strand": "Racist and religious",
            "Offence group": "Public order", "Victim sex": "Female", "Victim age band": "26-35",
            "Repeat victim": "false", "Ward code": "E05000649", **changes}


def raw_identifier_strings() -> list[str]:
    """Every raw name and date of birth, as written and as safer would normalise them."""
    out = []
    for forename, surname, dob, iso in PEOPLE:
        out += [forename, surname, forename.upper(), surname.upper(), dob, iso]
        out += [iso.replace("-", ""), f"{iso[8:]}/{iso[5:7]}/{iso[:4]}"]
    out += ["BRANASKOVA", "OKONKWOLINDQVIST"]  # surnames as normalised (accents dropped, hyphen removed)
    # strings under six characters (Zoë) could occur by chance in a binary file, so are not looked for
    return sorted(s for s in set(out) if len(s) >= 6)
