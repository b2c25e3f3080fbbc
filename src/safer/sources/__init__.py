"""Input adapters: find, recognise and validate each kind of input file."""

from safer.sources.files import InputFile, PreparedFile, discover, prepare
from safer.sources.policeuk import CRIME_TYPES, FORMATS, OUTCOMES, STOP_AND_SEARCH, STREET, detect_format

__all__ = ["CRIME_TYPES", "FORMATS", "OUTCOMES", "STOP_AND_SEARCH", "STREET", "InputFile", "PreparedFile",
           "detect_format", "discover", "prepare"]
