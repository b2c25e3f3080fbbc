"""Privacy: pseudonymisation of person-level data, key management, and disclosure control.

- :mod:`~safer.privacy.normalise` and :mod:`~safer.privacy.identifiers`: identifying values
  normalised and turned into keyed HMAC-SHA256 tokens;
- :mod:`~safer.privacy.keys`, :mod:`~safer.privacy.epochs`, :mod:`~safer.privacy.rotation`: the
  partnership key, its epochs, and re-keying the warehouse;
- :mod:`~safer.privacy.layout`, :mod:`~safer.privacy.pseudonymise`, :mod:`~safer.privacy.ingest`,
  :mod:`~safer.privacy.agency`, :mod:`~safer.privacy.contracts`: person-level files pseudonymised at
  the agency or at ingest, before anything reaches the warehouse;
- :mod:`~safer.privacy.disclosure`: small-number suppression of every published person-level table.

``docs/privacy.md`` explains the design.
"""

from safer.privacy.agency import pseudonymise_dataset
from safer.privacy.ingest import pseudonymising
from safer.privacy.keys import Keyring, configured_keyring, new_key_file, read_key_file
from safer.privacy.rotation import catch_up, rotate_key

__all__ = ["Keyring", "catch_up", "configured_keyring", "new_key_file", "pseudonymise_dataset", "pseudonymising",
           "read_key_file", "rotate_key"]
