"""The agency's side: pseudonymise a dataset file before it is shared, so the raw file never leaves.

Example:
    >>> result = pseudonymise_dataset("marac-cases", Path("marac.csv"), Path("marac-shared.csv"),
    ...                                key_file=Path("partnership.key"))  # doctest: +SKIP
    >>> result.rows_with_problems  # doctest: +SKIP
    0
"""

from __future__ import annotations

from pathlib import Path

import safer.privacy.contracts  # noqa: F401  (registers the person-level contract layouts)
from safer.errors import PrivacyError, SourceError
from safer.privacy.keys import configured_keyring
from safer.privacy.layout import layout_for_header, layouts_of, registered_layouts
from safer.privacy.pseudonymise import PseudonymisedFile, pseudonymise_file, read_header


def pseudonymise_dataset(dataset: str, source: Path, output: Path, *, key_file: Path | None = None,
                         key_env: str | None = None, overwrite: bool = False) -> PseudonymisedFile:
    """Write the pseudonymised copy of a raw ``dataset`` file.

    Raises SourceError for an unknown dataset or a header that is not the dataset's, and
    PrivacyError when no key is given or ``output`` would overwrite a file.
    """
    layouts = layouts_of(dataset)
    if not layouts:
        known = sorted({layout.dataset for layout in registered_layouts()})
        raise SourceError(f"{dataset!r} is not a person-level dataset; choose one of: {', '.join(known)} "
                          "(files of other datasets hold nobody's identity and are shared as they are)")
    if not source.exists():
        raise SourceError(f"{source}: no such file; check the path")
    if output.resolve() == source.resolve():
        raise PrivacyError(f"{output}: the output must be a new file, not the raw file itself")
    if output.exists() and not overwrite:
        raise PrivacyError(f"{output}: already exists; choose another name or pass --force")
    ring = configured_keyring(key_file, key_env)
    if ring is None:
        raise PrivacyError("no key given: pass --key-file PATH (the partnership key, made once with "
                           "`safer key new PATH`) or --key-env NAME, or run where safer.toml names the key")
    header = read_header(source, str(source)) or []
    found = layout_for_header(header)
    if found is not None and found[0].dataset == dataset and found[1]:
        raise SourceError(f"{source}: already pseudonymised (it has the {dataset} pseudonymised columns); share it "
                          "as it is")
    layout = found[0] if found is not None and found[0].dataset == dataset else layouts[0]
    return pseudonymise_file(source, output, layout, ring, name=str(source))
