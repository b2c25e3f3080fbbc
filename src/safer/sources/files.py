"""Find input files and make each one ready to load.

Paths given by the user may be CSV files (plain or ``.gz``), folders of them, or
police.uk monthly archive zips (``YYYY-MM/YYYY-MM-force-street.csv`` inside).
Preparing a file hashes its content (the ledger's identity for the file), checks
that it is UTF-8 (re-encoding Windows-1252 files into a working copy), reads the
header and recognises the format. Nothing is loaded here.

Example:
    >>> from pathlib import Path
    >>> files = discover([Path("data/2017-01")])  # doctest: +SKIP
    >>> prepared = [prepare(f, Path("/tmp/work")) for f in files]  # doctest: +SKIP
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from safer.errors import SourceError
from safer.sources.formats import RecordFormat, check_header, detect_format
from safer.sources.policeuk import force_from_name

_CHUNK = 1 << 22
_READABLE = (".csv", ".csv.gz")


@dataclass(frozen=True)
class Converter:
    """A file kind no CSV format reads as it is (e.g. police.uk API JSON), or one needing whole-file checks.

    ``matches(local, name)`` says whether a file (on disk, UTF-8) is this kind; ``convert(local, workdir, name)``
    checks it and returns the path the loader reads (a CSV working copy, or ``local`` itself) and the
    format of that CSV (None: recognise it by its header as usual). Register with :func:`register_converter`.
    """

    name: str
    suffixes: tuple[str, ...]  # file name endings to pick up besides .csv / .csv.gz, e.g. (".json", ".json.gz")
    matches: Callable[[Path, str], bool]
    convert: Callable[[Path, Path, str], tuple[Path, RecordFormat | None]]


_CONVERTERS: dict[str, Converter] = {}


def register_converter(converter: Converter) -> Converter:
    """Make ``prepare`` (and ``discover``, for new suffixes) handle the converter's files; return it."""
    _CONVERTERS[converter.name] = converter
    return converter


@dataclass(frozen=True)
class InputFile:
    """A file to load: on disk, or a member of a zip archive."""

    name: str  # how the file is named to the user, e.g. "2018-01.zip!2018-01/2018-01-btp-street.csv"
    path: Path  # the file on disk, or the archive holding it
    member: str | None = None  # the member inside ``path`` when it is an archive


@dataclass(frozen=True)
class PreparedFile:
    """A file ready for the loader: UTF-8 on disk, hashed, its format known."""

    name: str
    local_path: Path
    sha256: str
    encoding: str
    format: RecordFormat
    force: str | None
    header: tuple[str, ...]


def discover(paths: list[Path]) -> list[InputFile]:
    """List the loadable files under the given paths, in a stable order.

    Raises SourceError for a path that does not exist or holds nothing loadable.
    """
    found: list[InputFile] = []
    for path in paths:
        if not path.exists():
            raise SourceError(f"{path}: no such file or folder; check the path")
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and _is_loadable(p.name))
            if not inside:
                raise SourceError(f"{path}: the folder holds no .csv, .csv.gz or .zip files")
            found.extend(item for p in inside for item in _expand(p))
        elif _is_loadable(path.name):
            found.extend(_expand(path))
        else:
            raise SourceError(f"{path}: not a .csv, .csv.gz or .zip file; give police.uk CSV files, "
                              "folders of them or monthly archive zips")
    return found


def prepare(item: InputFile, workdir: Path, *,
            expected: RecordFormat | tuple[RecordFormat, ...] | None = None) -> PreparedFile:
    """Hash, check the encoding of, and recognise one input file.

    Zip members and non-UTF-8 files are written to ``workdir`` as UTF-8 copies.
    Raises SourceError when the file is empty or is not a police.uk format (or not ``expected``,
    when given: e.g. ``safer ingest --dataset NAME``).
    """
    local = _materialise(item, workdir)
    sha256, is_utf8 = _hash_and_check_utf8(local)
    encoding = "utf-8"
    if not is_utf8:
        local, encoding = _reencode(local, workdir, item.name)
    local, converted = _convert(local, workdir, item.name)
    header = _read_header(local, item.name)
    fmt = converted or (check_header(header, item.name, expected) if expected else detect_format(header, item.name))
    return PreparedFile(name=item.name, local_path=local, sha256=sha256, encoding=encoding, format=fmt,
                        force=force_from_name(item.member or item.path.name), header=tuple(header))


def _is_loadable(name: str) -> bool:
    """A CSV, gzip CSV or zip that is not an operating system's hidden copy (``._name``, ``__MACOSX/``)."""
    if _is_hidden_copy(name):
        return False
    lower = name.lower()
    return lower.endswith(_readable()) or lower.endswith(".zip")


def _readable() -> tuple[str, ...]:
    return _READABLE + tuple(s for c in _CONVERTERS.values() for s in c.suffixes)


def _convert(local: Path, workdir: Path, name: str) -> tuple[Path, RecordFormat | None]:
    for converter in _CONVERTERS.values():
        if converter.matches(local, name):
            return converter.convert(local, workdir, name)
    return local, None


def _is_hidden_copy(name: str) -> bool:
    return name.startswith("__MACOSX/") or "/__MACOSX/" in name or name.rsplit("/", 1)[-1].startswith("._")


def _expand(path: Path) -> list[InputFile]:
    if not path.name.lower().endswith(".zip"):
        return [InputFile(name=str(path), path=path)]
    try:
        with zipfile.ZipFile(path) as archive:
            members = sorted(m for m in archive.namelist()
                             if m.lower().endswith(_readable()) and not _is_hidden_copy(m))
    except zipfile.BadZipFile as exc:
        raise SourceError(f"{path}: not a readable zip archive ({exc}); download it again") from exc
    if not members:
        raise SourceError(f"{path}: the archive holds no .csv files")
    return [InputFile(name=f"{path}!{member}", path=path, member=member) for member in members]


def _materialise(item: InputFile, workdir: Path) -> Path:
    if item.member is None:
        return item.path
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / (hashlib.sha1(item.name.encode()).hexdigest()[:16] + "-" + Path(item.member).name)
    with zipfile.ZipFile(item.path) as archive, archive.open(item.member) as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, _CHUNK)
    return target


def _open_binary(path: Path):
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _hash_and_check_utf8(path: Path) -> tuple[str, bool]:
    """SHA-256 of the (decompressed) content, and whether it decodes as UTF-8."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    is_utf8 = True
    try:
        with _open_binary(path) as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                # ASCII is UTF-8: a chunk is decoded only if it holds other bytes or follows one ending mid-character.
                if is_utf8 and not (chunk.isascii() and not decoder.getstate()[0]):
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError:
                        is_utf8 = False
        if is_utf8:
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        is_utf8 = False
    except (OSError, EOFError) as exc:
        raise SourceError(f"{path}: cannot be read ({exc}); check the file is complete") from exc
    return digest.hexdigest(), is_utf8


def _reencode(path: Path, workdir: Path, name: str) -> tuple[Path, str]:
    """Write a UTF-8 copy of a Windows-1252 (or, failing that, Latin-1) file."""
    data = _open_binary(path).read()
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / (hashlib.sha1(name.encode()).hexdigest()[:16] + "-utf8.csv")
    target.write_text(text, encoding="utf-8", newline="")
    return target, encoding


def _read_header(path: Path, name: str) -> list[str]:
    with _open_binary(path) as handle:
        first = handle.readline().decode("utf-8")
    first = first.lstrip("\ufeff").rstrip("\r\n")
    if not first.strip():
        raise SourceError(f"{name} line 1: the file is empty or starts with a blank line; "
                          "expected a police.uk header row")
    return next(csv.reader(io.StringIO(first)))
