"""The classification banner: ``C O N F I D E N T I A L SECTION 01 OF 03 OTTAWA 000492``.

Finds the classification, caveats, station and serial in all the spellings of the
corpus (letter-spaced, UNCLAS, ``SECRET//NOFORN``, ``UNCLAS E F T O``, telegram pages
``PAGE 01 HARARE 05461 01 OF 02 271458Z``) and the handling lines after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .stations import resolve_code


def _spaced(word: str) -> str:
    return r"\s?".join(word)


_CLS = (
    r"(?P<cls>"
    rf"T\s?O\s?P\s+{_spaced('SECRET')}"
    rf"|S?S?\s?{_spaced('ECRET')}"
    rf"|C?C?\s?{_spaced('ONFIDENTIAL')}"
    r"|SENSITIVE\s+BUT\s+UNCLASSIFIED"
    rf"|{_spaced('UNCLAS')}(?:\s?{_spaced('SIFIED')})?"
    r"|LIMITED\s+OFFICIAL\s+USE"
    r"|SENSITIVE"
    r")"
)
# classification then the rest of the line; at a line start, or glued after junk
BANNER_LINE_RE = re.compile(r"^[ \t\"'(\[]*" + _CLS + r"\b(?P<rest>[^\n]*)$", re.M | re.I)
BANNER_ANY_RE = re.compile(r"(?<![A-Za-z])" + _CLS + r"(?P<rest>[^\n]*)$", re.M)
# (the station before the serial is a few words: bounded, else a long run of blanks after
# a letter made the lazy station and the blanks before the serial quadratic)
PAGE_RE = re.compile(
    r"^[ \t]*PAGE[ \t]+\d+[ \t]+(?P<pre>[A-Z][A-Z .]{0,60}?)[ \t]+(?P<serial>\d{3,8})\b", re.M
)

SECTION_STRICT_RE = re.compile(r"\bSECTION\s+\d+\s+OF\s+\d+", re.I)
_REDACTED_RE = re.compile(r"X{4,}")
_GARBLED_SERIAL_RE = re.compile(r"[A-Z](\d{1,6})(?!\d)")
EMBEDDED_CLS_RE = re.compile(
    r"^[ \t]*(?:classification:[ \t]*)?(?:TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED)"
    r"//(?P<caveat>NOFORN|FOR OFFICIAL USE ONLY)[ \t]*$",
    re.M | re.I,
)
SECTION_LOOSE_RE = re.compile(r"\b[A-Z]{3,9}\s?\d{1,2}\s?[A-Z]{1,2}\s?\d{1,2}\b", re.I)
_SERIAL_RE = re.compile(r"(?P<pre>[^\d\n]*?)(?P<serial>\d{1,8})(?!\d)")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'.-]*")
_LETTERS_RE = re.compile(r"[^A-Za-z0-9]+")
_STOP_RE = re.compile(
    r"^\s*(?:¶|E\.?\s?O\.?\s*\d|EO\b|TAGS?\b|SUBJ|REF|(?:\([A-Z/]{1,8}\)\s*)?CLASSIFIED\s+BY|"
    r"\d+\s*\.|\((?:U|C|S|SBU|TS|S/NF|C/NF)\)|SUMMARY\b)",
    re.I,
)
_INLINE_STOP_RE = re.compile(r"E\.?\s?O\.?\s*\d{5}|TAGS|SUBJECT", re.I)

CAVEAT_RE = re.compile(
    r"NOFORN|SIPDIS|EXDIS|NODIS|LIMDIS|ORCON|PROPIN|STADIS|NOCONTRACT|CHEROKEE|ROGER CHANNEL"
)
SENSITIVE_RE = re.compile(
    r"SENSITIVE|FOR OFFICIAL USE ONLY|\bFOUO\b|\bSBU\b|\bE\s?F\s?T\s?O\b|\bEFTO", re.I
)

SCAN = 16_000  # the banner is always near the top


@dataclass(frozen=True)
class Banner:
    classification: str | None  # normalised: "CONFIDENTIAL", "UNCLASSIFIED//FOUO" ...
    caveats: tuple[str, ...]
    station: str | None  # canonical code
    serial: int | None
    raw_station: str | None  # letters between classification and serial, glued
    garbled_serial: bool  # letters glued to the serial ("REYKJAVIK 00040QSITIVE")
    start: int  # offset of the banner line in the scanned text (-1 if none)
    end: int  # offset after the banner and handling lines


def normalise_classification(word: str) -> str:
    word = re.sub(r"\s+", "", word).upper()
    if word.startswith("TOP"):
        return "TOP SECRET"
    if word.endswith("ECRET"):
        return "SECRET"
    if word.endswith("ONFIDENTIAL"):
        return "CONFIDENTIAL"
    if word.startswith("SENSITIVE") or word.startswith("LIMITED"):
        return "UNCLASSIFIED//FOUO"
    return "UNCLASSIFIED"


def _station_of(pre: str) -> str | None:
    words = [w.strip(".'-").upper() for w in _WORD_RE.findall(pre)]
    words = [w for w in words if w]
    for size in range(min(len(words), 5), 0, -1):
        code = resolve_code("".join(words[-size:]))
        if code:
            return code
    return None


def _read_station(rest: str) -> tuple[str | None, int | None, str | None, int]:
    """Station, serial, glued raw station and end offset in ``rest``."""
    strict = SECTION_STRICT_RE.search(rest, 0, 60)
    offset = strict.end() if strict else 0
    after = rest[offset:]
    loose = SECTION_LOOSE_RE.match(after.lstrip())
    skip = (len(after) - len(after.lstrip()) + loose.end()) if loose and not strict else 0
    match = _SERIAL_RE.match(after, skip)
    if not match:
        return None, None, None, 0
    pre = after[skip : match.start("serial")]
    station = _station_of(pre)
    serial = int(match.group("serial"))
    end = match.end()
    if serial == 0:
        # "BISHIEK 00Q021": a garbled digit inside the zero padding
        garbled = _GARBLED_SERIAL_RE.match(after, end)
        if garbled:
            serial, end = int(garbled.group(1)), garbled.end()
    if station is None:
        if _REDACTED_RE.search(pre) and len(pre) < 40:
            return "", serial, None, offset + end  # station redacted: "XXXXXXXXXXXX 000004"
        return None, None, None, 0
    raw = _LETTERS_RE.sub("", after[: match.start("serial")]).upper()
    return station, serial, raw, offset + end


def find_banner(text: str) -> Banner:
    window = text[:SCAN]
    fallback_cls = None
    chosen = None
    for regex in (BANNER_LINE_RE, BANNER_ANY_RE):
        for match in regex.finditer(window):
            rest = match.group("rest")
            cls_word = match.group("cls")
            if regex is BANNER_ANY_RE and not cls_word.replace(" ", "").isupper():
                continue
            station, serial, raw, used = _read_station(rest)
            if station is None:
                if fallback_cls is None and _bare_classification_line(rest):
                    fallback_cls = (match, rest)
                continue
            chosen = (match, rest, station, serial, raw, used)
            break
        if chosen:
            break
    if chosen is None:
        page = PAGE_RE.search(window)
        station = _station_of(page.group("pre")) if page else None
        if fallback_cls is None:
            return Banner(
                None,
                (),
                station,
                int(page.group("serial")) if station else None,
                None,
                False,
                -1,
                0,
            )
        match, rest = fallback_cls
        cls = normalise_classification(match.group("cls"))
        caveats, sensitive, end = _handling(window, match.end(), rest)
        return Banner(
            _with_sensitivity(cls, sensitive, rest),
            caveats,
            station,
            int(page.group("serial")) if station else None,
            None,
            False,
            match.start(),
            end,
        )
    match, rest, station, serial, raw, used = chosen
    cls = normalise_classification(match.group("cls"))
    head = rest[:used]
    tail = rest[used:]
    caveats, sensitive, end = _handling(window, match.end(), head + " " + tail)
    extra: list[str] = []
    for other in BANNER_LINE_RE.finditer(window, match.end()):
        if normalise_classification(other.group("cls")) != cls:
            continue
        o_station, o_serial, _, _ = _read_station(other.group("rest"))
        if o_serial == serial and o_station == station:
            more, _, _ = _handling(window, other.end(), other.group("rest"))
            extra.extend(more)
    for embedded in EMBEDDED_CLS_RE.finditer(window):
        if embedded.group("caveat").upper() == "NOFORN":
            extra.append("NOFORN")
    if extra:
        caveats = tuple(dict.fromkeys(caveats + tuple(extra)))
    return Banner(
        _with_sensitivity(cls, sensitive, head + " " + tail),
        caveats,
        station or None,
        serial,
        raw,
        bool(re.match(r"[A-Z]", rest[used : used + 1])),
        match.start(),
        end,
    )


def _bare_classification_line(rest: str) -> bool:
    rest = rest.strip()
    return not rest or rest.startswith("/") or len(rest) < 12


def _with_sensitivity(cls: str, sensitive: bool, rest: str) -> str:
    if cls == "UNCLASSIFIED" and (sensitive or SENSITIVE_RE.search(rest)):
        return "UNCLASSIFIED//FOUO"
    return cls


def _handling(window: str, pos: int, banner_rest: str) -> tuple[tuple[str, ...], bool, int]:
    """Caveats and the sensitivity flag from the banner rest and the handling lines
    after it (up to E.O./TAGS/SUBJECT or a numbered paragraph)."""
    inline = _INLINE_STOP_RE.search(banner_rest)
    found = CAVEAT_RE.findall(banner_rest[: inline.start()] if inline else banner_rest)
    sensitive = False
    end = window.find("\n", pos)
    end = len(window) if end < 0 else end + 1
    lines = 0
    while end < len(window) and lines < 14:
        nl = window.find("\n", end)
        nl = len(window) if nl < 0 else nl
        line = window[end:nl]
        if _STOP_RE.match(line):
            break
        if line.strip():
            lines += 1
            found.extend(CAVEAT_RE.findall(line.upper()))
            if SENSITIVE_RE.search(line):
                sensitive = True
        end = nl + 1
    caveats = tuple(dict.fromkeys(c.split()[0] for c in found))
    return caveats, sensitive, min(end, len(window))
