"""The published figures the synthetic partnership data is calibrated to.

Every number here is either taken from the Safer Westminster Partnership Strategic Assessment 2018
("the seed"; the quoted words say where) or is an assumption, marked ``ASSUMED`` with the reason.
Periods are the seed's: the current year is July 2017 to June 2018, the previous year July 2016 to
June 2017. The generator (``safer.synth``) reproduces:

- exactly: every annual count the seed gives (1,795 LAS assaults, their injury types, 5,368 alcohol
  call-outs, the BTP hour x weekday table, 379 MARAC cases and their indicator counts, the IOM RAG
  mix, hate crime by strand ...), up to rounding of shares to whole records;
- in expectation: shares the seed gives for places, times and people (ward and LSOA shares, the
  night-time share, age and sex), which the generator draws by seeded sampling.

Where the seed names a 2001 LSOA that was split in 2011 (E01004764, West End), its 2011 successor
E01033595 (Westminster 013E, the seed's own top crime LSOA) is used.

Example:
    >>> LAS_ASSAULTS.current, round(sum(LAS_ASSAULTS.category_counts[1].values()))
    (1795, 1795)
"""

from __future__ import annotations

from dataclasses import dataclass, field

ST_JAMES = "E05000644"
WEST_END = "E05000649"
QUEENS_PARK = "E05000642"
CHURCH_STREET = "E05000634"
HARROW_ROAD = "E05000635"
WESTBOURNE = "E05000648"
HYDE_PARK = "E05000636"
WESTMINSTER = "E09000033"
LONDON = "E12000007"
ENGLAND_AND_WALES = "K04000001"

#: Calibrated LSOA hotspots are for this area; other areas get population-weighted places.
CALIBRATED_AREA = WESTMINSTER

LAS_AGE_BANDS = ("0-17", "18-19", "20-24", "25-29", "30-34", "35-44", "45-54", "55-64", "65+", "Unknown")

#: Weekdays are numbered Monday = 0 to Sunday = 6 throughout.
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class IncidentCalibration:
    """What one incident-level dataset must look like in the area (and, roughly, in its region)."""

    dataset: str
    current: int  # area records, current year
    previous: int  # area records, previous year
    area_share_of_region: float  # the area's share of the region's records (current year)
    region_growth: float  # the rest of the region's change, previous to current year
    hours: str  # the name of the hour x weekday profile in safer.synth.timing
    ward_shares: dict[str, float] = field(default_factory=dict)
    lsoa_shares: dict[str, float] = field(default_factory=dict)
    category_shares: dict[str, float] = field(default_factory=dict)
    category_counts: tuple[dict[str, int], dict[str, int]] | None = None  # (previous, current), exact
    age_shares: dict[str, float] = field(default_factory=dict)
    region_age_shares: dict[str, float] = field(default_factory=dict)
    sex_shares: dict[str, float] = field(default_factory=dict)
    region_sex_shares: dict[str, float] = field(default_factory=dict)
    night_share: float | None = None  # exact share of area events between 20:00 and 04:59
    sources: tuple[str, ...] = ()


LAS_ASSAULTS = IncidentCalibration(
    dataset="las-assaults", current=1795, previous=1820,
    # "535 London ambulance assaults were recorded here [St James's] ... 1.4% of all London incidents"
    area_share_of_region=1795 / (535 / 0.014), region_growth=0.02, hours="night-time economy",
    ward_shares={ST_JAMES: 0.30, WEST_END: 0.18},
    lsoa_shares={"E01004734": 0.13, "E01004763": 0.08, "E01033595": 0.08, "E01004736": 0.08},
    category_counts=(
        {"Other Serious Injury": 974, "Minor Assault": 761, "Knife Injury": 59, "Sexual Attack": 21, "Gun Injury": 5},
        {"Other Serious Injury": 964, "Minor Assault": 736, "Knife Injury": 61, "Sexual Attack": 31, "Gun Injury": 3},
    ),
    # "5.6% were youths ... 17% across London. 57.4% were aged 25 and older compared with 41% across London";
    # "Almost one third of the victims of assault were aged 20 - 29". The split inside the bands is ASSUMED.
    age_shares=dict(zip(LAS_AGE_BANDS, (0.056, 0.06, 0.25, 0.08, 0.14, 0.17, 0.10, 0.05, 0.034, 0.06))),
    region_age_shares=dict(zip(LAS_AGE_BANDS, (0.17, 0.09, 0.27, 0.10, 0.09, 0.11, 0.07, 0.03, 0.01, 0.06))),
    # "26% of the victims in Westminster were female considerably lower than the London average of 34%"
    sex_shares={"Female": 0.26, "Male": 0.72, "Unknown": 0.02},
    region_sex_shares={"Female": 0.34, "Male": 0.64, "Unknown": 0.02},
    # "56% of assaults occurred between 20:00 to 04:59 hours"
    night_share=0.56,
    sources=("LAS assaults table (1,820 to 1,795 by injury type)", "56% between 20:00 and 04:59",
             "48% in St James's (30%) and West End (18%); four LSOAs 36% (footnote 48)",
             "26% female (London 34%); 5.6% youths (London 17%); 57.4% aged 25+ (London 41%)"),
)

LAS_ALCOHOL = IncidentCalibration(
    dataset="las-alcohol", current=5368, previous=5150,  # previous year ASSUMED (the seed gives none)
    # "There were 5,368 this year accounting for 8.4% of the London volume"
    area_share_of_region=0.084, region_growth=0.02, hours="alcohol",
    # "58% of all Westminster incidents occurred in St James's (34%) and West End (24%) wards"
    ward_shares={ST_JAMES: 0.34, WEST_END: 0.24},
    lsoa_shares={"E01004734": 0.13, "E01004736": 0.11, "E01033595": 0.10, "E01004763": 0.08},
    # "the 18-25 year group which accounts for 28% of all callouts compared with 18% across London";
    # "Over half of all callouts is for people aged 18-35". Other bands ASSUMED.
    age_shares=dict(zip(LAS_AGE_BANDS, (0.03, 0.08, 0.20, 0.14, 0.11, 0.14, 0.12, 0.08, 0.06, 0.04))),
    region_age_shares=dict(zip(LAS_AGE_BANDS, (0.05, 0.05, 0.13, 0.12, 0.11, 0.17, 0.16, 0.11, 0.07, 0.03))),
    # "34% of all alcohol related call outs were for females"; London ASSUMED
    sex_shares={"Female": 0.34, "Male": 0.64, "Unknown": 0.02},
    region_sex_shares={"Female": 0.38, "Male": 0.60, "Unknown": 0.02},
    sources=("5,368 call-outs, 8.4% of London", "St James's 34%, West End 24%; four LSOAs 43% (footnote 49)",
             "Saturday 22%; a third between 22:00 and 01:59", "34% female; 18-25 28% (London 18%)"),
)

LAS_OVERDOSES = IncidentCalibration(
    dataset="las-overdoses", current=1600, previous=1540,  # previous year ASSUMED
    # "There were 1,600 recorded in Westminster ... accounting for 6.3% of all incidents in London"
    area_share_of_region=0.063, region_growth=0.02, hours="overdoses",
    # "St James's ward accounted for 2% of all across London" (= 508 of 1,600); West End ASSUMED
    ward_shares={ST_JAMES: 0.317, WEST_END: 0.15},
    category_shares={"Alcohol": 0.25, "Cocaine": 0.14, "Heroin or other opioid": 0.12,
                     "Cannabis or synthetic cannabinoid": 0.12, "Prescription medicine": 0.22,
                     "Other or unknown": 0.15},  # ASSUMED mix
    age_shares=dict(zip(LAS_AGE_BANDS, (0.06, 0.05, 0.13, 0.13, 0.12, 0.18, 0.15, 0.08, 0.06, 0.04))),
    region_age_shares=dict(zip(LAS_AGE_BANDS, (0.12, 0.07, 0.12, 0.10, 0.10, 0.16, 0.15, 0.08, 0.06, 0.04))),
    sex_shares={"Female": 0.38, "Male": 0.60, "Unknown": 0.02},
    region_sex_shares={"Female": 0.45, "Male": 0.53, "Unknown": 0.02},
    sources=("1,600 overdoses, 6.3% of London", "St James's 2% of London's", "alcohol involved in 29% (London 20%)",
             "female: cocaine 37%, heroin 20%, alcohol 46%"),
)
#: "Alcohol is flagged as being involved in 29% of all the incidents compared with 20% across London"
OVERDOSE_ALCOHOL_INVOLVED = 0.29
OVERDOSE_REGION_ALCOHOL_INVOLVED = 0.20
#: "37% of cocaine overdoses were female, heroin 20% and alcohol 46%"; other substances ASSUMED
OVERDOSE_FEMALE_BY_SUBSTANCE = {"Cocaine": 0.37, "Heroin or other opioid": 0.20, "Alcohol": 0.46}

LFB_INCIDENTS = IncidentCalibration(
    # volume ASSUMED: about 8,400 a year, 8% of London's ("Westminster is the highest borough accounting for
    # 8% of all incidents")
    dataset="lfb-incidents", current=8400, previous=8250, area_share_of_region=0.08, region_growth=0.02,
    hours="fire",
    # "The West End (24%) and St James's (20%) ward remain the peak location for incidents"
    ward_shares={WEST_END: 0.24, ST_JAMES: 0.20},
    lsoa_shares={"E01033595": 0.10, "E01004736": 0.06, "E01004734": 0.05, "E01004763": 0.05},
    # "60% of incidents were automated fire alarms. 12% of incidents were either primary or secondary fires";
    # the rest ASSUMED
    category_shares={"Automatic fire alarm": 0.60, "Primary fire": 0.05, "Secondary fire": 0.07,
                     "False alarm - good intent": 0.10, "False alarm - malicious": 0.02, "Special service": 0.16},
    sources=("West End 24%, St James's 20%; four LSOAs over a quarter (footnote 47)",
             "60% automatic fire alarms, 12% primary or secondary fires",
             "fires 18% of Queen's Park's incidents and 16% of Hyde Park's", "8% of London's incidents"),
)
#: "the ward with the greatest proportion of primary and secondary fires was Queen's Park. Accounting for
#: 18% of all their fire incidents and secondly Hyde Park at 16%"
LFB_FIRE_SHARE_BY_WARD = {QUEENS_PARK: 0.18, HYDE_PARK: 0.16}

#: The seed's BTP table: incidents by hour (rows 0-23) and weekday (Mon..Sun), July 2017 to June 2018.
#: Blank cells in the published table are zero (the row totals confirm it).
BTP_HOUR_WEEKDAY = (
    (35, 35, 32, 26, 54, 48, 55), (5, 3, 3, 2, 2, 27, 29), (4, 3, 0, 3, 0, 15, 16), (2, 1, 3, 2, 3, 13, 18),
    (4, 5, 1, 0, 4, 22, 33), (8, 3, 4, 6, 2, 21, 17), (15, 10, 9, 5, 10, 8, 22), (23, 24, 23, 31, 20, 11, 18),
    (53, 52, 44, 55, 33, 13, 20), (59, 40, 60, 51, 58, 20, 19), (26, 26, 49, 34, 43, 26, 16),
    (28, 25, 24, 21, 23, 41, 18), (26, 23, 36, 29, 34, 37, 23), (23, 22, 29, 28, 34, 32, 32),
    (43, 43, 40, 35, 28, 36, 34), (27, 35, 54, 46, 51, 48, 34), (45, 37, 44, 35, 57, 54, 37),
    (54, 54, 72, 52, 76, 57, 49), (63, 64, 74, 72, 68, 73, 53), (52, 28, 55, 51, 57, 64, 30),
    (34, 36, 38, 36, 52, 52, 30), (35, 30, 36, 44, 53, 43, 29), (25, 20, 27, 41, 40, 40, 23),
    (21, 16, 24, 27, 55, 53, 17),
)
BTP_TABLE_ROW_TOTALS = (285, 71, 41, 42, 69, 61, 79, 150, 270, 307, 220, 180, 208, 200, 259, 295, 309, 414, 467,
                        337, 278, 270, 216, 213)
BTP_TABLE_COLUMN_TOTALS = (710, 635, 781, 732, 857, 854, 672)

BTP_INCIDENTS = IncidentCalibration(
    # "Incident levels in Westminster have increased by 19% from the previous year"
    dataset="btp-incidents", current=5241, previous=round(5241 / 1.19),
    # "Westminster accounts for 17% of all BTP incidents"
    area_share_of_region=0.17, region_growth=0.05, hours="btp table",
    # "Theft accounted for 47% of all incidents"; the rest ASSUMED
    category_shares={"Theft": 0.47, "Violence": 0.25, "Public order": 0.12, "Criminal damage": 0.04,
                     "Sexual offences": 0.04, "Robbery": 0.02, "Drugs": 0.03, "Other": 0.03},
    sources=("the hour x weekday table (5,241 incidents)", "+19% on the previous year", "47% theft",
             "17% of London's BTP incidents", "27% at Victoria; St James's 21%, West End 11%"),
)
#: Station shares of Westminster's BTP records and each station's LSOA, counted from the real police.uk
#: BTP street records for Westminster, July 2016 to June 2018 (shared/data/real, section 1b).
BTP_STATIONS = (
    ("Victoria", "E01004750", 2353), ("Paddington", "E01033593", 975), ("Oxford Circus", "E01033595", 703),
    ("Baker Street", "E01004727", 380), ("Marylebone", "E01004659", 366), ("Tottenham Court Road", "E01004763", 333),
    ("Leicester Square", "E01004734", 332), ("Piccadilly Circus", "E01004736", 320),
    ("Charing Cross", "E01004736", 318), ("Bond Street", "E01033595", 238), ("Westminster", "E01004733", 237),
    ("Paddington (Underground)", "E01004682", 202), ("Embankment", "E01004733", 192),
    ("Covent Garden", "E01004735", 153), ("Marble Arch", "E01004657", 123), ("Hyde Park Corner", "E01004691", 66),
    ("Queensway", "E01004695", 61), ("Edgware Road", "E01033604", 57), ("Pimlico", "E01004741", 52),
    ("St John's Wood", "E01004649", 48), ("Bayswater", "E01004695", 48), ("St James's Park", "E01004731", 45),
    ("Great Portland Street", "E01004715", 43), ("Lancaster Gate", "E01004682", 30), ("Temple", "E01004735", 27),
    ("Regent's Park", "E01004716", 25), ("Maida Vale", "E01004709", 15), ("Royal Oak", "E01004656", 10),
    ("Warwick Avenue", "E01004703", 9),
)

TFL_INCIDENTS = IncidentCalibration(
    # volume ASSUMED: about 20,000 TfL incidents a year in London, 9% in Westminster
    dataset="tfl-incidents", current=1800, previous=1750, area_share_of_region=0.09, region_growth=0.02,
    hours="commuting",
    # "5.4% of all TfL incidents across London were in St James's (3.2%) and West End (2.2%) wards"
    ward_shares={ST_JAMES: 0.032 / 0.09, WEST_END: 0.022 / 0.09},
    # "56% of incidents were disturbance"; the rest ASSUMED
    category_shares={"Disturbance": 0.56, "Assault": 0.16, "Theft": 0.12, "Criminal damage": 0.06,
                     "Sexual offence": 0.03, "Other": 0.07},
    sources=("St James's 3.2% and West End 2.2% of London's incidents", "56% disturbance"),
)
TFL_MODES = {"Bus": 0.62, "Underground": 0.33, "Overground": 0.02, "DLR": 0.0, "Other": 0.03}  # ASSUMED

COUNCIL_ASB = IncidentCalibration(
    # ASSUMED throughout: the seed had no council ASB data ("No data provided"). About 42 reports a day,
    # rising, against police-recorded ASB falling from 47 to 40 a day.
    dataset="council-asb", current=15330, previous=14235, area_share_of_region=1.0, region_growth=0.0,
    hours="asb", ward_shares={WEST_END: 0.22, ST_JAMES: 0.15},
    category_shares={"Noise": 0.38, "Street drinking": 0.09, "Begging": 0.08, "Rough sleeping": 0.10,
                     "Drug dealing or use": 0.07, "Urination or defecation": 0.05, "Nuisance neighbours": 0.08,
                     "Vehicle nuisance": 0.04, "Littering or fly-tipping": 0.07, "Other": 0.04},
    sources=("none: the seed had no council ASB data; all figures assumed",),
)

INCIDENTS = (LAS_ASSAULTS, LAS_ALCOHOL, LAS_OVERDOSES, LFB_INCIDENTS, BTP_INCIDENTS, TFL_INCIDENTS, COUNCIL_ASB)

#: Hate crime offences by strand, (previous, current), from the seed's hate crime table. Strands overlap.
HATE_CRIME = {
    "All hate crime": (1468, 1720), "Racist and religious": (1239, 1395), "Homophobic": (191, 271),
    "Faith": (183, 241), "Transgender": (20, 23), "Disability": (18, 26), "Anti-semitic": (33, 43),
    "Islamophobic": (128, 167),
}
#: "Westminster has the highest levels of hate crime recorded across the MPS accounting for 9%"
HATE_CRIME_AREA_SHARE = 0.09
#: "it has begun to decline across the MPS": the rest of London ASSUMED 3% lower in the current year
HATE_CRIME_REGION_GROWTH = -0.03

#: CHAIN, April to June 2018 (and the same quarter a year before, ASSUMED 10% higher: "All have decreased")
ROUGH_SLEEPING_Q2_2018 = {"New rough sleepers": 294, "Living on the streets": 144, "Intermittent rough sleepers": 346}
ROUGH_SLEEPING_YEAR_BEFORE = 1.10
#: "A day count was undertaken and 321 people were identified compared with 299 in the last night time count
#: (May 2018)"
STREET_COUNTS_MAY_2018 = {"Street count (night)": 299, "Street count (day)": 321}
#: Westminster's share of London's rough sleeping (ASSUMED; Westminster has the highest numbers)
ROUGH_SLEEPING_AREA_SHARE = 0.25

#: MoJ proven reoffending, cohort to September 2016: offenders and rate (%) per group, from the seed.
#: Offender numbers by group follow "Juvenile offenders make up 7% of the cohort" and "Females make up 18%
#: of offending cohort compared with 15% across London"; London's cohort is from "Westminster accounts for
#: 5% of all offenders across London"; the England and Wales cohort size is ASSUMED.
REOFFENDING = {
    WESTMINSTER: {"All": (4579, 30.8), "Adult": (4258, 30.2), "Juvenile": (321, 38.6), "Male": (3755, 33.5),
                  "Female": (824, 18.3)},
    LONDON: {"All": (91580, 29.2), "Adult": (84254, 27.8), "Juvenile": (7326, 46.7), "Male": (77843, 30.7),
             "Female": (13737, 20.4)},
    ENGLAND_AND_WALES: {"All": (480000, 29.5), "Adult": (446400, 28.6), "Juvenile": (33600, 41.9),
                        "Male": (408000, 30.8), "Female": (72000, 23.4)},
}
REOFFENCES_PER_REOFFENDER = 3.6  # ASSUMED
REOFFENDING_COHORT_LAG_MONTHS = 21  # the seed's cohort (to 2016-09) for an assessment ending 2018-06

#: MARAC (SafeLives table, Westminster column) for the current year; the previous year is 356 cases.
MARAC_CASES = (356, 379)
MARAC_INDICATORS = {"repeat": 0.21, "police_referral": 0.25, "bme": 0.54, "lgbt": 0.044, "disability": 0.225,
                    "male": 0.074, "aged_16_17": 0.008}
MARAC_CHILDREN = 306
#: "The most common referral routes to the MARAC are from the Children's Services (47%), Police (15%) and
#: Independent Domestic Violence Advocates (IDVA) 12%". The SafeLives table gives police referrals as 25%,
#: which is used; children's social care is reduced to 40% so the routes add up. The rest ASSUMED.
MARAC_ROUTES = {"Police": 0.25, "Children's social care": 0.40, "IDVA": 0.12, "Health": 0.08, "Housing": 0.04,
                "Adult social care": 0.03, "Probation": 0.02, "Voluntary sector": 0.04, "Other": 0.02}

#: IOM cohort: "131 offenders on the cohort"; RAG "Blue 34, Red 86, Amber 4, Green 7"; "71" with Starting Over;
#: "95% of the IOM cohort is male"; "ranges in age from 19 to 58, 28% aged between 23 - 27"; "57% were of White
#: North European ethnic appearance and 25% black"; 41 left the cohort since April 2017, whose offences before
#: (3 months), during and after (3 months) were 34, 156 and 10.
IOM_RAG = {"Blue": 34, "Red": 86, "Amber": 4, "Green": 7}
IOM_STARTING_OVER = 71
IOM_LEAVERS = 41
IOM_OFFENCES_BEFORE_DURING_AFTER = (34, 156, 10)

#: YOS: "The average monthly caseload of the YOS was 55 compared with 64 a year earlier"; "15% of this cohort
#: was female. 66% of the cohort was aged 16 or 17"; "293 offences ... from 452 the previous year. Violence
#: against the person ... 29% ... drugs, 22%"; "27% required intensive support, 41% enhanced support and 12%
#: standard support"; "nearly half of the YOS cohort is being worked with by the IGU".
YOS_CASELOAD = (64, 55)
YOS_OFFENCES = (452, 293)
YOS_OFFENCE_SHARES = {"Violence against the person": 0.29, "Drugs": 0.22, "Theft and handling": 0.14,
                      "Robbery": 0.10, "Motoring": 0.06, "Criminal damage": 0.05, "Public order": 0.06,
                      "Breach": 0.04, "Other": 0.04}
#: How unevenly offences fall among the young people (the shape of a gamma distribution of each one's share;
#: ASSUMED). At 0.4 a little over half of a year's new caseload has a proven reoffence within the year, with four
#: to six reoffences each: above the MoJ juvenile rates the seed quotes (38.6% in Westminster, 46.7% across
#: London), as a caseload of young people already offending would be, and as the seed's 293 offences a year for
#: an average caseload of 55 imply.
YOS_OFFENDING_SHAPE = 0.4
YOS_INTERVENTION = {"Intensive": 0.27, "Enhanced": 0.41, "Standard": 0.12, "Not yet assessed": 0.20}

#: IGU: "91 people were worked with"; "16% of the cohort were females"; "73% of the cohort are aged less than
#: 18"; wards "Queen's Park (21%), Harrow Road (15%), Church Street (9%) and Westbourne (9%)"; caseload overlap
#: "Children & Family Services 58%, YOS 43%, Missing 33%"; services "CAMHS 10, St Giles Trust 16, Sexual
#: violence practitioner 18, Employment coach 30".
IGU_PEOPLE = (84, 91)  # (previous year ASSUMED, current year): people referred in each year
IGU_WARDS = {QUEENS_PARK: 0.21, HARROW_ROAD: 0.15, CHURCH_STREET: 0.09, WESTBOURNE: 0.09}

#: CSE: "29 young people were risk assessed for CSE over the past year. 86% were female, they ranged in age
#: from 11 to 18 with nearly one third aged 16"; "typology of CSE risk was identified for over half as
#: online/social media".
CSE_ASSESSMENTS = 29

#: Troubled Families: "3,861 families who met the Troubled Families criteria. 637 or 16% of the cohort met the
#: criteria for crime"; the ward table (% of all families, % of crime-criterion families) and the sources
#: matched for crime-criterion families.
TROUBLED_FAMILIES = (3861, 637)
TROUBLED_FAMILIES_WARDS = {  # ward code: (% of all families, % of crime-criterion families)
    "E05000642": (13.0, 14.7), "E05000634": (14.0, 13.2), "E05000648": (12.8, 13.2), "E05000635": (9.2, 9.6),
    "E05000633": (7.8, 8.0), "E05000640": (5.9, 5.2), "E05000644": (3.1, 3.9), "E05000639": (4.3, 3.6),
    "E05000646": (4.2, 3.3), "E05000630": (2.2, 3.3), "E05000643": (3.2, 3.0), "E05000647": (2.7, 2.8),
    "E05000645": (3.1, 2.7), "E05000632": (2.1, 2.5), "E05000636": (3.0, 2.4), "E05000638": (2.9, 2.4),
    "E05000631": (2.6, 2.1), "E05000649": (1.9, 2.1), "E05000641": (1.2, 0.9), "E05000637": (0.8, 0.9),
}
TROUBLED_FAMILIES_SOURCES = {"Early Help": 0.74, "Child in Need": 0.60, "DWP": 0.56, "School attendance": 0.51,
                             "Special educational needs": 0.45, "YOT": 0.38, "Exclusions": 0.29,
                             "Domestic violence": 0.28, "Missing children": 0.21, "Looked after children": 0.13,
                             "NEET": 0.05, "Child sexual exploitation": 0.04, "Early Years": 0.02}

#: Adult safeguarding: "378 'concerns', of which 36% were classified as a crime or potential crime"; of those,
#: "18-64 38%, 65+ 62%", "Female 52%, Male 47%", the primary support reason, abuse and relationship tables,
#: "only 70% raised the allegation with the police", wards Westbourne 10%, Church Street 10%, Queen's Park 8%.
SAFEGUARDING_CONCERNS = (350, 378)  # previous year ASSUMED
SAFEGUARDING_CRIME_SHARE = 0.36
SAFEGUARDING_UNKNOWN_SHARE = 0.10  # ASSUMED ("a significant number of unknowns")
SAFEGUARDING_SUPPORT = {"Physical support": 0.55, "Mental health support": 0.14,
                        "Learning disability support": 0.13, "Not recorded": 0.09, "Social support": 0.05,
                        "Support with memory and cognition": 0.03, "Sensory support": 0.01}
SAFEGUARDING_ABUSE = {"Financial abuse": 0.60, "Physical abuse": 0.43, "Psychological abuse": 0.27,
                      "Sexual abuse": 0.10, "Neglect": 0.07}
SAFEGUARDING_RELATIONSHIP = {"Not related": 0.33, "Relative or family member": 0.19, "Social care provider": 0.19,
                             "Person unknown": 0.17, "Other": 0.06, "Not recorded": 0.03, "Health care": 0.03}
SAFEGUARDING_WARDS = {WESTBOURNE: 0.10, CHURCH_STREET: 0.10, QUEENS_PARK: 0.08}

#: Drug and alcohol treatment, adults in treatment 2016/17, used as the yearly number of treatment starts:
#: "Opiate 566, Non-opiate only 169, Non-opiate and alcohol 229, Alcohol only 505"; "60% are aged between 35
#: to 54. Only 10% were aged 18 - 29"; referral "self (29%) ... GP (14%) ... criminal justice system (12%)";
#: "21% of clients in treatment had prior convictions". The previous year is ASSUMED 4% higher (a decline).
TREATMENT = {"Opiate": 566, "Non-opiate only": 169, "Non-opiate and alcohol": 229, "Alcohol only": 505}
TREATMENT_PREVIOUS_FACTOR = 1.04
TREATMENT_AGE = {"18-29": 0.10, "30-34": 0.12, "35-44": 0.30, "45-54": 0.30, "55-64": 0.14, "65+": 0.04}
TREATMENT_REFERRAL = {"Self": 0.29, "GP": 0.14, "Criminal justice": 0.12, "Hospital": 0.08, "Social services": 0.07,
                      "Other": 0.30}

#: Prevent referrals: numbers are not published in the seed (ASSUMED 72 then 58: "a decline in referrals over
#: the last two years"); "86% of referrals to the Channel panel were males"; "many reside in ... Church
#: Street, Queen's Park and Harrow Road".
PREVENT_REFERRALS = (72, 58)
PREVENT_OUTCOMES = {"Closed - no further action": 0.60, "Signposted to other services": 0.22,
                    "Discussed at Channel": 0.12, "Adopted by Channel": 0.06}

#: VAWG service: "671 new or repeat referrals, a decline from 766 the previous year. 26% were repeat
#: referrals"; support accessed "Domestic Abuse 66%, Stalking & harassment 13%, Sexual violence 10%, Harmful &
#: Cultural Practices 2%, Child sexual exploitation 2%" (the remaining 7% Other).
VAWG_REFERRALS = (766, 671)
VAWG_SUPPORT = {"Domestic abuse": 0.66, "Stalking and harassment": 0.13, "Sexual violence": 0.10,
                "Harmful and cultural practices": 0.02, "Child sexual exploitation": 0.02, "Other": 0.07}

#: Hate crime victims: one victim per offence flagged "All hate crime"; main strand mix ASSUMED from the
#: strand counts; "Two thirds of victims were male"; "15% of hate crime victims were repeats"; "Nearly half
#: [of disability hate crime victims] were aged under 18"; the offence table by strand.
HATE_MAIN_STRAND = {"Racist and religious": 0.72, "Homophobic": 0.15, "Faith": 0.05, "Transgender": 0.013,
                    "Disability": 0.015, "Anti-semitic": 0.022, "Islamophobic": 0.03}
HATE_OFFENCES = {
    "Racist and religious": {"Public order": 0.41, "Violence without injury": 0.27, "Violence with injury": 0.10,
                             "Other": 0.22},
    "Faith": {"Harassment": 0.58, "Common assault": 0.10, "Other": 0.32},
    "Homophobic": {"Public order": 0.29, "Violence without injury": 0.27, "Violence with injury": 0.24,
                   "Other": 0.20},
    "Transgender": {"Harassment": 0.48, "Common assault": 0.24, "Other": 0.28},
    "Disability": {"Harassment": 0.42, "Criminal damage": 0.26, "Other": 0.32},
}
HATE_REPEAT_VICTIMS = 0.15

#: People known to several agencies. The seed gives one overlap: "nearly half of the YOS cohort is being worked
#: with by the IGU" (read as 47% of the young people on the YOS caseload in a year also referred to the IGU that
#: year). With about 145 young people on the caseload in a year, that makes about three quarters of the IGU's 91
#: known to the YOS, more than the 43% of the seed's IGU caseload table (which counts the caseload at one time).
#: The rest are ASSUMED, to give the linkage and repeat victim analyses plausible overlaps to find.
IGU_SHARE_OF_YOS = 0.47
IOM_FROM_IGU = 6  # IOM members who were on the IGU cohort as young adults
YOUTH_CRIME_VICTIM_SHARE = 0.15  # of YOS and IGU young people, victims of a violent crime or robbery
MARAC_IN_CRIME_VICTIMS = 0.60  # MARAC victims with a police-recorded domestic abuse crime, dated the day of the
#: referral (one incident known to two agencies is one victimisation)
HATE_SUSPECTS_FROM_IOM = 0.03  # hate crime suspects who are on the IOM cohort

#: Victims of crime (police CRIS extract): one victim per violence and sexual offence or robbery, the offences
#: whose victims are people. Counts from the police.uk Westminster street data bundled with safer (Metropolitan
#: Police, July 2016 to June 2018): violence and sexual offences 9,075 then 9,819; robbery 1,905 then 2,431.
#: Hate crime victims and MARAC victims with a recorded crime are among them. The offence group split is ASSUMED.
CRIME_VICTIMS = (9075 + 1905, 9819 + 2431)
CRIME_VICTIM_GROUPS = {"Violence with injury": 0.28, "Violence without injury": 0.47, "Sexual offences": 0.06,
                       "Robbery": 0.19}
#: Repeat victimisation: "Across London, one in five victims are repeat victims" ("a victim of crime in the last
#: 12 months"). The share of a dataset's records that are a further victimisation of someone it recorded in the
#: 12 months before is ASSUMED per dataset, so that about one victim in five is a repeat victim overall.
REPEAT_RECORD_SHARE = {"crime-victims": 0.20, "asb-victims": 0.35, "marac-cases": 0.15, "hate-crime-victims": 0.10}
REPEAT_BENCHMARK = 0.20

#: Anti-social behaviour victims the council's ASB team records as people: ASSUMED (the seed had no council ASB
#: data), about one for every 13 council ASB reports, with repeat reporting common (noise, neighbours).
ASB_VICTIMS = (1150, 1240)
ASB_VICTIM_TYPES = {"Noise": 0.34, "Nuisance neighbours": 0.22, "Harassment or intimidation": 0.16,
                    "Drug dealing or use": 0.11, "Street drinking": 0.05, "Vehicle nuisance": 0.04, "Other": 0.08}
ASB_VICTIM_AGE = {"Under 18": 0.02, "18-24": 0.08, "25-34": 0.2, "35-44": 0.2, "45-54": 0.19, "55-64": 0.15,
                  "65 and over": 0.15, "Unknown": 0.01}
CRIME_VICTIM_AGE = {"Under 18": 0.07, "18-24": 0.2, "25-34": 0.3, "35-44": 0.18, "45-54": 0.12, "55-64": 0.06,
                    "65 and over": 0.05, "Unknown": 0.02}

#: Offences proven by conviction or caution (``Disposal date``): ASSUMED shares proven, and the time from offence
#: to disposal (lognormal, median about ten weeks: cautions within days, contested trials many months later).
PROVEN_SHARE = {"yos-offences": 0.88, "iom-offences": 0.80}
DISPOSAL_MEDIAN_DAYS = 70
DISPOSAL_SPREAD = 0.9
