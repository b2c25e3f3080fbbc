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
from safer.warehouse.engines import DEFAULT_SPARK_MASTER, ENGINES, EngineChoice

_LAD_CODE = re.compile(r"^[EW]0[6-9]\d{6}$")
_WARD_CODE = re.compile(r"^[EW]05\d{6}$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_SPARK_MASTER = re.compile(r"^(local(\[(\*|\d+)(,\d+)?\])?|(spark|k8s|mesos)://\S+|yarn)$")

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
# Query engine: "duckdb" (embedded, the default) or "pyspark" (the same analyses run by Spark; see
# docs/spark.md). With "pyspark", `safer ingest` still validates and loads into the file above, then
# writes every table to the Parquet dataset below (records partitioned by month and force) for Spark.
engine = "duckdb"
# Spark master URL (engine = "pyspark"): "local[*]" runs Spark on this machine with every core;
# a cluster is e.g. "spark://host:7077", "yarn" or "k8s://https://host:6443".
spark_master = "local[*]"
# Folder of the Parquet dataset Spark reads (engine = "pyspark"). On a cluster, a path every Spark
# executor reaches (a shared mount). Leave empty for "<warehouse file name>-parquet" beside the warehouse.
parquet_path = ""
# Extra Spark settings (engine = "pyspark"), e.g. {{ "spark.executor.memory" = "8g" }}.
spark_options = {{}}
# Keep each table in Spark's memory once read (spilling to disk): an assessment scans the same tables
# about a hundred times, so this helps when the data fits in Spark's memory (a borough, a force).
spark_cache = false

[output]
# Folder the assessment (assessment.html, results.json) is written to.
folder = "assessment"

[disclosure]
# Counts from person-level data from 1 up to this number are suppressed in published tables.
threshold = 4

[privacy]
# Person-level partner data (names, dates of birth, PNC and case ids) is loaded only pseudonymised:
# each identifying field is replaced by a keyed token, so records link without anyone holding the raw
# values. The key lives outside the warehouse. Create it once for the whole partnership with
# `safer key new PATH`, keep it secret and away from the warehouse and outputs, and name it here.
# With neither setting, person-level files are refused. See docs/privacy.md.
key_file = ""
# Or the name of an environment variable holding the key, e.g. "SAFER_KEY" (used when key_file is empty).
key_env = ""
# Folder for analyst-only outputs that must never be published (the pseudonymous list of repeat victims),
# kept apart from the assessment's output folder.
analyst_folder = "analyst-only"

[victims]
# A victim is a repeat victim when victimised again within this many months (the 2018 assessment's rule).
repeat_window_months = 12
# The share of victims who are repeat victims to compare with, in %: one in five across London (MOPAC).
repeat_benchmark_pct = 20

[temporal]
# The night-time economy window for timed partner data, in whole hours: from start_hour up to (not
# including) end_hour, wrapping past midnight. The default, 20 to 5, is 20:00 to 04:59.
night_start_hour = 20
night_end_hour = 5

[locations]
# How many of the busiest places the concentration figures name ("a third of crime in 4 LSOAs").
top_n = [4, 10]
# Side of the square grid cells for hotspot counts and Gi*, in metres (British National Grid).
grid_cell_metres = 250
# Side of the kernel density cells, in metres.
kde_cell_metres = 50
# Kernel density bandwidth in metres; 0 chooses it from the data (Scott's rule) and reports it.
kde_bandwidth_metres = 0
# Random permutations for the Getis-Ord Gi* hotspot test, and the seed that makes them repeatable.
permutations = 999
seed = 20180630
# Correction for testing many places at once: "fdr" (Benjamini-Hochberg), "holm" or "none".
correction = "fdr"
# Significance level a place must reach, after the correction, to be called a hot or cold spot.
significance = 0.05
# Length in months of the consecutive periods hotspots are classified over (persistent, emerging...).
hotspot_period_months = 3

[vli]
# CSV of deprivation and population indicators by ward (see docs/contracts/vli-indicators.md).
# Leave empty to leave the Vulnerable Localities Index out of the assessment.
indicators = ""
# Weight of each indicator in the index; indicators not named weigh 1, e.g. {{ burglary = 1, income = 2 }}.
weights = {{}}
# Indicators where a lower value means more vulnerable (e.g. GCSE points, household income).
lower_is_more_vulnerable = []

[costs]
# Cost of crime: Home Office unit costs (2018, 2015/16 prices) times the crimes recorded.
# police.uk crime types that mix several Home Office crime types are split by shares. The defaults are
# Westminster's police category volumes for July 2017 to June 2018 (the 2018 strategic assessment), e.g.
# Burglary: domestic 43.2%, commercial 56.8%; Robbery: personal 95.3%, business 4.7%; Violence and sexual
# offences: homicide 0.03%, with injury 24.8%, without injury 66.4%, rape 3.7%, other sexual 5.1%;
# Vehicle crime: theft of 20.0%, theft from 69.0% (interference, 11.0%, has no unit cost).
# docs/outcomes-and-costs.md lists every default. To change a type's split, give all of its shares
# (adding up to at most 1; the rest carries no cost), e.g.
# split = {{ "Burglary" = {{ "Domestic Burglary" = 0.5, "Commercial burglary" = 0.5 }} }}
split = {{}}
# Share of acquisitive crime (burglary, robbery, vehicle crime, shoplifting) attributed to people dependent
# on opiates and/or crack cocaine (the Home Office estimate the 2018 assessment used); 0 leaves it out.
opiate_crack_share_of_acquisitive = 0.45
# Share of violent crime that is alcohol-related (the same source); 0 leaves it out.
alcohol_share_of_violence = 0.4

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
    spark_master: str = DEFAULT_SPARK_MASTER  # [warehouse] spark_master, for engine = "pyspark"
    parquet_path: Path | None = None  # [warehouse] parquet_path; None: beside the warehouse file
    spark_options: tuple[tuple[str, str], ...] = ()  # [warehouse] spark_options
    spark_cache: bool = False  # [warehouse] spark_cache
    output_folder: Path = Path("assessment")
    disclosure_threshold: int = 4
    data_notes: tuple[str, ...] = ()
    concentration_top_n: tuple[int, ...] = (4, 10)
    grid_cell_metres: float = 250.0
    kde_cell_metres: float = 50.0
    kde_bandwidth_metres: float = 0.0  # 0: chosen from the data
    hotspot_permutations: int = 999
    hotspot_seed: int = 20180630
    hotspot_correction: str = "fdr"
    hotspot_significance: float = 0.05
    hotspot_period_months: int = 3
    vli_indicators: Path | None = None
    vli_weights: tuple[tuple[str, float], ...] = ()
    vli_lower_is_more_vulnerable: tuple[str, ...] = ()
    cost_split: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = ()  # overrides of the default split
    opiate_crack_share: float = 0.45
    alcohol_share: float = 0.40
    key_file: Path | None = None  # the pseudonymisation key file ([privacy] key_file)
    key_env: str | None = None  # or the environment variable holding the key ([privacy] key_env)
    analyst_folder: Path = Path("analyst-only")  # analyst-only outputs, never published
    repeat_window_months: int = 12
    repeat_benchmark_pct: float = 20.0
    night_start_hour: int = 20
    night_end_hour: int = 5
    base_dir: Path = field(default=Path("."), compare=False)

    def __post_init__(self) -> None:
        _check(bool(self.partnership.strip()), "partnership.name", "must not be empty")
        _check(0 <= self.night_start_hour <= 23 and 0 <= self.night_end_hour <= 24
               and self.night_start_hour != self.night_end_hour % 24, "temporal.night_start_hour",
               "the night-time window needs two different hours from 0 to 23, e.g. 20 and 5")
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
        _check(bool(_SPARK_MASTER.match(self.spark_master)), "warehouse.spark_master",
               f"'{self.spark_master}' is not a Spark master URL; expected e.g. \"local[*]\", "
               "\"spark://host:7077\", \"yarn\" or \"k8s://https://host:6443\"")
        _check_locations(self)
        _check_costs(self)
        _check_people(self)

    @property
    def warehouse(self) -> Path:
        """The warehouse file, resolved against the configuration's folder."""
        return _resolve(self.base_dir, self.warehouse_path)

    @property
    def output(self) -> Path:
        """The output folder, resolved against the configuration's folder."""
        return _resolve(self.base_dir, self.output_folder)

    @property
    def engine_choice(self) -> EngineChoice:
        """The query engine and its settings, with the Parquet folder resolved against the configuration's folder."""
        parquet = _resolve(self.base_dir, self.parquet_path) if self.parquet_path else None
        return EngineChoice(self.engine, spark_master=self.spark_master, parquet_path=parquet,
                            spark_options=self.spark_options, spark_cache=self.spark_cache)

    @property
    def vli_indicators_path(self) -> Path | None:
        """The VLI indicator CSV, resolved against the configuration's folder (None if not given)."""
        return _resolve(self.base_dir, self.vli_indicators) if self.vli_indicators else None

    @property
    def analyst_path(self) -> Path:
        """The folder of analyst-only outputs, resolved against the configuration's folder."""
        return _resolve(self.base_dir, self.analyst_folder)

    @property
    def key_path(self) -> Path | None:
        """The pseudonymisation key file, resolved against the configuration's folder (None if not given)."""
        return _resolve(self.base_dir, self.key_file) if self.key_file else None

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
    known = {"partnership", "period", "warehouse", "output", "disclosure", "report", "locations", "vli", "costs",
             "privacy", "victims", "temporal"}
    unknown = set(raw) - known
    _check(not unknown, "(top level)", f"unknown section(s) {sorted(unknown)}; expected {sorted(known)}")
    partnership = _section(raw, "partnership", {"name", "area", "comparator", "priority_wards", "separate_forces"})
    period = _section(raw, "period", {"end_month", "length_months"})
    warehouse = _section(raw, "warehouse", {"path", "engine", "spark_master", "parquet_path", "spark_options",
                                            "spark_cache"})
    output = _section(raw, "output", {"folder"})
    disclosure = _section(raw, "disclosure", {"threshold"})
    report = _section(raw, "report", {"data_notes"})
    locations = _section(raw, "locations", {"top_n", "grid_cell_metres", "kde_cell_metres", "kde_bandwidth_metres",
                                            "permutations", "seed", "correction", "significance",
                                            "hotspot_period_months"})
    vli = _section(raw, "vli", {"indicators", "weights", "lower_is_more_vulnerable"})
    costs = _section(raw, "costs", {"split", "opiate_crack_share_of_acquisitive", "alcohol_share_of_violence"})
    privacy = _section(raw, "privacy", {"key_file", "key_env", "analyst_folder"})
    victims = _section(raw, "victims", {"repeat_window_months", "repeat_benchmark_pct"})
    temporal = _section(raw, "temporal", {"night_start_hour", "night_end_hour"})

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
        **_engine_settings(warehouse),
        output_folder=Path(_typed(output.get("folder", "assessment"), str, "output.folder")),
        disclosure_threshold=_typed(disclosure.get("threshold", 4), int, "disclosure.threshold"),
        data_notes=tuple(_strings(report.get("data_notes", []), "report.data_notes")),
        **_locations_settings(locations, vli),
        **_costs_settings(costs),
        **_people_settings(privacy, victims),
        night_start_hour=_typed(temporal.get("night_start_hour", 20), int, "temporal.night_start_hour"),
        night_end_hour=_typed(temporal.get("night_end_hour", 5), int, "temporal.night_end_hour"),
        base_dir=base_dir,
    )


def _locations_settings(locations: dict, vli: dict) -> dict[str, object]:
    """The [locations] and [vli] settings as Config fields (absent settings keep their defaults)."""
    top_n = locations.get("top_n", [4, 10])
    if not isinstance(top_n, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in top_n):
        raise ConfigError(f"locations.top_n: expected a list of whole numbers, e.g. [4, 10]; got {top_n!r}")
    weights = vli.get("weights", {})
    if not isinstance(weights, dict) or not all(isinstance(w, (int, float)) and not isinstance(w, bool)
                                                for w in weights.values()):
        raise ConfigError(f"vli.weights: expected a table of numbers, e.g. {{ burglary = 1 }}; got {weights!r}")
    indicators = vli.get("indicators", "")
    return dict(
        concentration_top_n=tuple(top_n),
        grid_cell_metres=float(_number(locations.get("grid_cell_metres", 250), "locations.grid_cell_metres")),
        kde_cell_metres=float(_number(locations.get("kde_cell_metres", 50), "locations.kde_cell_metres")),
        kde_bandwidth_metres=float(_number(locations.get("kde_bandwidth_metres", 0),
                                           "locations.kde_bandwidth_metres")),
        hotspot_permutations=_typed(locations.get("permutations", 999), int, "locations.permutations"),
        hotspot_seed=_typed(locations.get("seed", 20180630), int, "locations.seed"),
        hotspot_correction=_typed(locations.get("correction", "fdr"), str, "locations.correction"),
        hotspot_significance=float(_number(locations.get("significance", 0.05), "locations.significance")),
        hotspot_period_months=_typed(locations.get("hotspot_period_months", 3), int,
                                     "locations.hotspot_period_months"),
        vli_indicators=Path(_typed(indicators, str, "vli.indicators")) if indicators else None,
        vli_weights=tuple((str(k), float(v)) for k, v in weights.items()),
        vli_lower_is_more_vulnerable=tuple(_strings(vli.get("lower_is_more_vulnerable", []),
                                                    "vli.lower_is_more_vulnerable")),
    )


def _check_locations(cfg: Config) -> None:
    _check(len(cfg.concentration_top_n) > 0 and all(1 <= n <= 1000 for n in cfg.concentration_top_n),
           "locations.top_n", "list whole numbers from 1 to 1000, e.g. [4, 10]")
    _check(10 <= cfg.grid_cell_metres <= 10_000, "locations.grid_cell_metres", "must be between 10 and 10000 metres")
    _check(5 <= cfg.kde_cell_metres <= 1_000, "locations.kde_cell_metres", "must be between 5 and 1000 metres")
    _check(cfg.kde_bandwidth_metres == 0 or 10 <= cfg.kde_bandwidth_metres <= 10_000,
           "locations.kde_bandwidth_metres", "must be 0 (chosen from the data) or between 10 and 10000 metres")
    _check(0 <= cfg.hotspot_permutations <= 99_999, "locations.permutations",
           "must be between 0 and 99999 (999 is usual; 0 uses the normal approximation)")
    _check(cfg.hotspot_correction in ("fdr", "holm", "none"), "locations.correction",
           f"'{cfg.hotspot_correction}' is not known; use \"fdr\", \"holm\" or \"none\"")
    _check(0 < cfg.hotspot_significance < 1, "locations.significance", "must be between 0 and 1, e.g. 0.05")
    _check(1 <= cfg.hotspot_period_months <= 12, "locations.hotspot_period_months", "must be between 1 and 12")


def _costs_settings(costs: dict) -> dict[str, object]:
    """The [costs] settings as Config fields; crime type and cost row names are checked by the cost section."""
    split = costs.get("split", {})
    if not isinstance(split, dict) or not all(isinstance(v, dict) for v in split.values()):
        raise ConfigError("costs.split: expected a table of police.uk crime types, each a table of Home Office "
                          f"crime types and shares, e.g. {{ \"Burglary\" = {{ \"Domestic Burglary\" = 0.5 }} }}; "
                          f"got {split!r}")
    parsed = tuple((str(crime_type), tuple((str(row), float(_number(share, f"costs.split.{crime_type}.{row}")))
                                           for row, share in shares.items()))
                   for crime_type, shares in split.items())
    return dict(cost_split=parsed,
                opiate_crack_share=float(_number(costs.get("opiate_crack_share_of_acquisitive", 0.45),
                                                 "costs.opiate_crack_share_of_acquisitive")),
                alcohol_share=float(_number(costs.get("alcohol_share_of_violence", 0.4),
                                            "costs.alcohol_share_of_violence")))


def _check_costs(cfg: Config) -> None:
    for crime_type, shares in cfg.cost_split:
        for row, share in shares:
            _check(0 <= share <= 1, f"costs.split.{crime_type}", f"the share for '{row}' is {share}; give 0 to 1")
        _check(sum(s for _, s in shares) <= 1 + 1e-9, f"costs.split.{crime_type}",
               f"the shares add up to {sum(s for _, s in shares):.3f}; they must add up to at most 1")
    _check(0 <= cfg.opiate_crack_share <= 1, "costs.opiate_crack_share_of_acquisitive", "must be between 0 and 1")
    _check(0 <= cfg.alcohol_share <= 1, "costs.alcohol_share_of_violence", "must be between 0 and 1")


def _number(value: object, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{key}: expected a number, got {value!r}")
    return value


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


def _people_settings(privacy: dict, victims: dict) -> dict[str, object]:
    """The [privacy] and [victims] settings as Config fields."""
    key_file = _typed(privacy.get("key_file", ""), str, "privacy.key_file").strip()
    key_env = _typed(privacy.get("key_env", ""), str, "privacy.key_env").strip()
    return dict(
        key_file=Path(key_file) if key_file else None, key_env=key_env or None,
        analyst_folder=Path(_typed(privacy.get("analyst_folder", "analyst-only"), str, "privacy.analyst_folder")),
        repeat_window_months=_typed(victims.get("repeat_window_months", 12), int, "victims.repeat_window_months"),
        repeat_benchmark_pct=float(_number(victims.get("repeat_benchmark_pct", 20), "victims.repeat_benchmark_pct")),
    )


def _check_people(cfg: Config) -> None:
    _check(cfg.key_env is None or bool(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", cfg.key_env)), "privacy.key_env",
           f"'{cfg.key_env}' is not an environment variable name; expected e.g. \"SAFER_KEY\"")
    _check(1 <= cfg.repeat_window_months <= 60, "victims.repeat_window_months", "must be between 1 and 60")
    _check(0 <= cfg.repeat_benchmark_pct <= 100, "victims.repeat_benchmark_pct", "must be a % between 0 and 100")


def _engine_settings(warehouse: dict) -> dict[str, object]:
    """The [warehouse] settings of the pyspark engine as Config fields."""
    parquet = _typed(warehouse.get("parquet_path", ""), str, "warehouse.parquet_path").strip()
    options = warehouse.get("spark_options", {})
    if not isinstance(options, dict) or not all(isinstance(v, (str, int, float, bool)) for v in options.values()):
        raise ConfigError("warehouse.spark_options: expected a table of Spark settings, e.g. "
                          f"{{ \"spark.executor.memory\" = \"8g\" }}; got {options!r}")
    return dict(
        spark_master=_typed(warehouse.get("spark_master", DEFAULT_SPARK_MASTER), str, "warehouse.spark_master").strip(),
        parquet_path=Path(parquet) if parquet else None,
        spark_options=tuple((str(k), str(v).lower() if isinstance(v, bool) else str(v)) for k, v in options.items()),
        spark_cache=_typed(warehouse.get("spark_cache", False), bool, "warehouse.spark_cache"),
    )
