"""Choosing the query engine in safer.toml: the pyspark settings, their checks, and `safer ingest` with them."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from policeuk_samples import STREET_HEADER, street, write_csv
from typer.testing import CliRunner

from safer.cli import app
from safer.config import Config, load_config, render_default_config
from safer.errors import ConfigError


def _config(tmp_path: Path, warehouse_lines: str) -> Path:
    text = render_default_config(area=("E09000033",), end_month="2018-06")
    start = text.index("[warehouse]")
    end = text.index("[output]")
    path = tmp_path / "safer.toml"
    path.write_text(text[:start] + "[warehouse]\n" + warehouse_lines + "\n\n" + text[end:], encoding="utf-8")
    return path


def test_the_template_explains_every_engine_setting_and_keeps_duckdb_the_default():
    text = render_default_config()
    warehouse = tomllib.loads(text)["warehouse"]
    assert warehouse == {"path": "safer.duckdb", "engine": "duckdb", "spark_master": "local[*]", "parquet_path": "",
                         "spark_options": {}, "spark_cache": False}
    block = text[text.index("[warehouse]"):text.index("[output]")]
    for phrase in ('"pyspark"', "docs/spark.md", "partitioned by month and force", "spark://host:7077",
                   "every Spark", "spark.executor.memory"):
        assert phrase in block, phrase


def test_pyspark_settings_are_read_and_resolved_against_the_config_folder(tmp_path):
    path = _config(tmp_path, 'path = "data/wh.duckdb"\nengine = "pyspark"\nspark_master = "spark://10.0.0.5:7077"\n'
                             'parquet_path = "shared/parquet"\n'
                             'spark_options = { "spark.executor.memory" = "8g", "spark.sql.adaptive.enabled" = true, '
                             '"spark.sql.shuffle.partitions" = 64 }')
    cfg = load_config(path)
    choice = cfg.engine_choice
    assert choice.name == "pyspark" and choice.spark_master == "spark://10.0.0.5:7077"
    assert choice.parquet_path == tmp_path / "shared" / "parquet"
    assert dict(choice.spark_options) == {"spark.executor.memory": "8g", "spark.sql.adaptive.enabled": "true",
                                          "spark.sql.shuffle.partitions": "64"}
    assert choice.spark_cache is False
    assert load_config(_config(tmp_path, 'engine = "pyspark"\nspark_cache = true')).engine_choice.spark_cache is True


def test_without_a_parquet_path_the_dataset_sits_beside_the_warehouse(tmp_path):
    cfg = load_config(_config(tmp_path, 'path = "data/wh.duckdb"\nengine = "pyspark"'))
    assert cfg.engine_choice.parquet_for(cfg.warehouse) == tmp_path / "data" / "wh-parquet"
    assert cfg.engine_choice.spark_master == "local[*]"


@pytest.mark.parametrize("master", ["local", "local[2]", "local[*]", "local[4,2]", "spark://host:7077", "yarn",
                                    "k8s://https://10.1.2.3:6443"])
def test_spark_master_urls_spark_accepts_are_accepted(master):
    assert Config(partnership="P", area=("E09000033",), engine="pyspark", spark_master=master).spark_master == master


@pytest.mark.parametrize("master", ["", "localhost", "local[two]", "spark:/host", "http://host:7077"])
def test_a_bad_spark_master_names_the_setting_and_shows_examples(master):
    with pytest.raises(ConfigError) as info:
        Config(partnership="P", area=("E09000033",), engine="pyspark", spark_master=master)
    assert str(info.value).startswith("warehouse.spark_master:") and "local[*]" in str(info.value)


def test_an_unknown_engine_lists_both_engines(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(_config(tmp_path, 'engine = "spark"'))
    assert "warehouse.engine" in str(info.value) and "duckdb, pyspark" in str(info.value)


def test_spark_options_must_be_a_table(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_config(_config(tmp_path, 'engine = "pyspark"\nspark_options = ["spark.executor.memory=8g"]'))
    assert "warehouse.spark_options" in str(info.value) and "spark.executor.memory" in str(info.value)


def test_safer_ingest_with_the_pyspark_engine_writes_the_partitioned_dataset(tmp_path):
    path = _config(tmp_path, 'engine = "pyspark"\nparquet_path = "lake"')
    lines = [street(crime_id=f"{i:064x}", month="2018-05") for i in range(4)]
    lines += [street(crime_id=f"{i + 4:064x}", month="2018-06", falls_within="British Transport Police",
                     reported_by="British Transport Police") for i in range(2)]
    data = write_csv(tmp_path / "in" / "2018-05-metropolitan-street.csv", STREET_HEADER, lines)
    result = CliRunner().invoke(app, ["ingest", str(data), "--config", str(path)])
    assert result.exit_code == 0, result.output
    partitions = sorted(str(p.relative_to(tmp_path / "lake" / "crimes"))
                        for p in (tmp_path / "lake" / "crimes").glob("month=*/force=*"))
    assert partitions == ["month=2018-05-01/force=metropolitan", "month=2018-06-01/force=metropolitan"]
    assert (tmp_path / "safer.duckdb").exists() and (tmp_path / "lake" / "_manifest.json").exists()
