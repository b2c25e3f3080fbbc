"""The overview section of the report: its findings, charts and template.

Each findings function turns one result into plain sentences; every number in them
comes from the result, so the sentence and the table can never disagree.

Example:
    >>> overview_findings(assessment)[0]  # doctest: +SKIP
    'On average 142 crimes were recorded per day in Westminster over the last year ...'
"""

from __future__ import annotations

from safer.analysis.change import Change
from safer.analysis.comparison import TypeComparison
from safer.assessment import Assessment
from safer.report import charts
from safer.report.formatting import count, pct
from safer.report.sections.base import ReportSection

_MIN_COUNT_FOR_PCT_SENTENCE = 50


def overview_findings(assessment: Assessment) -> list[str]:
    """The overview section's key sentences, most important first."""
    return [
        _daily_average_sentence(assessment),
        _seasonality_sentence(assessment),
        _total_change_sentence(assessment),
        *_comparator_sentences(assessment),
        *_biggest_movers(assessment),
        _asb_sentence(assessment),
        *_separate_force_sentences(assessment),
    ]


def _daily_average_sentence(a: Assessment) -> str:
    avg = a.overview.daily_average
    parts = [f"On average {count(avg.current.per_day)} crimes were recorded per day in {a.meta.area_name} "
             f"over the last {_length(a)} ({avg.current.period.label}), compared with "
             f"{count(avg.previous.per_day)} in the previous {_length(a)}"]
    if len(avg.periods) > 2:
        parts.append(f" and {count(avg.periods[2].per_day)} the {_length(a)} before that")
    diff = round(avg.difference_per_day)
    if diff > 0:
        tail = f". That is {count(diff)} more crimes a day than a year earlier."
    elif diff < 0:
        tail = f". That is {count(-diff)} fewer crimes a day than a year earlier."
    else:
        tail = ", about the same number a day."
    return "".join(parts) + tail


def _seasonality_sentence(a: Assessment) -> str:
    season = a.overview.seasonality
    first, second = season.peak[0], season.peak[1]
    years = max(m.years for m in season.ranked)
    span = f"the last {years} years" if years > 1 else "the data available"
    return (f"Over {span}, {first.month_name} and {second.month_name} were the peak months for crime, with on "
            f"average {count(first.mean_daily_average)} and {count(second.mean_daily_average)} crimes per day "
            f"respectively; the lowest was {season.lowest.month_name}, with on average "
            f"{count(season.lowest.mean_daily_average)} per day.")


def _total_change_sentence(a: Assessment) -> str:
    total = a.overview.by_type.total
    text = f"Overall, recorded crime in {a.meta.area_name} {_moved(total.area)}"
    if total.area.change:
        text += f", that is {count(abs(total.area.change))} {'more' if total.area.change > 0 else 'fewer'} crimes"
    text += f" ({count(total.area.previous)} to {count(total.area.current)})."
    if total.comparator is not None:
        text += (f" In comparison, crime across the {a.meta.comparator_name} {_moved(total.comparator)}. "
                 f"{pct(total.share_current)} of all crime across the {a.meta.comparator_name} was in "
                 f"{a.meta.area_name}, compared with {pct(total.share_previous)} a year earlier.")
    else:
        text += (f" The data loaded does not cover every crime type across the {a.meta.comparator_name}, so no "
                 "force-wide comparison of all crime is made.")
    return text


def _comparator_sentences(a: Assessment) -> list[str]:
    sentences = []
    for row in a.overview.by_type.rows:
        if row.comparator is None:
            continue
        sentences.append(
            f"{row.crime_type} in {a.meta.area_name} {_moved(row.area)} "
            f"({count(row.area.previous)} to {count(row.area.current)}), against "
            f"{_pct_phrase(row.comparator.pct_change)} across the {a.meta.comparator_name}; "
            f"{a.meta.area_name} held {pct(row.share_current)} of the {a.meta.comparator_name}'s "
            f"{row.crime_type.lower()}, compared with {pct(row.share_previous)} a year earlier.")
    return sentences


def _biggest_movers(a: Assessment) -> list[str]:
    rows = [r for r in a.overview.by_type.rows
            if max(r.area.previous, r.area.current) >= _MIN_COUNT_FOR_PCT_SENTENCE and r.area.significant]
    rises = sorted((r for r in rows if r.area.change > 0), key=lambda r: -r.area.change)[:3]
    falls = sorted((r for r in rows if r.area.change < 0), key=lambda r: r.area.change)[:3]
    sentences = []
    if rises:
        sentences.append("The largest increases in number were in " + _join([_mover(r) for r in rises]) + ".")
    if falls:
        sentences.append("The largest decreases were in " + _join([_mover(r) for r in falls]) + ".")
    return sentences


def _asb_sentence(a: Assessment) -> str:
    asb = a.overview.asb.total
    avg = a.overview.asb_daily_average
    if asb.area.previous == 0 and asb.area.current == 0:
        return "No anti-social behaviour records were loaded for the area."
    return (f"Police recorded {count(asb.area.current)} anti-social behaviour incidents in {a.meta.area_name} "
            f"over the last {_length(a)} ({count(avg.current.per_day)} a day); this "
            f"{_moved(asb.area, noun='')} on the previous {_length(a)} ({count(asb.area.previous)}).")


def _separate_force_sentences(a: Assessment) -> list[str]:
    out = []
    for table in a.overview.separate_forces:
        total = table.by_type.total
        out.append(f"{table.force} recorded a further {count(total.area.current)} crimes in {a.meta.area_name} "
                   f"over the last {_length(a)} ({_pct_phrase(total.area.pct_change)} on "
                   f"{count(total.area.previous)}); they are reported separately and not included above.")
    return out


def _mover(row: TypeComparison) -> str:
    return f"{row.crime_type.lower()} ({'+' if row.area.change > 0 else '−'}{count(abs(row.area.change))}, " \
           f"{_pct_phrase(row.area.pct_change)})"


def _moved(change: Change, noun: str = "") -> str:
    """'increased by 9%' or 'decreased by 9%' only when the change is significant (Poisson test,
    ``safer.analysis.significance``); otherwise 'was broadly unchanged (+2%, not a significant change)'."""
    pct_change = change.pct_change
    if pct_change is None:
        return "has no previous figure to compare with"
    if not change.significant and pct_change != 0:
        return f"was broadly unchanged ({_pct_phrase(pct_change)}, not a significant change)"
    if pct_change > 0:
        return f"increased by {pct_change:.0f}%{noun}"
    if pct_change < 0:
        return f"decreased by {abs(pct_change):.0f}%{noun}"
    return "was unchanged"


def _pct_phrase(pct_change: float | None) -> str:
    if pct_change is None:
        return "no % change (no previous figure)"
    return f"{'+' if pct_change > 0 else '−' if pct_change < 0 else ''}{abs(pct_change):.0f}%"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _length(a: Assessment) -> str:
    months = len(a.meta.current.months)
    return "year" if months == 12 else f"{months} months"


def overview_charts(assessment: Assessment) -> dict[str, str]:
    overview = assessment.overview
    return {
        "crime_trend": charts.trend_chart(overview.crime_trend, title="Police recorded crime per day",
                                          y_title="Crimes per day"),
        "asb_trend": charts.trend_chart(overview.asb_trend, title="Anti-social behaviour per day",
                                        y_title="Incidents per day"),
        "by_type_change": charts.change_chart([r.crime_type for r in overview.by_type.rows],
                                              [r.area.pct_change for r in overview.by_type.rows],
                                              title=f"% change by crime type, {assessment.meta.area_name}"),
    }


def _contents(assessment: Assessment) -> list[tuple[str, str]]:
    entries = [("overview", "Overview of crime"), ("asb", "Anti-social behaviour")]
    if assessment.overview.separate_forces:
        entries.append(("separate-forces", "Separately reported forces"))
    return entries


SECTION = ReportSection(key="overview", template="sections/overview.html.j2", contents=_contents,
                        findings=overview_findings, charts=overview_charts)
