"""The pure cable parser: text in, a frozen :class:`ParsedCable` out. No Django here."""

from .ids import ID_RE, canonical_id, full_year, normalize_id, split_id, year_of
from .known_ids import KnownIds, read_known_ids
from .parser import parse_cable
from .stations import STATION_CODES, resolve_code, station_country, station_from_text, station_name
from .types import (
    CableParseError,
    ClassifiedBy,
    Metadata,
    Paragraph,
    ParsedCable,
    Recipient,
    Reference,
)

__all__ = [
    "ID_RE",
    "STATION_CODES",
    "CableParseError",
    "ClassifiedBy",
    "KnownIds",
    "Metadata",
    "Paragraph",
    "ParsedCable",
    "Recipient",
    "Reference",
    "canonical_id",
    "full_year",
    "normalize_id",
    "parse_cable",
    "read_known_ids",
    "resolve_code",
    "split_id",
    "station_country",
    "station_from_text",
    "station_name",
    "year_of",
]
