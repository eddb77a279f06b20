"""The parser's output: frozen dataclasses, plain Python values, no Django.

Field names here are a public interface (``manage.py parse`` prints them); keep them
stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Metadata:
    """What a source knows about a cable beside its text (metadata.csv, the HTML
    metadata table, the columns of cables.csv). Every field is optional."""

    reference_id: str | None = None
    created: datetime | None = None
    released: datetime | None = None
    classification: str | None = None
    origin: str | None = None  # as the source spells it: "Embassy Ottawa"
    partial: bool | None = None


@dataclass(frozen=True)
class Recipient:
    kind: str  # "to" or "info"
    name: str  # "SECSTATE WASHDC"
    precedence: str | None = None  # "IMMEDIATE", "PRIORITY", "ROUTINE", "FLASH"
    routing: str | None = None  # "RUEHC" routing indicator when present


@dataclass(frozen=True)
class Reference:
    letter: str | None  # "A", "B", ... or None for a single unlettered REF
    text: str  # the raw text of this item, whitespace-normalised
    reference_id: str | None = None  # canonical cable id when the item names a cable


@dataclass(frozen=True)
class ClassifiedBy:
    name: str | None
    title: str | None
    raw: str


@dataclass(frozen=True)
class Paragraph:
    number: int | None  # None for unnumbered text before ¶1, and for a heading
    classification: str | None  # "C", "S/NF", "SBU", "U" ... without parentheses
    text: str
    # A section heading line ("NEW BMD ARCHITECTURE IN EUROPE") that closed the
    # paragraph before it: its own element, never that paragraph's text.
    heading: bool = False


@dataclass(frozen=True)
class ParsedCable:
    reference_id: str | None
    station: str | None  # the station of the banner, canonical ("SANJOSE")
    serial: int | None
    # The marking as the archives write it: "UNCLASSIFIED", "UNCLASSIFIED//FOUO",
    # "CONFIDENTIAL", "CONFIDENTIAL//NOFORN", "SECRET", "SECRET//NOFORN" ...
    classification: str | None
    caveats: tuple[str, ...] = ()  # "NOFORN", "SIPDIS", "EXDIS", "NODIS", "LIMDIS" ...
    origin: str | None = None  # canonical station of origin ("OTTAWA")
    created: datetime | None = None  # UTC, from the date-time group, else metadata
    # "2003-02": the month of ``created``, or where only the month is known (an undated
    # partial extract whose id is in the known-id list), that month.
    created_month: str | None = None
    released: datetime | None = None  # from metadata only
    precedence: str | None = None
    sender: str | None = None  # the FM line: "AMEMBASSY OTTAWA"
    recipients: tuple[Recipient, ...] = ()
    eo: str | None = None  # the executive order: "12958", "13526"
    declassify_on: date | str | None = None  # a date, or a marking: "X1", "1.6X1", "N/A"
    tags: tuple[str, ...] = ()
    subject: str | None = None
    subject_classification: str | None = None  # "C", "SBU" ... without parentheses
    references: tuple[Reference, ...] = ()
    classified_by: ClassifiedBy | None = None
    reasons: str | None = None  # "1.4 (b) and (d)"
    paragraphs: tuple[Paragraph, ...] = ()
    summary: str | None = None
    signer: str | None = None
    partial: bool = False
    header: str = ""  # routing header, verbatim ("" for a partial extract)
    body: str = ""  # body text, verbatim
    warnings: tuple[str, ...] = field(default=())  # what the parser had to guess


class CableParseError(ValueError):
    """The text is not a cable the archive can store (empty, binary, no banner ...)."""
