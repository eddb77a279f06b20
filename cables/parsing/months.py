"""Month names, the one table of them: as the reading pages print them (``February``)
and as cables write them (``FEB`` in a date-time group, ``FEBRUARY`` or ``SEPT`` in a
REF)."""

from __future__ import annotations

#: ``January`` .. ``December``: ``MONTH_NAMES[month - 1]`` (fixed English whatever the
#: locale, which the stdlib's ``calendar.month_name`` follows).
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

#: ``JAN`` .. ``DEC``: ``MONTH_ABBREVIATIONS[month - 1]``.
MONTH_ABBREVIATIONS = tuple(name[:3].upper() for name in MONTH_NAMES)

#: ``{"JAN": 1, ..., "DEC": 12}``.
MONTH_NUMBERS = {abbreviation: n for n, abbreviation in enumerate(MONTH_ABBREVIATIONS, start=1)}

#: Every upper-case word a cable writes for a month: ``JAN``, ``SEPT``, ``SEPTEMBER``.
MONTH_WORDS = frozenset({*MONTH_ABBREVIATIONS, "SEPT", *(name.upper() for name in MONTH_NAMES)})

#: A regular-expression alternation of the abbreviations: ``JAN|FEB|...|DEC``.
MONTH_PATTERN = "|".join(MONTH_ABBREVIATIONS)
