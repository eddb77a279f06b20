"""The routing header: where it ends, the date-time group, precedence, FM/TO/INFO."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from .ids import full_year
from .months import MONTH_NUMBERS, MONTH_PATTERN
from .types import Recipient

PARTIAL_NOTICE = (
    "This record is a partial extract of the original cable. "
    "The full text of the original cable is not available."
)
PARTIAL_NOTICE_RE = re.compile(
    r"\A\s*This record is a partial extract of the original cable\.[^\n]*(?:\n|\Z)"
)

_MON = rf"(?P<mon>{MONTH_PATTERN})[A-Z]*"

# "O 241051Z FEB 10", "P R 281848Z DEC 66", "ZZ 011234Z JAN 09"
DTG_LINE_RE = re.compile(
    r"^[ \t]*(?P<prec>[OPRZ])(?:[ \t]*[OPRZ])?[ \t]+(?P<dd>\d\d)(?P<hh>\d\d)(?P<mi>\d\d)Z?"
    r"[ \t]+" + _MON + r"[ \t]+(?P<yy>\d\d(?:\d\d)?)\b",
    re.M,
)
# a bare DTG anywhere: "061428Z Jun 03"
DTG_ANY_RE = re.compile(
    r"\b(?P<dd>\d\d)(?P<hh>\d\d)(?P<mi>\d\d)Z[ \t]+" + _MON + r"[ \t]+(?P<yy>\d\d(?:\d\d)?)\b",
    re.I,
)
FM_RE = re.compile(r"^[ \t]*FM[ \t]+(?P<fm>\S[^\n]*)$", re.M)
_HEADER_START_RE = re.compile(
    r"\A\s*(?:VZCZC|[OPRZ]{1,2}\s+R[A-Z]{4}|[OPRZ][ \t]+(?:[OPRZ][ \t]+)?\d{6}Z|DE\s+R|FM\s)"
)
_TO_RE = re.compile(r"^[ \t]*(TO|INFO|XMT|BCC)\b[ \t]*(.*)$")
_ROUTING_RE = re.compile(r"^(R[A-Z]{3,7})/(.*)$")
_PREC_RE = re.compile(r"\s+(IMMEDIATE|PRIORITY|ROUTINE|FLASH|NIACT IMMEDIATE)\b(?:\s+\d+)?\s*$")
_SEQ_RE = re.compile(r"\s+\d{1,5}\s*$")

PRECEDENCE = {"O": "IMMEDIATE", "P": "PRIORITY", "R": "ROUTINE", "Z": "FLASH"}

HEADER_SCAN = 20_000  # the routing header is never longer than this


def split_header(text: str) -> tuple[str, str, bool]:
    """``(header, body, partial)``.

    ``header`` is the routing header verbatim (``""`` for a partial extract or text
    without one); ``body`` the rest. For a routing header ``text == header + sep + body``
    where ``sep`` is the run of blank lines between them; for a partial extract the
    notice line (and the blank lines after it) is dropped and ``partial`` is True."""
    notice = PARTIAL_NOTICE_RE.match(text)
    if notice:
        return "", text[notice.end() :].lstrip("\n"), True
    if not _HEADER_START_RE.match(text[:400]):
        return "", text, False
    window = text[:HEADER_SCAN]
    fm = FM_RE.search(window)
    start = fm.end() if fm else 0
    blank = re.compile(r"\n[ \t]*\n").search(window, start)
    if blank is None:
        if fm is None:
            return "", text, False
        return text.rstrip("\n"), "", False
    body_start = blank.end()
    while body_start < len(text) and text[body_start] == "\n":
        body_start += 1
    return text[: blank.start()], text[body_start:], False


def parse_dtg(match: re.Match[str]) -> datetime | None:
    try:
        yy = int(match.group("yy"))
        year = yy if yy > 1900 else full_year(yy)
        return datetime(
            year,
            MONTH_NUMBERS[match.group("mon").upper()[:3]],
            int(match.group("dd")),
            int(match.group("hh")) % 24,
            int(match.group("mi")) % 60,
            tzinfo=UTC,
        )
    except ValueError:
        return None


def header_dtg(header: str) -> tuple[datetime | None, str | None]:
    """``(created, precedence)`` from the DTG line of a routing header."""
    for match in DTG_LINE_RE.finditer(header):
        created = parse_dtg(match)
        if created:
            return created, PRECEDENCE.get(match.group("prec"))
    return None, None


def parse_routing(header: str) -> tuple[str | None, tuple[Recipient, ...]]:
    """``(sender, recipients)`` from the FM, TO and INFO lines of a routing header."""
    sender = None
    recipients: list[Recipient] = []
    kind = None
    for raw in header.split("\n"):
        line = raw.strip()
        if not line:
            if kind:
                break
            continue
        if sender is None:
            if line.startswith("FM "):
                sender = line[3:].strip()
            continue
        match = _TO_RE.match(line)
        if match:
            word = match.group(1)
            kind = "to" if word in ("TO", "XMT") else "info" if word == "INFO" else "bcc"
            line = match.group(2).strip()
            if not line:
                continue
        elif kind is None:
            continue
        if line in ("BT", "NNNN") or line.startswith(("ZEN", "ZFR")):
            continue
        if kind in ("to", "info"):
            recipients.append(_recipient(kind, line))
    return sender, tuple(recipients)


def _recipient(kind: str, line: str) -> Recipient:
    routing = None
    match = _ROUTING_RE.match(line)
    if match:
        routing, line = match.group(1), match.group(2).strip()
    precedence = None
    prec = _PREC_RE.search(line)
    if prec:
        precedence = prec.group(1).replace("NIACT ", "")
        line = line[: prec.start()]
    else:
        line = _SEQ_RE.sub("", line)
    return Recipient(kind=kind, name=" ".join(line.split()), precedence=precedence, routing=routing)
