"""Synthetic partnership data: every dataset contract's CSV for one area, seeded and calibrated.

``safer synth --area E09000033 --seed 1 --out DIR`` writes, for the two years ending ``end_month``
(by default June 2018, the seed assessment's last month):

- ``DIR/incident-and-aggregate/synthetic-<dataset>.csv``: the datasets with no field identifying a
  person (ambulance, fire, transport, council ASB, hate crime counts, rough sleeping, reoffending).
  ``safer ingest DIR/incident-and-aggregate`` loads them.
- ``DIR/person-level/synthetic-<dataset>.csv``: MARAC, IOM, YOS, victims ... with invented names,
  dates of birth and references. They load only pseudonymised, with the partnership's key
  (``safer ingest`` turns the identifying fields into keyed tokens before anything is stored, and
  refuses the files when no key is configured), exactly as a real export would.
  Their people come from one shared synthetic population, so the same person appears in several
  agencies' files (see ``safer.synth.people``).
- ``DIR/manifest.json`` (seed, area, periods, rows and SHA-256 of every file) and ``DIR/README.md``.

Every file has the contract's columns plus ``Synthetic`` = ``true`` on every row, so the records
stay labelled synthetic in the warehouse, the report and results.json. The same seed always gives
the same files. The figures the data is calibrated to, and the assumptions where the seed is silent,
are in ``safer.synth.calibration``; the comparator (``region=True``) is the rest of the area's region.

Example:
    >>> run = generate("E09000033", seed=1, out=Path("synthetic"))  # doctest: +SKIP
    >>> run.file("las-assaults").rows  # doctest: +SKIP
    75739
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from safer.analysis.periods import assessment_periods, parse_month
from safer.errors import ConfigError
from safer.sources.contracts import CONTRACTS, SYNTHETIC, Contract
from safer.synth import aggregates, incidents, people
from safer.synth.calibration import CALIBRATED_AREA
from safer.synth.geography import area_geography
from safer.synth.incidents import Context, SynthPeriod

LOADABLE_FOLDER = "incident-and-aggregate"
PERSON_FOLDER = "person-level"
DEFAULT_END_MONTH = "2018-06"

Generator = Callable[[Context], pd.DataFrame | tuple[pd.DataFrame, ...]]

#: (datasets written, generator): one random stream per entry, so datasets do not depend on each other.
GENERATORS: tuple[tuple[tuple[str, ...], Generator], ...] = (
    (("las-assaults",), incidents.las_assaults),
    (("las-alcohol",), incidents.las_alcohol),
    (("las-overdoses",), incidents.las_overdoses),
    (("lfb-incidents",), incidents.lfb_incidents),
    (("btp-incidents",), incidents.btp_incidents),
    (("tfl-incidents",), incidents.tfl_incidents),
    (("council-asb",), incidents.council_asb),
    (("hate-crime-counts",), aggregates.hate_crime_counts),
    (("rough-sleeping-counts",), aggregates.rough_sleeping_counts),
    (("reoffending-rates",), aggregates.reoffending_rates),
    (("vawg-referrals",), people.vawg_referrals),
    (("cse-risk-assessments",), people.cse_risk_assessments),
    (("troubled-families",), people.troubled_families),
    (("adult-safeguarding",), people.adult_safeguarding),
    (("drug-alcohol-treatment",), people.drug_alcohol_treatment),
    (("prevent-referrals",), people.prevent_referrals),
)
PopulationGenerator = Callable[[Context, people.Population], pd.DataFrame | tuple[pd.DataFrame, ...]]

#: Generators drawing on the shared synthetic population, in the order they run: each may use the
#: people those before it created (the IGU the YOS caseload's, victims of crime the MARAC's ...).
POPULATION_GENERATORS: tuple[tuple[tuple[str, ...], PopulationGenerator], ...] = (
    (("yos-caseload", "yos-offences", "igu-cohort"), people.youth_cohorts),
    (("iom-cohort", "iom-offences"), people.iom_cohort),
    (("hate-crime-victims", "hate-crime-suspects"), people.hate_crime_victims),
    (("marac-cases",), people.marac_cases),
    (("crime-victims",), people.crime_victims),
    (("asb-victims",), people.asb_victims),
)
POPULATION_SEED = "population"


@dataclass(frozen=True)
class SynthFile:
    """One written dataset file."""

    dataset: str
    path: Path
    rows: int
    loadable: bool  # False: holds fields that identify a person, so it loads only pseudonymised
    sha256: str

    def as_dict(self, folder: Path | None = None) -> dict[str, object]:
        """``file`` is relative to ``folder`` when given (as in manifest.json)."""
        path = self.path.relative_to(folder) if folder is not None else self.path
        return {"dataset": self.dataset, "file": path.as_posix(), "rows": self.rows, "loadable": self.loadable,
                "sha256": self.sha256}


@dataclass(frozen=True)
class SynthRun:
    """What ``generate`` wrote, and the choices it made."""

    area_code: str
    area_name: str
    seed: int
    previous: tuple[str, str]  # first and last month, YYYY-MM
    current: tuple[str, str]
    region: bool
    calibrated: bool
    folder: Path
    files: tuple[SynthFile, ...]
    notes: tuple[str, ...]  # defaults chosen automatically, reported to the user

    def file(self, dataset: str) -> SynthFile:
        for f in self.files:
            if f.dataset == dataset:
                return f
        raise KeyError(dataset)

    @property
    def loadable_folder(self) -> Path:
        return self.folder / LOADABLE_FOLDER

    def as_dict(self) -> dict[str, object]:
        return {"synthetic": True, "generator": "safer synth", "area": self.area_code, "area_name": self.area_name,
                "seed": self.seed, "previous_period": list(self.previous), "current_period": list(self.current),
                "region_comparator": self.region, "calibrated_to_seed": self.calibrated, "notes": list(self.notes),
                "files": [f.as_dict(self.folder) for f in self.files]}


def generate(area: str, *, seed: int, out: Path, end_month: str = DEFAULT_END_MONTH, region: bool = True,
             datasets: tuple[str, ...] | None = None) -> SynthRun:
    """Write every contract's synthetic CSV for ``area`` into ``out``; return what was written.

    ``datasets`` limits the output to some contracts (all by default). Raises ConfigError for a
    bad area code, seed, month or dataset name.
    """
    if not re.fullmatch(r"[EW]0[6-9]\d{6}", area):
        raise ConfigError(f"--area {area!r}: not a local authority district code; expected e.g. E09000033")
    if not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"--seed {seed!r}: give a whole number, 0 or more")
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", end_month):
        raise ConfigError(f"--end-month {end_month!r}: not a month; expected YYYY-MM, e.g. 2018-06")
    unknown = sorted(set(datasets or ()) - set(CONTRACTS))
    if unknown:
        raise ConfigError(f"{', '.join(unknown)}: not a known dataset contract; choose from {', '.join(CONTRACTS)}")
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out}: is a file; give a folder")
    geo = area_geography(area)
    current, previous = assessment_periods(parse_month(end_month), 12)
    periods = (SynthPeriod("previous", previous.first, previous.end_exclusive),
               SynthPeriod("current", current.first, current.end_exclusive))
    notes = _notes(area, geo.area_name, region)
    written: list[SynthFile] = []

    def context(first: str) -> Context:
        return Context(geo=geo, periods=periods, rng=np.random.default_rng([seed, zlib.crc32(first.encode())]),
                       region=region)

    def keep(names: tuple[str, ...], frames) -> None:
        frames = frames if isinstance(frames, tuple) else (frames,)
        for name, frame in zip(names, frames):
            if datasets is None or name in datasets:
                written.append(_write(CONTRACTS[name], frame, out))

    for names, make in GENERATORS:
        if datasets is None or set(names) & set(datasets):
            keep(names, make(context(names[0])))
    wanted = [i for i, (names, _) in enumerate(POPULATION_GENERATORS) if datasets is None or set(names) & set(datasets)]
    if wanted:  # the earlier population generators run too, so a file is the same whatever else is asked for
        pool = people.Population(np.random.default_rng([seed, zlib.crc32(POPULATION_SEED.encode())]))
        for names, make in POPULATION_GENERATORS[:max(wanted) + 1]:
            keep(names, make(context(names[0]), pool))
    run = SynthRun(area_code=area, area_name=geo.area_name, seed=seed,
                   previous=(f"{previous.first:%Y-%m}", f"{previous.last:%Y-%m}"),
                   current=(f"{current.first:%Y-%m}", f"{current.last:%Y-%m}"), region=region,
                   calibrated=area == CALIBRATED_AREA, folder=out,
                   files=tuple(sorted(written, key=lambda f: f.dataset)), notes=notes)
    (out / "manifest.json").write_text(json.dumps(run.as_dict(), indent=2), encoding="utf-8")
    (out / "README.md").write_text(_readme(run), encoding="utf-8")
    return run


def _notes(area: str, name: str, region: bool) -> tuple[str, ...]:
    notes = []
    if area == CALIBRATED_AREA:
        notes.append(f"Calibrated to the published figures of the Safer Westminster Partnership Strategic "
                     f"Assessment 2018 ({name}).")
    else:
        notes.append(f"The calibration figures are Westminster's: volumes for {name} are scaled by residents "
                     "and places spread by residents, without Westminster's named hotspots.")
    if region:
        notes.append("The comparator is the rest of the area's region, spread over its LSOAs by residents.")
    return tuple(notes)


def _write(contract: Contract, frame: pd.DataFrame, out: Path) -> SynthFile:
    if tuple(frame.columns) != contract.header:
        raise ValueError(f"{contract.name}: generated columns {list(frame.columns)} differ from the contract")
    folder = out / (LOADABLE_FOLDER if contract.loadable else PERSON_FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"synthetic-{contract.name}.csv"
    frame = frame.assign(**{SYNTHETIC: "true"})
    path.write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    return SynthFile(dataset=contract.name, path=path, rows=len(frame), loadable=contract.loadable,
                     sha256=hashlib.sha256(path.read_bytes()).hexdigest())


def _readme(run: SynthRun) -> str:
    lines = [
        "# SYNTHETIC partnership data: not real records",
        "",
        f"Generated by `safer synth --area {run.area_code} --seed {run.seed}` for {run.area_name}, "
        f"{run.previous[0]} to {run.current[1]}. Every row of every file is invented; the `Synthetic` "
        "column is `true` on every row so that the data stays labelled in the warehouse and the report.",
        "",
        *run.notes,
        "",
        f"- `{LOADABLE_FOLDER}/`: datasets without fields that identify a person. Load them with "
        f"`safer ingest {run.folder / LOADABLE_FOLDER}`.",
        f"- `{PERSON_FOLDER}/`: person-level datasets (invented names, dates of birth and references). "
        "safer loads them only pseudonymised, with the partnership's key, exactly as it would a real export.",
        "",
        "| dataset | rows | loadable now |",
        "| --- | ---: | --- |",
        *(f"| {f.dataset} | {f.rows:,} | {'yes' if f.loadable else 'pseudonymised only'} |"
          for f in run.files),
        "",
        "The contracts are documented in docs/contracts/; the calibration figures in safer/synth/calibration.py.",
        "",
    ]
    return "\n".join(lines)


__all__ = ["DEFAULT_END_MONTH", "LOADABLE_FOLDER", "PERSON_FOLDER", "SynthFile", "SynthRun", "generate"]
