"""Benchmark: synthetic partner data, from generation to the assessment's partner sections.

Measures, on one seeded run of ``safer synth`` for Westminster and its region:

* **generate**: ``safer.synth.generate`` writing every contract's CSV;
* **bare scan**: DuckDB reading the loadable CSVs into tables with no checks (the floor for loading);
* **ingest**: ``ingest_paths`` over the same files (validation, quarantine, keys, ledger);
* **sections**: the partnership, ASB and temporal sections of the assessment over the loaded warehouse
  (with the bundled police.uk demo data, which the scope needs), against
* **bare group-by**: one DuckDB ``GROUP BY`` per loaded table, the floor for aggregating them.

It prints wall times and the ratios ingest / bare scan and sections / bare group-by, so a change in
speed shows against a baseline measured in the same run on the same machine.

Usage::

    python benchmarks/partner_data.py                 # seed 1, with the region
    python benchmarks/partner_data.py --no-region     # the area only (about a sixth of the rows)
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-region", action="store_true", help="generate the area only")
    args = parser.parse_args()

    from safer.demo import demo_config, demo_files
    from safer.sources.contracts import CONTRACTS
    from safer.synth import LOADABLE_FOLDER, generate
    from safer.warehouse import ingest_paths, open_warehouse

    with tempfile.TemporaryDirectory(prefix="safer-bench-partner-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        run = generate("E09000033", seed=args.seed, out=work / "synth", region=not args.no_region)
        generate_s = time.perf_counter() - started
        files = sorted((work / "synth" / LOADABLE_FOLDER).glob("*.csv"))
        rows = sum(f.rows for f in run.files if f.loadable)

        started = time.perf_counter()
        with duckdb.connect(str(work / "bare.duckdb")) as con:
            for i, path in enumerate(files):
                con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv(?, all_varchar=true)", [str(path)])
        bare_s = time.perf_counter() - started

        cfg = demo_config(work)
        with open_warehouse(cfg.warehouse) as wh:
            ingest_paths(wh, demo_files())
            started = time.perf_counter()
            ingest_paths(wh, files)
            ingest_s = time.perf_counter() - started

            tables = [c.table for c in CONTRACTS.values() if c.loadable]
            started = time.perf_counter()
            for table in tables:
                wh.duckdb.execute(f"SELECT month, count(*) FROM {table} GROUP BY month").fetchall()
            group_s = time.perf_counter() - started

            from safer.assessment.partnership import compute_asb, compute_partnership
            from safer.assessment.scope import resolve_scope
            from safer.assessment.temporal import compute_temporal

            scope = resolve_scope(cfg, wh)
            started = time.perf_counter()
            compute_partnership(scope)
            compute_asb(scope)
            compute_temporal(scope)
            sections_s = time.perf_counter() - started

    print(f"rows loaded: {rows:,} in {len(files)} files")
    print(f"generate        {generate_s:7.2f} s")
    print(f"bare scan       {bare_s:7.2f} s")
    print(f"ingest          {ingest_s:7.2f} s   {ingest_s / bare_s:5.1f} x bare scan")
    print(f"bare group-by   {group_s:7.2f} s")
    print(f"sections        {sections_s:7.2f} s   {sections_s / group_s:5.1f} x bare group-by")


if __name__ == "__main__":
    main()
