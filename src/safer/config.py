"""One typed configuration, loaded from ``safer.toml`` and validated once.

Example:
    >>> cfg = Config(partnership="Safer Westminster Partnership", area=("E09000033",))
    >>> cfg.period_months
    12
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from safer.errors import ConfigError

_LAD_CODE = re.compile(r"^[EW]0[6-9]\d{6}$")
_WARD_CODE = re.compile(r"^[EW]05\d{6}$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ENGINES = ("duckdb",)

DEFAULT_CONFIG_TOML = """\
# safer configuration. Every setting is explained beside it; delete a line to use the default.

[partnership]
# Name shown on the assessment.
name = "{name}"
# The partnership's area: one or more ONS local authority district codes (LAD 2018).
# E09000033 is Westminster. Find codes at https://geoportal.statistics.gov.uk.
area = [{area}]
# What the area is compared with: "force" (every local authority the area's police force
# covers in the data) or a list of LAD codes, e.g. ["E09000007", "E09000020"].
comparator = "force"
# Wards given a profile of their own (ONS ward codes, 2018 set), e.g. ["E05000644"].
priority_wards = []
# Forces reported in a table of their own rather than mixed into the territorial force's figures.
separate_forces = ["British Transport Police"]

[period]
# Last month of the assessment period, "YYYY-MM". Leave empty for the latest month in the warehouse.
end_month = "{end_month}"
# Length of the assessment period in months; the previous period is the same length, just before it.
length_months = 12

[warehouse]
# The embedded database file holding every loaded record (created if missing).
path = "safer.duckdb"
# Query engine: "duckdb" (embedded, the default).
engine = "duckdb"

[output]
# Folder the assessment (assessment.html, results.json) is written to.
folder = "assessment"

[disclosure]
# Counts from person-level data from 1 up to this number are suppressed in published tables.
threshold = 4

[report]
# Notes on where the data came from, printed in the assessment's data appendix.
data_notes = [{data_notes}]
"""


@dataclass(frozen=True)
class Config:
    """Everything that defines one strategic assessment.

    Relative paths are resolved against ``base_dir`` (the folder of ``safer.toml``).
    """

    partnership: str
    area: tuple[str, ...]
    comparator: str | tuple[str, ...] = "force"
    priority_wards: tuple[str, ...] = ()
    separate_forces: tuple[str, ...] = ("British Transport Police",)
    end_month: str | None = None
    period_months: int = 12
    warehouse_path: Path = Path("safer.duckdb")
    engine: str = "duckdb"
    output_folder: Path = Path("assessment")
    disclosure_threshold: int = 4
    data_notes: tuple[str, ...] = ()
    base_dir: Path = field(default=Path("."), compare=False)

    def __post_init__(self) -> None:
        _check(bool(self.partnership.strip()), "partnership.name", "must not be empty")
        _check(len(self.area) > 0, "partnership.area", "list at least one LAD code, e.g. [\"E09000033\"]")
        for code in self.area:
            _check(bool(_LAD_CODE.match(code)), "partnership.area",
                   f"'{code}' is not a local authority district code; expected e.g. E09000033")
        if isinstance(self.comparator, str):
            _check(self.comparator == "force", "partnership.comparator",
                   f"'{self.comparator}' is not allowed; use \"force\" or a list of LAD codes")
        else:
            for code in self.comparator:
                _check(bool(_LAD_CODE.match(code)), "partnership.comparator",
                       f"'{code}' is not a local authority district code; expected e.g. E09000007")
        for code in self.priority_wards:
            _check(bool(_WARD_CODE.match(code)), "partnership.priority_wards",
                   f"'{code}' is not a ward code; expected e.g. E05000644")
        if self.end_month is not None:
            _check(bool(_MONTH.match(self.end_month)), "period.end_month",
                   f"'{self.end_month}' is not a month; expected YYYY-MM or an empty string")
        _check(1 <= self.period_months <= 60, "period.length_months", "must be between 1 and 60")
        _check(self.engine in ENGINES, "warehouse.engine",
               f"'{self.engine}' is not supported; choose one of {', '.join(ENGINES)}")
        _check(1 <= self.disclosure_threshold <= 20, "disclosure.threshold", "must be between 1 and 20")

    @property
    def warehouse(self) -> Path:
        """The warehouse file, resolved against the configuration's folder."""
        return _resolve(self.base_dir, self.warehouse_path)

    @property
    def output(self) -> Path:
        """The output folder, resolved against the configuration's folder."""
        return _resolve(self.base_dir, self.output_folder)

    def with_overrides(self, **changes: object) -> "Config":
        """Return a copy with some settings changed (validated again)."""
        return replace(self, **changes)


def load_config(path: str | Path) -> Config:
    """Read and validate ``safer.toml``.

    Raises ConfigError naming the file and the setting when anything is wrong.
    """
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"{path}: no configuration file here; run `safer init` to write one")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the line it names") from exc
    try:
        return _from_mapping(raw, base_dir=path.resolve().parent)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def render_default_config(name: str = "My Community Safety Partnership", area: tuple[str, ...] = ("E09000033",),
                          end_month: str = "", data_notes: tuple[str, ...] = ()) -> str:
    """The commented ``safer.toml`` that ``safer init`` writes.

    >>> tomllib.loads(render_default_config(area=("E09000033",)))["partnership"]["area"]
    ['E09000033']
    """
    area_list = ", ".join(_toml_string(code) for code in area)
    notes = "".join(f"\n    {_toml_string(note)}," for note in data_notes) + ("\n" if data_notes else "")
    return DEFAULT_CONFIG_TOML.format(name=_toml_string(name)[1:-1], area=area_list, end_month=end_month,
                                      data_notes=notes)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _from_mapping(raw: dict, base_dir: Path) -> Config:
    known = {"partnership", "period", "warehouse", "output", "disclosure", "report"}
    unknown = set(raw) - known
    _check(not unknown, "(top level)", f"unknown section(s) {sorted(unknown)}; expected {sorted(known)}")
    partnership = _section(raw, "partnership", {"name", "area", "comparator", "priority_wards", "separate_forces"})
    period = _section(raw, "period", {"end_month", "length_months"})
    warehouse = _section(raw, "warehouse", {"path", "engine"})
    output = _section(raw, "output", {"folder"})
    disclosure = _section(raw, "disclosure", {"threshold"})
    report = _section(raw, "report", {"data_notes"})

    comparator = partnership.get("comparator", "force")
    if isinstance(comparator, list):
        comparator = tuple(_strings(comparator, "partnership.comparator"))
    elif not isinstance(comparator, str):
        raise ConfigError("partnership.comparator: use \"force\" or a list of LAD codes")
    end_month = period.get("end_month") or None
    return Config(
        partnership=_typed(partnership.get("name"), str, "partnership.name"),
        area=tuple(_strings(partnership.get("area", []), "partnership.area")),
        comparator=comparator,
        priority_wards=tuple(_strings(partnership.get("priority_wards", []), "partnership.priority_wards")),
        separate_forces=tuple(_strings(partnership.get("separate_forces", ["British Transport Police"]),
                                       "partnership.separate_forces")),
        end_month=_typed(end_month, str, "period.end_month") if end_month else None,
        period_months=_typed(period.get("length_months", 12), int, "period.length_months"),
        warehouse_path=Path(_typed(warehouse.get("path", "safer.duckdb"), str, "warehouse.path")),
        engine=_typed(warehouse.get("engine", "duckdb"), str, "warehouse.engine"),
        output_folder=Path(_typed(output.get("folder", "assessment"), str, "output.folder")),
        disclosure_threshold=_typed(disclosure.get("threshold", 4), int, "disclosure.threshold"),
        data_notes=tuple(_strings(report.get("data_notes", []), "report.data_notes")),
        base_dir=base_dir,
    )


def _section(raw: dict, name: str, keys: set[str]) -> dict:
    section = raw.get(name, {})
    _check(isinstance(section, dict), name, "must be a [section]")
    unknown = set(section) - keys
    _check(not unknown, name, f"unknown setting(s) {sorted(unknown)}; expected some of {sorted(keys)}")
    return section


def _typed(value: object, kind: type, key: str):
    if value is None:
        raise ConfigError(f"{key}: missing; add it to the file")
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"{key}: expected a {kind.__name__}, got {value!r}")
    return value


def _strings(values: object, key: str) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{key}: expected a list of strings, got {values!r}")
    return [v.strip() for v in values]


def _check(condition: bool, key: str, message: str) -> None:
    if not condition:
        raise ConfigError(f"{key}: {message}")


def _resolve(base: Path, path: Path) -> Path:
    return path if path.is_absolute() else (base / path)
