"""Synthetic national police.uk data: street files for every force in England and Wales.

``safer synth --national --months 12 --out DIR`` (or :func:`generate_national`) writes, for each
month and each of the 43 territorial forces plus British Transport Police, a police.uk street file
``DIR/YYYY-MM/YYYY-MM-<force>-street.csv`` with the exact police.uk header: about 6.5 million rows a
year, the size of the real national archive. It exists to test safer at national scale (see
``benchmarks/national.py``); nothing in it describes real incidents.

What is calibrated, and to what:

* **Volumes and crime type mix by force and quarter**: Home Office police recorded crime by force,
  April 2017 to March 2018, summed by police.uk category (``data/national/``, see its SOURCES.md).
  Each month gets a third of its financial quarter's offences, with Poisson variation. Later years
  repeat the same pattern (times ``growth`` a year).
* **Anti-social behaviour**: not recorded crime, so not in that table. Each force gets
  :data:`ASB_PER_CRIME` incidents per crime (0.33, chosen so that crime plus ASB comes to the
  6.5 million rows a year police.uk publishes; an assumption, not a published ratio).
* **Geography**: a force covers the 2018 local authorities listed in :data:`FORCES`; its records
  fall in their LSOAs in proportion to resident population times a seeded heavy-tailed
  "busyness" factor per LSOA (lognormal, sigma :data:`BUSYNESS_SIGMA`), so a few LSOAs hold much of
  the crime, as in real data. British Transport Police records fall anywhere, weighted the same
  way and three times as heavily in London.
* **Coordinates**: LSOAs of the packaged Westminster-and-neighbours boundaries sit at a point
  inside their real polygon; every other LSOA is placed near an invented centre for its local
  authority inside a rough box around its region. Coordinates are therefore plausible, not true.
  Each LSOA has :data:`SNAP_POINTS` "On or near ..." map points, as police.uk snaps records to points.
* **Other fields**: Crime IDs are random 64-hex-digit strings; outcome categories follow an
  illustrative mix; 0.5% of records have no location, as police.uk files do.

Every random draw comes from a stream seeded by (seed, force, month), so the same arguments always
write byte-identical files, in any order.

Example:
    >>> run = generate_national(Path("national"), months=12, seed=1)  # doctest: +SKIP
    >>> run.rows, len(run.files)  # doctest: +SKIP
    (6498137, 528)

``DIR/README.md`` records the arguments, files and rows written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from safer.analysis.periods import add_months, parse_month
from safer.errors import ConfigError
from safer.sources.policeuk import ASB, STREET_COLUMNS

VOLUMES = "data/national/recorded_crime_by_force_2017_18.csv.gz"
LOOKUP = "data/geography/lsoa_lookup.csv.gz"
BOUNDARIES = "data/geography/lsoa_boundaries_westminster_and_neighbours.geojson"
DEFAULT_FIRST_MONTH = "2017-04"  # the first month of the calibration year
ASB_PER_CRIME = 0.33
BUSYNESS_SIGMA = 1.0
SNAP_POINTS = 8
NO_LOCATION_SHARE = 0.005
MAX_MONTHS = 120


@dataclass(frozen=True)
class Force:
    """A police force: its name in the Home Office table, on police.uk, its file slug and its area."""

    home_office: str
    name: str  # "Falls within" / "Reported by"
    slug: str  # the force part of police.uk file names
    lads: tuple[str, ...]  # 2018 local authority names; empty for British Transport Police (everywhere)


FORCES: tuple[Force, ...] = (
    Force("Avon and Somerset", "Avon and Somerset Constabulary", "avon-and-somerset",
          ("Bath and North East Somerset", "Bristol, City of", "North Somerset", "South Gloucestershire", "Mendip",
           "Sedgemoor", "South Somerset", "Taunton Deane", "West Somerset")),
    Force("Bedfordshire", "Bedfordshire Police", "bedfordshire", ("Bedford", "Central Bedfordshire", "Luton")),
    Force("Cambridgeshire", "Cambridgeshire Constabulary", "cambridgeshire",
          ("Peterborough", "Cambridge", "East Cambridgeshire", "Fenland", "Huntingdonshire", "South Cambridgeshire")),
    Force("Cheshire", "Cheshire Constabulary", "cheshire",
          ("Halton", "Warrington", "Cheshire East", "Cheshire West and Chester")),
    Force("London, City of", "City of London Police", "city-of-london", ("City of London",)),
    Force("Cleveland", "Cleveland Police", "cleveland",
          ("Hartlepool", "Middlesbrough", "Redcar and Cleveland", "Stockton-on-Tees")),
    Force("Cumbria", "Cumbria Constabulary", "cumbria",
          ("Allerdale", "Barrow-in-Furness", "Carlisle", "Copeland", "Eden", "South Lakeland")),
    Force("Derbyshire", "Derbyshire Constabulary", "derbyshire",
          ("Derby", "Amber Valley", "Bolsover", "Chesterfield", "Derbyshire Dales", "Erewash", "High Peak",
           "North East Derbyshire", "South Derbyshire")),
    Force("Devon and Cornwall", "Devon & Cornwall Police", "devon-and-cornwall",
          ("Plymouth", "Torbay", "Cornwall", "Isles of Scilly", "East Devon", "Exeter", "Mid Devon", "North Devon",
           "South Hams", "Teignbridge", "Torridge", "West Devon")),
    Force("Dorset", "Dorset Police", "dorset",
          ("Bournemouth", "Poole", "Christchurch", "East Dorset", "North Dorset", "Purbeck", "West Dorset",
           "Weymouth and Portland")),
    Force("Durham", "Durham Constabulary", "durham", ("County Durham", "Darlington")),
    Force("Dyfed-Powys", "Dyfed-Powys Police", "dyfed-powys",
          ("Ceredigion", "Pembrokeshire", "Carmarthenshire", "Powys")),
    Force("Essex", "Essex Police", "essex",
          ("Southend-on-Sea", "Thurrock", "Basildon", "Braintree", "Brentwood", "Castle Point", "Chelmsford",
           "Colchester", "Epping Forest", "Harlow", "Maldon", "Rochford", "Tendring", "Uttlesford")),
    Force("Gloucestershire", "Gloucestershire Constabulary", "gloucestershire",
          ("Cheltenham", "Cotswold", "Forest of Dean", "Gloucester", "Stroud", "Tewkesbury")),
    Force("Greater Manchester", "Greater Manchester Police", "greater-manchester",
          ("Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport", "Tameside", "Trafford",
           "Wigan")),
    Force("Gwent", "Gwent Police", "gwent", ("Blaenau Gwent", "Caerphilly", "Monmouthshire", "Newport", "Torfaen")),
    Force("Hampshire", "Hampshire Constabulary", "hampshire",
          ("Portsmouth", "Southampton", "Isle of Wight", "Basingstoke and Deane", "East Hampshire", "Eastleigh",
           "Fareham", "Gosport", "Hart", "Havant", "New Forest", "Rushmoor", "Test Valley", "Winchester")),
    Force("Hertfordshire", "Hertfordshire Constabulary", "hertfordshire",
          ("Broxbourne", "Dacorum", "Hertsmere", "North Hertfordshire", "Three Rivers", "Watford", "St Albans",
           "Welwyn Hatfield", "East Hertfordshire", "Stevenage")),
    Force("Humberside", "Humberside Police", "humberside",
          ("Kingston upon Hull, City of", "East Riding of Yorkshire", "North East Lincolnshire", "North Lincolnshire")),
    Force("Kent", "Kent Police", "kent",
          ("Medway", "Ashford", "Canterbury", "Dartford", "Dover", "Gravesham", "Maidstone", "Sevenoaks",
           "Folkestone and Hythe", "Swale", "Thanet", "Tonbridge and Malling", "Tunbridge Wells")),
    Force("Lancashire", "Lancashire Constabulary", "lancashire",
          ("Blackburn with Darwen", "Blackpool", "Burnley", "Chorley", "Fylde", "Hyndburn", "Lancaster", "Pendle",
           "Preston", "Ribble Valley", "Rossendale", "South Ribble", "West Lancashire", "Wyre")),
    Force("Leicestershire", "Leicestershire Police", "leicestershire",
          ("Leicester", "Rutland", "Blaby", "Charnwood", "Harborough", "Hinckley and Bosworth", "Melton",
           "North West Leicestershire", "Oadby and Wigston")),
    Force("Lincolnshire", "Lincolnshire Police", "lincolnshire",
          ("Boston", "East Lindsey", "Lincoln", "North Kesteven", "South Holland", "South Kesteven", "West Lindsey")),
    Force("Merseyside", "Merseyside Police", "merseyside", ("Knowsley", "Liverpool", "St. Helens", "Sefton", "Wirral")),
    Force("Metropolitan Police", "Metropolitan Police Service", "metropolitan",
          ("Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden", "Croydon", "Ealing", "Enfield",
           "Greenwich", "Hackney", "Hammersmith and Fulham", "Haringey", "Harrow", "Havering", "Hillingdon",
           "Hounslow", "Islington", "Kensington and Chelsea", "Kingston upon Thames", "Lambeth", "Lewisham", "Merton",
           "Newham", "Redbridge", "Richmond upon Thames", "Southwark", "Sutton", "Tower Hamlets", "Waltham Forest",
           "Wandsworth", "Westminster")),
    Force("Norfolk", "Norfolk Constabulary", "norfolk",
          ("Breckland", "Broadland", "Great Yarmouth", "King's Lynn and West Norfolk", "North Norfolk", "Norwich",
           "South Norfolk")),
    Force("North Wales", "North Wales Police", "north-wales",
          ("Isle of Anglesey", "Gwynedd", "Conwy", "Denbighshire", "Flintshire", "Wrexham")),
    Force("North Yorkshire", "North Yorkshire Police", "north-yorkshire",
          ("York", "Craven", "Hambleton", "Harrogate", "Richmondshire", "Ryedale", "Scarborough", "Selby")),
    Force("Northamptonshire", "Northamptonshire Police", "northamptonshire",
          ("Corby", "Daventry", "East Northamptonshire", "Kettering", "Northampton", "South Northamptonshire",
           "Wellingborough")),
    Force("Northumbria", "Northumbria Police", "northumbria",
          ("Northumberland", "Newcastle upon Tyne", "North Tyneside", "South Tyneside", "Sunderland", "Gateshead")),
    Force("Nottinghamshire", "Nottinghamshire Police", "nottinghamshire",
          ("Nottingham", "Ashfield", "Bassetlaw", "Broxtowe", "Gedling", "Mansfield", "Newark and Sherwood",
           "Rushcliffe")),
    Force("South Wales", "South Wales Police", "south-wales",
          ("Swansea", "Neath Port Talbot", "Bridgend", "Vale of Glamorgan", "Cardiff", "Rhondda Cynon Taf",
           "Merthyr Tydfil")),
    Force("South Yorkshire", "South Yorkshire Police", "south-yorkshire",
          ("Barnsley", "Doncaster", "Rotherham", "Sheffield")),
    Force("Staffordshire", "Staffordshire Police", "staffordshire",
          ("Stoke-on-Trent", "Cannock Chase", "East Staffordshire", "Lichfield", "Newcastle-under-Lyme",
           "South Staffordshire", "Stafford", "Staffordshire Moorlands", "Tamworth")),
    Force("Suffolk", "Suffolk Constabulary", "suffolk",
          ("Babergh", "Forest Heath", "Ipswich", "Mid Suffolk", "St Edmundsbury", "Suffolk Coastal", "Waveney")),
    Force("Surrey", "Surrey Police", "surrey",
          ("Elmbridge", "Epsom and Ewell", "Guildford", "Mole Valley", "Reigate and Banstead", "Runnymede",
           "Spelthorne", "Surrey Heath", "Tandridge", "Waverley", "Woking")),
    Force("Sussex", "Sussex Police", "sussex",
          ("Brighton and Hove", "Eastbourne", "Hastings", "Lewes", "Rother", "Wealden", "Adur", "Arun", "Chichester",
           "Crawley", "Horsham", "Mid Sussex", "Worthing")),
    Force("Thames Valley", "Thames Valley Police", "thames-valley",
          ("Bracknell Forest", "West Berkshire", "Reading", "Slough", "Windsor and Maidenhead", "Wokingham",
           "Milton Keynes", "Aylesbury Vale", "Chiltern", "South Bucks", "Wycombe", "Cherwell", "Oxford",
           "South Oxfordshire", "Vale of White Horse", "West Oxfordshire")),
    Force("Warwickshire", "Warwickshire Police", "warwickshire",
          ("North Warwickshire", "Nuneaton and Bedworth", "Rugby", "Stratford-on-Avon", "Warwick")),
    Force("West Mercia", "West Mercia Police", "west-mercia",
          ("Herefordshire, County of", "Telford and Wrekin", "Shropshire", "Bromsgrove", "Malvern Hills", "Redditch",
           "Worcester", "Wychavon", "Wyre Forest")),
    Force("West Midlands", "West Midlands Police", "west-midlands",
          ("Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton")),
    Force("West Yorkshire", "West Yorkshire Police", "west-yorkshire",
          ("Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield")),
    Force("Wiltshire", "Wiltshire Police", "wiltshire", ("Swindon", "Wiltshire")),
    Force("British Transport Police", "British Transport Police", "btp", ()),
)

#: Rough boxes (lon min, lon max, lat min, lat max) for placing invented local authority centres.
REGION_BOXES = {
    "North East": (-2.6, -1.3, 54.45, 55.7), "North West": (-3.4, -2.0, 53.1, 55.0),
    "Yorkshire and The Humber": (-2.4, -0.2, 53.35, 54.5), "East Midlands": (-1.9, 0.3, 52.4, 53.5),
    "West Midlands": (-3.1, -1.3, 51.9, 53.1), "East of England": (-0.6, 1.7, 51.55, 52.95),
    "London": (-0.45, 0.25, 51.35, 51.65), "South East": (-1.8, 1.3, 50.7, 52.1),
    "South West": (-5.5, -1.7, 50.1, 51.9), "Wales": (-5.0, -2.7, 51.45, 53.35),
}
#: Last outcome categories of crimes (not ASB), as an illustrative mix of a snapshot a few months on.
OUTCOMES: tuple[tuple[str, float], ...] = (
    ("Investigation complete; no suspect identified", 0.40), ("Unable to prosecute suspect", 0.26),
    ("Under investigation", 0.08), ("Status update unavailable", 0.06), ("Local resolution", 0.03),
    ("Awaiting court outcome", 0.03), ("Court result unavailable", 0.03), ("Offender given a caution", 0.02),
    ("Action to be taken by another organisation", 0.02),
    ("Further investigation is not in the public interest", 0.02), ("Offender sent to prison", 0.01),
    ("Formal action is not in the public interest", 0.01), ("Offender given a drugs possession warning", 0.01),
    ("Offender given community sentence", 0.005), ("Offender fined", 0.005),
)
_STREET_WORDS = ("High", "Station", "Church", "Park", "Victoria", "Green", "Manor", "Queens", "Kings", "Albert",
                 "Mill", "School", "New", "London", "York", "Springfield", "Grange", "Chestnut", "Oak", "Elm",
                 "Windsor", "Highfield", "Cedar", "Alexandra", "Clarence", "Richmond", "Wellington", "Bridge",
                 "Market", "Canal", "North", "South", "West", "East", "Mount", "Albion", "Stanley", "Grosvenor")
_STREET_KINDS = ("Street", "Road", "Lane", "Avenue", "Close", "Gardens", "Place", "Way", "Crescent", "Drive",
                 "Terrace", "Grove", "Court", "Square", "Walk", "Mews", "Row", "Rise")
_PLACES = ("Supermarket", "Parking Area", "Petrol Station", "Nightclub", "Shopping Area", "Sports/recreation Area",
           "Theatre/concert Hall", "Hospital", "Police Station", "Bus/coach Station")


@dataclass(frozen=True)
class NationalFile:
    path: Path
    month: str
    force: str  # the file's force slug
    rows: int
    asb_rows: int


@dataclass(frozen=True)
class NationalRun:
    """What :func:`generate_national` wrote."""

    out: Path
    seed: int
    first_month: str
    months: int
    scale: float
    files: tuple[NationalFile, ...]

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def bytes(self) -> int:
        return sum(f.path.stat().st_size for f in self.files)

    def as_dict(self) -> dict[str, object]:
        return {"seed": self.seed, "first_month": self.first_month, "months": self.months, "scale": self.scale,
                "files": len(self.files), "rows": self.rows,
                "forces": sorted({f.force for f in self.files})}


Progress = Callable[[int, int], None]


def generate_national(out: Path, *, months: int = 12, seed: int = 1, first_month: str = DEFAULT_FIRST_MONTH,
                      scale: float = 1.0, growth: float = 0.0, on_file: Progress | None = None) -> NationalRun:
    """Write police.uk street files for every force, ``months`` months from ``first_month``.

    ``scale`` multiplies every volume (0.001 gives a national sample of a few thousand rows a
    month); ``growth`` is the change in volume per year after the first (0.03 = 3% more each year).
    ``on_file(done, total)`` reports progress. Raises ConfigError for a bad argument.
    """
    if not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
        raise ConfigError(f"--months {months!r}: give a whole number of months from 1 to {MAX_MONTHS}")
    if not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"--seed {seed!r}: give a whole number, 0 or more")
    try:
        start = parse_month(first_month)
    except ValueError:
        raise ConfigError(f"first month {first_month!r}: not a month; expected YYYY-MM, e.g. 2017-04") from None
    if not 0 < scale <= 10:
        raise ConfigError(f"scale {scale!r}: give a number above 0 and at most 10 (1 is the real national volume)")
    if not -0.5 < growth < 1:
        raise ConfigError(f"growth {growth!r}: give a yearly change between -0.5 and 1, e.g. 0.03")

    out = Path(out)
    volumes = _volumes()
    places = _places(seed)
    month_list = [add_months(start, i) for i in range(months)]
    written = []
    total = len(month_list) * len(FORCES)
    for month_no, month in enumerate(month_list):
        folder = out / f"{month:%Y-%m}"
        folder.mkdir(parents=True, exist_ok=True)
        for force_no, force in enumerate(FORCES):
            rng = np.random.default_rng([seed, force_no, month.year * 12 + month.month])
            factor = scale * (1 + growth) ** (month_no // 12)
            written.append(_write_file(folder, month, force, volumes[force.home_office], places[force.slug],
                                       factor, rng))
            if on_file:
                on_file(len(written), total)
    run = NationalRun(out=out, seed=seed, first_month=f"{start:%Y-%m}", months=months, scale=scale,
                      files=tuple(written))
    _write_readme(run)
    return run


def _write_readme(run: NationalRun) -> None:
    """A note beside the files saying what they are (Markdown, so `safer ingest DIR` passes it by)."""
    lines = ["# SYNTHETIC police.uk street files for every force in England and Wales", "",
             "Written by `safer synth --national` (safer.synth.national). Nothing here describes real incidents.", "",
             "```json", json.dumps(run.as_dict(), indent=2), "```", ""]
    (run.out / "README.md").write_text("\n".join(lines), encoding="utf-8")


def force_lads() -> dict[str, tuple[str, ...]]:
    """Each force's 2018 local authority codes (police.uk force slug -> LAD codes); BTP has none.

    Raises ValueError if a local authority in the lookup belongs to no force or to two.
    """
    lookup = _lookup()
    codes = lookup.groupby("lad_name")["lad_code"].first().to_dict()
    owner: dict[str, str] = {}
    result = {}
    for force in FORCES:
        for name in force.lads:
            if name not in codes:
                raise ValueError(f"{force.name}: '{name}' is not a local authority in the packaged lookup")
            if name in owner:
                raise ValueError(f"'{name}' is in both {owner[name]} and {force.name}")
            owner[name] = force.name
        result[force.slug] = tuple(sorted(codes[name] for name in force.lads))
    missing = sorted(set(codes) - set(owner))
    if missing:
        raise ValueError(f"local authorities in no force: {', '.join(missing)}")
    return result


# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Places:
    """A force's map points: CSV-ready text per point, and each LSOA's sampling weight."""

    longitude: pa.Array
    latitude: pa.Array
    location: pa.Array
    lsoa_code: pa.Array
    lsoa_name: pa.Array
    lsoa_weights: np.ndarray  # per LSOA, summing to 1


def _volumes() -> dict[str, dict[int, dict[str, float]]]:
    """{Home Office force: {quarter (1 = April-June): {crime type: offences}}}."""
    source = resources.files("safer").joinpath(VOLUMES)
    with resources.as_file(source) as path:
        table = pd.read_csv(path)
    result: dict = {}
    for force, quarter, crime_type, offences in table.itertuples(index=False):
        result.setdefault(force, {}).setdefault(int(quarter), {})[crime_type] = float(offences)
    return result


def _lookup() -> pd.DataFrame:
    source = resources.files("safer").joinpath(LOOKUP)
    with resources.as_file(source) as path:
        return pd.read_csv(path, dtype={"lsoa_code": str, "lad_code": str})


def _known_points() -> dict[str, tuple[float, float]]:
    """A point inside each LSOA whose real boundary is packaged (Westminster and its neighbours)."""
    import shapely

    source = resources.files("safer").joinpath(BOUNDARIES)
    with resources.as_file(source) as path:
        features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
    points = {}
    for feature in features:
        code = next((v for k, v in feature["properties"].items() if k.upper().startswith("LSOA") and
                     k.upper().endswith("CD")), None)
        if code:
            point = shapely.geometry.shape(feature["geometry"]).representative_point()
            points[code] = (point.x, point.y)
    return points


def _places(seed: int) -> dict[str, _Places]:
    """Map points and LSOA weights for every force, from one seeded stream."""
    rng = np.random.default_rng([seed, 7_000_003])
    lookup = _lookup().sort_values("lsoa_code").reset_index(drop=True)
    known = _known_points()
    n = len(lookup)
    busyness = rng.lognormal(0.0, BUSYNESS_SIGMA, n)
    population = lookup["population_2019"].fillna(lookup["population_2019"].median()).to_numpy(dtype=float)
    weight = population * busyness

    # LSOA centres: real for packaged boundaries, else near an invented centre of the local authority.
    lads = lookup.groupby("lad_code").agg(region=("region_name", "first"), hectares=("hectares", "sum"))
    lad_lon, lad_lat = {}, {}
    for code, region, hectares in lads.itertuples():
        lon0, lon1, lat0, lat1 = REGION_BOXES[region]
        lad_lon[code], lad_lat[code] = rng.uniform(lon0, lon1), rng.uniform(lat0, lat1)
    radius_km = np.sqrt(lookup["lad_code"].map(lads["hectares"]).to_numpy(dtype=float) / 100 / np.pi)
    angle, distance = rng.uniform(0, 2 * np.pi, n), np.sqrt(rng.uniform(0, 1, n)) * radius_km
    lat = lookup["lad_code"].map(lad_lat).to_numpy() + distance * np.sin(angle) / 111.0
    lon = lookup["lad_code"].map(lad_lon).to_numpy() + distance * np.cos(angle) / (111.0 * np.cos(np.radians(lat)))
    for i, code in enumerate(lookup["lsoa_code"]):
        if code in known:
            lon[i], lat[i] = known[code]

    # SNAP_POINTS map points per LSOA, within about 150 m of its centre.
    point_lsoa = np.repeat(np.arange(n), SNAP_POINTS)
    size = len(point_lsoa)
    point_lon = lon[point_lsoa] + rng.normal(0, 0.0015, size)
    point_lat = lat[point_lsoa] + rng.normal(0, 0.001, size)
    word, kind, style = rng.integers(0, len(_STREET_WORDS), size), rng.integers(0, len(_STREET_KINDS), size), \
        rng.random(size)
    locations = []
    for w, k, s in zip(word, kind, style):
        if s < 0.1:
            locations.append(f"On or near {_PLACES[w % len(_PLACES)]}")
        elif s < 0.11:  # a few police.uk locations carry a comma, so the field is quoted
            locations.append(f'"On or near {_STREET_WORDS[w]} {_STREET_KINDS[k]}, {_STREET_WORDS[-w]} Court"')
        else:
            locations.append(f"On or near {_STREET_WORDS[w]} {_STREET_KINDS[k]}")
    columns = {
        "longitude": pa.array(np.char.mod("%.6f", point_lon)), "latitude": pa.array(np.char.mod("%.6f", point_lat)),
        "location": pa.array(locations), "lsoa_code": pa.array(lookup["lsoa_code"].to_numpy()[point_lsoa]),
        "lsoa_name": pa.array(lookup["lsoa_name"].to_numpy()[point_lsoa]),
    }

    by_force = {}
    in_london = (lookup["region_name"] == "London").to_numpy()
    slug_lads = force_lads()
    for force in FORCES:
        if force.lads:
            member = lookup["lad_code"].isin(slug_lads[force.slug]).to_numpy()
            lsoa_weight = np.where(member, weight, 0.0)
        else:  # British Transport Police: stations everywhere, most of all in London
            lsoa_weight = weight * np.where(in_london, 3.0, 1.0)
        by_force[force.slug] = _Places(**columns, lsoa_weights=lsoa_weight / lsoa_weight.sum())
    return by_force


def _write_file(folder: Path, month: date, force: Force, volumes: dict[int, dict[str, float]], places: _Places,
                factor: float, rng: np.random.Generator) -> NationalFile:
    quarter = (month.month - 4) % 12 // 3 + 1  # financial quarters: April-June is the first
    expected = {t: n / 3 * factor for t, n in volumes[quarter].items()}
    expected[ASB] = ASB_PER_CRIME * sum(expected.values())
    types = sorted(expected)
    counts = rng.poisson([expected[t] for t in types])
    crime_type = np.repeat(np.arange(len(types)), counts)
    n = len(crime_type)
    order = rng.permutation(n)
    crime_type = crime_type[order]
    is_asb = crime_type == types.index(ASB)

    lsoa = rng.choice(len(places.lsoa_weights), size=n, p=places.lsoa_weights)
    point = pa.array(lsoa * SNAP_POINTS + rng.integers(0, SNAP_POINTS, n))
    located = rng.random(n) >= NO_LOCATION_SHARE
    ids = np.frombuffer(rng.bytes(32 * n).hex().encode("ascii"), dtype="S64")
    outcome_names = [o for o, _ in OUTCOMES]
    weights = np.array([w for _, w in OUTCOMES])
    outcome = rng.choice(len(OUTCOMES), size=n, p=weights / weights.sum())

    def where(mask: np.ndarray, values: pa.Array, otherwise: str = "") -> pa.Array:
        return pc.if_else(pa.array(mask), values, otherwise)

    blank = pa.array(np.zeros(n, dtype=bool))
    fields = [
        where(~is_asb, pa.array(ids).cast(pa.string())),
        pa.array(np.full(n, f"{month:%Y-%m}")),
        pa.array(np.full(n, force.name)),
        pa.array(np.full(n, force.name)),
        where(located, places.longitude.take(point)),
        where(located, places.latitude.take(point)),
        pc.if_else(pa.array(located), places.location.take(point), "No location"),
        where(located, places.lsoa_code.take(point)),
        where(located, places.lsoa_name.take(point)),
        pa.array(np.array(types, dtype=object)[crime_type]),
        where(~is_asb, pa.array(np.array(outcome_names, dtype=object)[outcome])),
        where(blank.to_numpy(zero_copy_only=False), pa.array(np.full(n, ""))),
    ]
    lines = pc.binary_join_element_wise(*fields, ",")
    path = folder / f"{month:%Y-%m}-{force.slug}-street.csv"
    with path.open("wb") as handle:
        handle.write((",".join(STREET_COLUMNS) + "\n").encode("utf-8"))
        if n:
            handle.write("\n".join(lines.to_pylist()).encode("utf-8"))
            handle.write(b"\n")
    return NationalFile(path=path, month=f"{month:%Y-%m}", force=force.slug, rows=n, asb_rows=int(is_asb.sum()))
