"""Input adapters: find, recognise and validate each kind of input file."""

from safer.sources.files import InputFile, PreparedFile, discover, prepare
from safer.sources.formats import RecordFormat, detect_format, register, registered_formats
from safer.sources.policeuk import CRIME_TYPES, FORMATS, OUTCOMES, STOP_AND_SEARCH, STREET
from safer.sources import category_counts, policeuk_api  # noqa: F401,E402  (register their formats and converters)

__all__ = ["CRIME_TYPES", "FORMATS", "OUTCOMES", "STOP_AND_SEARCH", "STREET", "InputFile", "PreparedFile",
           "RecordFormat", "detect_format", "discover", "prepare", "register", "registered_formats"]
