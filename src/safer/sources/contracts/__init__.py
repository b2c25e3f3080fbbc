"""Partner dataset contracts: one documented CSV layout per agency dataset.

Each ``*.toml`` file in this folder is one contract (see ``schema.py`` for what it holds and
``docs/contracts/`` for the pages agencies read). Importing this package reads every contract,
turns it into a :class:`RecordFormat` and registers it, so ``safer ingest`` recognises partner
files by their header and loads them with the same ledger, quarantine, de-duplication and
transactions as police.uk files. Files of a person-level contract (one holding fields that
identify a person) are never stored as they are: ``safer.privacy`` pseudonymises them as they load
(keyed hashing with the partnership's key, see docs/privacy.md). A file holding such fields that
reaches the loader without being pseudonymised (no key configured) is refused before anything is
loaded (``safer.sources.formats.refuse_identifying``).

Example:
    >>> contract("las-assaults").title
    'London Ambulance Service assaults'
    >>> contract("ambulance")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    safer.errors.SourceError: 'ambulance' is not a known dataset contract; choose one of: adult-safeguarding, ...
"""

from __future__ import annotations

from safer.errors import SourceError
from safer.sources.contracts.build import FAMILY, contract_format
from safer.sources.contracts.schema import CONTRACT_FOLDER, SYNTHETIC, Column, Contract, load_contract
from safer.sources.formats import RecordFormat, register

#: Every contract, by name, in alphabetical order.
CONTRACTS: dict[str, Contract] = {
    c.name: c for c in sorted((load_contract(p) for p in CONTRACT_FOLDER.glob("*.toml")), key=lambda c: c.name)}
#: The registered record format of every contract, by name.
FORMATS: dict[str, RecordFormat] = {name: register(contract_format(c)) for name, c in CONTRACTS.items()}
#: The synthetic variant of every contract (the files ``safer synth`` writes), by contract name.
SYNTHETIC_FORMATS: dict[str, RecordFormat] = {
    name: register(contract_format(c, synthetic=True)) for name, c in CONTRACTS.items()}


def known_contracts() -> tuple[str, ...]:
    """The names of every dataset contract."""
    return tuple(CONTRACTS)


def contract(name: str) -> Contract:
    """The contract called ``name``; SourceError listing every known contract otherwise."""
    try:
        return CONTRACTS[name]
    except KeyError:
        raise SourceError(f"{name!r} is not a known dataset contract; choose one of: "
                          f"{', '.join(known_contracts())} (see docs/contracts/README.md)") from None


def formats_for(name: str) -> tuple[RecordFormat, RecordFormat]:
    """The contract called ``name`` and its synthetic variant (``safer ingest --dataset NAME``)."""
    found = contract(name).name
    return FORMATS[found], SYNTHETIC_FORMATS[found]


def loadable_contracts() -> tuple[Contract, ...]:
    """Contracts whose files load as supplied (none of their fields identifies a person; person-level
    contracts load only pseudonymised, through ``safer.privacy``)."""
    return tuple(c for c in CONTRACTS.values() if c.loadable)


__all__ = ["CONTRACTS", "FAMILY", "FORMATS", "SYNTHETIC", "SYNTHETIC_FORMATS", "Column", "Contract", "contract",
           "contract_format",
           "formats_for", "known_contracts", "load_contract", "loadable_contracts"]
