"""The pages agencies read: one Markdown page per contract and an index, written from the contracts.

The pages in ``docs/contracts/`` are generated, so they can never disagree with the contracts safer
checks files against. Regenerate them after changing a contract:

    $ python -m safer.sources.contracts.docs docs/contracts

Example:
    >>> from safer.sources.contracts import contract
    >>> contract_page(contract("las-assaults")).splitlines()[0]
    '# London Ambulance Service assaults (`las-assaults`)'
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from safer.sources.contracts.schema import COLUMN_TYPES, MONTH_FIELD, PLACED_FIELD, SYNTHETIC, Column, Contract

#: Documented file layouts that are not partner contracts (no TOML), listed in the index: (page, title, what).
OTHER_PAGES = (
    ("category-counts.md", "Police category tables (`category-counts`)",
     "the force's table of offence counts by category and month, loaded with `safer ingest FILE` into "
     "`category_counts`"),
    ("vli-indicators.md", "Vulnerable Localities Index indicators (`[vli] indicators`)",
     "deprivation and population indicators by ward or LSOA, named in `safer.toml` and read when the assessment "
     "runs"),
)

_LEVELS = {"incident": "incident level (one row per incident; no one is identified)",
           "aggregate": "aggregate (counts; no one is identified)",
           "person": "person level (one row per person or case; fields identify people)"}


def example_csv(contract: Contract) -> str:
    """The header and one example row, built from each column's documented example."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(contract.header)
    writer.writerow([c.example for c in contract.columns])
    return out.getvalue()


def _rule(column: Column) -> str:
    parts = []
    if column.allowed:
        parts.append("one of: " + ", ".join(f"`{v}`" for v in column.allowed))
    else:
        parts.append(COLUMN_TYPES[column.type])
    if column.minimum is not None:
        parts.append(f"at least {column.minimum:g}")
    if column.maximum is not None:
        parts.append(f"at most {column.maximum:g}")
    return "; ".join(parts)


def contract_page(contract: Contract) -> str:
    """The Markdown page for one contract."""
    lines = [f"# {contract.title} (`{contract.name}`)", "",
             f"**Supplied by:** {contract.agency}.  ", f"**Level:** {_LEVELS[contract.level]}.", "",
             contract.description, ""]
    if contract.loadable:
        lines += ["Load a file with `safer ingest --dataset " + contract.name + " FILE`, or just `safer ingest FILE`: "
                  "safer recognises the file by its header. Every row is checked; a row that breaks a rule below is "
                  "kept out of the warehouse and listed by `safer quarantine` with its file, line, field and reason, "
                  "and the rest of the file loads. Loading the same file again changes nothing.", ""]
    else:
        lines += ["**This dataset identifies people.** The columns marked *identifies a person* are never stored as "
                  "they are: safer loads the file only pseudonymised (keyed hashing with the partnership's key). "
                  "Without that, `safer ingest` refuses the file, naming these fields, and loads nothing.", ""]
    if contract.seed_use:
        lines += ["## How the 2018 Westminster assessment used it", "", contract.seed_use, ""]
    lines += ["## Columns", "",
              "Columns must appear in this order, with exactly these names, in the first row of a comma-separated "
              "UTF-8 file. A blank value is allowed unless the column is required.", "",
              "| Column | Required | Values | Identifies a person | Meaning |", "| --- | --- | --- | --- | --- |"]
    for c in contract.columns:
        lines.append(f"| {c.name} | {'yes' if c.required else 'no'} | {_rule(c)} | "
                     f"{'**yes**' if c.identifies_person else 'no'} | {c.description} |")
    lines += ["", "## Rules across columns", ""]
    rules = []
    if len(contract.key) == 1:
        rules.append(f"`{contract.key[0]}` identifies a record: a record supplied twice (in one file or two) is loaded "
                     "once, the first time it is seen.")
    elif contract.key:
        names = ", ".join(f"`{k}`" for k in contract.key[:-1]) + f" and `{contract.key[-1]}`"
        rules.append(f"{names} together identify one figure: a figure supplied again (in the same file, or in a "
                     "later file such as a re-issued table with a corrected value) is loaded once, the first time it "
                     "is seen, and the repeat is counted as a duplicate in the ingest ledger. So a re-issued table "
                     "never counts its figures twice; to replace figures already loaded, load the corrected table "
                     "into a new warehouse.")
    else:
        rules.append("There is no record reference: identical rows within one file are kept as separate records, and "
                     "the same file supplied twice loads once.")
    if contract.placed_by_coordinates:
        lsoa, ward = contract.role("lsoa"), contract.role("ward")
        longitude, latitude = contract.coordinates
        rules.append(f"Every row must give its place: `{lsoa.name}`, `{ward.name}`, or both `{longitude.name}` and "
                     f"`{latitude.name}` (WGS84). Where both codes are given the LSOA is used. A row giving only "
                     "coordinates is placed as it loads in the 2011 LSOA whose boundary (among those safer ships: "
                     "Westminster and its neighbours) contains the point, and in that LSOA's ward; a point on the "
                     "border of two LSOAs goes to the lower code. A point outside every boundary is loaded without a "
                     "place and counted among the records no place code places. A row giving a ward code is not "
                     "placed by its coordinates.")
    if contract.coordinates is not None:
        longitude, latitude = contract.coordinates
        rules.append(f"`{longitude.name}` and `{latitude.name}` are given together or both left blank.")
    if contract.geography_required and not contract.placed_by_coordinates:
        places = " or ".join(f"`{c.name}`" for c in (contract.role("lsoa"), contract.role("ward")) if c)
        rules.append(f"Every row must give its place: {places}. Where both are given the LSOA is used.")
    when = contract.role("when") or contract.role("month")
    if when is not None:
        rules.append(f"`{when.name}` dates each record; the assessment counts records by its month"
                     + (" and its hour and day of the week." if contract.timed else "."))
    if contract.level == "aggregate":
        rules.append({"sum": "Counts add up over months and areas (but never across overlapping categories).",
                      "snapshot": "Counts are taken at a point in time: the assessment compares the latest with the "
                                  "same point a year before, and never adds them up.",
                      "rate": "The rate is the numerator over the count, summed over the area's rows."}[
                         contract.aggregation])
    lines += [f"- {r}" for r in rules]
    lines += ["", "## Example", "", "```csv", example_csv(contract).rstrip("\n"), "```", ""]
    if contract.caveats:
        lines += ["## Limits and caveats", "", contract.caveats, ""]
    stored = [c for c in contract.columns if not c.identifies_person]
    lines += ["## In the warehouse", "",
              f"Table `{contract.table}`: " + ", ".join(f"`{c.field}`" for c in stored)
              + (f", `{MONTH_FIELD}` (the first day of the record's month)" if contract.role("when") else "")
              + (f", `{PLACED_FIELD}` (true where the LSOA and ward were found from the row's coordinates)"
                 if contract.placed_by_coordinates else "")
              + ", `synthetic` (true for records written by `safer synth`), and the provenance columns every table has "
              "(`record_key`, `source_file`, `source_line`).", "",
              f"Files written by `safer synth` add a last column, `{SYNTHETIC}`, set to `true` on every row; they load "
              "into the same table, marked synthetic. Agencies never send that column.", ""]
    return "\n".join(lines)


def index_page(contracts: list[Contract]) -> str:
    """``docs/contracts/README.md``: what a contract is, the general rules, and every contract."""
    lines = [
        "# Partner dataset contracts", "",
        "The strategic assessment draws on many agencies besides the police. Each dataset has a contract: the exact "
        "columns of a CSV file, what each holds and which values are allowed, written so that any agency can export "
        "to it. safer loads a file that follows its contract with the same guarantees as police.uk data: every row is "
        "checked, rows that break a rule are quarantined with their file, line, field and reason, each file is logged "
        "in the ingest ledger, a file loaded twice changes nothing, and a load is atomic (files load in transactions of one batch each; a failure rolls back its batch).", "",
        "The machine-readable contracts are the TOML files in `src/safer/sources/contracts/`; these pages are "
        "generated from them (`python -m safer.sources.contracts.docs docs/contracts`).", "",
        "## General rules", "",
        "- One CSV file per extract (any name), comma separated, UTF-8 (Windows-1252 is accepted and converted), the "
        "first row the exact header of the contract. A value containing a comma is quoted, as spreadsheets do.",
        "- Blank means unknown. Dates are `YYYY-MM-DD`; months `YYYY-MM`; dates and times `YYYY-MM-DD HH:MM` in UK "
        "clock time, with no time zone.",
        "- Places are 2011 LSOA codes (`E01004736`), ward codes from the December 2018 set (`E05000649`) or, for the "
        "incident datasets whose agencies record locations, a longitude and latitude (WGS84, decimal degrees); "
        "aggregate tables use ONS area codes (`E09000033` for a local authority, `E12000007` for London, `K04000001` "
        "for England and Wales).",
        "- Each contract says what identifies a record (its key): an incident's reference, or for an aggregate table "
        "the columns naming one figure (month, area and category). A record or figure supplied again, in the same "
        "file or a later one, loads once, the first time it is seen; the repeat is counted as a duplicate. A "
        "re-issued aggregate table with corrected figures therefore changes no total: load the corrected table into "
        "a new warehouse to use its figures. Key columns are required and never identify a person.",
        "- Incident-level and aggregate datasets identify no one. Person-level datasets mark the columns that identify "
        "a person (names, dates of birth, case references, postcodes): safer never stores them raw and loads such "
        "files only pseudonymised; otherwise it refuses the file and names those fields.",
        "- `safer ingest --dataset NAME FILE` checks a file against one contract and says which columns are missing, "
        "extra or out of order; an unknown name is refused with the list below.",
        "- `safer synth --area E09000033 --seed 1 --out DIR` writes a synthetic file for every contract, calibrated "
        "to the 2018 Westminster assessment, with a last column `Synthetic` = `true`, so that generated records stay "
        "labelled synthetic in the warehouse, the report and results.json.", "",
        "## Rows placed by their coordinates", "",
        "A row of an incident contract with `Longitude` and `Latitude` columns may give its place as coordinates "
        "alone (no LSOA or ward code). Such a row is placed as it loads: the SQL statement that inserts the file's "
        "records looks up the 2011 LSOA whose boundary contains the point (the LSOA polygons safer ships, "
        "`src/safer/data/geography/`, covering Westminster and its neighbours; point in polygon with shapely, a point "
        "on a border going to the lower code, as for police.uk API records) and that LSOA's ward in the packaged "
        "lookup, and stores them in the record's `lsoa_code` and `ward_code` with `lsoa_from_coordinates` = true. "
        "Because the placing is part of the insert, it happens in the load's transaction: a load that fails "
        "leaves nothing placed, and loading the file again changes nothing. The row then counts in every place-based "
        "figure (top wards and LSOAs, concentration, ward tables) exactly as if the agency had sent its LSOA code. "
        "A point outside every shipped boundary is loaded with a blank LSOA and ward and counted, with the dataset's "
        "other records no place code places, in the assessment's partner data section. Coordinates given with an "
        "LSOA or ward code are stored but never override the code.", "",
        "## Contracts", "",
        "| Contract | Dataset | Supplied by | Level | Loads |", "| --- | --- | --- | --- | --- |",
    ]
    for c in contracts:
        loads = "as supplied" if c.loadable else "pseudonymised only"
        lines.append(f"| [`{c.name}`]({c.name}.md) | {c.title} | {c.agency} | {c.level} | {loads} |")
    lines += ["", "## Other documented files", "",
              "These layouts are documented here too, but are not partner contracts (their pages are written by hand):",
              ""]
    lines += [f"- [{title}]({page}): {what}." for page, title, what in OTHER_PAGES]
    lines.append("")
    return "\n".join(lines)


def write_pages(folder: Path, contracts: list[Contract]) -> list[Path]:
    """Write every contract's page and the index into ``folder``; return the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for c in contracts:
        path = folder / f"{c.name}.md"
        path.write_text(contract_page(c), encoding="utf-8")
        written.append(path)
    index = folder / "README.md"
    index.write_text(index_page(contracts), encoding="utf-8")
    return [*written, index]


if __name__ == "__main__":
    from safer.sources.contracts import CONTRACTS

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/contracts")
    for written_path in write_pages(target, list(CONTRACTS.values())):
        print(written_path)
