"""No raw name or date of birth reaches the warehouse, the quarantine, the logs, the command output or any output.

The whole path runs through the command line, as a partnership would run it: a key is made, one
agency pseudonymises its file before sharing it, raw files of other agencies are ingested (with
unreadable rows among them), the quarantine is listed, the assessment is written and the key is
rotated. Then every byte of the warehouse file, every quarantined row, every captured log record
and command output, and every file written is searched for every raw name and date of birth in the
input (as written, in upper case, and in the forms safer normalises them to).
"""

from __future__ import annotations

import logging

import duckdb
import pytest
from person_samples import PEOPLE, hate_row, marac_row, raw_identifier_strings, write
from policeuk_samples import copy_warehouse_file
from typer.testing import CliRunner

from safer.cli import app
from safer.config import render_default_config


def _iom_rows() -> tuple[list[dict], list[dict]]:
    cohort, offences = [], []
    for i, (forename, surname, dob, _) in enumerate(PEOPLE):
        pnc = f"{80 + i}/{123450 + i}X"
        cohort.append({"PNC ID": pnc, "Forename": forename, "Surname": surname, "Date of birth": dob,
                       "Date joined": "2017-01-10", "Date left": "2017-10-20" if i % 2 else "", "Sex": "Male",
                       "Ethnic appearance": "Black", "RAG status": "Red", "Starting Over client": "false",
                       "Ward code": "E05000642"})
        offences += [{"Offence ID": f"IOM-OF-{i}-{k}", "PNC ID": pnc, "Offence date": day,
                      "Offence category": "Robbery", "Estimated cost": ""}
                     for k, day in enumerate(("2016-11-01", "2017-03-01", "2017-12-01"))]
    return cohort, offences


@pytest.fixture(scope="module")
def run_everything(tmp_path_factory, demo_warehouse):
    root = tmp_path_factory.mktemp("people-leak")
    copy_warehouse_file(demo_warehouse.path, root / "safer.duckdb")
    text = render_default_config(name="Leak test", area=("E09000033",), end_month="2018-06")
    (root / "safer.toml").write_text(text.replace('key_file = ""', 'key_file = "partnership.key"')
                                     .replace('folder = "assessment"', 'folder = "out"'), encoding="utf-8")
    raw = root / "agency-raw"
    raw.mkdir()
    marac = write(raw / "marac.csv", "marac-cases",
                  [marac_row(i, d) for i in range(6) for d in ("2017-08-01", "2018-02-01")]
                  + [marac_row(1, "2018-03-01", **{"Victim date of birth": "31/02/1979"})],
                  extra_lines=["", "MARAC-X,Xanthippe,Quorwell,19/07/1983,too,short"])
    hate = write(raw / "hate.csv", "hate-crime-victims", [hate_row(i, "2018-03-02") for i in range(6)])
    cohort, offences = _iom_rows()
    iom = write(raw / "iom-cohort.csv", "iom-cohort", cohort)
    iom_offences = write(raw / "iom-offences.csv", "iom-offences", offences)
    config = str(root / "safer.toml")
    runner = CliRunner()
    outputs = []
    logged = _Capture()
    logging.getLogger().addHandler(logged)
    previous_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)

    def cli(*args: str) -> None:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        outputs.append(result.output + (getattr(result, "stderr", "") if result.stderr_bytes else ""))
        assert result.exit_code == 0, result.output

    cli("key", "new", str(root / "partnership.key"))
    cli("pseudonymise", "--dataset", "hate-crime-victims", str(hate), str(root / "shared" / "hate.csv"),
        "--key-file", str(root / "partnership.key"))
    cli("ingest", str(marac), str(root / "shared" / "hate.csv"), str(iom), str(iom_offences), "-c", config)
    cli("quarantine", "-c", config)
    cli("assess", "-c", config)
    cli("key", "rotate", "-c", config)
    logging.getLogger().removeHandler(logged)
    logging.getLogger().setLevel(previous_level)
    return root, outputs, logged


class _Capture(logging.Handler):
    """Every log record of the run, formatted with its arguments (as any log file would hold it)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.levelname} {record.getMessage()} {record.exc_text or ''}")


def test_no_raw_identifier_anywhere(run_everything):
    root, outputs, logged = run_everything
    secrets = raw_identifier_strings()
    assert len(secrets) >= 30
    con = duckdb.connect(str(root / "safer.duckdb"), read_only=True)
    try:
        quarantined = con.execute("SELECT source_file, field, reason, raw_line FROM quarantine "
                                  "WHERE format LIKE '%pseudonymised%'").fetchall()
        loaded = con.execute("SELECT count(*) FROM marac_cases").fetchone()[0]
    finally:
        con.close()
    assert loaded == 12 and len(quarantined) == 2  # the run did load, and did quarantine the bad rows
    places: dict[str, bytes] = {"command output": "\n".join(outputs).encode(), "logs": "\n".join(logged.lines).encode(),
                                "quarantine": repr(quarantined).encode()}
    for path in [root / "safer.duckdb", *root.glob("safer.duckdb.wal")]:
        places[str(path)] = path.read_bytes()
    written = [p for folder in ("out", "analyst-only", "shared") for p in (root / folder).rglob("*") if p.is_file()]
    assert {p.name for p in written} >= {"assessment.html", "results.json", "repeat-victims.csv", "hate.csv"}
    for path in written:
        places[str(path)] = path.read_bytes()
    leaks = [(secret, where) for secret in secrets for where, blob in places.items() if secret.encode() in blob]
    assert leaks == []


def test_the_raw_input_does_hold_what_is_looked_for(run_everything):
    """The search would find the identifiers if they were there: they are in the agencies' raw files."""
    root = run_everything[0]
    raw = b"".join(p.read_bytes() for p in (root / "agency-raw").iterdir())
    found = [s for s in raw_identifier_strings() if s.encode() in raw]
    assert "Quorwell" in found and "19/07/1983" in found and "1979-11-02" in found


def test_the_analyst_list_is_separate_from_the_published_outputs(run_everything):
    root = run_everything[0]
    assert (root / "analyst-only" / "repeat-victims.csv").exists()
    assert not list((root / "out").rglob("repeat-victims*"))
    html = (root / "out" / "assessment.html").read_text(encoding="utf-8")
    assert "not part of this published assessment" in html
    listing = (root / "analyst-only" / "repeat-victims.csv").read_text(encoding="utf-8")
    assert "marac.csv line" in listing  # agencies can find their own records
    assert "RV00001" not in html and "RV00001" not in (root / "out" / "results.json").read_text(encoding="utf-8")


def test_the_log_capture_works():
    capture = _Capture()
    logging.getLogger().addHandler(capture)
    try:
        logging.getLogger("safer.probe").warning("probe %s", "value")
    finally:
        logging.getLogger().removeHandler(capture)
    assert any("probe value" in line for line in capture.lines)
