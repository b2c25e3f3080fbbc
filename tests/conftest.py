"""Shared fixtures: an empty warehouse per test, and the bundled demo data ingested once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

import safer
from policeuk_samples import copy_warehouse_file
from safer.warehouse.connect import open_warehouse
from safer.warehouse.ingest import ingest_paths

DEMO_DIR = Path(safer.__file__).parent / "data" / "demo"


@pytest.fixture(scope="session")
def empty_warehouse_file(tmp_path_factory) -> Path:
    """A freshly created, closed warehouse (schema and geography only) to copy from."""
    path = tmp_path_factory.mktemp("empty-warehouse") / "empty.duckdb"
    open_warehouse(path).close()
    return path


@pytest.fixture
def warehouse(tmp_path, empty_warehouse_file):
    """An open, empty warehouse in this test's tmp_path; closed afterwards."""
    wh = open_warehouse(copy_warehouse_file(empty_warehouse_file, tmp_path / "w.duckdb"))
    yield wh
    wh.close()


@pytest.fixture(scope="session")
def demo_zips() -> list[Path]:
    zips = sorted(DEMO_DIR.glob("*.zip"))
    assert len(zips) == 3, zips
    return zips


@dataclass(frozen=True)
class IngestedDemo:
    path: Path  # the closed warehouse file; copy it before changing anything
    results: tuple  # the LoadResults of the one ingest, in load order
    zips: tuple[Path, ...]


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory, demo_zips) -> IngestedDemo:
    """The three demo zips ingested once into a fresh warehouse (read it, do not change it)."""
    path = tmp_path_factory.mktemp("demo-warehouse") / "w.duckdb"
    wh = open_warehouse(path)
    try:
        results = ingest_paths(wh, list(demo_zips))
    finally:
        wh.close()
    return IngestedDemo(path=path, results=tuple(results), zips=tuple(demo_zips))


@pytest.fixture(scope="session")
def demo_output(tmp_path_factory) -> Path:
    """The folder written by `safer demo`, run once through the command line."""
    from typer.testing import CliRunner

    from safer.cli import app

    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(app, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def demo_results(demo_output) -> dict:
    """The demo's results.json, parsed."""
    import json

    return json.loads((demo_output / "results.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def spark_session():
    """One local SparkSession for the whole run (the engine parity tests); stopped at the end.

    Needs PySpark and Java 17 (``pip install -e '.[test,spark]'``); fails, never skips, without them.
    Small-data settings keep it quick: one shuffle partition, no whole-stage code generation
    (compiling each query costs more than it saves on the demo's few hundred thousand rows), and
    the JVM's quick compiler only (-XX:TieredStopAtLevel=1: a short run never repays full JIT).
    """
    import os

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        pytest.fail("PySpark is not installed; install the test extras with pip install -e '.[test,spark]'")
    session = (SparkSession.builder.master("local[2]").appName("safer-tests")
               .config("spark.sql.shuffle.partitions", "1")
               .config("spark.default.parallelism", "2")
               .config("spark.sql.codegen.wholeStage", "false")
               .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
