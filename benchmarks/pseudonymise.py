"""Benchmark: what pseudonymisation costs at ingest, and how linkage scales.

Writes N invented MARAC rows (names, dates of birth, case references; a share of repeat victims)
and measures, in the same run:

* **copy**: reading the file and writing it back with Python's csv module (the floor for any
  line-by-line rewrite);
* **pseudonymise**: ``safer pseudonymise`` of the file (normalise + HMAC tokens, one line per line);
* **load only**: ``ingest_paths`` of the already pseudonymised file into a fresh warehouse;
* **raw ingest**: ``ingest_paths`` of the raw file with a key (pseudonymise in the temporary folder,
  then load);
* **linkage**: ``link_people`` over the loaded table.

It prints seconds, rows per second and the ratios raw ingest / load only and pseudonymise / copy.
No target is asserted; the numbers show where the time goes.

Usage::

    python benchmarks/pseudonymise.py               # 20,000 and 100,000 rows
    python benchmarks/pseudonymise.py --rows 5000
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from pathlib import Path

from safer.analysis.linkage import link_people
from safer.privacy import new_key_file, pseudonymise_dataset, pseudonymising
from safer.sources.contracts import contract
from safer.warehouse import ingest_paths, open_warehouse

FORENAMES = ["Alex", "Sam", "Jordan", "Zoë", "Noor", "Yusuf", "Mary-Ann", "Chris", "Robin", "Avery"]
SURNAMES = ["Smith", "O'Neil", "Okafor", "Khan", "Brañas", "de la Cruz", "Taylor", "Patel", "Nowak", "Jones"]


def write_marac(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    header = contract("marac-cases").header
    people = [(rng.choice(FORENAMES), rng.choice(SURNAMES) + str(i), f"{rng.randint(1950, 2001)}-"
               f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}") for i in range(max(1, rows * 3 // 4))]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for i in range(rows):
            forename, surname, dob = rng.choice(people)
            values = {"Case ID": f"MARAC-{i:07d}", "Victim forename": forename, "Victim surname": surname,
                      "Victim date of birth": dob, "Referral date": f"2018-{rng.randint(1, 12):02d}-"
                      f"{rng.randint(1, 28):02d}", "Referring agency": "Police", "Repeat case": "false",
                      "Victim sex": "Female", "Victim age band": "25-34", "BME": "false", "LGBT": "false",
                      "Disability": "false", "Children in household": "1", "Ward code": "E05000634"}
            writer.writerow([values.get(c, "") for c in header])


def timed(step):
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def run(rows: int, work: Path) -> None:
    raw = work / f"marac-{rows}.csv"
    write_marac(raw, rows)
    key = work / f"k-{rows}.key"
    ring = new_key_file(key)

    def copy():
        with open(raw, encoding="utf-8", newline="") as src, open(work / "copy.csv", "w", encoding="utf-8",
                                                                   newline="") as dst:
            csv.writer(dst).writerows(csv.reader(src))

    t_copy, _ = timed(copy)
    shared = work / f"shared-{rows}.csv"
    t_pseud, _ = timed(lambda: pseudonymise_dataset("marac-cases", raw, shared, key_file=key, overwrite=True))

    def load(path: Path, name: str):
        with open_warehouse(work / f"{name}-{rows}.duckdb") as wh, pseudonymising(wh, ring):
            return ingest_paths(wh, [path])

    t_load, _ = timed(lambda: load(shared, "load"))
    t_raw, _ = timed(lambda: load(raw, "raw"))
    with open_warehouse(work / f"raw-{rows}.duckdb") as wh:
        t_link, linkage = timed(lambda: link_people({"marac-cases": wh.table("marac_cases")}))
    print(f"\n{rows:,} rows ({linkage.report.people:,} people found)")
    for name, seconds in (("copy (csv read + write)", t_copy), ("pseudonymise", t_pseud),
                          ("load only (pseudonymised file)", t_load), ("raw ingest (pseudonymise + load)", t_raw),
                          ("linkage", t_link)):
        print(f"  {name:34s} {seconds:8.2f} s  {rows / seconds:12,.0f} rows/s")
    print(f"  raw ingest / load only: {t_raw / t_load:.2f}x;  pseudonymise / copy: {t_pseud / t_copy:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[20_000, 100_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="safer-bench-pseudonymise-") as tmp:
        for rows in args.rows:
            run(rows, Path(tmp))


if __name__ == "__main__":
    main()
