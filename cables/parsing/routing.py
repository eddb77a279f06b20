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
_PRECEDENCE_WORDS = frozenset({"IMMEDIATE", "PRIORITY", "ROUTINE", "FLASH"})
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_PADDING_RE = re.compile(r"[ \t]{2,}")

PRECEDENCE = {"O": "IMMEDIATE", "P": "PRIORITY", "R": "ROUTINE", "Z": "FLASH"}

HEADER_SCAN = 20_000  # the routing header is never longer than this (runs of blanks aside)


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
    blank = _BLANK_LINE_RE.search(window, start)
    if blank is None and len(text) > HEADER_SCAN:
        # A header line padded with a long run of blanks (OCR, re-wrapped records) may
        # push the blank line past the window: the header still counts as at most
        # HEADER_SCAN characters when each run of blanks counts as one.
        blank = _BLANK_LINE_RE.search(text, start)
        if blank is not None and _padded_length(text, blank.start()) > HEADER_SCAN:
            blank = None
    if blank is None:
        if fm is None:
            return "", text, False
        return text.rstrip("\n"), "", False
    body_start = blank.end()
    while body_start < len(text) and text[body_start] == "\n":
        body_start += 1
    return text[: blank.start()], text[body_start:], False


def _padded_length(text: str, end: int) -> int:
    """The length of ``text[:end]`` with each run of spaces and tabs counted as one."""
    length = end
    for run in _PADDING_RE.finditer(text, 0, end):
        length -= run.end() - run.start() - 1
    return length


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
    line, precedence = split_precedence(line)
    return Recipient(kind=kind, name=" ".join(line.split()), precedence=precedence, routing=routing)


def split_precedence(line: str) -> tuple[str, str | None]:
    """``(name, precedence)`` of a stripped recipient line: its last words are the
    precedence and a sequence number (``SECSTATE WASHDC IMMEDIATE 1234``, ``... NIACT
    IMMEDIATE``); without a precedence a sequence number of up to five digits is dropped
    (``USMISSION GENEVA 0042``). The name keeps its inner spacing.

    Only the last words are looked at (``rsplit`` from the end): linear in the line
    however long its runs of blanks are (a regular expression anchored at ``$`` and
    searched from every blank of a padded line was quadratic)."""
    head, number = line, None
    words = line.rsplit(None, 1)
    if len(words) == 2 and words[1].isdecimal():
        head, number = words
    words = head.rsplit(None, 1)
    if len(words) == 2 and words[1] in _PRECEDENCE_WORDS:
        name = words[0]
        if words[1] == "IMMEDIATE" and head.endswith("NIACT IMMEDIATE"):
            before = head[: -len("NIACT IMMEDIATE")]
            if before[-1:].isspace():
                name = before.rstrip()
        return name, words[1]
    if number is not None and len(number) <= 5:
        return head, None
    return line, None
