"""The E.O./DECL line of the body (TAGS, SUBJECT, REF and Classified By have modules of
their own)."""

from __future__ import annotations

import re
from datetime import date

from .ids import full_year

FIELD_SCAN = 30_000  # header fields live in the first part of the body

# ---------------------------------------------------------------- E.O. and DECL
EO_RE = re.compile(
    r"^[ \t¶]*E\s?\.?\s?O\s?\.?[ \t]*(?P<eo>\d{5})\b[ \t]*:?[ \t]*(?P<decl>[^\n]*)",
    re.M | re.I,
)
_DECL_PREFIX_RE = re.compile(r"^(?:DECL(?:ASSIFY)?(?:\s+ON)?)\s*:?\s*", re.I)
_DATE_MDY_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}(?:\d{2})?)\b")
_DATE_YMD_RE = re.compile(r"^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})\b")


def parse_eo(text: str) -> tuple[str | None, date | str | None, int]:
    """``(eo, declassify_on, end offset)``."""
    match = EO_RE.search(text, 0, FIELD_SCAN)
    if not match:
        return None, None, -1
    decl = match.group("decl")
    tags = re.search(r"\bTAGS\b", decl)
    if tags:
        decl = decl[: tags.start()]
    decl = _DECL_PREFIX_RE.sub("", decl.strip()).strip(" .;,")
    return match.group("eo"), parse_decl(decl), match.end()


def parse_decl(raw: str) -> date | str | None:
    if not raw:
        return None
    for regex, order in ((_DATE_YMD_RE, "ymd"), (_DATE_MDY_RE, "mdy")):
        match = regex.match(raw)
        if match:
            a, b, c = (int(g) for g in match.groups())
            year, month, day = (a, b, c) if order == "ymd" else (c, a, b)
            if year < 100:
                year = full_year(year)
            try:
                return date(year, month, day)
            except ValueError:
                break
    return " ".join(raw.split())
