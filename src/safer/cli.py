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
) -> None:
    """Validate and load police.uk files; print the ledger for each file."""
    with _errors():
        target = warehouse or (load_config(config).warehouse if config.exists() else Path("safer.duckdb"))
        results = _ingest_with_progress(target, paths)
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
    """Load the bundled real police.uk sample and write the Westminster assessment."""
    from safer.demo import demo_config, demo_files

    with _errors():
        out.mkdir(parents=True, exist_ok=True)
        cfg = demo_config(out)
        if (out / "safer.duckdb").exists():
            console.print(f"[yellow]{out / 'safer.duckdb'} exists; files already loaded will be skipped.[/]")
        results = _ingest_with_progress(cfg.warehouse, demo_files())
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


def _ingest_with_progress(target: Path, paths: list[Path]) -> list[LoadResult]:
    with open_warehouse(target) as wh, _progress() as progress:
        preparing = progress.add_task("Checking files", total=None)
        loading = progress.add_task("Loading", total=None, visible=False)

        def prepared(name: str, done: int, total: int) -> None:
            progress.update(preparing, completed=done, total=total, description=f"Checking {Path(name).name}")

        def loaded(result: LoadResult, done: int, total: int) -> None:
            progress.update(loading, completed=done, total=total, visible=True,
                            description=f"Loaded {result.source_file.rsplit('/', 1)[-1]}")

        return ingest_paths(wh, paths, on_prepared=prepared, on_loaded=loaded)


def _assess_with_progress(cfg: Config, out: Path) -> tuple[Path, Path]:
    from safer.assessment import assessment_steps, build_assessment
    from safer.report import write_html, write_results

    steps = [*assessment_steps(), "Writing the report"]
    with open_warehouse(cfg.warehouse, create=False) as wh, _progress() as progress:
        task = progress.add_task("Assessing", total=len(steps))

        def started(description: str) -> None:
            progress.update(task, completed=steps.index(description), description=description)

        assessment = build_assessment(cfg, wh, on_step=started)
        started("Writing the report")
        html = write_html(assessment, out / "assessment.html")
        results = write_results(assessment, out / "results.json")
        progress.update(task, completed=len(steps))
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
