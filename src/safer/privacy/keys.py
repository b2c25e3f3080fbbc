"""The partnership's pseudonymisation key: a chain of secrets, one per key epoch.

A key file holds one or more random 256-bit secrets, oldest first. The first is the one every
agency pseudonymises with; each later one was added by a key rotation (``safer key rotate``). A
token at epoch ``n`` is the HMAC chain

    token_0 = HMAC-SHA256(secret_0, message)
    token_n = HMAC-SHA256(secret_n, token_(n-1))

so a warehouse re-keys every stored token without the raw values (see ``docs/privacy.md``).

The file is plain text::

    # comments
    safer-key-v1
    <secret 0, base64>
    <secret 1, base64>

An environment variable may hold the same secrets instead, separated by commas or spaces.
A key is known by its **key id**, a fingerprint that reveals nothing about the secret
(``HMAC-SHA256(secret, "safer key id")``, first 12 hex digits); key ids may be shown and logged,
the secrets never are.

Example:
    >>> ring = Keyring((b"0" * 32,), source="example")
    >>> ring.key_id, ring.epoch
    ('bebc2eb1b4e3', 0)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets as _secrets
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from safer.errors import PrivacyError

FILE_MARKER = "safer-key-v1"
SECRET_BYTES = 32
_KEY_ID_MESSAGE = b"safer key id"
_HEADER = """\
# safer pseudonymisation key. KEEP THIS FILE SECRET.
# Anyone holding it together with lists of names and dates of birth could re-identify the people
# in the warehouse. Store it away from the warehouse, its backups and the assessment outputs, and
# give it only to the people who pseudonymise partner data (see docs/privacy.md).
# Each line after the marker is one key epoch, oldest first; `safer key rotate` adds lines.
"""


@dataclass(frozen=True)
class Keyring:
    """The secrets of every key epoch, oldest first. Never printed: its repr shows key ids only."""

    secrets: tuple[bytes, ...] = field(repr=False)
    source: str = "key"  # where it came from, for messages: "key file /x/y.key", "environment variable SAFER_KEY"

    def __post_init__(self) -> None:
        if not self.secrets:
            raise PrivacyError(f"{self.source}: holds no key; create one with `safer key new PATH`")
        for secret in self.secrets:
            if len(secret) < 16:
                raise PrivacyError(f"{self.source}: a key is shorter than 128 bits; create a new one with "
                                "`safer key new PATH`")

    @property
    def epoch(self) -> int:
        """The current key epoch (0 until the first rotation)."""
        return len(self.secrets) - 1

    @cached_property
    def key_ids(self) -> tuple[str, ...]:
        """The key id of every epoch, oldest first."""
        return tuple(key_id(secret) for secret in self.secrets)

    @property
    def key_id(self) -> str:
        """The key id of the current epoch."""
        return self.key_ids[-1]

    def epoch_of(self, key_id_: str) -> int | None:
        """The epoch whose key id is ``key_id_``; None when the key is not in this ring."""
        ids = self.key_ids
        return ids.index(key_id_) if key_id_ in ids else None

    def token(self, message: str) -> str:
        """The token of ``message`` at the current epoch (64 hex digits)."""
        token = hmac.digest(self.secrets[0], message.encode("utf-8"), "sha256").hex()
        return self.lift(token, 0) if len(self.secrets) > 1 else token

    def lift(self, token: str, from_epoch: int) -> str:
        """Bring a token made at ``from_epoch`` to the current epoch."""
        for secret in self.secrets[from_epoch + 1:]:
            token = rekey(secret, token)
        return token

    def with_new_epoch(self, secret: bytes | None = None) -> Keyring:
        """This ring with one more epoch (a new random secret unless one is given)."""
        return Keyring((*self.secrets, secret or new_secret()), source=self.source)

    def __str__(self) -> str:
        return f"key {self.key_id} (epoch {self.epoch}, {self.source})"


def rekey(secret: bytes, token: str) -> str:
    """One rotation step: the new token of an existing one."""
    return hmac.digest(secret, token.encode("ascii"), "sha256").hex()


def key_id(secret: bytes) -> str:
    """A short public fingerprint of a secret."""
    return hmac.new(secret, _KEY_ID_MESSAGE, hashlib.sha256).hexdigest()[:12]


def new_secret() -> bytes:
    """A fresh random 256-bit secret from the operating system's secure generator."""
    return _secrets.token_bytes(SECRET_BYTES)


def write_key_file(path: Path, ring: Keyring, *, overwrite: bool = False) -> Path:
    """Write ``ring`` to ``path``, readable by its owner only.

    Raises PrivacyError when the file exists and ``overwrite`` is False: replacing a key makes every
    token already made with it unmatchable.
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise PrivacyError(f"{path}: a key file is already here; replacing it would make every record "
                        "pseudonymised with it unlinkable. Choose another path")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = _HEADER + FILE_MARKER + "\n" + "".join(base64.b64encode(s).decode("ascii") + "\n" for s in ring.secrets)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(text)
    os.chmod(path, 0o600)
    return path


def new_key_file(path: Path) -> Keyring:
    """Create a key file holding one new secret; return its ring."""
    ring = Keyring((new_secret(),), source=f"key file {path}")
    write_key_file(path, ring)
    return ring


def read_key_file(path: Path) -> Keyring:
    """The ring in a key file; PrivacyError saying what to do when it is missing or malformed."""
    path = Path(path)
    if not path.exists():
        raise PrivacyError(f"{path}: no key file here; create one with `safer key new {path}` (once, for the whole "
                        "partnership) or correct [privacy] key_file in safer.toml")
    lines = [line.strip() for line in path.read_text(encoding="ascii", errors="replace").splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if not lines or lines[0] != FILE_MARKER:
        raise PrivacyError(f"{path}: not a safer key file (its first line must be {FILE_MARKER}); "
                        "create one with `safer key new PATH`")
    return Keyring(tuple(_decode(line, f"{path} line {i + 2}") for i, line in enumerate(lines[1:])),
                   source=f"key file {path}")


def read_key_env(name: str) -> Keyring:
    """The ring in environment variable ``name`` (secrets in base64, oldest first, comma or space separated)."""
    value = os.environ.get(name)
    if not value or not value.strip():
        raise PrivacyError(f"environment variable {name} is not set; set it to the partnership key, or use "
                        "[privacy] key_file in safer.toml")
    parts = [p for p in value.replace(",", " ").split() if p != FILE_MARKER]
    return Keyring(tuple(_decode(p, f"environment variable {name}") for p in parts),
                   source=f"environment variable {name}")


def _decode(text: str, where: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise PrivacyError(f"{where}: not a base64 key; the key file may be damaged. Restore it from its "
                        "safe copy") from None


def configured_keyring(key_file: Path | None, key_env: str | None) -> Keyring | None:
    """The key named by the configuration ([privacy] key_file, else key_env); None when neither is set.

    >>> configured_keyring(None, None) is None
    True
    """
    if key_file is not None:
        return read_key_file(key_file)
    if key_env:
        return read_key_env(key_env)
    return None
