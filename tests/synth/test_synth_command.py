"""``safer synth`` as an analyst runs it, then ``safer ingest`` on what it wrote."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from safer.cli import app
from safer.sources.contracts import CONTRACTS

runner = CliRunner()


def test_synth_then_ingest_from_the_command_line(tmp_path):
    out = tmp_path / "partner"
    result = runner.invoke(app, ["synth", "--area", "E09000033", "--seed", "4", "--out", str(out), "--no-region"],
                           terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Synthetic data for Westminster (seed 4)" in result.output and "marac-cases" in result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["synthetic"] is True and manifest["seed"] == 4 and len(manifest["files"]) == len(CONTRACTS)
    las = next(f for f in manifest["files"] if f["dataset"] == "las-assaults")
    assert (out / las["file"]).exists() and las["loadable"] is True
    loaded = runner.invoke(app, ["ingest", str(out / "incident-and-aggregate"), "--warehouse",
                                 str(tmp_path / "w.duckdb")], terminal_width=200)
    assert loaded.exit_code == 0, loaded.output
    import duckdb

    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        ledger = dict(con.execute("SELECT format, rows_loaded FROM ingest_ledger").fetchall())
    assert len(ledger) == 10 and ledger["las-assaults (synthetic)"] == las["rows"]


def test_synth_refuses_a_bad_area(tmp_path):
    result = runner.invoke(app, ["synth", "--area", "Westminster", "--out", str(tmp_path / "x")])
    assert result.exit_code == 1
    assert "--area 'Westminster'" in " ".join(result.output.split())
