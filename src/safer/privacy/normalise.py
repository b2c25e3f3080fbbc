"""Normalise identifying values so that every agency's spelling of the same fact hashes alike.

A keyed hash only links two records when their inputs are byte-for-byte equal, so each kind
of identifier is reduced to one canonical text first (the rules are listed in
``docs/privacy.md``; change them only with a new ``NORMALISATION_VERSION``, since every token
depends on them):

- **names**: Unicode NFKD with the accents dropped (``José`` -> ``JOSE``), letters that have no
  decomposition spelt out (``ß`` -> ``SS``, ``Ø`` -> ``O``, ``Æ`` -> ``AE``), upper case, and
  apostrophes, full stops and other punctuation removed (``O'Neil`` -> ``ONEIL``). A forename
  keeps its first word (hyphens and spaces separate words: ``Mary-Ann`` -> ``MARY``) after
  leading titles (``Mr``, ``Dr`` ...) are dropped; a surname keeps every word, joined
  (``de la Cruz`` -> ``DELACRUZ``, ``Smith-Jones`` -> ``SMITHJONES``);
- **dates of birth**: ISO ``YYYY-MM-DD`` from ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``DD/MM/YYYY``,
  ``DD-MM-YYYY``, ``DD.MM.YYYY``, ``YYYYMMDD`` or ``12 Apr 1987`` (a trailing midnight time, as
  spreadsheets add, is ignored). Day-first is assumed for ``NN/NN/YYYY``, as in UK systems.
  Two-digit years, impossible dates, dates in the future, dates before 1900 and the placeholder
  ``1900-01-01`` are invalid;
- **postcodes**: upper case without spaces, checked against the UK postcode pattern
  (``w1d 4hs`` -> ``W1D4HS``);
- **PNC identifiers**: ``YY/NNNNNNNL`` with a two-digit year, the serial zero-padded to seven
  digits and the check letter upper case (``2001/12345x`` -> ``01/0012345X``). The check letter
  is not verified;
- **NHS numbers**: ten digits (spaces and hyphens removed) whose modulus 11 check digit is right;
- **case and record references**: upper case with whitespace and punctuation removed
  (``yp-10293`` -> ``YP10293``);
- **addresses**: names' rules, with digits kept and words joined by single spaces.

Every function returns the canonical text, ``None`` for a blank value, and raises
:class:`InvalidIdentifier` (whose message never contains the value) when the value cannot be
an identifier of that kind.

Example:
    >>> normalise_surname("  O'Neil-Brañas "), normalise_forename("Dr. Mary-Ann"), normalise_date("12/04/1987")
    ('ONEILBRANAS', 'MARY', '1987-04-12')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date

NORMALISATION_VERSION = "v1"

#: Letters NFKD does not decompose into ASCII, spelt out by hand.
_SPELT_OUT = str.maketrans({"ß": "SS", "ẞ": "SS", "Æ": "AE", "æ": "AE", "Œ": "OE", "œ": "OE", "Ø": "O", "ø": "O",
                            "Ł": "L", "ł": "L", "Đ": "D", "đ": "D", "Þ": "TH", "þ": "TH", "Ð": "D", "ð": "D",
                            "ı": "I", "Ħ": "H", "ħ": "H"})
_TITLES = frozenset({"MR", "MRS", "MS", "MISS", "MX", "MASTER", "DR", "PROF", "PROFESSOR", "SIR", "DAME", "LADY",
                     "LORD", "REV", "REVD", "FR", "SR"})
_MONTHS = {name: number for number, names in enumerate(
    (("JAN", "JANUARY"), ("FEB", "FEBRUARY"), ("MAR", "MARCH"), ("APR", "APRIL"), ("MAY",), ("JUN", "JUNE"),
     ("JUL", "JULY"), ("AUG", "AUGUST"), ("SEP", "SEPT", "SEPTEMBER"), ("OCT", "OCTOBER"), ("NOV", "NOVEMBER"),
     ("DEC", "DECEMBER")), start=1) for name in names}
_MIDNIGHT = re.compile(r"[ T]00:00(:00(\.0+)?)?(Z|[+-]00:?00)?$")
_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_WORDY = re.compile(r"^(\d{1,2})[ -]([A-Z]+)[ -](\d{4})$")
_POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2})$")
_PNC = re.compile(r"^(\d{2}|\d{4})/?(\d{1,7})([A-Z])$")
_EARLIEST_BIRTH = date(1900, 1, 1)


class InvalidIdentifier(ValueError):
    """A value that cannot be an identifier of its kind. The message says what was expected, never the value."""


def ascii_upper(text: str) -> str:
    """Upper case ASCII letters, digits, spaces and punctuation: accents dropped, special letters spelt out.

    >>> ascii_upper("Zoë Łukasiewicz-Ørsted")
    'ZOE LUKASIEWICZ-ORSTED'
    """
    if text.isascii():
        return text.upper()
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPELT_OUT))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.upper().encode("ascii", "ignore").decode("ascii")


_SEPARATORS = re.compile(r"[-‐‑‒–—_/\s]+")
_NOT_LETTER = re.compile(r"[^A-Z ]")


def _words(text: str) -> list[str]:
    """Name words: letters only, hyphens and whitespace separating words, other punctuation dropped."""
    return _NOT_LETTER.sub("", _SEPARATORS.sub(" ", ascii_upper(text))).split()


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def normalise_forename(value: str | None) -> str | None:
    """The first forename, without titles.

    >>> normalise_forename("Mr Jean-Luc"), normalise_forename("  ")
    ('JEAN', None)
    """
    if _blank(value):
        return None
    words = _without_titles(_words(value))
    if not words:
        raise InvalidIdentifier("not a forename; expected letters, e.g. Alex")
    return words[0]


def normalise_surname(value: str | None) -> str | None:
    """The whole surname, its words joined.

    >>> normalise_surname("de la Cruz")
    'DELACRUZ'
    """
    if _blank(value):
        return None
    words = _words(value)
    if not words:
        raise InvalidIdentifier("not a surname; expected letters, e.g. Smith")
    return "".join(words)


def split_full_name(value: str | None) -> tuple[str, str] | None:
    """``(surname, forename)`` from one name field: ``Surname, Forename`` or ``Forename ... Surname``.

    Without a comma the last word is taken as the surname, so multi-word surnames in a single name
    field do not match the same surname given in a surname field.

    >>> split_full_name("SMITH, John Paul"), split_full_name("Dr John Paul Smith")
    (('SMITH', 'JOHN'), ('SMITH', 'JOHN'))
    """
    if _blank(value):
        return None
    if "," in value:
        surname_part, forename_part = value.split(",", 1)
        surname, forename = normalise_surname(surname_part), normalise_forename(forename_part)
    else:
        words = _without_titles(_words(value))
        if len(words) < 2:
            raise InvalidIdentifier("not a full name; expected a forename and a surname, e.g. Alex Smith")
        surname, forename = words[-1], words[0]
    if not surname or not forename:
        raise InvalidIdentifier("not a full name; expected a forename and a surname, e.g. Alex Smith")
    return surname, forename


def _without_titles(words: list[str]) -> list[str]:
    while len(words) > 1 and words[0] in _TITLES:
        words = words[1:]
    return words


def parse_date(value: str | None) -> date | None:
    """A calendar date from any of the accepted layouts (see the module notes); None when blank.

    >>> parse_date("1987-04-12"), parse_date("12.4.1987"), parse_date("12 April 1987 00:00")
    (datetime.date(1987, 4, 12), datetime.date(1987, 4, 12), datetime.date(1987, 4, 12))
    """
    if _blank(value):
        return None
    stripped = value.strip()
    if len(stripped) == 10 and stripped[4] == "-" and stripped[7] == "-":  # ISO, the usual case
        try:
            return date.fromisoformat(stripped)
        except ValueError:
            pass
    text = _MIDNIGHT.sub("", ascii_upper(stripped))
    for pattern, order in ((_ISO, "ymd"), (_DAY_FIRST, "dmy"), (_COMPACT, "ymd"), (_WORDY, "dmy")):
        match = pattern.match(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups()))
        month = parts["m"]
        month_number = int(month) if month.isdigit() else _MONTHS.get(month)
        if month_number is None:
            break
        try:
            return date(int(parts["y"]), month_number, int(parts["d"]))
        except ValueError:
            raise InvalidIdentifier("not a real date") from None
    raise InvalidIdentifier("not a date; expected e.g. 1987-04-12 or 12/04/1987 (four-digit year)")


def normalise_date(value: str | None, *, today: date | None = None) -> str | None:
    """A date of birth as ``YYYY-MM-DD``.

    >>> normalise_date("19870412")
    '1987-04-12'
    >>> normalise_date("01/01/1900")
    Traceback (most recent call last):
    ...
    safer.privacy.normalise.InvalidIdentifier: not a real date of birth: 1 January 1900 is a placeholder; leave it blank
    """
    try:
        parsed = parse_date(value)
    except InvalidIdentifier as exc:
        raise InvalidIdentifier(f"{exc} of birth" if str(exc) == "not a real date" else str(exc)) from None
    if parsed is None:
        return None
    if parsed == _EARLIEST_BIRTH:
        raise InvalidIdentifier("not a real date of birth: 1 January 1900 is a placeholder; leave it blank")
    if parsed < _EARLIEST_BIRTH or parsed > (today or date.today()):
        raise InvalidIdentifier("not a possible date of birth: before 1900 or in the future")
    return parsed.isoformat()


def normalise_postcode(value: str | None) -> str | None:
    """A UK postcode, upper case without spaces.

    >>> normalise_postcode(" sw1a 1aa ")
    'SW1A1AA'
    """
    if _blank(value):
        return None
    text = re.sub(r"\s+", "", ascii_upper(value))
    if not _POSTCODE.match(text):
        raise InvalidIdentifier("not a UK postcode; expected e.g. W1D 4HS")
    return text


def normalise_pnc(value: str | None) -> str | None:
    """A Police National Computer identifier as ``YY/NNNNNNNL``.

    >>> normalise_pnc("2001/12345x"), normalise_pnc("99/123456X")
    ('01/0012345X', '99/0123456X')
    """
    if _blank(value):
        return None
    text = re.sub(r"\s+", "", ascii_upper(value))
    match = _PNC.match(text)
    if not match:
        raise InvalidIdentifier("not a PNC identifier; expected a year, a slash, a serial number and a check "
                                "letter, e.g. 99/123456X")
    year, serial, letter = match.groups()
    return f"{year[-2:]}/{int(serial):07d}{letter}"


def normalise_nhs(value: str | None) -> str | None:
    """A ten-digit NHS number with a correct modulus 11 check digit.

    >>> normalise_nhs("943 476 5919")
    '9434765919'
    """
    if _blank(value):
        return None
    digits = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"\d{10}", digits):
        raise InvalidIdentifier("not an NHS number; expected ten digits, e.g. 943 476 5919")
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check == 10 or check != int(digits[9]):
        raise InvalidIdentifier("not a valid NHS number: its check digit is wrong")
    return digits


def normalise_reference(value: str | None) -> str | None:
    """A case or record reference: upper case letters and digits only.

    >>> normalise_reference(" yp-10293 ")
    'YP10293'
    """
    if _blank(value):
        return None
    text = re.sub(r"[^A-Z0-9]", "", ascii_upper(value))
    if not text:
        raise InvalidIdentifier("not a reference; expected letters or digits, e.g. YP-10293")
    return text


def normalise_address(value: str | None) -> str | None:
    """An address line: upper case words of letters and digits, single spaces.

    >>> normalise_address("Flat 2, 10 St. John's Wood Rd")
    'FLAT 2 10 ST JOHNS WOOD RD'
    """
    if _blank(value):
        return None
    cleaned = re.sub(r"[,;:/\\-]", " ", ascii_upper(value))
    words = re.sub(r"[^A-Z0-9 ]", "", cleaned).split()
    if not words:
        raise InvalidIdentifier("not an address; expected e.g. 10 Downing Street")
    return " ".join(words)


#: The normaliser of each kind of identifying column.
NORMALISERS: dict[str, Callable[[str | None], str | None]] = {
    "forename": normalise_forename, "surname": normalise_surname, "dob": normalise_date,
    "postcode": normalise_postcode, "pnc": normalise_pnc, "nhs": normalise_nhs, "case": normalise_reference,
    "record": normalise_reference, "address": normalise_address,
}
