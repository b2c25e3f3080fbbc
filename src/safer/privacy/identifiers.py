"""Kinds of identifying field, and the keyed tokens made from them.

Each identifying column of a dataset is one :class:`Identifier` of a kind (forename, surname,
full name, date of birth, PNC, NHS number, postcode, address, a person reference such as a
client id, or a record reference such as a crime number). A row's identifiers become tokens:

========================  =====================================================  ===================
token (warehouse column)  made from                                              links people?
========================  =====================================================  ===================
``case_token``            the agency's own person reference, scoped to the       yes, priority 1
                          agency (so two agencies' "123" never match)
``pnc_token``             PNC identifier                                         yes, priority 2
``nhs_token``             NHS number                                             yes, priority 3
``name_dob_token``        surname, first forename and date of birth              yes, priority 4
``initial_dob_token``     surname, forename initial and date of birth            yes, priority 5
``postcode_token``        postcode                                               no (an address)
``address_token``         address and postcode                                   no (an address)
``<column>_token``        a record reference (crime number, referral id ...),    no (a record)
                          scoped to the dataset
========================  =====================================================  ===================

Every token is ``HMAC-SHA256(key, "safer|v1|<type>|...")`` (see :mod:`safer.privacy.keys` for
the key epochs), so equal tokens mean equal normalised values and nothing else can be read
from them without the key.

Example:
    >>> classify("Victim date of birth", "date"), classify("Young person ID", "text"), classify("CRIS reference", "text")
    ('dob', 'case', 'record')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from safer.privacy.keys import Keyring
from safer.privacy.normalise import (
    NORMALISATION_VERSION,
    NORMALISERS,
    InvalidIdentifier,
    normalise_date,
    parse_date,
    split_full_name,
)

KINDS: dict[str, str] = {
    "forename": "a forename", "surname": "a surname", "full_name": "a full name", "dob": "a date of birth",
    "pnc": "a PNC identifier", "nhs": "an NHS number", "postcode": "a postcode", "address": "an address",
    "case": "a person reference", "record": "a record reference",
}
#: Token types that link people, in priority order: the first a pair of records shares is their match rule.
LINK_TOKENS: tuple[str, ...] = ("case", "pnc", "nhs", "name_dob", "initial_dob")
#: What each link token is called in reports.
LINK_RULE_NAMES: dict[str, str] = {
    "case": "agency person reference", "pnc": "PNC identifier", "nhs": "NHS number",
    "name_dob": "name and date of birth", "initial_dob": "surname, initial and date of birth",
}
#: The header of each person or address token column in a pseudonymised file.
TOKEN_HEADERS: dict[str, str] = {
    "case": "Case token", "pnc": "PNC token", "nhs": "NHS token", "name_dob": "Name and date of birth token",
    "initial_dob": "Initial and date of birth token", "postcode": "Postcode token", "address": "Address token",
}
#: The scope given to identifiers of synthetic files (``safer synth``), whose invented PNC identifiers
#: carry a ``SYN`` marker before an otherwise well-formed PNC identifier; the marker is dropped.
SYNTHETIC_SCOPE = "synthetic"
_PERSON_REFERENCE = re.compile(
    r"^(person|young person|client|child|offender|victim|subject|nominal|service user|patient|customer)"
    r"\b.*\b(id|ref|reference|number|no)$", re.IGNORECASE)
_REFERENCE = re.compile(r"\b(id|ref|reference|number|no)$", re.IGNORECASE)


@dataclass(frozen=True)
class Identifier:
    """One identifying column: its header, its kind (see :data:`KINDS`) and, for references, their scope."""

    column: str
    kind: str
    scope: str = ""  # references only: the system the reference belongs to (an agency, or a dataset)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.column!r}: kind {self.kind!r} is not one of {', '.join(KINDS)}")


def classify(column: str, column_type: str) -> str:
    """The kind of an identifying column, from its name and type.

    Raises ValueError when the name says nothing recognisable, so that no identifying column is
    ever passed through unclassified.
    """
    name = column.strip()
    lower = name.lower()
    if re.search(r"\bpnc\b", lower):
        return "pnc"
    if re.search(r"\bnhs\b", lower):
        return "nhs"
    if column_type == "date" or "birth" in lower:
        if "birth" not in lower:
            raise ValueError(f"{column!r}: an identifying date must be a date of birth")
        return "dob"
    if column_type == "postcode" or "postcode" in lower or "post code" in lower:
        return "postcode"
    if re.search(r"forename|first name|given name|christian name", lower):
        return "forename"
    if re.search(r"surname|last name|family name", lower):
        return "surname"
    if re.search(r"full name|^name$|person name|client name", lower):
        return "full_name"
    if "address" in lower:
        return "address"
    if _PERSON_REFERENCE.search(name):
        return "case"
    if _REFERENCE.search(name):
        return "record"
    raise ValueError(f"{column!r}: cannot tell what kind of identifier this is; name it like 'Forename', "
                     "'Date of birth', 'PNC ID', 'Client ID' or 'Referral ID'")


def record_field(column: str) -> str:
    """The warehouse column of a record reference's token, e.g. ``cris_reference_token``."""
    return re.sub(r"[^a-z0-9]+", "_", column.lower()).strip("_") + "_token"


def token_fields(identifiers: tuple[Identifier, ...]) -> tuple[tuple[str, str, str], ...]:
    """``(token type, header, warehouse column)`` of every token a dataset's identifiers produce."""
    kinds = {i.kind for i in identifiers}
    out: list[tuple[str, str, str]] = []
    if "case" in kinds:
        out.append(("case", TOKEN_HEADERS["case"], "case_token"))
    for kind in ("pnc", "nhs"):
        if kind in kinds:
            out.append((kind, TOKEN_HEADERS[kind], f"{kind}_token"))
    if "dob" in kinds and ({"surname", "forename"} <= kinds or "full_name" in kinds):
        out.append(("name_dob", TOKEN_HEADERS["name_dob"], "name_dob_token"))
        out.append(("initial_dob", TOKEN_HEADERS["initial_dob"], "initial_dob_token"))
    if "postcode" in kinds:
        out.append(("postcode", TOKEN_HEADERS["postcode"], "postcode_token"))
    if "address" in kinds:
        out.append(("address", TOKEN_HEADERS["address"], "address_token"))
    for ident in identifiers:
        if ident.kind == "record":
            out.append((f"record:{ident.column}", f"{ident.column} token", record_field(ident.column)))
    return tuple(out)


@dataclass(frozen=True)
class RowTokens:
    """The tokens of one row, by token type, and what was wrong with its identifying values."""

    tokens: dict[str, str]
    problems: tuple[tuple[str, str], ...]  # (column, what is wrong: never the value)
    birth_date: date | None


def row_tokens(values: dict[str, str], identifiers: tuple[Identifier, ...], ring: Keyring,
               required: frozenset[str] = frozenset()) -> RowTokens:
    """Normalise a row's identifying values and make its tokens at the ring's current epoch.

    A blank value gives no token (and a problem when its column is in ``required``); an invalid
    one gives a problem, and no token that depends on it.
    """
    clean: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for ident in identifiers:
        value = values.get(ident.column)
        if ident.kind == "pnc" and ident.scope == SYNTHETIC_SCOPE and value:
            value = value.strip().removeprefix("SYN")
        try:
            if ident.kind == "full_name":
                split = split_full_name(value)
                normal = None if split is None else "|".join(split)
            elif ident.kind == "dob":
                normal = normalise_date(value)
            else:
                normal = NORMALISERS[ident.kind](value)
        except InvalidIdentifier as exc:
            problems.append((ident.column, str(exc)))
            continue
        if normal is None:
            if ident.column in required:
                problems.append((ident.column, "is blank; it is required"))
            continue
        clean[ident.column] = normal
    by_kind: dict[str, str] = {}
    for ident in identifiers:
        if ident.column in clean and ident.kind not in ("record",):
            by_kind.setdefault(ident.kind, clean[ident.column])
    tokens: dict[str, str] = {}

    def make(kind: str, *parts: str) -> str:
        return ring.token("|".join(("safer", NORMALISATION_VERSION, kind, *parts)))

    for ident in identifiers:
        if ident.kind == "case" and ident.column in clean:
            tokens.setdefault("case", make("case", ident.scope, clean[ident.column]))
        elif ident.kind == "record" and ident.column in clean:
            tokens[f"record:{ident.column}"] = make("record", ident.scope, ident.column, clean[ident.column])
    for kind in ("pnc", "nhs"):
        if kind in by_kind:
            tokens[kind] = make(kind, by_kind[kind])
    names = _surname_forename(by_kind)
    if names and "dob" in by_kind:
        surname, forename = names
        tokens["name_dob"] = make("name_dob", surname, forename, by_kind["dob"])
        tokens["initial_dob"] = make("initial_dob", surname, forename[0], by_kind["dob"])
    if "postcode" in by_kind:
        tokens["postcode"] = make("postcode", by_kind["postcode"])
    if "address" in by_kind:
        tokens["address"] = make("address", by_kind["address"], by_kind.get("postcode", ""))
    birth = date.fromisoformat(by_kind["dob"]) if "dob" in by_kind else None
    return RowTokens(tokens=tokens, problems=tuple(problems), birth_date=birth)


def _surname_forename(by_kind: dict[str, str]) -> tuple[str, str] | None:
    if "surname" in by_kind and "forename" in by_kind:
        return by_kind["surname"], by_kind["forename"]
    if "full_name" in by_kind:
        surname, forename = by_kind["full_name"].split("|")
        return surname, forename
    return None


def age_on(birth: date | None, when: str | None) -> int | None:
    """Whole years from ``birth`` to the date at the start of ``when`` (``YYYY-MM-DD...``); None if unknown.

    >>> age_on(date(1987, 4, 12), "2018-04-11 23:59"), age_on(date(1987, 4, 12), "2018-04-12")
    (30, 31)
    """
    if birth is None or not when:
        return None
    try:
        on = parse_date(when.strip()[:10])
    except InvalidIdentifier:
        return None
    if on is None or on < birth:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
