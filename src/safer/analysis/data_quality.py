"""What was loaded, what was refused and what could not be placed.

Example:
    >>> dq = data_quality(wh.table("ingest_ledger"), wh.table("quarantine"), located_crimes)  # doctest: +SKIP
    >>> dq.rows_read == dq.rows_loaded + dq.rows_quarantined + dq.rows_duplicate  # doctest: +SKIP
    True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePath

import ibis


@dataclass(frozen=True)
class QuarantineReason:
    format: str
    field: str
    rows: int
    example: str

    def as_dict(self) -> dict[str, object]:
        return {"format": self.format, "field": self.field, "rows": self.rows, "example_reason": self.example}


@dataclass(frozen=True)
class SourceSummary:
    """Files loaded from one origin: an archive, or a folder of CSV files."""

    origin: str
    files: int
    formats: tuple[str, ...]
    rows_read: int
    rows_loaded: int

    def as_dict(self) -> dict[str, object]:
        return {"origin": self.origin, "files": self.files, "formats": list(self.formats),
                "rows_read": self.rows_read, "rows_loaded": self.rows_loaded}


@dataclass(frozen=True)
class DataQuality:
    files: int
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    rows_duplicate: int
    files_by_format: dict[str, int]
    quarantine: tuple[QuarantineReason, ...]
    records_without_lsoa: int  # located nowhere: blank LSOA code
    records_unmatched_lsoa: int  # an LSOA code the lookup does not know
    first_month: str | None
    last_month: str | None
    sources: tuple[SourceSummary, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files, "rows_read": self.rows_read, "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined, "rows_duplicate": self.rows_duplicate,
            "files_by_format": self.files_by_format,
            "quarantine_by_field": [q.as_dict() for q in self.quarantine],
            "unmatched_geography": {"records_without_lsoa": self.records_without_lsoa,
                                    "records_with_unknown_lsoa": self.records_unmatched_lsoa},
            "first_month": self.first_month, "last_month": self.last_month,
            "sources": [source.as_dict() for source in self.sources],
        }


def data_quality(ledger: ibis.Table, quarantine: ibis.Table, located_records: ibis.Table) -> DataQuality:
    """Summarise the ledger, the quarantine and the geography match of ``located_records``.

    ``located_records`` are street records joined to the lookup (``lad_code`` NULL when unmatched).
    """
    totals = ledger.aggregate(
        files=ledger.count(), read=ledger.rows_read.sum(), loaded=ledger.rows_loaded.sum(),
        quarantined=ledger.rows_quarantined.sum(), duplicate=ledger.rows_duplicate.sum(),
    ).execute().iloc[0]
    by_format = ledger.group_by("format").aggregate(n=ledger.count()).execute()
    reasons = (quarantine.group_by(["format", "field"])
               .aggregate(rows=quarantine.count(), example=quarantine.reason.min())
               .order_by([ibis.desc("rows"), "format", "field"]).execute())
    geo = located_records.aggregate(
        without=located_records.lsoa_code.isnull().cast("int64").sum(),
        unmatched=(located_records.lsoa_code.notnull() & located_records.lad_code.isnull()).cast("int64").sum(),
        first=located_records.month.min(), last=located_records.month.max(),
    ).execute().iloc[0]
    return DataQuality(
        files=int(totals["files"]), rows_read=_int(totals["read"]), rows_loaded=_int(totals["loaded"]),
        rows_quarantined=_int(totals["quarantined"]), rows_duplicate=_int(totals["duplicate"]),
        files_by_format={f: int(n) for f, n in zip(by_format["format"], by_format["n"])},
        quarantine=tuple(QuarantineReason(f, fld, int(n), ex) for f, fld, n, ex in
                         zip(reasons["format"], reasons["field"], reasons["rows"], reasons["example"])),
        records_without_lsoa=_int(geo["without"]), records_unmatched_lsoa=_int(geo["unmatched"]),
        first_month=None if geo["first"] is None or str(geo["first"]) == "NaT" else str(geo["first"])[:7],
        last_month=None if geo["last"] is None or str(geo["last"]) == "NaT" else str(geo["last"])[:7],
        sources=_sources(ledger),
    )


def origin_of(source_file: str) -> str:
    """The archive or folder a loaded file came from, without the rest of its path.

    >>> origin_of("/data/2018-01.zip!2018-01/2018-01-btp-street.csv"), origin_of("/data/2018-01/x.csv")
    ('2018-01.zip', '2018-01')
    """
    if "!" in source_file:
        return PurePath(source_file.split("!", 1)[0]).name
    return PurePath(source_file).parent.name or "."


def _sources(ledger: ibis.Table) -> tuple[SourceSummary, ...]:
    files = ledger.select("source_file", "format", "rows_read", "rows_loaded").execute()
    grouped: dict[str, list] = defaultdict(list)
    for row in files.itertuples(index=False):
        grouped[origin_of(row.source_file)].append(row)
    return tuple(
        SourceSummary(origin=origin, files=len(rows), formats=tuple(sorted({r.format for r in rows})),
                      rows_read=sum(int(r.rows_read) for r in rows), rows_loaded=sum(int(r.rows_loaded) for r in rows))
        for origin, rows in sorted(grouped.items())
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
