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

from safer.sources.contracts.schema import COLUMN_TYPES, MONTH_FIELD, SYNTHETIC, Column, Contract

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
    if contract.key:
        rules.append(f"`{contract.key}` identifies a record: a record supplied twice (in one file or two) is loaded "
                     "once, the first time it is seen.")
    else:
        rules.append("There is no record reference: identical rows within one file are kept as separate records, and "
                     "the same file supplied twice loads once.")
    if contract.geography_required:
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
        "in the ingest ledger, a file loaded twice changes nothing, and each file loads in one transaction.", "",
        "The machine-readable contracts are the TOML files in `src/safer/sources/contracts/`; these pages are "
        "generated from them (`python -m safer.sources.contracts.docs docs/contracts`).", "",
        "## General rules", "",
        "- One CSV file per extract (any name), comma separated, UTF-8 (Windows-1252 is accepted and converted), the "
        "first row the exact header of the contract. A value containing a comma is quoted, as spreadsheets do.",
        "- Blank means unknown. Dates are `YYYY-MM-DD`; months `YYYY-MM`; dates and times `YYYY-MM-DD HH:MM` in UK "
        "clock time, with no time zone.",
        "- Places are 2011 LSOA codes (`E01004736`) or ward codes from the December 2018 set (`E05000649`); aggregate "
        "tables use ONS area codes (`E09000033` for a local authority, `E12000007` for London, `K04000001` for "
        "England and Wales).",
        "- Incident-level and aggregate datasets identify no one. Person-level datasets mark the columns that identify "
        "a person (names, dates of birth, case references, postcodes): safer never stores them raw and loads such "
        "files only pseudonymised; otherwise it refuses the file and names those fields.",
        "- `safer ingest --dataset NAME FILE` checks a file against one contract and says which columns are missing, "
        "extra or out of order; an unknown name is refused with the list below.",
        "- `safer synth --area E09000033 --seed 1 --out DIR` writes a synthetic file for every contract, calibrated "
        "to the 2018 Westminster assessment, with a last column `Synthetic` = `true`, so that generated records stay "
        "labelled synthetic in the warehouse, the report and results.json.", "",
        "## Contracts", "",
        "| Contract | Dataset | Supplied by | Level | Loads |", "| --- | --- | --- | --- | --- |",
    ]
    for c in contracts:
        loads = "as supplied" if c.loadable else "pseudonymised only"
        lines.append(f"| [`{c.name}`]({c.name}.md) | {c.title} | {c.agency} | {c.level} | {loads} |")
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
