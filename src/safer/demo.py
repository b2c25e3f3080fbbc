"""The demo: real police.uk data for Westminster, shipped with safer, and its configuration.

Example:
    >>> [p.name for p in demo_files()][:1]
    ['met-burglary-street-outcomes-2016-07-to-2018-06.zip']
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from safer.config import Config, load_config, render_default_config

DEMO_NOTES = (
    "Westminster street-level crime and anti-social behaviour, July 2016 to June 2018 "
    "(westminster-street-2016-07-to-2018-06.zip): data.police.uk API responses for Westminster's 20 wards, "
    "collected in 2018 by the PoliceRewired project and reformatted into the police.uk street CSV layout. "
    "'Reported by' and 'Falls within' were inferred from the API's location type, and LSOAs were assigned "
    "from matching map points or by point in polygon. Open Government Licence v3.0.",
    "Metropolitan Police burglary street and outcome files for all of London, July 2016 to June 2018 "
    "(met-burglary-street-outcomes-2016-07-to-2018-06.zip): real data.police.uk archive CSVs, filtered to "
    "burglary by their source. They give the force-wide comparator for burglary. Open Government Licence v3.0.",
    "Metropolitan Police stop-and-search files, July 2016 to June 2018, cut to a box around Westminster "
    "(met-stop-and-search-westminster-2016-07-to-2018-06.zip): real data.police.uk CSVs. "
    "Open Government Licence v3.0.",
)


def demo_files() -> list[Path]:
    """The bundled police.uk archives, as paths on disk."""
    folder = resources.files("safer").joinpath("data/demo")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".zip"))


def demo_config(folder: Path) -> Config:
    """Write (if missing) and load the demo's safer.toml in ``folder``."""
    path = folder / "safer.toml"
    if not path.exists():
        text = render_default_config(name="Safer Westminster Partnership (demonstration)", area=("E09000033",),
                                     end_month="2018-06", data_notes=DEMO_NOTES)
        path.write_text(text.replace('folder = "assessment"', 'folder = "."'), encoding="utf-8")
    return load_config(path)
