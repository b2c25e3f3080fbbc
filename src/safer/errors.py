"""Exceptions raised at the edges of safer, with messages an analyst can act on."""

from __future__ import annotations


class SaferError(Exception):
    """Base class for every error safer reports to the user.

    The message is shown as it is by the command line, so it must say what went
    wrong, where (file, line, field) and what to do about it.
    """


class ConfigError(SaferError):
    """The configuration file is missing, malformed or has an invalid value."""


class SourceError(SaferError):
    """An input file cannot be read as any supported format.

    Example:
        >>> raise SourceError("2018-03-x.csv: not a police.uk file ...")  # doctest: +SKIP
    """


class WarehouseError(SaferError):
    """The warehouse cannot be opened or holds no data for the request."""


def located(path: str, message: str, *, line: int | None = None, field: str | None = None) -> str:
    """Prefix a message with the file, line and field it refers to.

    >>> located("2018-03-metropolitan-street.csv", "'2018-13' is not a month; expected YYYY-MM", line=412, field="Month")
    "2018-03-metropolitan-street.csv line 412, field 'Month': '2018-13' is not a month; expected YYYY-MM"
    """
    where = path
    if line is not None:
        where += f" line {line}"
    if field is not None:
        where += f", field '{field}'"
    return f"{where}: {message}"


class PrivacyError(SaferError):
    """Person-level data cannot be handled safely: no key, the wrong key, or a key that does not match."""
