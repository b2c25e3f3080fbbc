"""Pseudonymise a person-level file: identifying fields out, keyed tokens in, line for line.

:func:`pseudonymise_file` turns an agency's raw file into its pseudonymised copy (see
:mod:`safer.privacy.layout` for the columns). It is what ``safer pseudonymise`` runs at the
agency, so the raw file never leaves it, and what ``safer ingest`` runs in its temporary folder
before any row reaches the warehouse. :func:`rekey_file` brings an already pseudonymised file
made with an earlier key epoch to the current one.

Both write one output line per input line (the header, blank lines and all), so a quarantined
row's line number is its line in the agency's own file. A row whose identifying values cannot
be read keeps its line with the token columns blank and ``Invalid identifiers`` saying which
field was wrong; the loader quarantines it with the file, line, field and reason, and the
quarantine never holds an identifying value because the line it keeps is the pseudonymised one.
A line that cannot be split into the dataset's columns is written with every field blank.

Example:
    >>> result = pseudonymise_file(Path("marac.csv"), Path("marac-pseudonymised.csv"), layout, ring)  # doctest: +SKIP
    >>> result.rows, [(p.line, p.field) for p in result.problems]  # doctest: +SKIP
    (379, [(41, 'Victim date of birth')])
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from safer.errors import PrivacyError, SourceError
from safer.privacy.identifiers import NORMALISATION_VERSION, age_on, row_tokens
from safer.privacy.keys import Keyring
from safer.privacy.layout import AGE_AT_EVENT, BIRTH_YEAR, INVALID, KEY_ID, ROW_TOKEN, WHOLE_ROW, PersonLayout

_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class RowProblem:
    """An identifying field that could not be used: where it is and what is wrong, never its value."""

    line: int
    field: str
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}, field '{self.field}': {self.problem}"


@dataclass(frozen=True)
class PseudonymisedFile:
    """What :func:`pseudonymise_file` or :func:`rekey_file` wrote."""

    source: str
    output: Path
    dataset: str
    rows: int  # non-blank data lines
    problems: tuple[RowProblem, ...]
    key_id: str

    @property
    def rows_with_problems(self) -> int:
        return len({p.line for p in self.problems})

    def as_dict(self) -> dict[str, object]:
        return {"source": self.source, "output": str(self.output), "dataset": self.dataset, "rows": self.rows,
                "rows_with_problems": self.rows_with_problems, "key_id": self.key_id,
                "problems": [{"line": p.line, "field": p.field, "problem": p.problem} for p in self.problems]}


def pseudonymise_file(source: Path, output: Path, layout: PersonLayout, ring: Keyring, *,
                      name: str | None = None) -> PseudonymisedFile:
    """Write the pseudonymised copy of a raw ``layout.source`` file to ``output``.

    Raises SourceError when the header is not the dataset's raw header.
    """
    name = name or str(source)
    lines = _lines(source, name)
    header = next(lines, None)
    _check_header(header, layout.source.columns, name, layout)
    width = len(layout.source.columns)
    token_headers = [h for _, h, _ in layout.tokens]
    token_kinds = [kind for kind, _, _ in layout.tokens]
    kept, derived_columns, identifiers = layout.kept, layout.derived, layout.identifiers
    out_header = list(layout.format.columns)
    seen: Counter[str] = Counter()
    problems: list[RowProblem] = []
    rows = 0
    key_id = ring.key_id
    with _writer(output) as write:
        write(out_header)
        for line_no, line in lines:
            if not line.strip():
                write(None)
                continue
            rows += 1
            fields = _split(line)
            if fields is None or len(fields) != width:
                found = "?" if fields is None else len(fields)
                problem = (f"the row could not be split into the {width} columns of {layout.dataset} (found "
                           f"{found})")
                problems.append(RowProblem(line_no, WHOLE_ROW, problem))
                write([""] * (len(out_header) - 2) + [f"|{WHOLE_ROW}={problem}|", ring.key_id])
                continue
            values = dict(zip(layout.source.columns, fields))
            made = row_tokens(values, identifiers, ring, layout.required)
            seen[line.strip()] += 1
            row_token = ring.token("|".join(("safer", NORMALISATION_VERSION, "row", layout.dataset,
                                             hashlib.sha256(line.strip().encode("utf-8")).hexdigest(),
                                             str(seen[line.strip()]))))
            derived = []
            if BIRTH_YEAR in derived_columns:
                derived.append(str(made.birth_date.year) if made.birth_date else "")
            if AGE_AT_EVENT in derived_columns:
                age = age_on(made.birth_date, values.get(layout.when)) if layout.when else None
                derived.append("" if age is None else str(age))
            invalid = "".join(f"|{column}={problem}|" for column, problem in made.problems)
            problems.extend(RowProblem(line_no, column, problem) for column, problem in made.problems)
            # a row with an unreadable identifier is quarantined: none of its tokens is kept
            tokens = [""] * len(token_headers) if made.problems else [made.tokens.get(k, "") for k in token_kinds]
            write([values[c] for c in kept] + tokens + [row_token] + derived + [invalid, key_id])
    return PseudonymisedFile(source=name, output=output, dataset=layout.dataset, rows=rows,
                             problems=tuple(problems), key_id=ring.key_id)


def rekey_file(source: Path, output: Path, layout: PersonLayout, ring: Keyring, *,
               name: str | None = None) -> PseudonymisedFile:
    """Bring a pseudonymised ``layout.format`` file to the ring's current key epoch.

    Rows made with an earlier epoch have their tokens re-keyed; anything in a token column that
    is not a token is blanked and marked invalid (so a raw value put there by mistake never reaches
    the warehouse). Raises PrivacyError when a row was made with a key that is not in the ring.
    """
    name = name or str(source)
    lines = _lines(source, name)
    header = next(lines, None)
    _check_header(header, layout.format.columns, name, layout)
    columns = layout.format.columns
    width = len(columns)
    token_positions = [columns.index(h) for _, h, _ in layout.tokens] + [columns.index(ROW_TOKEN)]
    invalid_at, key_at = columns.index(INVALID), columns.index(KEY_ID)
    problems: list[RowProblem] = []
    rows = 0
    with _writer(output) as write:
        write(list(columns))
        for line_no, line in lines:
            if not line.strip():
                write(None)
                continue
            rows += 1
            fields = _split(line)
            if fields is None or len(fields) != width:
                problem = f"the row could not be split into the {width} columns of a pseudonymised {layout.dataset} file"
                problems.append(RowProblem(line_no, WHOLE_ROW, problem))
                write([""] * (width - 2) + [f"|{WHOLE_ROW}={problem}|", ring.key_id])
                continue
            epoch = ring.epoch_of(fields[key_at].strip())
            if epoch is None:
                raise PrivacyError(
                    f"{name} line {line_no}: pseudonymised with key {fields[key_at].strip() or '(blank)'}, which is "
                    f"not the partnership's key ({', '.join(ring.key_ids)}); nothing was loaded. Ask the agency to "
                    "pseudonymise the raw file again with the partnership key file (`safer pseudonymise`).")
            invalid = fields[invalid_at].strip()
            for position in token_positions:
                value = fields[position].strip()
                if not value:
                    continue
                if len(value) != 64 or not set(value) <= _HEX:
                    fields[position] = ""
                    problem = "is not a token (64 hexadecimal digits); pseudonymise the raw file with `safer pseudonymise`"
                    invalid += f"|{columns[position]}={problem}|"
                    problems.append(RowProblem(line_no, columns[position], problem))
                else:
                    fields[position] = ring.lift(value, epoch)
            fields[invalid_at], fields[key_at] = invalid, ring.key_id
            write(fields)
    return PseudonymisedFile(source=name, output=output, dataset=layout.dataset, rows=rows,
                             problems=tuple(problems), key_id=ring.key_id)


def read_header(path: Path, name: str) -> list[str] | None:
    """A file's header fields (its first line only is read), or None when it is empty."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            first = handle.readline()
    except (OSError, EOFError) as exc:
        raise SourceError(f"{name}: cannot be read ({exc}); check the file is complete") from exc
    if not first.strip():
        return None
    return _split(_decode(first).lstrip("\ufeff").rstrip("\r\n")) or []


def _check_header(header: tuple[int, str] | None, expected: tuple[str, ...], name: str, layout: PersonLayout) -> None:
    fields = None if header is None else _split(header[1].lstrip("\ufeff"))
    cleaned = tuple(f.strip() for f in fields or ())
    if cleaned != expected:
        raise SourceError(f"{name} line 1: not a {layout.dataset} file; expected exactly the columns: "
                          f"{', '.join(expected)}")


def _split(line: str) -> list[str] | None:
    try:
        return next(csv.reader([line], strict=True))
    except (csv.Error, StopIteration):
        return None


def _lines(path: Path, name: str) -> Iterator[tuple[int, str]]:
    """Physical lines (split at line feeds only, as the loader splits them), numbered from 1, decoded."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            data = handle.read()
    except (OSError, EOFError) as exc:
        raise SourceError(f"{name}: cannot be read ({exc}); check the file is complete") from exc
    text = _decode(data)
    text = text.removeprefix("\ufeff")
    parts = text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    for number, line in enumerate(parts, start=1):
        yield number, line.rstrip("\r")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")


class _writer:
    """Write CSV rows (None: a blank line) with line feeds, to a new file readable by its owner only."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "w", encoding="utf-8", newline="")
        self.buffer = io.StringIO()
        self.csv = csv.writer(self.buffer, lineterminator="\n")

        def write(row: list[str] | None) -> None:
            if row is None:
                self.handle.write("\n")
                return
            self.csv.writerow(row)
            self.handle.write(self.buffer.getvalue())
            self.buffer.seek(0)
            self.buffer.truncate()

        return write

    def __exit__(self, *exc: object) -> None:
        self.handle.close()
