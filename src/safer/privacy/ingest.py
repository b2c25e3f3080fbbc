"""Pseudonymise person-level files during ingest, before any row reaches the warehouse.

Ingest recognises a person-level file by its header (the raw layout of a person-level dataset,
or its pseudonymised layout) and, through the file converter registered here, writes a
pseudonymised working copy in ingest's temporary folder; the normal loader then loads that copy.
A raw file is pseudonymised with the partnership key; a pseudonymised file made with an earlier
key epoch is re-keyed; a file made with another key is refused.

The key is the one made active with :func:`pseudonymising` around the ingest. Without one, every
person-level file is refused with a message saying how to configure a key, and nothing is loaded.

Example:
    >>> with pseudonymising(warehouse, load_keyring(config)):  # doctest: +SKIP
    ...     ingest_paths(warehouse, [Path("marac-cases.csv")])
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

from safer.errors import PrivacyError
from safer.privacy.epochs import check_warehouse_key
from safer.privacy.keys import Keyring
from safer.privacy.layout import layout_for_header
from safer.privacy.pseudonymise import pseudonymise_file, read_header, rekey_file
from safer.sources.files import Converter, register_converter
from safer.sources.formats import RecordFormat

if TYPE_CHECKING:
    from safer.warehouse.connect import Warehouse

_ACTIVE: ContextVar[Keyring | None] = ContextVar("safer_pseudonymisation_key", default=None)


@contextmanager
def pseudonymising(warehouse: Warehouse | None, ring: Keyring | None, *,
                   key_file: Path | None = None) -> Iterator[Keyring | None]:
    """Make ``ring`` the key person-level files are pseudonymised with, for the ingests inside the block.

    With a warehouse, first checks that its tokens were made with this key (recording the key when
    the warehouse has none yet). ``ring`` None keeps refusing person-level files.
    """
    if ring is not None and warehouse is not None:
        check_warehouse_key(warehouse, ring, key_file=key_file)
    token = _ACTIVE.set(ring)
    try:
        yield ring
    finally:
        _ACTIVE.reset(token)


def _matches(local: Path, name: str) -> bool:
    header = read_header(local, name)
    return header is not None and layout_for_header(header) is not None


def _convert(local: Path, workdir: Path, name: str) -> tuple[Path, RecordFormat]:
    layout, pseudonymised = layout_for_header(read_header(local, name))
    ring = _ACTIVE.get()
    if ring is None:
        raise PrivacyError(
            f"{name}: this {layout.dataset} file holds person-level data ({', '.join(layout.identifying)} "
            f"{'as tokens' if pseudonymised else 'identify a person'}). safer loads such data only pseudonymised, "
            "with the partnership's key, and no key is configured; nothing was loaded. Create the key once with "
            "`safer key new PATH` and name it in safer.toml ([privacy] key_file = \"PATH\", or key_env), or ask "
            "the agency to run `safer pseudonymise` with the partnership key before sharing the file.")
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / (hashlib.sha1(name.encode()).hexdigest()[:16] + "-pseudonymised.csv")
    if pseudonymised:
        rekey_file(local, target, layout, ring, name=name)
    else:
        pseudonymise_file(local, target, layout, ring, name=name)
    return target, layout.format


CONVERTER = register_converter(Converter(name="person-level pseudonymisation", suffixes=(), matches=_matches,
                                         convert=_convert))
