"""The pure cable parser: text in, a frozen :class:`ParsedCable` out. No Django here."""

from .ids import canonical_id, split_id
from .known_ids import KnownIds
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
    "parse_cable",
    "resolve_code",
    "split_id",
    "station_country",
    "station_from_text",
    "station_name",
]
