"""The person-level partner dataset contracts, as pseudonymised layouts.

Each contract in ``safer.sources.contracts`` marks the columns that identify a person
(``identifies_person``). This module reads that marking, works out the kind of each identifying
column from its name and type (:func:`safer.privacy.identifiers.classify`: ``Date of birth`` is a
date of birth, ``PNC ID`` a PNC identifier, ``Young person ID`` the agency's person reference,
``CRIS reference`` a record reference ...) and registers a :class:`PersonLayout` for the contract
and for its synthetic variant. Person references are scoped to the contract's agency, so the YOS
caseload and the YOS offences link on ``Young person ID`` while two agencies' ids never collide;
record references are scoped to the dataset.

Importing this module (the warehouse schema does) is what lets ``safer ingest`` load
person-level contracts, pseudonymised, once a key is configured.

Example:
    >>> [i.kind for i in contract_identifiers(contract("iom-offences"))]
    ['record', 'pnc']
"""

from __future__ import annotations

import safer.privacy.ingest  # noqa: F401  (registers the converter that pseudonymises person-level files)
from safer.privacy.identifiers import SYNTHETIC_SCOPE, Identifier, classify
from safer.privacy.layout import PersonLayout, person_layout, register_layout
from safer.sources.contracts import CONTRACTS, FORMATS, SYNTHETIC_FORMATS, Contract, contract

__all__ = ["CONTRACT_LAYOUTS", "contract", "contract_identifiers", "contract_layouts"]


def contract_identifiers(c: Contract) -> tuple[Identifier, ...]:
    """Every identifying column of a contract, with its kind and scope."""
    out = []
    for column in c.columns:
        if not column.identifies_person:
            continue
        kind = classify(column.name, column.type)
        scope = c.agency if kind == "case" else c.name if kind == "record" else ""
        out.append(Identifier(column.name, kind, scope))
    return tuple(out)


def contract_layouts(c: Contract) -> tuple[PersonLayout, PersonLayout]:
    """The layouts of a person-level contract and of its synthetic variant.

    In the synthetic variant, PNC identifiers may carry the generator's ``SYN`` marker (see
    :data:`safer.privacy.identifiers.SYNTHETIC_SCOPE`); an agency's file never does.
    """
    identifiers = contract_identifiers(c)
    synthetic = tuple(Identifier(i.column, i.kind, SYNTHETIC_SCOPE) if i.kind == "pnc" else i for i in identifiers)
    when = c.role("when") or c.role("month")
    when_name = when.name if when is not None and when.type in ("date", "datetime") else None
    required = frozenset(col.name for col in c.columns if col.identifies_person and col.required)
    return tuple(person_layout(fmt, idents, dataset=c.name, when=when_name, required=required)
                 for fmt, idents in ((FORMATS[c.name], identifiers), (SYNTHETIC_FORMATS[c.name], synthetic)))


#: The registered layouts of every person-level contract, by contract name.
CONTRACT_LAYOUTS: dict[str, tuple[PersonLayout, ...]] = {
    name: tuple(register_layout(layout) for layout in contract_layouts(c))
    for name, c in CONTRACTS.items() if c.identifying
}
