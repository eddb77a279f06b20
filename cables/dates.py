"""The date the archive knows of a cable, and how precisely it knows it.

One owner, :func:`cable_date_decide`: a cable's date is its own date-time group (or
the date its source gives), to the minute; where the text has none but the Cablegate
id list names its month, it is that month, stored as the month's first instant and
marked ``month``. Ingest, re-parse and loading the id list store what it decides in
``Cable.created`` and ``Cable.date_precision``, so every count, sort, facet and date
page reads one column; :class:`KnownDate` is how the pages, twins and exports show it
("Feb 2003", ``2003-02``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from cables.parsing.months import MONTH_NAMES

MINUTE = "minute"
MONTH = "month"
UNKNOWN = ""

# ``Jan`` .. ``Dec``, from the one table of month names.
MONTH_ABBR = tuple(name[:3] for name in MONTH_NAMES)


@dataclass(frozen=True)
class KnownDate:
    """A cable's date: ``value`` (UTC; the month's first instant when ``precision``
    is ``month``) and ``precision`` (``minute``, ``month`` or ``""`` for none)."""

    value: datetime | None
    precision: str

    def __bool__(self) -> bool:
        return self.value is not None

    @property
    def is_month(self) -> bool:
        return self.value is not None and self.precision == MONTH

    def iso(self) -> str:
        """ISO 8601 at the precision known: ``2003-02`` or ``2010-02-24T10:51:00+00:00``."""
        if self.value is None:
            return ""
        if self.is_month:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    def short(self) -> str:
        """``Feb 2003`` or ``24 Feb 2010`` (``""`` when unknown)."""
        if self.value is None:
            return ""
        month = MONTH_ABBR[self.value.month - 1]
        if self.is_month:
            return f"{month} {self.value.year}"
        return f"{self.value.day} {month} {self.value.year}"

    def long(self) -> str:
        """``February 2003`` or ``24 February 2010, 10:51 UTC``."""
        if self.value is None:
            return ""
        month = MONTH_NAMES[self.value.month - 1]
        if self.is_month:
            return f"{month} {self.value.year}"
        return f"{self.value.day} {month} {self.value.year}, {self.value:%H:%M} UTC"


def month_start(year: int, month: int) -> datetime:
    return datetime(year, month, 1, tzinfo=UTC)


def cable_date_decide(
    *, created: datetime | None, known_month: tuple[int, int] | None
) -> KnownDate:
    """THE rule: the cable's own date (to the minute) when it has one, else the month
    the id list gives (``(year, month)``), else unknown."""
    if created is not None:
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        return KnownDate(created, MINUTE)
    if known_month is not None:
        year, month = known_month
        if 1 <= month <= 12:
            return KnownDate(month_start(year, month), MONTH)
    return KnownDate(None, UNKNOWN)


def parsed_month(created_month: str | None) -> tuple[int, int] | None:
    """The parser's ``created_month`` (``"2003-02"``) as ``(2003, 2)``."""
    if not created_month:
        return None
    year, _, month = created_month.partition("-")
    try:
        return int(year), int(month)
    except ValueError:
        return None


def known_date(created: datetime | None, precision: str | None) -> KnownDate:
    """The stored date of a cable (its ``created`` and ``date_precision`` columns)."""
    if created is None:
        return KnownDate(None, UNKNOWN)
    return KnownDate(created, MONTH if precision == MONTH else MINUTE)


def date_of(obj) -> KnownDate:
    """The date of a cable, a result row (a dict with ``created`` and
    ``date_precision``) or anything with those attributes."""
    if isinstance(obj, KnownDate):
        return obj
    if isinstance(obj, dict):
        return known_date(obj.get("created"), obj.get("date_precision"))
    return known_date(getattr(obj, "created", None), getattr(obj, "date_precision", None))
