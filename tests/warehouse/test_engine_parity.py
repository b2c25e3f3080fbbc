"""The whole assessment gives the same results on PySpark as on DuckDB.

The bundled demo data (real police.uk files for Westminster) plus seeded synthetic partner
data for Westminster (so the partnership, victims and offenders sections have rows) are loaded
once. The assessment is then computed twice: on DuckDB over the warehouse file, and on a local
Spark over the Parquet dataset exported from it. Everything ``Assessment.as_dict()`` holds is
compared value by value (only ``meta.generated_at`` differs by design):

* the scope (every plain field of ``Scope``: area, force, comparator, periods, coverage...);
* each section registered in ``safer.assessment.SECTIONS``, one test per section, so a section
  added later is covered the moment it is registered, and a failure names it;
* everything else in the results (meta, data quality, and anything added beside the sections).

Sections see the warehouse only through ``warehouse.table(...)`` and ``warehouse.table_names()``;
reaching for the DuckDB connection (``warehouse.duckdb``) fails the section on both engines, with
a message saying so, because that code would not run where Spark holds the data.

A section that cannot run on Spark by design may be listed in :data:`NOT_PORTABLE` with the
reason; its test is then an expected failure, and fails if the section becomes portable (so the
entry is removed). Nothing is skipped.
"""

from __future__ import annotations

import json
import math
import traceback
from dataclasses import dataclass, fields
from pathlib import Path

import ibis
import pytest
from policeuk_samples import STREET_HEADER, copy_warehouse_file, street, write_csv

from safer import assessment
from safer.assessment import SECTIONS, build_assessment
from safer.config import Config
from safer.demo import DEMO_NOTES
from safer.warehouse.connect import Warehouse, open_warehouse
from safer.warehouse.engines import EngineChoice
from safer.warehouse.ingest import ingest_paths

# PySpark's own pandas conversion uses a keyword pandas 3 deprecates; not safer's to fix.
pytestmark = pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")

#: Sections that are not portable to Spark by design: {results key: why}. Keep it empty if you can.
NOT_PORTABLE: dict[str, str] = {}

SECTION_KEYS = [key for key, _, _ in SECTIONS]
WESTMINSTER = "E09000033"


class _TablesOnly:
    """A warehouse as an assessment may use it: tables by name and the list of tables, nothing engine-specific."""

    def __init__(self, warehouse: Warehouse) -> None:
        self._warehouse = warehouse
        self.path = warehouse.path

    def table(self, name: str) -> ibis.Table:
        return self._warehouse.table(name)

    def table_names(self) -> list[str]:
        return self._warehouse.table_names()

    def __getattr__(self, name: str):
        raise AttributeError(f"the assessment used warehouse.{name}, which is engine-specific; read data only "
                             "through warehouse.table(name) (and warehouse.table_names()) so it also runs on "
                             "PySpark")


class _Failed:
    """Stands in for a section that raised, so the rest of the assessment still runs."""

    def __init__(self, error: str) -> None:
        self.error = error

    def as_dict(self) -> dict[str, object]:
        return {"__failed__": self.error}


@dataclass(frozen=True)
class EngineRun:
    engine: str
    results: dict  # Assessment.as_dict(), through JSON as results.json has it, without meta.generated_at
    scope: dict  # the scope's plain fields, through JSON
    errors: dict[str, str]  # section key -> the error it raised on this engine


def _scope_summary(scope) -> dict:
    """Every field of the scope that is a value, not a table or connection."""
    summary = {}
    for f in fields(scope):
        value = getattr(scope, f.name)
        if isinstance(value, (ibis.Table, Config, Warehouse, _TablesOnly)):
            continue
        if isinstance(value, (set, frozenset)):
            value = sorted(value)
        elif isinstance(value, tuple):
            value = [v.as_dict() if hasattr(v, "as_dict") else v for v in value]
        elif hasattr(value, "as_dict"):
            value = value.as_dict()
        summary[f.name] = value
    return _through_json(summary)


def _through_json(value):
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _assess(config: Config, warehouse: Warehouse) -> EngineRun:
    """The assessment on one engine, each section guarded so one failure does not hide the others."""
    errors: dict[str, str] = {}
    scopes: list = []

    def guarded(key, compute):
        def run(scope):
            scopes.append(scope)
            try:
                return compute(scope)
            except Exception as exc:  # noqa: BLE001  any failure is reported against the section's name
                errors[key] = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-4)}"
                return _Failed(errors[key])
        return run

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assessment, "SECTIONS", [(k, t, guarded(k, f)) for k, t, f in SECTIONS])
        result = build_assessment(config, _TablesOnly(warehouse))
    results = _through_json(result.as_dict())
    results["meta"].pop("generated_at")
    scope = _scope_summary(scopes[0]) if scopes else {}
    return EngineRun(engine=warehouse.engine.name, results=results, scope=scope, errors=errors)


def _differences(duck, spark, path: str = "") -> list[str]:
    """Where two JSON values differ: numbers must match in type and value (floats to 1e-9)."""
    if isinstance(duck, dict) and isinstance(spark, dict):
        out = []
        for key in sorted(set(duck) | set(spark), key=str):
            if key not in spark:
                out.append(f"{path}.{key}: only on DuckDB")
            elif key not in duck:
                out.append(f"{path}.{key}: only on Spark")
            else:
                out += _differences(duck[key], spark[key], f"{path}.{key}")
        return out
    if isinstance(duck, list) and isinstance(spark, list):
        if len(duck) != len(spark):
            return [f"{path}: {len(duck)} items on DuckDB, {len(spark)} on Spark"]
        return [d for i, (a, b) in enumerate(zip(duck, spark)) for d in _differences(a, b, f"{path}[{i}]")]
    if type(duck) is not type(spark):
        return [f"{path}: {duck!r} ({type(duck).__name__}) on DuckDB, {spark!r} ({type(spark).__name__}) on Spark"]
    if isinstance(duck, float):
        if (math.isnan(duck) and math.isnan(spark)) or math.isclose(duck, spark, rel_tol=1e-9, abs_tol=1e-12):
            return []
    elif duck == spark:
        return []
    return [f"{path}: {duck!r} on DuckDB, {spark!r} on Spark"]


def _report(differences: list[str], limit: int = 25) -> str:
    shown = "\n  ".join(differences[:limit])
    more = f"\n  ... and {len(differences) - limit} more" if len(differences) > limit else ""
    return f"{len(differences)} difference(s):\n  {shown}{more}"


@pytest.fixture(scope="module")
def parity_warehouse(demo_warehouse, tmp_path_factory) -> Path:
    """The demo warehouse plus synthetic Westminster partner data (seed 1), pseudonymised with a fresh key."""
    from safer.privacy import new_key_file, pseudonymising
    from safer.synth import generate

    folder = tmp_path_factory.mktemp("parity")
    path = copy_warehouse_file(demo_warehouse.path, folder / "w.duckdb")
    synthetic = folder / "synthetic"
    generate(WESTMINSTER, seed=1, out=synthetic, region=False)
    ring = new_key_file(folder / "partnership.key")
    with open_warehouse(path) as wh, pseudonymising(wh, ring):
        results = ingest_paths(wh, [p for p in sorted(synthetic.iterdir()) if p.is_dir()])
    assert sum(r.rows_loaded for r in results) > 50_000, "the synthetic partner data should load"
    return path


@pytest.fixture(scope="module")
def parity_config() -> Config:
    return Config(partnership="Safer Westminster Partnership (demonstration)", area=(WESTMINSTER,),
                  end_month="2018-06", data_notes=DEMO_NOTES)


@pytest.fixture(scope="module")
def duckdb_run(parity_warehouse, parity_config, tmp_path_factory) -> EngineRun:
    path = copy_warehouse_file(parity_warehouse, tmp_path_factory.mktemp("duckdb-engine") / "w.duckdb")
    with open_warehouse(path, create=False) as wh:
        return _assess(parity_config, wh)


@pytest.fixture(scope="module")
def spark_warehouse(parity_warehouse, spark_session, tmp_path_factory):
    folder = tmp_path_factory.mktemp("spark-engine")
    path = copy_warehouse_file(parity_warehouse, folder / "w.duckdb")
    # cached: the demo fits in memory many times over, and the assessment scans each table ~100 times
    wh = open_warehouse(path, create=False,
                        engine=EngineChoice("pyspark", parquet_path=folder / "parquet", spark_cache=True))
    yield wh
    wh.close()


@pytest.fixture(scope="module")
def spark_run(spark_warehouse, parity_config) -> EngineRun:
    return _assess(parity_config, spark_warehouse)


def test_the_spark_run_really_ran_on_spark(spark_run, duckdb_run, spark_warehouse, spark_session):
    assert (duckdb_run.engine, spark_run.engine) == ("duckdb", "pyspark")
    assert spark_warehouse.engine.session is spark_session
    crimes = spark_warehouse.table("crimes")
    assert type(crimes._find_backend()).__module__.startswith("ibis.backends.pyspark")
    # the records Spark read are the exported Parquet files, partitioned by month and force
    folders = list((spark_warehouse.engine.dataset / "crimes").glob("month=*/force=*"))
    seen = spark_session.sql(f"SELECT count(DISTINCT month, force) AS n FROM {crimes.get_name()}").first().n
    assert len(folders) == seen == 48  # 24 months of Metropolitan Police and British Transport Police files
    street_rows = spark_warehouse.duckdb.execute(
        "SELECT sum(rows_loaded) FROM ingest_ledger WHERE format = 'street'").fetchone()[0]
    assert spark_session.sql(f"SELECT count(*) AS n FROM {crimes.get_name()}").first().n == street_rows > 250_000


def test_the_scope_is_identical_on_both_engines(duckdb_run, spark_run):
    assert duckdb_run.scope, "the scope was not captured (no sections registered?)"
    differences = _differences(duckdb_run.scope, spark_run.scope, "scope")
    assert not differences, _report(differences)


@pytest.mark.parametrize("key", SECTION_KEYS)
def test_each_section_is_identical_on_both_engines(key, duckdb_run, spark_run):
    if key in duckdb_run.errors:
        pytest.fail(f"section '{key}' fails on DuckDB itself (so its parity cannot be checked):\n"
                    f"{duckdb_run.errors[key]}")
    problem = None
    if key in spark_run.errors:
        problem = f"section '{key}' cannot run on PySpark:\n{spark_run.errors[key]}"
    else:
        differences = _differences(duckdb_run.results[key], spark_run.results[key], key)
        if differences:
            problem = f"section '{key}' differs between DuckDB and PySpark: {_report(differences)}"
    if key in NOT_PORTABLE:
        if problem is None:
            pytest.fail(f"section '{key}' now runs identically on PySpark; remove it from NOT_PORTABLE")
        pytest.xfail(f"not portable by design: {NOT_PORTABLE[key]}")
    assert problem is None, problem


def test_everything_beside_the_sections_is_identical(duckdb_run, spark_run):
    rest = set(duckdb_run.results) | set(spark_run.results)
    rest -= set(SECTION_KEYS)
    assert {"meta", "data_quality"} <= rest
    differences = []
    for key in sorted(rest):
        differences += _differences(duckdb_run.results.get(key), spark_run.results.get(key), key)
    assert not differences, _report(differences)


def test_the_data_is_not_trivial(duckdb_run):
    """Parity over empty results would prove nothing: the demo gives real counts on every police table."""
    quality = duckdb_run.results["data_quality"]
    assert quality["rows_loaded"] > 300_000
    overview = duckdb_run.results["overview"]
    assert overview["by_type"]["total"]["area"]["current"] > 50_000


def test_not_portable_entries_name_registered_sections():
    stale = sorted(set(NOT_PORTABLE) - set(SECTION_KEYS))
    assert not stale, f"NOT_PORTABLE lists sections that are not registered: {stale}"
    assert all(reason.strip() for reason in NOT_PORTABLE.values()), "give each NOT_PORTABLE entry its reason"


def test_a_null_force_reads_back_as_null_on_spark(tmp_path, spark_session):
    """A file whose name is not police.uk's has no force: its Parquet partition must read back as NULL."""
    rows = [street(crime_id=f"{i:064x}", month="2018-01") for i in range(3)]
    rows += [street(crime_id=f"{i + 10:064x}", month="2018-02") for i in range(2)]
    files = [write_csv(tmp_path / "westminster extract.csv", STREET_HEADER, rows),
             write_csv(tmp_path / "2018-01-btp-street.csv", STREET_HEADER, [street(crime_id=f"{99:064x}")])]
    engine = EngineChoice("pyspark", parquet_path=tmp_path / "pq")
    with open_warehouse(tmp_path / "w.duckdb", engine=engine) as wh:
        ingest_paths(wh, files)
        counted = wh.table("crimes").group_by(["force", "month"]).aggregate(n=lambda t: t.count()).execute()
    got = sorted((((f if isinstance(f, str) else None), str(m)[:7], int(n))
                  for f, m, n in zip(counted["force"], counted["month"], counted["n"])),
                 key=lambda r: (r[0] or "", r[1]))
    assert got == [(None, "2018-01", 3), (None, "2018-02", 2), ("btp", "2018-01", 1)]
    assert (tmp_path / "pq" / "crimes" / "month=2018-01-01" / "force=__HIVE_DEFAULT_PARTITION__").is_dir()
