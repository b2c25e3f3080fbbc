"""The ``safer`` command as an analyst runs it: init, ingest, assess, quarantine, and its errors."""

from __future__ import annotations

import json
import tomllib

from typer.testing import CliRunner

from safer.cli import app
from safer.config import load_config

runner = CliRunner()

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
          "Crime type,Last outcome category,Context")
MPS = "Metropolitan Police Service"


def _street_rows(month: str, n: int, crime_type: str, lsoa: str = "E01004736", name: str = "Westminster 018A",
                 prefix: str = "a") -> list[str]:
    return [f"{prefix}{month}{i:05d}{crime_type[:3]},{month},{MPS},{MPS},-0.134558,51.511291,On or near X,"
            f"{lsoa},{name},{crime_type},Under investigation," for i in range(n)]


def _write_months(folder, spec: dict[str, int]) -> None:
    for month, n in spec.items():
        path = folder / month / f"{month}-metropolitan-street.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [HEADER, *_street_rows(month, n, "Burglary"),
                 *_street_rows(month, 2, "Robbery", "E01000914", "Camden 028B", prefix="b")]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_init_writes_a_valid_commented_config(tmp_path):
    target = tmp_path / "safer.toml"
    result = runner.invoke(app, ["init", "--name", "Safer Test", "--area", "E09000033", "--config", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert text.count("#") > 10  # every setting is explained
    cfg = load_config(target)
    assert cfg.partnership == "Safer Test" and cfg.area == ("E09000033",)
    assert tomllib.loads(text)["period"]["length_months"] == 12
    again = runner.invoke(app, ["init", "--config", str(target)])
    assert again.exit_code == 1 and "already exists" in again.output


def test_init_refuses_a_bad_area_code(tmp_path):
    result = runner.invoke(app, ["init", "--area", "Westminster", "--config", str(tmp_path / "s.toml")])
    assert result.exit_code == 1
    assert "partnership.area" in result.output and "'Westminster'" in result.output
    assert not (tmp_path / "s.toml").exists()


def test_ingest_then_assess_end_to_end(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["init", "--name", "Safer Test", "--area", "E09000033"]).exit_code == 0
    data = tmp_path / "data"
    months = {f"2017-{m:02d}": 10 + m for m in range(1, 13)} | {f"2018-{m:02d}": 20 + m for m in range(1, 13)}
    _write_months(data, months)
    ingested = runner.invoke(app, ["ingest", str(data)])
    assert ingested.exit_code == 0, ingested.output
    assert "Ingest ledger" in ingested.output
    assessed = runner.invoke(app, ["assess"])
    assert assessed.exit_code == 0, assessed.output
    results = json.loads((tmp_path / "assessment" / "results.json").read_text())
    burglary = next(r for r in results["overview"]["by_type"]["rows"] if r["crime_type"] == "Burglary")
    assert burglary["area"]["current"] == sum(20 + m for m in range(1, 13))
    assert burglary["area"]["previous"] == sum(10 + m for m in range(1, 13))
    assert results["meta"]["current_period"]["last_month"] == "2018-12"  # the latest month loaded
    # every crime here is at one map point: the density surface is left out and the report says why
    assert results["hotspots"]["kde"] is None
    assert any("one map point" in note for note in results["hotspots"]["notes"])
    html = (tmp_path / "assessment" / "assessment.html").read_text()
    assert "Every mapped crime is at one map point" in html and 'id="map-kde"' not in html
    # robbery sits in Camden: outside the area, so not in the area's table
    assert all(r["crime_type"] != "Robbery" for r in results["overview"]["by_type"]["rows"])
    assert (tmp_path / "assessment" / "assessment.html").exists()


def test_ingest_refuses_a_file_that_is_not_police_uk(tmp_path):
    bad = tmp_path / "ward-list.csv"
    bad.write_text("ward,name\nE05000644,West End\n")
    result = runner.invoke(app, ["ingest", str(bad), "--warehouse", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "ward-list.csv" in output and "not a police.uk file" in output
    assert "Crime ID, Month, Reported by" in output  # says which columns were expected


def test_quarantine_lists_the_bad_rows(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner.invoke(app, ["init", "--area", "E09000033"])
    path = tmp_path / "2018-01-metropolitan-street.csv"
    rows = _street_rows("2018-01", 3, "Burglary")
    rows[1] = rows[1].replace(",2018-01,", ",2018-13,")
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    assert runner.invoke(app, ["ingest", str(path)]).exit_code == 0
    listed = runner.invoke(app, ["quarantine"], terminal_width=200)
    assert listed.exit_code == 0, listed.output
    assert "'2018-13' is not a month" in listed.output and "Month" in listed.output
    assert "2018-01-metropolitan-street.csv line 3, field 'Month'" in listed.output  # header is line 1


def test_assess_without_data_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner.invoke(app, ["init", "--area", "E09000033"])
    result = runner.invoke(app, ["assess"])
    assert result.exit_code == 1
    assert "safer ingest" in result.output


def test_a_bad_config_value_names_the_setting(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "safer.toml").write_text('[partnership]\nname = "X"\narea = ["E09000033"]\n'
                                         '[period]\nend_month = "2018-13"\n')
    result = runner.invoke(app, ["assess"])
    assert result.exit_code == 1
    assert "period.end_month" in result.output and "2018-13" in result.output


def test_the_night_time_window_is_read_from_the_config(tmp_path):
    path = tmp_path / "safer.toml"
    path.write_text('[partnership]\nname = "X"\narea = ["E09000033"]\n'
                    '[temporal]\nnight_start_hour = 22\nnight_end_hour = 4\n')
    cfg = load_config(path)
    assert (cfg.night_start_hour, cfg.night_end_hour) == (22, 4)
    path.write_text('[partnership]\nname = "X"\narea = ["E09000033"]\n[temporal]\nnight_start_hour = 5\n'
                    'night_end_hour = 5\n')
    try:
        load_config(path)
    except Exception as error:  # a ConfigError naming the setting
        assert "temporal.night_start_hour" in str(error)
    else:
        raise AssertionError("a zero-length night-time window was accepted")
