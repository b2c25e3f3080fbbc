"""Benchmark: safer on a national police.uk archive (every force in England and Wales), DuckDB and Spark.

For each size (by default one year, about 6.5 million street rows; ``--years 1 5`` adds five years)
it writes synthetic national data with ``safer.synth.national`` and measures, each step in its own
child process (wall time, and peak memory of the whole process tree, Spark's JVM included):

* **bare scan** (the floor): DuckDB ``CREATE TABLE AS SELECT * FROM read_csv([...])`` of every file,
  every column as text, no checks;
* **safer on DuckDB**: ``ingest_paths`` into a fresh warehouse (validation, quarantine, ledger,
  de-duplication); then the whole assessment for one borough (Westminster, compared with its force),
  timing the scope + overview part separately; then crime concentration for every local authority
  at once ("all boroughs": the share of crime in the busiest LSOAs, LSOAs holding half, Gini);
* **pandas baseline**: ``pd.read_csv`` of every file with the same row checks, de-duplication on
  Crime ID, then the overview (period table by crime type for the borough and its force, monthly
  counts, daily averages) and the all-boroughs concentration, all in pandas;
* **safer on Spark** (local mode, ``--spark-master``): export of the loaded warehouse to the
  partitioned Parquet dataset, session start, the same one-borough assessment and the same
  all-boroughs concentration, through Ibis's PySpark backend.

It then prints a table per size and the targets: a national year ingested and assessed for one
borough in under 60 s; safer (ingest + overview) at least 10x faster than pandas; safer's ingest
within 2x of the bare scan; peak memory under 4 GB. Ratios are computed within the run, so they
hold for this machine at this moment; ``--repeat`` keeps the best time of several runs.

Usage::

    python benchmarks/national.py                       # one national year
    python benchmarks/national.py --years 1 5           # and five years (about 33M rows, 7 GB of CSV)
    python benchmarks/national.py --years 5 --no-pandas # pandas needs tens of GB for five years
    python benchmarks/national.py --scale 0.1           # a quick check at a tenth of the volume
    python benchmarks/national.py --no-spark --json out.json

The same seed always writes the same files (``--seed``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

AREA = "E09000033"  # Westminster
SEPARATE = ("British Transport Police",)
FIRST_MONTH = "2017-04"
TARGET_SECONDS = 60.0
TARGET_PANDAS_RATIO = 10.0
TARGET_BARE_RATIO = 2.0
TARGET_PEAK_MB = 4096.0


# --------------------------------------------------------------------------------------------------
# Steps, each run in a child process
# --------------------------------------------------------------------------------------------------

def _files(data: Path) -> list[Path]:
    return sorted(data.rglob("*-street.csv"))


def _periods(months: int):
    from safer.analysis.periods import add_months, assessment_periods, parse_month

    last = add_months(parse_month(FIRST_MONTH), months - 1)
    return assessment_periods(last, 12)


def step_generate(data: Path, months: int, seed: int, scale: float, **_) -> dict:
    from safer.synth.national import generate_national

    start = time.perf_counter()
    run = generate_national(data, months=months, seed=seed, scale=scale)
    return {"seconds": time.perf_counter() - start, "rows": run.rows, "files": len(run.files),
            "bytes": run.bytes}


def step_bare(data: Path, db: Path, **_) -> dict:
    import duckdb

    from safer.sources.policeuk import STREET_COLUMNS

    files = [str(f) for f in _files(data)]
    start = time.perf_counter()
    con = duckdb.connect(str(db))
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in STREET_COLUMNS) + "}"
    con.execute(f"CREATE TABLE raw_street AS SELECT * FROM read_csv(?, columns={columns}, header=true, "
                "auto_detect=false, delim=',', quote='\"', escape='\"')", [files])
    rows = con.execute("SELECT count(*) FROM raw_street").fetchone()[0]
    con.close()
    return {"seconds": time.perf_counter() - start, "rows": rows}


def _config(months: int):
    from safer.analysis.periods import add_months, parse_month
    from safer.config import Config

    last = add_months(parse_month(FIRST_MONTH), months - 1)
    return Config(partnership="National benchmark", area=(AREA,), end_month=f"{last:%Y-%m}",
                  separate_forces=SEPARATE)


def _assess(wh, months: int) -> dict:
    """The one-borough assessment, with the scope + overview part timed on its own."""
    from safer.assessment import build_assessment

    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    assessment = build_assessment(_config(months), wh, on_step=lambda s: marks.append((s, time.perf_counter())))
    seconds = time.perf_counter() - start
    titles = [s for s, _ in marks]
    after_overview = marks[titles.index("Overview of crime") + 1][1]
    overview = assessment.section("overview").by_type.total.area
    return {"assess_seconds": seconds, "overview_seconds": after_overview - start,
            "area_crime_current": overview.current, "area_crime_previous": overview.previous,
            "force": assessment.meta.force}


def all_boroughs_concentration(wh, months: int) -> dict:
    """Crime concentration over LSOAs in every local authority: one grouped query, then per borough."""
    import numpy as np

    from safer.analysis.concentration import generalised_gini, gini, units_holding
    from safer.analysis.selection import crime_only, with_geography

    current, _ = _periods(months)
    crimes = crime_only(with_geography(wh.table("crimes"), wh.table("geo_lsoa")))
    window = crimes.filter((crimes.month >= current.first) & (crimes.month < current.end_exclusive)
                           & crimes.lad_code.notnull())
    counted = window.group_by(["lad_code", "lsoa_code"]).aggregate(n=window.count()).execute()
    lsoas = wh.table("geo_lsoa").select("lad_code", "lsoa_code").execute()
    return _concentration_summary(counted, lsoas, np, gini, generalised_gini, units_holding)


def _concentration_summary(counted, lsoas, np, gini, generalised_gini, units_holding) -> dict:
    count_of = {(lad, lsoa): int(n) for lad, lsoa, n in zip(counted["lad_code"], counted["lsoa_code"], counted["n"])}
    ginis, halves, top4 = [], [], []
    for lad, group in lsoas.groupby("lad_code"):
        values = np.array([count_of.get((lad, code), 0) for code in group["lsoa_code"]], dtype=float)
        if values.sum() == 0:
            continue
        ginis.append(generalised_gini(values))
        halves.append(units_holding(values, 0.5))
        top4.append(np.sort(values)[::-1][:4].sum() / values.sum())
    return {"boroughs": len(ginis), "median_gini": round(float(np.median(ginis)), 4),
            "median_lsoas_for_half": float(np.median(halves)), "mean_top4_share": round(float(np.mean(top4)), 4)}


def step_safer(data: Path, db: Path, months: int, **_) -> dict:
    from safer.warehouse.connect import open_warehouse
    from safer.warehouse.ingest import ingest_paths

    out: dict = {}
    start = time.perf_counter()
    with open_warehouse(db) as wh:
        results = ingest_paths(wh, [data])
    out["ingest_seconds"] = time.perf_counter() - start
    out["read"] = sum(r.rows_read for r in results)
    out["loaded"] = sum(r.rows_loaded for r in results)
    out["quarantined"] = sum(r.rows_quarantined for r in results)
    out["duplicates"] = sum(r.rows_duplicate for r in results)
    with open_warehouse(db, create=False) as wh:
        out.update(_assess(wh, months))
        start = time.perf_counter()
        out["concentration"] = all_boroughs_concentration(wh, months)
        out["concentration_seconds"] = time.perf_counter() - start
    out["seconds"] = out["ingest_seconds"] + out["assess_seconds"] + out["concentration_seconds"]
    return out


def step_spark(data: Path, db: Path, months: int, master: str, parquet: Path, driver_memory: str, **_) -> dict:
    from safer.warehouse.connect import open_warehouse
    from safer.warehouse.engines import EngineChoice

    engine = EngineChoice("pyspark", spark_master=master, parquet_path=parquet,
                          spark_options=(("spark.driver.memory", driver_memory),))
    out: dict = {}
    with open_warehouse(db, create=False, engine=engine) as wh:
        start = time.perf_counter()
        export = wh.engine.publish()
        out["export_seconds"] = time.perf_counter() - start
        out["parquet_mb"] = sum(p.stat().st_size for p in parquet.rglob("*.parquet")) / 2**20
        out["crime_partitions"] = len(list((parquet / "crimes").glob("month=*/force=*")))
        out["exported_rows"] = export.table("crimes").rows
        start = time.perf_counter()
        wh.table("crimes")
        out["start_seconds"] = time.perf_counter() - start
        out.update(_assess(wh, months))
        start = time.perf_counter()
        out["concentration"] = all_boroughs_concentration(wh, months)
        out["concentration_seconds"] = time.perf_counter() - start
    out["seconds"] = out["export_seconds"] + out["start_seconds"] + out["assess_seconds"] + \
        out["concentration_seconds"]
    return out


def step_pandas(data: Path, months: int, **_) -> dict:
    """Ingest, overview and all-boroughs concentration in plain pandas."""
    from importlib import resources

    import numpy as np
    import pandas as pd

    from safer.analysis.concentration import generalised_gini, gini, units_holding
    from safer.sources.policeuk import ASB, CRIME_TYPES

    types = set(CRIME_TYPES)
    start = time.perf_counter()
    frames, read = [], 0
    for path in _files(data):
        df = pd.read_csv(path, dtype=str, on_bad_lines="skip")
        read += len(df)
        lon = pd.to_numeric(df["Longitude"], errors="coerce")
        lat = pd.to_numeric(df["Latitude"], errors="coerce")
        ok = df[["Month", "Reported by", "Falls within", "Crime type"]].notna().all(axis=1)
        ok &= df["Month"].str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", na=False)
        ok &= df["Longitude"].isna() | (lon.abs() <= 180)
        ok &= df["Latitude"].isna() | (lat.abs() <= 90)
        ok &= df["Longitude"].isna() == df["Latitude"].isna()
        ok &= df["LSOA code"].isna() | df["LSOA code"].str.fullmatch(r"[EW]01\d{6}", na=False)
        ok &= df["Crime type"].isin(types)
        valid = df.loc[ok, ["Crime ID", "Month", "Reported by", "Falls within", "LSOA code", "Crime type"]].copy()
        valid["Longitude"], valid["Latitude"] = lon[ok], lat[ok]
        frames.append(valid)
    rows = pd.concat(frames, ignore_index=True)
    rows = rows[~(rows["Crime ID"].notna() & rows["Crime ID"].duplicated())]
    rows["month"] = pd.to_datetime(rows["Month"] + "-01", format="%Y-%m-%d")
    ingest_seconds = time.perf_counter() - start

    start = time.perf_counter()
    with resources.as_file(resources.files("safer").joinpath("data/geography/lsoa_lookup.csv.gz")) as lookup:
        geo = pd.read_csv(lookup, dtype=str, usecols=["lsoa_code", "lad_code"])
    located = rows.merge(geo, left_on="LSOA code", right_on="lsoa_code", how="left")
    territorial = located[~located["Reported by"].isin(SEPARATE)]
    area = territorial[territorial["lad_code"] == AREA]
    force = area["Falls within"].value_counts().index[0]
    comparator = territorial[territorial["Falls within"] == force]
    current, previous = _periods(months)
    cur0, cur1 = pd.Timestamp(current.first), pd.Timestamp(current.end_exclusive)
    prev0 = pd.Timestamp(previous.first)

    def by_type(frame):
        frame = frame[(frame["month"] >= prev0) & (frame["month"] < cur1) & (frame["Crime type"] != ASB)]
        now = frame["month"] >= cur0
        return pd.DataFrame({"current": now.groupby(frame["Crime type"]).sum(),
                             "previous": (~now).groupby(frame["Crime type"]).sum()})

    table = by_type(area).merge(by_type(comparator), left_index=True, right_index=True, how="outer",
                                suffixes=("", "_comparator")).fillna(0)
    crime = area[area["Crime type"] != ASB]
    monthly = crime.groupby("month").size()
    monthly_asb = area[area["Crime type"] == ASB].groupby("month").size()
    days = monthly.index.days_in_month
    _ = (monthly / days, monthly_asb)
    overview_seconds = time.perf_counter() - start

    start = time.perf_counter()
    window = located[(located["month"] >= cur0) & (located["month"] < cur1) & (located["Crime type"] != ASB)
                     & located["lad_code"].notna()]
    counted = window.groupby(["lad_code", "lsoa_code"]).size().rename("n").reset_index()
    summary = _concentration_summary(counted, geo, np, gini, generalised_gini, units_holding)
    concentration_seconds = time.perf_counter() - start
    return {"ingest_seconds": ingest_seconds, "overview_seconds": overview_seconds,
            "concentration_seconds": concentration_seconds,
            "seconds": ingest_seconds + overview_seconds + concentration_seconds, "read": read,
            "loaded": len(rows), "area_crime_current": int(table["current"].sum()),
            "area_crime_previous": int(table["previous"].sum()), "force": force, "concentration": summary}


STEPS = {"generate": step_generate, "bare": step_bare, "safer": step_safer, "spark": step_spark,
         "pandas": step_pandas}


# --------------------------------------------------------------------------------------------------
# Running a step and measuring its process tree
# --------------------------------------------------------------------------------------------------

def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants (Linux /proc), in MB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 2**20


def run_step(kind: str, workdir: Path, **arguments) -> dict:
    result_file = workdir / f"{kind}.json"
    result_file.unlink(missing_ok=True)
    argv = [sys.executable, __file__, "--child", kind, "--result", str(result_file)]
    for key, value in arguments.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    os.sync()
    peak = [0.0]
    started = time.perf_counter()
    proc = subprocess.Popen(argv)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        return {"failed": f"exit code {os.waitstatus_to_exitcode(status)}",
                "process_seconds": time.perf_counter() - started, "peak_mb": peak[0]}
    result = json.loads(result_file.read_text())
    result["process_seconds"] = time.perf_counter() - started
    result["peak_mb"] = max(peak[0], usage.ru_maxrss / 1024)
    return result


# --------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------

def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()
    return (f"{os.cpu_count()} CPUs ({cpu}), {memory:.0f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; load average at start {load[0]:.1f}")


def _versions() -> str:
    names = ("duckdb", "ibis-framework", "pandas", "pyarrow", "pyspark")
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in names:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# The timed steps each engine's result reports, in the order the report lists them.
ENGINE_STEPS = {
    "DuckDB": [("safer ingest", "ingest_seconds"), ("one-borough assessment", "assess_seconds"),
               ("  of which scope + overview", "overview_seconds"),
               ("all-boroughs concentration", "concentration_seconds")],
    "pandas": [("ingest", "ingest_seconds"), ("overview", "overview_seconds"),
               ("all-boroughs concentration", "concentration_seconds")],
    "Spark": [("Parquet export (DuckDB)", "export_seconds"), ("session start", "start_seconds"),
              ("one-borough assessment", "assess_seconds"), ("  of which scope + overview", "overview_seconds"),
              ("all-boroughs concentration", "concentration_seconds")],
}


def report(label: str, gen: dict, r: dict[str, dict], years: int = 1) -> list[str]:
    lines = [(f"=== {label}: {gen['rows']:,} rows in {gen['files']:,} files, {gen['bytes'] / 2**30:.2f} GB of CSV "
              f"(generated in {gen['seconds']:.0f} s) ===")]
    fmt = "    {:34} {:>10} {:>10}"
    lines.append(fmt.format("step", "seconds", "peak MB"))

    def row(name: str, seconds, peak) -> None:
        lines.append(fmt.format(name, "-" if seconds is None else f"{seconds:.1f}",
                                "" if peak is None else f"{peak:,.0f}"))

    bare, safer, pandas, spark = r.get("bare"), r.get("safer"), r.get("pandas"), r.get("spark")
    if bare:
        row("bare DuckDB scan (floor)", bare.get("seconds"), bare["peak_mb"])
    for engine, result in (("DuckDB", safer), ("pandas", pandas), ("Spark", spark)):
        if not result:
            continue
        if "failed" in result:
            row(f"{engine}: FAILED ({result['failed']})", None, result["peak_mb"])
            continue
        for step, key in ENGINE_STEPS[engine]:
            row(step if step.startswith(" ") else f"{engine}: {step}", result[key], None)
        row(f"{engine}: all steps ({'with its JVM' if engine == 'Spark' else 'one process'})", result["seconds"],
            result["peak_mb"])
        if engine == "Spark":
            lines.append(f"    Parquet: {spark['exported_rows']:,} crime rows in {spark['crime_partitions']:,} "
                         f"month/force partitions, {spark['parquet_mb']:,.0f} MB")

    if safer and "failed" not in safer:
        lines.append(f"    safer: {safer['read']:,} read = {safer['loaded']:,} loaded + {safer['quarantined']:,} "
                     f"quarantined + {safer['duplicates']:,} duplicates")
        checks = [("DuckDB", safer)] + ([("pandas", pandas)] if pandas and "failed" not in pandas else []) + \
                 ([("Spark", spark)] if spark and "failed" not in spark else [])
        for name, result in checks:
            c = result["concentration"]
            lines.append(f"    {name:7} Westminster crime {result['area_crime_previous']:,} -> "
                         f"{result['area_crime_current']:,}; {c['boroughs']} boroughs, median generalised Gini "
                         f"{c['median_gini']}, median LSOAs holding half {c['median_lsoas_for_half']}")
        if years > 1:  # the targets are set for one year; for more, only that it completes
            lines.append(f"    {years} years loaded and assessed without running out of memory "
                         f"(peak {safer['peak_mb']:,.0f} MB)   PASS")
            return lines
        year = safer["ingest_seconds"] + safer["assess_seconds"]
        lines.append(f"    ingest + one-borough assessment: {year:6.1f} s      target < {TARGET_SECONDS:.0f} s   "
                     f"{_verdict(year < TARGET_SECONDS)}")
        if pandas and "failed" not in pandas:
            ratio = (pandas["ingest_seconds"] + pandas["overview_seconds"]) / \
                (safer["ingest_seconds"] + safer["overview_seconds"])
            lines.append(f"    pandas / safer (ingest + overview): {ratio:5.1f}x   target >= {TARGET_PANDAS_RATIO:.0f}x   "
                         f"{_verdict(ratio >= TARGET_PANDAS_RATIO)}")
        if bare:
            ratio = safer["ingest_seconds"] / bare["seconds"]
            lines.append(f"    safer ingest / bare scan: {ratio:5.2f}x            target <= {TARGET_BARE_RATIO:.0f}x    "
                         f"{_verdict(ratio <= TARGET_BARE_RATIO)}")
        lines.append(f"    safer peak memory: {safer['peak_mb']:,.0f} MB          target < {TARGET_PEAK_MB:,.0f} MB "
                     f"{_verdict(safer['peak_mb'] < TARGET_PEAK_MB)}")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", type=int, nargs="+", default=[1], help="sizes in years (default: 1)")
    parser.add_argument("--scale", type=float, default=1.0, help="volume multiplier (1 = the real national volume)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas baseline")
    parser.add_argument("--no-spark", action="store_true", help="skip the Spark steps")
    parser.add_argument("--spark-master", default="local[*]")
    parser.add_argument("--spark-driver-memory", default="2g",
                        help="heap of Spark's JVM (in local mode it also runs the tasks)")
    parser.add_argument("--repeat", type=int, default=1, help="run each step this many times, keep the fastest")
    parser.add_argument("--workdir", type=Path, help="where to write (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files and warehouses")
    parser.add_argument("--json", type=Path, help="also write every measurement to this JSON file")
    parser.add_argument("--child", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--parquet", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--months", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--master", help=argparse.SUPPRESS)
    parser.add_argument("--driver-memory", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        result = STEPS[args.child](data=args.data, db=args.db, months=args.months, seed=args.seed, scale=args.scale,
                                   master=args.master, parquet=args.parquet, driver_memory=args.driver_memory)
        args.result.write_text(json.dumps(result, default=str))
        return

    base = args.workdir or Path(tempfile.gettempdir())
    base.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="safer-national-", dir=base))
    print(f"machine: {machine()}")
    print(f"versions: {_versions()}")
    print(f"working in {workdir}", flush=True)
    everything = {"machine": machine(), "versions": _versions(), "sizes": {}}
    try:
        for years in args.years:
            months = 12 * years
            data, db, parquet = workdir / f"data-{years}y", workdir / f"safer-{years}y.duckdb", \
                workdir / f"parquet-{years}y"
            gen = run_step("generate", workdir, data=data, months=months, seed=args.seed, scale=args.scale)
            if "failed" in gen:
                raise SystemExit(f"generating {years} year(s) failed ({gen['failed']})")
            results: dict[str, dict] = {}
            kinds = ["bare", "safer"] + ([] if args.no_pandas else ["pandas"]) + ([] if args.no_spark else ["spark"])
            for attempt in range(args.repeat):
                for kind in kinds:
                    if kind in ("bare", "safer"):
                        for stale in (db, Path(f"{db}.wal")):
                            stale.unlink(missing_ok=True)
                    if kind == "bare":
                        target = workdir / "bare.duckdb"
                        target.unlink(missing_ok=True)
                        run = run_step("bare", workdir, data=data, db=target)
                        target.unlink(missing_ok=True)
                    elif kind == "spark":
                        shutil.rmtree(parquet, ignore_errors=True)
                        run = run_step("spark", workdir, data=data, db=db, months=months, parquet=parquet,
                                       master=args.spark_master, driver_memory=args.spark_driver_memory)
                    else:
                        run = run_step(kind, workdir, data=data, db=db, months=months)
                    best = results.get(kind)
                    if best is None or ("failed" not in run and run.get("seconds", 1e12) < best.get("seconds", 1e12)):
                        if best is not None:
                            run["peak_mb"] = max(run["peak_mb"], best["peak_mb"])
                        results[kind] = run
                    print(f"  {years}y {kind}: " + (run["failed"] if "failed" in run else f"{run['seconds']:.1f} s, "
                                                     f"peak {run['peak_mb']:,.0f} MB"), flush=True)
            label = f"{years} year{'s' if years > 1 else ''} of national data" + \
                ("" if args.scale == 1 else f" at scale {args.scale}")
            print("\n".join(report(label, gen, results, years)), flush=True)
            everything["sizes"][f"{years}y"] = {"generate": gen, **results}
            if not args.keep:
                shutil.rmtree(data, ignore_errors=True)
                shutil.rmtree(parquet, ignore_errors=True)
                for leftover in (db, Path(f"{db}.wal")):
                    leftover.unlink(missing_ok=True)
    finally:
        if args.json:
            args.json.write_text(json.dumps(everything, indent=2, default=str))
        if args.keep:
            print(f"files kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
