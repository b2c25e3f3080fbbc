"""Normalisation of identifying values and the keyed tokens made from them.

Expected values are written out by hand from the documented rules (docs/privacy.md); the token
checks recompute HMAC-SHA256 with the standard library, independently of safer's key code.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

import pytest

from safer.privacy.identifiers import Identifier, age_on, classify, row_tokens
from safer.privacy.keys import Keyring, rekey
from safer.privacy.normalise import (
    InvalidIdentifier,
    normalise_date,
    normalise_forename,
    normalise_nhs,
    normalise_pnc,
    normalise_postcode,
    normalise_reference,
    normalise_surname,
    split_full_name,
)

SECRET = bytes(range(32))
RING = Keyring((SECRET,), source="test")


@pytest.mark.parametrize(("raw", "expected"), [
    ("José", "JOSE"), ("  zoë ", "ZOE"), ("Mr. John", "JOHN"), ("Dr Mary-Ann", "MARY"), ("Jean Paul", "JEAN"),
    ("Ólafur", "OLAFUR"), ("Łukasz", "LUKASZ"), ("Søren", "SOREN"), ("", None), ("   ", None),
])
def test_forenames(raw, expected):
    assert normalise_forename(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("O'Neil", "ONEIL"), ("o’neil", "ONEIL"), ("Smith-Jones", "SMITHJONES"), ("smith jones", "SMITHJONES"),
    ("de la Cruz", "DELACRUZ"), ("Weiß", "WEISS"), ("Brañas", "BRANAS"), ("MÜLLER", "MULLER"),
])
def test_surnames(raw, expected):
    assert normalise_surname(raw) == expected


def test_full_names_split_as_documented():
    assert split_full_name("Smith, John Paul") == ("SMITH", "JOHN")
    assert split_full_name("Mrs Jane O'Neil") == ("ONEIL", "JANE")
    with pytest.raises(InvalidIdentifier):
        split_full_name("Madonna")


@pytest.mark.parametrize("raw", ["1987-04-12", "1987/04/12", "12/04/1987", "12-04-1987", "12.04.1987", "12/4/1987",
                                 "19870412", "12 Apr 1987", "12 April 1987", "12/04/1987 00:00",
                                 "1987-04-12T00:00:00", "1987-04-12 00:00:00"])
def test_dates_of_birth_in_every_accepted_layout_become_iso(raw):
    assert normalise_date(raw) == "1987-04-12"


@pytest.mark.parametrize(("raw", "why"), [
    ("31/02/1980", "not a real date"), ("12/04/87", "four-digit year"), ("1900-01-01", "placeholder"),
    ("1850-05-05", "before 1900"), ("2999-01-01", "in the future"), ("yesterday", "not a date"),
    ("12 Foo 1987", "not a date"),
])
def test_impossible_dates_of_birth_are_refused_without_echoing_the_value(raw, why):
    with pytest.raises(InvalidIdentifier) as info:
        normalise_date(raw)
    assert why in str(info.value)
    assert raw not in str(info.value)


def test_postcodes_pnc_nhs_and_references():
    assert normalise_postcode("w1d 4hs") == "W1D4HS"
    assert normalise_postcode("SW1A1AA") == "SW1A1AA"
    with pytest.raises(InvalidIdentifier):
        normalise_postcode("W1D 4H")
    assert normalise_pnc("99/123456X") == "99/0123456X"
    assert normalise_pnc("1999/123456x") == "99/0123456X"
    assert normalise_pnc("01 / 12345 X") == "01/0012345X"
    with pytest.raises(InvalidIdentifier):
        normalise_pnc("123456")
    # 943 476 5919 is the NHS's own example of a valid number; changing the last digit breaks its check digit
    assert normalise_nhs("943 476 5919") == "9434765919"
    with pytest.raises(InvalidIdentifier):
        normalise_nhs("9434765918")
    assert normalise_reference(" yp-10293 ") == "YP10293"


@pytest.mark.parametrize(("column", "kind"), [
    ("Victim forename", "forename"), ("Surname", "surname"), ("Date of birth", "dob"), ("PNC ID", "pnc"),
    ("NHS number", "nhs"), ("Postcode", "postcode"), ("Young person ID", "case"), ("Client ID", "case"),
    ("CRIS reference", "record"), ("Case ID", "record"), ("Offence ID", "record"), ("Home address", "address"),
])
def test_identifying_columns_are_classified_by_name(column, kind):
    assert classify(column, "date" if "birth" in column.lower() else "text") == kind


def test_an_unclassifiable_identifying_column_is_an_error():
    with pytest.raises(ValueError):
        classify("Nickname", "text")


def _hmac(message: str) -> str:
    return hmac.new(SECRET, message.encode(), hashlib.sha256).hexdigest()


def test_tokens_are_hmac_sha256_of_the_normalised_values():
    idents = (Identifier("First", "forename"), Identifier("Last", "surname"), Identifier("DOB", "dob"),
              Identifier("PNC", "pnc"), Identifier("Client", "case", scope="Agency A"))
    made = row_tokens({"First": "Zoë", "Last": "O'Neil", "DOB": "12/04/1987", "PNC": "1999/123456x",
                       "Client": "c-1"}, idents, RING)
    assert made.problems == ()
    assert made.tokens["name_dob"] == _hmac("safer|v1|name_dob|ONEIL|ZOE|1987-04-12")
    assert made.tokens["initial_dob"] == _hmac("safer|v1|initial_dob|ONEIL|Z|1987-04-12")
    assert made.tokens["pnc"] == _hmac("safer|v1|pnc|99/0123456X")
    assert made.tokens["case"] == _hmac("safer|v1|case|Agency A|C1")
    assert made.birth_date == date(1987, 4, 12)


def test_spellings_of_the_same_person_give_the_same_token_and_other_keys_do_not():
    idents = (Identifier("First", "forename"), Identifier("Last", "surname"), Identifier("DOB", "dob"))
    a = row_tokens({"First": "ZOE", "Last": "ONEIL", "DOB": "1987-04-12"}, idents, RING)
    b = row_tokens({"First": " zoë ", "Last": "O'Neil", "DOB": "12 Apr 1987"}, idents, RING)
    other = row_tokens({"First": "Zoe", "Last": "ONeil", "DOB": "1987-04-12"}, idents, Keyring((b"k" * 32,)))
    assert a.tokens == b.tokens
    assert other.tokens["name_dob"] != a.tokens["name_dob"]


def test_person_references_of_different_agencies_never_match():
    one = row_tokens({"ID": "123"}, (Identifier("ID", "case", scope="YOS"),), RING)
    two = row_tokens({"ID": "123"}, (Identifier("ID", "case", scope="VAWG"),), RING)
    assert one.tokens["case"] != two.tokens["case"]


def test_a_bad_value_is_a_problem_naming_the_column_and_no_token_depends_on_it():
    idents = (Identifier("First", "forename"), Identifier("Last", "surname"), Identifier("DOB", "dob"))
    made = row_tokens({"First": "Ann", "Last": "Lee", "DOB": "30/02/1990"}, idents, RING)
    assert [c for c, _ in made.problems] == ["DOB"]
    assert "name_dob" not in made.tokens
    assert "30/02/1990" not in repr(made.problems)
    blank = row_tokens({"First": "Ann", "Last": "Lee", "DOB": ""}, idents, RING, frozenset({"DOB"}))
    assert blank.problems == (("DOB", "is blank; it is required"),)


def test_key_epochs_chain_hmacs():
    later = Keyring((SECRET, b"s" * 32))
    first = RING.token("safer|v1|pnc|99/0123456X")
    assert later.token("safer|v1|pnc|99/0123456X") == hmac.new(b"s" * 32, first.encode(), hashlib.sha256).hexdigest()
    assert later.lift(first, 0) == rekey(b"s" * 32, first)
    assert "secrets" not in repr(later) and SECRET.hex() not in repr(later)


def test_age_at_event():
    assert age_on(date(2000, 2, 29), "2018-02-28") == 17
    assert age_on(date(2000, 2, 29), "2018-03-01 09:00") == 18
    assert age_on(date(2000, 2, 29), "not a date") is None
