"""The 2018 Westminster strategic assessment's own police tables, as a category-count CSV.

Numbers typed from ``shared/seed/westminster-strategic-assessment-2018.txt`` (its crime type table,
the gun/knife/youth violence/domestic abuse table and the hate crime table), July 2016 to June 2017
and July 2017 to June 2018. They let tests check the category path against published figures.
"""

from __future__ import annotations

from pathlib import Path

AREA = "E09000033"
PERIODS = (("2016-07", "2017-06"), ("2017-07", "2018-06"))

#: (major, minor, previous, current) as the seed's table prints them.
OFFENCES = (
    ("Violence Against the Person", "Murder", 10, 4),
    ("Violence Against the Person", "Wounding/GBH", 1244, 1229),
    ("Violence Against the Person", "Assault with injury", 2232, 2265),
    ("Violence Against the Person", "Common Assault", 3636, 3976),
    ("Violence Against the Person", "Offensive Weapon", 325, 364),
    ("Violence Against the Person", "Harassment", 4055, 4578),
    ("Violence Against the Person", "Other Violence", 758, 801),
    ("Sexual Offences", "Rape", 330, 517),
    ("Sexual Offences", "Other Sexual", 596, 722),
    ("Robbery", "Personal Property", 1988, 2489),
    ("Robbery", "Business Property", 84, 123),
    ("Burglary", "Burglary Business & Community", 1924, 2266),
    ("Burglary", "Burglary Residential", 1362, 1723),
    ("Theft & Handling", "Theft/Taking of Motor Vehicle", 1101, 842),
    ("Theft & Handling", "Theft from Motor Vehicle", 2875, 2899),
    ("Theft & Handling", "Motor Vehicle Interference & Tampering", 475, 463),
    ("Theft & Handling", "Theft from Shops", 4344, 4624),
    ("Theft & Handling", "Theft Person", 7276, 9376),
    ("Theft & Handling", "Theft/Taking of Pedal Cycles", 1265, 1169),
    ("Theft & Handling", "Other Theft", 12324, 12960),
    ("Theft & Handling", "Handling Stolen Goods", 101, 89),
    ("Fraud & Forgery", "Other Fraud & Forgery", 115, 75),
    ("Criminal Damage", "Criminal Damage to a Dwelling", 332, 349),
    ("Criminal Damage", "Criminal Damage to Other Buildings", 418, 390),
    ("Criminal Damage", "Criminal Damage to Motor Vehicle", 759, 782),
    ("Criminal Damage", "Other Criminal Damage", 706, 690),
    ("Criminal Damage", "Arson", 44, 48),
    ("Drugs", "Drug Trafficking", 120, 99),
    ("Drugs", "Possession of Drugs", 2107, 1885),
    ("Drugs", "Other Drugs", 13, 9),
    ("Other Notifiable Offences", "Going Equipped", 35, 37),
    ("Other Notifiable Offences", "Other Notifiable", 732, 784),
)
TOTALS = (53686, 58627)  # "TOTAL NOTIFIABLE OFFENCES"

#: (flag as the seed labels it, previous, current, % change the seed prints)
FLAGS = (
    ("Gun Crime", 100, 88, -12),
    ("Knife crime", 543, 704, 30),
    ("Knife crime with injury", 169, 166, -2),
    ("Youth Violence", 537, 506, -6),
    ("Domestic abuse hate crime", 1567, 1906, 22),
    ("Hate crime", 1468, 1720, 17),
    ("Racist & Religious hate crime", 1239, 1395, 13),
    ("Homophobic crime", 191, 271, 42),
    ("Faith hate crime", 183, 241, 32),
    ("Transgender hate crime", 20, 23, 15),
    ("Disability hate crime", 18, 26, 44),
    ("Anti-semitic", 33, 43, 30),
    ("Islamaphobic", 128, 167, 30),
)
SEED_COST_TOTAL = 279_773_640  # the seed's cost of crime table, grand total


def write_seed_table(path: Path) -> Path:
    """The seed's tables as one CSV: a row per category (or flag) and period."""
    lines = ["area,period_start,period_end,major_category,minor_category,count"]
    for major, minor, *counts in OFFENCES:
        for (first, last), n in zip(PERIODS, counts):
            lines.append(f"{AREA},{first},{last},{major},{minor},{n}")
    for flag, *counts, _ in FLAGS:
        for (first, last), n in zip(PERIODS, counts):
            lines.append(f"{AREA},{first},{last},Flag,{flag},{n}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
