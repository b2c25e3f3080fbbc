"""Hand-made police.uk CSV content and warehouse snapshots for the ingest tests.

The headers are written out here from the published police.uk layouts rather than
imported from ``safer``, so the tests check the code against the format, not
against itself.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
import shutil
from pathlib import Path

STREET_HEADER = ("Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                 "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context")
OUTCOMES_HEADER = ("Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                   "LSOA code", "LSOA name", "Outcome type")
STOP_SEARCH_HEADER = ("Type", "Date", "Part of a policing operation", "Policing operation", "Latitude",
                      "Longitude", "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity",
                      "Legislation", "Object of search", "Outcome", "Outcome linked to object of search",
                      "Removal of more than just outer clothing")

MPS = "Metropolitan Police Service"
BTP = "British Transport Police"

STREET_DEFAULTS = {
    "Crime ID": "", "Month": "2018-01", "Reported by": MPS, "Falls within": MPS,
    "Longitude": "-0.134558", "Latitude": "51.511291", "Location": "On or near Coventry Street",
    "LSOA code": "E01004736", "LSOA name": "Westminster 018A", "Crime type": "Theft from the person",
    "Last outcome category": "Investigation complete; no suspect identified", "Context": "",
}
OUTCOMES_DEFAULTS = {
    "Crime ID": "", "Month": "2018-01", "Reported by": MPS, "Falls within": MPS,
    "Longitude": "-0.134558", "Latitude": "51.511291", "Location": "On or near Coventry Street",
    "LSOA code": "E01004736", "LSOA name": "Westminster 018A",
    "Outcome type": "Investigation complete; no suspect identified",
}
STOP_SEARCH_DEFAULTS = {
    "Type": "Person search", "Date": "2018-01-31T18:05:00+00:00", "Part of a policing operation": "False",
    "Policing operation": "", "Latitude": "51.512440", "Longitude": "-0.131170", "Gender": "Male",
    "Age range": "18-24", "Self-defined ethnicity": "White - English/Welsh/Scottish/Northern Irish/British",
    "Officer-defined ethnicity": "White", "Legislation": "Misuse of Drugs Act 1971 (section 23)",
    "Object of search": "Controlled drugs", "Outcome": "A no further action disposal",
    "Outcome linked to object of search": "False", "Removal of more than just outer clothing": "False",
}


def crime_id(seed: object) -> str:
    """A 64-hex-digit identifier shaped like a police.uk Crime ID."""
    return hashlib.sha256(str(seed).encode()).hexdigest()


def csv_line(values) -> str:
    """One CSV line (no line ending), quoting only where CSV needs it, as police.uk does."""
    values = list(values)
    if not any(ch in v for v in values for ch in ',"\r\n'):
        return ",".join(values)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


_SNAKE = {re.sub(r"[^a-z0-9]+", "_", c.lower()).strip("_"): c
          for c in (*STREET_HEADER, *OUTCOMES_HEADER, *STOP_SEARCH_HEADER)}


def _line(header, defaults, overrides: dict[str, str]) -> str:
    columns = {_SNAKE.get(k, k): v for k, v in overrides.items()}
    unknown = set(columns) - set(header)
    assert not unknown, f"not a column: {unknown}"
    return csv_line([columns.get(c, defaults[c]) for c in header])


def street(**overrides: str) -> str:
    """A street-crime CSV line; keywords are column names in snake case (``crime_id``, ``lsoa_code``)."""
    return _line(STREET_HEADER, STREET_DEFAULTS, overrides)


def outcome(**overrides: str) -> str:
    return _line(OUTCOMES_HEADER, OUTCOMES_DEFAULTS, overrides)


def stop_search(**overrides: str) -> str:
    return _line(STOP_SEARCH_HEADER, STOP_SEARCH_DEFAULTS, overrides)


def write_csv(path: Path, header, lines, *, newline: str = "\n", encoding: str = "utf-8",
              bom: bool = False, final_newline: bool = True) -> Path:
    """Write a header and lines; ``.gz`` names are gzip-compressed. Returns the path."""
    text = newline.join([csv_line(header), *lines]) + (newline if final_newline else "")
    data = (("\ufeff" if bom else "") + text).encode(encoding)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".gz"):
        with gzip.open(path, "wb") as handle:
            handle.write(data)
    else:
        path.write_bytes(data)
    return path


TABLES = ("crimes", "outcomes", "stop_searches", "quarantine", "ingest_ledger", "geo_lsoa")
INGEST_TABLES = TABLES[:-1]


def snapshot(con) -> dict[str, list[tuple]]:
    """The full contents of every table ingest writes to, each in a stable order, and a checksum of
    the (large, packaged) geography lookup that ingest must never touch."""
    tables = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in INGEST_TABLES}
    tables["geo_lsoa"] = con.execute("SELECT count(*), sum(hash(g)) FROM geo_lsoa AS g").fetchall()
    return tables


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def quarantine_rows(con, source_file: str | None = None) -> list[tuple]:
    """(line_no, field, reason, raw_line) of quarantined rows, in line order."""
    sql = "SELECT line_no, field, reason, raw_line FROM quarantine"
    params: list = []
    if source_file is not None:
        sql += " WHERE source_file = ?"
        params.append(source_file)
    return con.execute(sql + " ORDER BY line_no", params).fetchall()


def copy_warehouse_file(source: Path, target: Path) -> Path:
    """Copy a closed warehouse file (and its write-ahead log, if any) to ``target``."""
    shutil.copyfile(source, target)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + ".wal"))
    return target
