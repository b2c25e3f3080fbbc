"""Benchmark: how fast does ``safer ingest`` load police.uk street files?

Generates N realistic police.uk street rows as monthly files
(``YYYY-MM/YYYY-MM-<force>-street.csv``) and, on the same files, measures:

* **bare scan**: DuckDB ``CREATE TABLE AS SELECT * FROM read_csv([...], all_varchar=true)``
  into a fresh database file; no validation, no deduplication. This is the floor.
* **safer**: ``open_warehouse`` on a fresh file, then ``ingest_paths`` over the folder.
* **pandas**: ``pd.read_csv(dtype=str)`` of each file, the same row checks as safer
  written in pandas, deduplication on Crime ID, and the valid rows written to a
  DuckDB table.

Each runs in its own child process, so its wall time, CPU time and peak memory
(peak RSS, from ``os.wait4``) are its own. Then it prints a table per N and whether the
targets hold: safer within 3x of the bare scan, at least 5x faster than pandas,
and peak memory under 2 GB (the target is stated for 5M rows).

Usage::

    python benchmarks/ingest.py                    # 1M and 5M rows
    python benchmarks/ingest.py --rows 200000      # quick check
    python benchmarks/ingest.py --rows 1000000 --profile   # also time each loader step
    python benchmarks/ingest.py --rows 200000 --repeat 3       # best of three, for a noisy machine
    python benchmarks/ingest.py --workdir /data/bench --keep

Generation is seeded (``--seed``): the same arguments write byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
          "Crime type,Last outcome category,Context")

CRIME_TYPES = (
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs", "Other crime",
    "Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting", "Theft from the person",
    "Vehicle crime", "Violence and sexual offences",
)
# Roughly the national mix: about 30% anti-social behaviour, violence the largest crime group.
CRIME_TYPE_WEIGHTS = (30.0, 1.5, 4.5, 7.0, 2.5, 1.5, 6.5, 0.8, 6.5, 1.3, 5.5, 1.6, 6.5, 24.3)

OUTCOMES = (
    ("Investigation complete; no suspect identified", 38.0),
    ("Unable to prosecute suspect", 22.0),
    ("Status update unavailable", 10.0),
    ("Under investigation", 8.0),
    ("Court result unavailable", 3.0),
    ("Awaiting court outcome", 3.0),
    ("Further investigation is not in the public interest", 2.5),
    ("Local resolution", 2.5),
    ("Offender given a caution", 2.0),
    ("Action to be taken by another organisation", 2.0),
    ("Further action is not in the public interest", 1.5),
    ("Formal action is not in the public interest", 1.0),
    ("Offender given a drugs possession warning", 1.0),
    ("Offender sent to prison", 1.0),
    ("Offender given community sentence", 0.6),
    ("Offender fined", 0.5),
    ("Offender given suspended prison sentence", 0.4),
    ("Offender given penalty notice", 0.3),
    ("Defendant found not guilty", 0.3),
    ("Offender given conditional discharge", 0.2),
    ("Court case unable to proceed", 0.1),
    ("Offender otherwise dealt with", 0.1),
)


@dataclass(frozen=True)
class Force:
    slug: str
    name: str
    share: float  # of all rows
    centre: tuple[float, float]  # lon, lat
    spread: tuple[float, float]  # half-width of the area, degrees lon, lat
    lsoa_filter: str  # SQL over the packaged LSOA lookup


FORCES = (
    Force("metropolitan", "Metropolitan Police Service", 0.44, (-0.118, 51.509), (0.25, 0.14),
          "region_name = 'London' AND lad_name <> 'City of London'"),
    Force("west-midlands", "West Midlands Police", 0.18, (-1.890, 52.486), (0.25, 0.12),
          "lad_name IN ('Birmingham', 'Coventry', 'Dudley', 'Sandwell', 'Solihull', 'Walsall', 'Wolverhampton')"),
    Force("greater-manchester", "Greater Manchester Police", 0.20, (-2.243, 53.481), (0.30, 0.14),
          "lad_name IN ('Bolton', 'Bury', 'Manchester', 'Oldham', 'Rochdale', 'Salford', 'Stockport', "
          "'Tameside', 'Trafford', 'Wigan')"),
    Force("west-yorkshire", "West Yorkshire Police", 0.16, (-1.549, 53.801), (0.35, 0.12),
          "lad_name IN ('Bradford', 'Calderdale', 'Kirklees', 'Leeds', 'Wakefield')"),
    Force("btp", "British Transport Police", 0.02, (-0.118, 51.509), (0.25, 0.14),
          "region_name = 'London' AND lad_name <> 'City of London'"),
)

STREET_WORDS = (
    "High", "Station", "Church", "Park", "Victoria", "Green", "Manor", "Queens", "Kings", "Albert", "Mill",
    "School", "New", "London", "York", "Springfield", "Grange", "Chestnut", "Oak", "Elm", "Windsor", "Highfield",
    "Cedar", "Alexandra", "Clarence", "St John's", "Richmond", "Wellington", "Bridge", "Market", "Canal", "North",
    "South", "West", "East", "Mount", "Albion", "Stanley", "Grosvenor", "Russell", "Lyons", "Rudolph", "Brook",
    "Hill", "Ash", "Beech", "Cromwell", "Nelson", "Waterloo", "Castle", "Chapel", "Orchard", "Meadow", "Willow",
    "Moor", "Cross", "Lime", "Rose", "Poplar", "Holly", "Ivy", "Union", "Dale", "Hall", "Farm", "Heath",
)
STREET_KINDS = ("Street", "Road", "Lane", "Avenue", "Close", "Gardens", "Place", "Way", "Crescent", "Drive",
                "Terrace", "Grove", "Court", "Square", "Walk", "Mews", "Row", "Rise")
PLACES = ("Supermarket", "Parking Area", "Petrol Station", "Nightclub", "Shopping Area", "Sports/recreation Area",
          "Theatre/concert Hall", "Further/higher Educational Building", "Hospital", "Police Station",
          "Conference/exhibition Centre", "Pedestrian Subway", "Bus/coach Station")
STATIONS = ("Victoria", "Waterloo", "Euston", "Kings Cross", "Oxford Circus", "Bank", "Brixton", "Stratford",
            "Marylebone", "Paddington", "Camden Town", "Warwick Avenue", "Westbourne Park", "St John's Wood")

MONTHS = 24
FIRST_MONTH = (2023, 1)
INVALID_SHARE = 0.01  # rows broken in one of the ways below
REPEAT_SHARE = 0.01  # rows repeating an earlier Crime ID
NO_LOCATION_SHARE = 0.005  # valid rows without coordinates ("No location")
# Ways a row is invalid: month malformed, coordinate not a number / out of range, latitude missing,
# unknown crime type, LSOA code malformed, Reported by blank, Month blank, an unquoted comma in the
# location (13 fields), Crime type blank.
INVALID_KINDS = 9


# --------------------------------------------------------------------------------------------------
# Generating the files
# --------------------------------------------------------------------------------------------------

def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _month_names(count: int) -> list[str]:
    year, month = FIRST_MONTH
    names = []
    for _ in range(count):
        names.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return names


def _rows_per_file(total: int, months: int) -> list[tuple[str, Force, int]]:
    """(month, force, rows) for every file, summing exactly to ``total``."""
    slots = [(m, f) for m in _month_names(months) for f in FORCES]
    exact = [total * f.share / months for _, f in slots]
    counts = [int(x) for x in exact]
    # Hand out the remainder by largest fractional part; ties go to the earlier file.
    order = sorted(range(len(slots)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return [(m, f, n) for (m, f), n in zip(slots, counts) if n > 0]


def _build_location_pool(con, rng) -> None:
    """One table of places per force: CSV-ready location, coordinates, LSOA code and name."""
    from importlib import resources

    import numpy as np
    import pyarrow as pa

    lookup = resources.files("safer").joinpath("data/geography/lsoa_lookup.csv.gz")
    columns: dict[str, list] = {k: [] for k in ("force_no", "id", "location_plain", "location_csv", "lon", "lat",
                                                 "lsoa_code", "lsoa_name")}
    with resources.as_file(lookup) as lookup_path:
        for force_no, force in enumerate(FORCES):
            lsoas = con.execute(
                f"SELECT lsoa_code, lsoa_name, lad_name FROM read_csv(?, header=true, all_varchar=true) "
                f"WHERE {force.lsoa_filter} ORDER BY lsoa_code", [str(lookup_path)]).fetchall()
            n_lsoa = len(lsoas)
            per_lsoa = 4
            size = n_lsoa * per_lsoa
            lsoa_of = np.repeat(np.arange(n_lsoa), per_lsoa)
            # Each district sits somewhere in the force area, its LSOAs around it, places around those.
            (lon0, lat0), (dlon, dlat) = force.centre, force.spread
            districts = sorted({lad for _, _, lad in lsoas})
            lad_lon = dict(zip(districts, lon0 + rng.uniform(-0.8 * dlon, 0.8 * dlon, len(districts))))
            lad_lat = dict(zip(districts, lat0 + rng.uniform(-0.8 * dlat, 0.8 * dlat, len(districts))))
            lsoa_lon = np.array([lad_lon[lad] for _, _, lad in lsoas]) + rng.normal(0, 0.02, n_lsoa)
            lsoa_lat = np.array([lad_lat[lad] for _, _, lad in lsoas]) + rng.normal(0, 0.012, n_lsoa)
            lon = lsoa_lon[lsoa_of] + rng.normal(0, 0.003, size)
            lat = lsoa_lat[lsoa_of] + rng.normal(0, 0.002, size)
            word = rng.integers(0, len(STREET_WORDS), size)
            kind = rng.integers(0, len(STREET_KINDS), size)
            word2 = rng.integers(0, len(STREET_WORDS), size)
            style = rng.random(size)
            ids = rng.permutation(size)  # so the busiest places are spread over the area
            for i in range(size):
                street = f"{STREET_WORDS[word[i]]} {STREET_KINDS[kind[i]]}"
                if force.slug == "btp":
                    station = STATIONS[word[i] % len(STATIONS)]
                    place = f"{station} (lu Station)" if style[i] < 0.7 else f"{station} (station)"
                elif style[i] < 0.10:
                    place = f"On or near {PLACES[word[i] % len(PLACES)]}"
                elif style[i] < 0.11:  # a few police.uk locations carry a comma, so the field is quoted
                    place = f"On or near {street}, {STREET_WORDS[word2[i]]} {STREET_KINDS[kind[i] - 1]}"
                else:
                    place = f"On or near {street}"
                code, name, _ = lsoas[lsoa_of[i]]
                columns["force_no"].append(force_no)
                columns["id"].append(int(ids[i]))
                columns["location_plain"].append(place)
                columns["location_csv"].append(
                    '"' + place.replace('"', '""') + '"' if ("," in place or '"' in place) else place)
                columns["lon"].append(f"{lon[i]:.6f}")
                columns["lat"].append(f"{lat[i]:.6f}")
                columns["lsoa_code"].append(code)
                columns["lsoa_name"].append(name)
    con.register("pool_rows", pa.table(columns))
    con.execute("CREATE TABLE pool AS SELECT * FROM pool_rows")
    con.unregister("pool_rows")
    con.execute("CREATE TABLE crime_types AS SELECT unnest(range(?)) AS id, unnest(?) AS name",
                [len(CRIME_TYPES), list(CRIME_TYPES)])
    con.execute("CREATE TABLE outcomes AS SELECT unnest(range(?)) AS id, unnest(?) AS name",
                [len(OUTCOMES), [o for o, _ in OUTCOMES]])


def _line_sql(month: str, force_no: int, force: Force, seed: int) -> str:
    """The SELECT producing one file's lines: the header, then the rows in order (each line built whole,
    so an invalid row can carry an unquoted comma)."""
    year = month[:4]
    name = _sql_str(force.name)
    bad_month = f"(['{year}-13', '01/{year}', '{year}-1'])[r.gidx % 3 + 1]"
    bad_lsoa = "(['S01006506', 'E0100455', 'E01-004736'])[r.gidx % 3 + 1]"
    bad_type = "(['Fraud', 'burglary', 'Theft'])[r.gidx % 3 + 1]"
    fields = [
        f"coalesce(CASE WHEN r.crime_no >= 0 THEN sha256('{seed}:' || r.crime_no) END, '')",
        f"CASE r.bad WHEN 0 THEN {bad_month} WHEN 6 THEN '' ELSE '{month}' END",
        f"CASE r.bad WHEN 5 THEN '' ELSE {name} END",
        name,
        "CASE WHEN r.no_loc THEN '' WHEN r.bad = 1 AND r.gidx % 2 = 0 THEN 'N/A' ELSE p.lon END",
        "CASE WHEN r.no_loc OR r.bad = 2 THEN '' WHEN r.bad = 1 AND r.gidx % 2 = 1 THEN '951.' || r.gidx % 1000 "
        "ELSE p.lat END",
        "CASE WHEN r.no_loc THEN 'No location' "
        "WHEN r.bad = 7 THEN p.location_plain || ', Flat ' || (r.gidx % 40 + 1) ELSE p.location_csv END",
        f"CASE WHEN r.no_loc THEN '' WHEN r.bad = 4 THEN {bad_lsoa} ELSE p.lsoa_code END",
        "CASE WHEN r.no_loc THEN '' ELSE p.lsoa_name END",
        f"CASE r.bad WHEN 3 THEN {bad_type} WHEN 8 THEN '' ELSE c.name END",
        "coalesce(o.name, '')",
        "''",
    ]
    line = " || ',' || ".join(fields)
    return (
        f"SELECT line FROM (SELECT -1 AS k, {_sql_str(HEADER)} AS line UNION ALL "
        f"SELECT r.pos AS k, {line} AS line FROM r "
        f"JOIN pool p ON p.force_no = {force_no} AND p.id = r.loc "
        "JOIN crime_types c ON c.id = r.ctype LEFT JOIN outcomes o ON o.id = r.outcome) ORDER BY k"
    )


def generate(rows: int, out_dir: Path, seed: int, months: int = MONTHS) -> dict:
    """Write ``rows`` street rows under ``out_dir``; return counts of what was written."""
    import duckdb
    import numpy as np
    import pyarrow as pa

    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    _build_location_pool(con, np.random.default_rng([seed, 0]))
    pool_sizes = dict(con.execute("SELECT force_no, count(*) FROM pool GROUP BY ALL").fetchall())
    type_p = np.array(CRIME_TYPE_WEIGHTS) / sum(CRIME_TYPE_WEIGHTS)
    outcome_p = np.array([w for _, w in OUTCOMES]) / sum(w for _, w in OUTCOMES)
    asb = CRIME_TYPES.index("Anti-social behaviour")
    stats = {"rows": 0, "files": 0, "bytes": 0, "asb": 0, "invalid": 0, "repeats": 0}
    prev_candidates: dict[str, np.ndarray] = {}  # per force: crime numbers of the previous month's file
    offset = 0
    for file_no, (month, force, n) in enumerate(_rows_per_file(rows, months), start=1):
        force_no = FORCES.index(force)
        rng = np.random.default_rng([seed, file_no])
        pos = np.arange(n, dtype=np.int64)
        gidx = offset + pos
        ctype = rng.choice(len(CRIME_TYPES), size=n, p=type_p)
        is_asb = ctype == asb
        # Busy places recur: skew the pick towards the start of the (LSOA-shuffled) pool.
        size = pool_sizes[force_no]
        loc = np.minimum((size * rng.random(n) ** 1.6).astype(np.int64), size - 1)
        outcome = np.where(is_asb, -1, rng.choice(len(OUTCOMES), size=n, p=outcome_p))
        bad = np.where((rng.random(n) < INVALID_SHARE) & (pos > 0), rng.integers(0, INVALID_KINDS, n), -1)
        no_loc = (rng.random(n) < NO_LOCATION_SHARE) & (bad < 0)
        crime_no = np.where(is_asb, -1, gidx)
        # Repeated Crime IDs: most repeat an earlier crime in the same file (a crime listed twice), some
        # one in the same force's previous month (overlapping downloads).
        candidate = ~is_asb & (bad < 0)
        repeat = candidate & (rng.random(n) < REPEAT_SHARE / (1 - type_p[asb])) & (pos > 0)
        source_ok = candidate & ~repeat
        ok_pos = np.flatnonzero(source_ok)
        before = np.searchsorted(ok_pos, pos)  # how many usable sources precede each row
        pick = rng.random(n)
        cross = rng.random(n) < 0.2
        prev = prev_candidates.get(force.slug, np.empty(0, dtype=np.int64))
        across = repeat & cross & (len(prev) > 0)
        within = repeat & ~across & (before > 0)
        crime_no[within] = gidx[ok_pos[(pick[within] * before[within]).astype(np.int64)]]
        crime_no[across] = prev[(pick[across] * len(prev)).astype(np.int64)]
        prev_candidates[force.slug] = gidx[source_ok]
        stats["repeats"] += int(within.sum() + across.sum())
        stats["asb"] += int(is_asb.sum())
        stats["invalid"] += int((bad >= 0).sum())

        con.register("r", pa.table({"pos": pos, "gidx": gidx, "crime_no": crime_no, "ctype": ctype, "loc": loc,
                                    "outcome": outcome, "bad": bad, "no_loc": no_loc}))
        path = out_dir / month / f"{month}-{force.slug}-street.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        # One VARCHAR column, no quoting, a delimiter that never occurs: each line is written as built.
        con.execute(f"COPY ({_line_sql(month, force_no, force, seed)}) TO '{path}' "
                    "(FORMAT csv, HEADER false, DELIMITER '\x1f', QUOTE '', ESCAPE '')")
        con.unregister("r")
        offset += n
        stats["rows"] += n
        stats["files"] += 1
        stats["bytes"] += path.stat().st_size
    con.close()
    return stats


# --------------------------------------------------------------------------------------------------
# The three loaders, each run in a child process
# --------------------------------------------------------------------------------------------------

def _files(data: Path) -> list[Path]:
    return sorted(data.rglob("*-street.csv"))


def run_bare(data: Path, db: Path) -> dict:
    import duckdb

    files = [str(f) for f in _files(data)]
    start = time.perf_counter()
    con = duckdb.connect(str(db))
    # Every column as VARCHAR (all_varchar), with the dialect given rather than sniffed: the few rows with
    # too many fields defeat the sniffer. strict_mode=false reads those rows too instead of stopping.
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in HEADER.split(",")) + "}"
    con.execute(f"CREATE TABLE raw_street AS SELECT * FROM read_csv(?, columns={columns}, header=true, "
                "auto_detect=false, delim=',', quote='\"', escape='\"', strict_mode=false)", [files])
    loaded = con.execute("SELECT count(*) FROM raw_street").fetchone()[0]
    con.close()
    return {"seconds": time.perf_counter() - start, "loaded": loaded}


def run_safer(data: Path, db: Path, profile: bool = False) -> dict:
    from safer.warehouse.connect import open_warehouse
    from safer.warehouse.ingest import ingest_paths

    steps = _time_python_steps() if profile else None
    start = time.perf_counter()
    with open_warehouse(db) as wh:
        opened = time.perf_counter()
        if profile:
            statements = _time_sql(wh)
        results = ingest_paths(wh, [data])
        ingested = time.perf_counter()
    seconds = time.perf_counter() - start
    out = {"seconds": seconds, "loaded": sum(r.rows_loaded for r in results),
           "read": sum(r.rows_read for r in results), "quarantined": sum(r.rows_quarantined for r in results),
           "duplicates": sum(r.rows_duplicate for r in results)}
    if profile:
        steps["open_warehouse (schema + geography lookup)"] = opened - start
        steps["close (checkpoint)"] = seconds - (ingested - start)
        out["steps"] = steps
        out["sql"] = statements
    return out


def _time_python_steps() -> dict[str, float]:
    """Wrap ingest's per-file steps (looked up at call time) to total their time."""
    import safer.warehouse.ingest as ingest

    totals: dict[str, float] = {}
    for name, label in (("prepare", "prepare files (sha256, UTF-8 check, header)"),
                        ("load_file", "load_file (all SQL per file, below)")):
        inner = getattr(ingest, name, None)
        if inner is None:
            continue

        def wrapper(*args, _inner=inner, _label=label, **kwargs):
            t = time.perf_counter()
            try:
                return _inner(*args, **kwargs)
            finally:
                totals[_label] = totals.get(_label, 0.0) + time.perf_counter() - t
        setattr(ingest, name, wrapper)
    return totals


class _TimedConnection:
    """Stands in for the warehouse's DuckDB connection and totals the time of each kind of statement."""

    _KINDS = (
        (re.compile(r"^CREATE TEMP(?:ORARY)? TABLE (\w+)", re.I), "CREATE TEMP TABLE {}"),
        (re.compile(r"^INSERT INTO (\w+)", re.I), "INSERT INTO {}"),
        (re.compile(r"^SELECT count\(\*\) FROM (\w+)", re.I), "SELECT count(*) FROM {}"),
        (re.compile(r"^SELECT .* FROM (\w+)", re.I | re.S), "SELECT ... FROM {}"),
        (re.compile(r"^DROP TABLE", re.I), "DROP TABLE (temporary tables)"),
        (re.compile(r"^(BEGIN|COMMIT|ROLLBACK)", re.I), "{}"),
    )

    def __init__(self, con, totals: dict):
        self._con = con
        self._totals = totals

    def __getattr__(self, name):
        return getattr(self._con, name)

    def execute(self, sql, *args, **kwargs):
        t = time.perf_counter()
        try:
            return self._con.execute(sql, *args, **kwargs)
        finally:
            label = self._label(sql)
            seconds, count = self._totals.get(label, (0.0, 0))
            self._totals[label] = (seconds + time.perf_counter() - t, count + 1)

    @classmethod
    def _label(cls, sql: str) -> str:
        text = " ".join(str(sql).split())
        for pattern, label in cls._KINDS:
            match = pattern.match(text)
            if match:
                return label.format(*match.groups())
        return text[:50]


def _time_sql(wh) -> dict:
    totals: dict = {}
    wh.ibis.con = _TimedConnection(wh.ibis.con, totals)
    return totals


def run_pandas(data: Path, db: Path) -> dict:
    import duckdb
    import pandas as pd

    month = r"\d{4}-(0[1-9]|1[0-2])"
    lsoa = r"[EW]01\d{6}"
    types = set(CRIME_TYPES)
    start = time.perf_counter()
    frames = []
    read = 0
    for path in _files(data):
        # on_bad_lines="skip": rows with too many fields are dropped (safer quarantines them).
        df = pd.read_csv(path, dtype=str, on_bad_lines="skip")
        read += len(df)
        lon = pd.to_numeric(df["Longitude"], errors="coerce")
        lat = pd.to_numeric(df["Latitude"], errors="coerce")
        ok = df[["Month", "Reported by", "Falls within", "Crime type"]].notna().all(axis=1)
        ok &= df["Month"].isna() | df["Month"].str.fullmatch(month, na=False)
        ok &= df["Longitude"].isna() | (lon.abs() <= 180)
        ok &= df["Latitude"].isna() | (lat.abs() <= 90)
        ok &= df["Longitude"].isna() == df["Latitude"].isna()
        ok &= df["LSOA code"].isna() | df["LSOA code"].str.fullmatch(lsoa, na=False)
        ok &= df["Crime type"].isna() | df["Crime type"].isin(types)
        valid = df[ok].copy()
        valid["Longitude"] = lon[ok]
        valid["Latitude"] = lat[ok]
        valid["source_file"] = str(path)
        frames.append(valid)
    rows = pd.concat(frames, ignore_index=True)
    rows = rows[~(rows["Crime ID"].notna() & rows["Crime ID"].duplicated())]
    rows["Month"] = pd.to_datetime(rows["Month"] + "-01", format="%Y-%m-%d")
    con = duckdb.connect(str(db))
    con.register("valid_rows", rows)
    con.execute("CREATE TABLE crimes AS SELECT * FROM valid_rows")
    loaded = con.execute("SELECT count(*) FROM crimes").fetchone()[0]
    con.close()
    return {"seconds": time.perf_counter() - start, "loaded": loaded, "read": read}


def run_generate(data: Path, rows: int, seed: int) -> dict:
    start = time.perf_counter()
    stats = generate(rows, data, seed)
    stats["seconds"] = time.perf_counter() - start
    return stats


LABELS = {"bare": "bare DuckDB scan (floor)", "safer": "safer ingest", "pandas": "pandas baseline"}


def run_child(kind: str, workdir: Path, data: Path, extra: list[str] = ()) -> dict:
    """Run one step in a fresh interpreter; add its peak RSS in MB (from ``os.wait4``) to what it reports.

    The parent stays small (standard library only), because a child's peak RSS starts from
    the parent's size at fork.
    """
    db = workdir / f"{kind}.duckdb"
    result_file = workdir / f"{kind}.json"
    for stale in (db, Path(str(db) + ".wal"), result_file):
        stale.unlink(missing_ok=True)
    cmd = [sys.executable, __file__, "--child", kind, "--data", str(data), "--db", str(db),
           "--result", str(result_file), *extra]
    os.sync()  # write back the generated files (and earlier databases) before timing anything
    started = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"the {kind} step failed (exit code {proc.returncode})")
    result = json.loads(result_file.read_text())
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux reports kilobytes
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime  # whole process, imports included
    result["process_seconds"] = wall
    result["db_mb"] = db.stat().st_size / 2**20 if db.exists() else 0.0
    for leftover in (db, Path(str(db) + ".wal"), result_file):
        leftover.unlink(missing_ok=True)
    return result


# --------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------

SAFER_VS_BARE = 3.0
PANDAS_VS_SAFER = 5.0
PEAK_MB = 2048.0


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def print_report(n: int, gen: dict, results: dict[str, dict]) -> None:
    print()
    print(f"=== {n:,} rows: {gen['files']} files, {gen['bytes'] / 2**20:,.1f} MB of CSV, generated in "
          f"{gen['seconds']:.1f} s ===")
    print(f"    {gen['asb']:,} anti-social behaviour rows (blank Crime ID), {gen['invalid']:,} invalid rows, "
          f"{gen['repeats']:,} repeated Crime IDs")
    print(f"    {'':28} {'seconds':>9} {'rows/s':>12} {'peak MB':>9} {'CPU s':>8} {'rows loaded':>12} {'db MB':>7}")
    for kind in ("bare", "safer", "pandas"):
        r = results[kind]
        print(f"    {LABELS[kind]:28} {r['seconds']:9.2f} {n / r['seconds']:12,.0f} {r['peak_mb']:9,.0f} "
              f"{r['cpu_seconds']:8.1f} {r['loaded']:12,} {r['db_mb']:7,.0f}")
    safer, bare, pandas = results["safer"], results["bare"], results["pandas"]
    print(f"    safer: {safer['read']:,} rows read = {safer['loaded']:,} loaded + {safer['quarantined']:,} "
          f"quarantined + {safer['duplicates']:,} duplicates")
    if safer["loaded"] != pandas["loaded"]:
        print(f"    note: safer and pandas loaded different row counts ({safer['loaded']:,} vs {pandas['loaded']:,})")
    vs_bare = safer["seconds"] / bare["seconds"]
    vs_pandas = pandas["seconds"] / safer["seconds"]
    print(f"    safer / bare scan : {vs_bare:6.2f}x   target <= {SAFER_VS_BARE:.0f}x     "
          f"{_verdict(vs_bare <= SAFER_VS_BARE)}")
    print(f"    pandas / safer    : {vs_pandas:6.2f}x   target >= {PANDAS_VS_SAFER:.0f}x     "
          f"{_verdict(vs_pandas >= PANDAS_VS_SAFER)}")
    print(f"    (in CPU seconds, less sensitive to other load: safer / bare "
          f"{safer['cpu_seconds'] / bare['cpu_seconds']:.2f}x, pandas / safer "
          f"{pandas['cpu_seconds'] / safer['cpu_seconds']:.2f}x)")
    scope = "" if n == 5_000_000 else "  (target is set for 5M rows)"
    print(f"    safer peak memory : {safer['peak_mb']:6,.0f} MB  target < {PEAK_MB:,.0f} MB  "
          f"{_verdict(safer['peak_mb'] < PEAK_MB)}{scope}")
    if "profile" in results:
        _print_profile(results["profile"])


def _print_profile(run: dict) -> None:
    total = run["seconds"]
    print(f"    safer, profiled run ({total:.2f} s; timing adds a little overhead):")
    for label, seconds in sorted(run["steps"].items(), key=lambda kv: -kv[1]):
        print(f"      {label:58} {seconds:8.2f} s {100 * seconds / total:5.1f}%")
    print("      SQL statements, summed over files:")
    for label, (seconds, count) in sorted(run["sql"].items(), key=lambda kv: -kv[1][0]):
        print(f"        {label:48} x{count:<5} {seconds:8.2f} s {100 * seconds / total:5.1f}%")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 5_000_000],
                        help="row counts to benchmark (default: 1000000 5000000)")
    parser.add_argument("--workdir", type=Path, help="where to write files (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--seed", type=int, default=20240401, help="seed for the generated data")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each loader this many times; report the fastest time and the highest peak")
    parser.add_argument("--profile", action="store_true",
                        help="also time each step and SQL statement of safer's loader (an extra safer run per size)")
    parser.add_argument("--child", choices=("generate", "bare", "safer", "pandas"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--gen-rows", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        if args.child == "generate":
            result = run_generate(args.data, args.gen_rows, args.seed)
        elif args.child == "safer":
            result = run_safer(args.data, args.db, profile=args.profile)
        else:
            result = {"bare": run_bare, "pandas": run_pandas}[args.child](args.data, args.db)
        args.result.write_text(json.dumps(result))
        return

    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        workdir = Path(tempfile.mkdtemp(prefix="safer-bench-", dir=args.workdir))
    else:
        workdir = Path(tempfile.mkdtemp(prefix="safer-bench-"))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; working in {workdir}")
    try:
        for n in args.rows:
            data = workdir / f"street-{n}"
            gen = run_child("generate", workdir, data, ["--gen-rows", str(n), "--seed", str(args.seed)])
            results: dict[str, dict] = {}
            for _ in range(args.repeat):
                for kind in ("bare", "safer", "pandas"):
                    run = run_child(kind, workdir, data)
                    if kind not in results or run["seconds"] < results[kind]["seconds"]:
                        run["peak_mb"] = max(run["peak_mb"], results.get(kind, {}).get("peak_mb", 0.0))
                        results[kind] = run
                    else:
                        results[kind]["peak_mb"] = max(run["peak_mb"], results[kind]["peak_mb"])
            if args.profile:
                results["profile"] = run_child("safer", workdir, data, ["--profile"])
            print_report(n, gen, results)
            sys.stdout.flush()
            if not args.keep:
                shutil.rmtree(data, ignore_errors=True)
    finally:
        if args.keep:
            print(f"\nfiles kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
