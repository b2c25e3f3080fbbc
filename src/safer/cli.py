"""The ``safer`` command: thin wrappers that call the pipeline and show progress and errors.

Example:
    $ safer init --name "Safer Westminster Partnership" --area E09000033
    $ safer ingest downloads/2018-06.zip
    $ safer assess
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from safer.config import Config, load_config, render_default_config
from safer.errors import SaferError, located
from safer.warehouse import LoadResult, ingest_paths, open_warehouse
from safer.warehouse.connect import open_configured

app = typer.Typer(help="Strategic assessments for Community Safety Partnerships, from raw data.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
console = Console()
err_console = Console(stderr=True)

ConfigOption = Annotated[Path, typer.Option("--config", "-c", help="The configuration file.")]


def main() -> None:
    """Entry point that shows safer's errors as one clear message instead of a traceback."""
    app()


@app.command()
def init(
    name: Annotated[str, typer.Option(help="The partnership's name.")] = "My Community Safety Partnership",
    area: Annotated[list[str], typer.Option(help="ONS local authority code (repeat for several).")] = ["E09000033"],
    config: ConfigOption = Path("safer.toml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented safer.toml to edit."""
    with _errors():
        if config.exists() and not force:
            raise SaferError(f"{config}: already exists; edit it, or pass --force to overwrite it")
        text = render_default_config(name=name, area=tuple(area))
        Config(partnership=name, area=tuple(area))  # validate what was given before writing
        config.write_text(text, encoding="utf-8")
        console.print(f"Wrote [bold]{config}[/]. Edit it, then run [bold]safer ingest PATH...[/] and "
                      "[bold]safer assess[/].")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="police.uk CSV files, folders of them, or monthly zips.")],
    config: ConfigOption = Path("safer.toml"),
    warehouse: Annotated[Optional[Path], typer.Option(help="Warehouse file (default: from the config, "
                                                           "or safer.duckdb).")] = None,
    dataset: Annotated[Optional[str], typer.Option(help="Load every file as this partner dataset contract, e.g. "
                                                        "las-assaults (default: recognise each file by its "
                                                        "header). See docs/contracts/.")] = None,
) -> None:
    """Validate and load police.uk files and partner datasets; print the ledger for each file."""
    with _errors():
        expected = None
        if dataset is not None:
            from safer.sources.contracts import formats_for

            expected = formats_for(dataset)
        cfg = load_config(config) if config.exists() else None
        target = warehouse or (cfg.warehouse if cfg else Path("safer.duckdb"))
        results = _ingest_with_progress(target, paths, cfg=cfg, expected=expected)
        _print_ledger(results)


@app.command()
def assess(
    config: ConfigOption = Path("safer.toml"),
    out: Annotated[Optional[Path], typer.Option(help="Output folder (default: from the config).")] = None,
) -> None:
    """Compute the assessment and write assessment.html and results.json."""
    with _errors():
        cfg = load_config(config)
        html, results = _assess_with_progress(cfg, out or cfg.output)
        console.print(f"Wrote [bold]{html}[/] and [bold]{results}[/].")


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the demo warehouse and assessment.")] = Path("demo"),
) -> None:
    """Load the bundled real police.uk sample with synthetic partner data and write the Westminster assessment."""
    from safer.demo import DEMO_SEED, demo_config, demo_files, demo_person_level, demo_synthetic

    with _errors():
        out.mkdir(parents=True, exist_ok=True)
        cfg = demo_config(out)
        if (out / "safer.duckdb").exists():
            console.print(f"[yellow]{out / 'safer.duckdb'} exists; files already loaded will be skipped.[/]")
        console.print(f"Generating SYNTHETIC partner data (seed {DEMO_SEED}) for the datasets police.uk does not "
                      "cover; it is labelled synthetic wherever it appears.", highlight=False)
        synthetic = demo_synthetic(out)
        people = demo_person_level(out)  # pseudonymised with the demo's own key as they load
        results = _ingest_with_progress(cfg.warehouse, [*demo_files(), synthetic, *people], cfg=cfg)
        _print_ledger(results)
        html, json_path = _assess_with_progress(cfg, cfg.output)
        console.print(f"Demo assessment written: [bold]{html}[/] (results in {json_path}).")


@app.command()
def quarantine(
    config: ConfigOption = Path("safer.toml"),
    limit: Annotated[int, typer.Option(help="Rows to show.")] = 50,
) -> None:
    """List quarantined rows with their file, line, field and reason."""
    with _errors():
        cfg = load_config(config)
        with open_warehouse(cfg.warehouse, create=False) as wh:
            rows = (wh.table("quarantine").order_by(["source_file", "line_no"]).limit(limit).execute())
        if rows.empty:
            console.print("No rows are quarantined.")
        for row in rows.itertuples(index=False):
            console.print(located(row.source_file, row.reason, line=int(row.line_no), field=row.field),
                          highlight=False, soft_wrap=True, markup=False)


@app.command()
def synth(
    out: Annotated[Path, typer.Option(help="Folder to write the synthetic CSV files into.")],
    area: Annotated[str, typer.Option(help="ONS local authority code of the partnership.")] = "E09000033",
    seed: Annotated[int, typer.Option(help="Random seed: the same seed always writes the same files.")] = 1,
    end_month: Annotated[str, typer.Option(help="Last month of the two years generated, YYYY-MM.")] = "2018-06",
    region: Annotated[bool, typer.Option(help="Also generate the rest of the region, as the comparator.")] = True,
    national: Annotated[bool, typer.Option("--national", help="Instead write police.uk street files for every "
                                                              "force in England and Wales (about 6.5 million rows "
                                                              "a year), to test safer at national scale.")] = False,
    months: Annotated[int, typer.Option(help="With --national: how many months, from April 2017.")] = 12,
) -> None:
    """Write SYNTHETIC partner data for every dataset contract, calibrated to the 2018 Westminster assessment."""
    if national:
        _synth_national(out, seed=seed, months=months)
        return
    from safer.synth import LOADABLE_FOLDER, generate

    with _errors():
        with _progress() as progress:
            task = progress.add_task("Generating synthetic partner data", total=None)
            run = generate(area, seed=seed, out=out, end_month=end_month, region=region)
            progress.update(task, total=1, completed=1)
        table = Table("Dataset", "Rows", "Loadable now", title=f"Synthetic data for {run.area_name} (seed {seed})")
        for f in run.files:
            table.add_row(f.dataset, f"{f.rows:,}", "yes" if f.loadable else "pseudonymised only")
        console.print(table)
        for note in run.notes:
            console.print(note, highlight=False)
        console.print(f"Every row is marked Synthetic. Load the datasets that identify no one with "
                      f"[bold]safer ingest {out / LOADABLE_FOLDER}[/]; the person-level files in "
                      f"{out / 'person-level'} load only pseudonymised, with the partnership's key.", highlight=False)


def _synth_national(out: Path, *, seed: int, months: int) -> None:
    from safer.synth.national import generate_national

    with _errors():
        with _progress() as progress:
            task = progress.add_task("Writing national police.uk street files", total=None)
            run = generate_national(out, months=months, seed=seed,
                                    on_file=lambda done, total: progress.update(task, completed=done, total=total))
        console.print(f"Wrote {len(run.files):,} SYNTHETIC police.uk street files ({run.rows:,} rows, "
                      f"{run.bytes / 2**30:.1f} GB) for {len({f.force for f in run.files})} forces, "
                      f"{run.first_month} onwards, into [bold]{out}[/]. Load them with [bold]safer ingest {out}[/].",
                      highlight=False)


def _ingest_with_progress(target: Path, paths: list[Path], cfg: Config | None = None,
                          expected: tuple | None = None) -> list[LoadResult]:
    from safer.privacy import configured_keyring, pseudonymising

    keyring = configured_keyring(cfg.key_path, cfg.key_env) if cfg else None
    engine = cfg.engine_choice if cfg else None
    with (open_warehouse(target, engine=engine) as wh,
          pseudonymising(wh, keyring, key_file=cfg.key_path if cfg else None), _progress() as progress):
        preparing = progress.add_task("Checking files", total=None)
        loading = progress.add_task("Loading", total=None, visible=False)

        def prepared(name: str, done: int, total: int) -> None:
            progress.update(preparing, completed=done, total=total, description=f"Checking {Path(name).name}")

        def loaded(result: LoadResult, done: int, total: int) -> None:
            progress.update(loading, completed=done, total=total, visible=True,
                            description=f"Loaded {result.source_file.rsplit('/', 1)[-1]}")

        results = ingest_paths(wh, paths, on_prepared=prepared, on_loaded=loaded, expected=expected)
        if wh.engine.name != "duckdb":  # e.g. pyspark: write the Parquet dataset the engine reads
            publishing = progress.add_task(f"Writing the Parquet dataset for {wh.engine.name}", total=None)
            wh.publish()
            progress.update(publishing, total=1, completed=1)
        return results


def _assess_with_progress(cfg: Config, out: Path) -> tuple[Path, Path]:
    from safer.assessment import assessment_steps, build_assessment
    from safer.report import write_html, write_results

    steps = [*assessment_steps(), "Writing the report"]
    with open_configured(cfg, create=False) as wh, _progress() as progress:
        task = progress.add_task("Assessing", total=len(steps))

        def started(description: str) -> None:
            progress.update(task, completed=steps.index(description), description=description)

        assessment = build_assessment(cfg, wh, on_step=started)
        started("Writing the report")
        html = write_html(assessment, out / "assessment.html")
        results = write_results(assessment, out / "results.json")
        progress.update(task, completed=len(steps))
    from safer.report.analyst_only import write_analyst_only

    for path in write_analyst_only(assessment, cfg.analyst_path)[:1]:
        console.print(f"[yellow]Analyst-only list of repeat victims (NOT for publication, not part of the "
                      f"assessment): {path}[/]", highlight=False)
    return html, results


def _print_ledger(results: list[LoadResult]) -> None:
    table = Table("File", "Format", "Read", "Loaded", "Quarantined", "Duplicates", "", title="Ingest ledger")
    for r in results:
        table.add_row(r.source_file.rsplit("/", 1)[-1], r.format, f"{r.rows_read:,}", f"{r.rows_loaded:,}",
                      f"{r.rows_quarantined:,}", f"{r.rows_duplicate:,}",
                      "already loaded" if r.already_loaded else "")
    new = [r for r in results if not r.already_loaded]
    table.add_section()
    table.add_row("Total (new files)", "", f"{sum(r.rows_read for r in new):,}", f"{sum(r.rows_loaded for r in new):,}",
                  f"{sum(r.rows_quarantined for r in new):,}", f"{sum(r.rows_duplicate for r in new):,}", "")
    console.print(table)
    if any(r.rows_quarantined for r in new):
        console.print("[yellow]Some rows were quarantined; see them with [bold]safer quarantine[/].[/]")


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err_console, transient=False)


key_app = typer.Typer(help="The partnership's pseudonymisation key (see docs/privacy.md).", no_args_is_help=True)
app.add_typer(key_app, name="key")


@key_app.command("new")
def key_new(path: Annotated[Path, typer.Argument(help="Where to write the new key file.")]) -> None:
    """Create the partnership's pseudonymisation key (once, for every agency)."""
    from safer.privacy import new_key_file

    with _errors():
        ring = new_key_file(path)
        console.print(f"Wrote key [bold]{ring.key_id}[/] to [bold]{path}[/]. Keep it secret, away from the warehouse "
                      "and the outputs; name it in safer.toml (\\[privacy] key_file) and give it only to the people "
                      "who pseudonymise partner data.")


@key_app.command("rotate")
def key_rotate(
    config: ConfigOption = Path("safer.toml"),
    catch_up: Annotated[bool, typer.Option("--catch-up", help="Only bring a warehouse restored from an older copy "
                                                              "up to the key file's epoch.")] = False,
) -> None:
    """Add a new key epoch and re-key every token in the warehouse to it."""
    from safer.errors import PrivacyError
    from safer.privacy import catch_up as catch_up_warehouse, rotate_key

    with _errors():
        cfg = load_config(config)
        if cfg.key_path is None:
            raise PrivacyError(f"{config}: rotation needs a key file ([privacy] key_file); a key held in an "
                               "environment variable is rotated by replacing its value with the new key file's")
        with open_warehouse(cfg.warehouse, create=False) as wh:
            done = catch_up_warehouse(cfg.key_path, wh) if catch_up else rotate_key(cfg.key_path, wh)
        console.print(f"Warehouse re-keyed to key {done.key_id} (epoch {done.epoch}): {done.tokens:,} tokens in "
                      f"{len(done.tables)} tables. Give agencies that pseudonymise the updated {cfg.key_path}.")


@app.command()
def pseudonymise(
    source: Annotated[Path, typer.Argument(help="The agency's raw CSV file (it never leaves the agency).")],
    output: Annotated[Path, typer.Argument(help="Where to write the pseudonymised copy to share.")],
    dataset: Annotated[str, typer.Option(help="The dataset contract the file follows, e.g. marac-cases.")],
    key_file: Annotated[Optional[Path], typer.Option(help="The partnership key file (default: from the config).")] = None,
    key_env: Annotated[Optional[str], typer.Option(help="Or an environment variable holding the key.")] = None,
    config: ConfigOption = Path("safer.toml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT if it exists.")] = False,
) -> None:
    """Replace a person-level file's identifying fields with keyed tokens, ready to share and ingest."""
    from safer.privacy import pseudonymise_dataset

    with _errors():
        cfg = load_config(config) if (key_file is None and key_env is None and config.exists()) else None
        result = pseudonymise_dataset(dataset, source, output, key_file=key_file or (cfg.key_path if cfg else None),
                                      key_env=key_env or (cfg.key_env if cfg else None), overwrite=force)
        console.print(f"Wrote [bold]{output}[/]: {result.rows:,} rows of {result.dataset}, pseudonymised with key "
                      f"{result.key_id}.", highlight=False)
        for problem in result.problems[:50]:
            console.print(f"{source} {problem}", style="yellow", highlight=False, markup=False)
        if result.problems:
            console.print(f"[yellow]{result.rows_with_problems:,} rows have identifying fields that could not be "
                          "read; they will be quarantined at ingest. Correct them in the raw file and run this "
                          "again.[/]")


class _errors:
    """Show a SaferError as one red line and exit with status 1."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, error, _tb) -> bool:
        if isinstance(error, SaferError):
            err_console.print(f"[bold red]Error:[/] {error}", highlight=False, soft_wrap=True)
            raise typer.Exit(code=1)
        return False


if __name__ == "__main__":
    main()
