"""The REF block: lettered items, each naming cables (``A. STATE 3836``,
``B. 05 SANTIAGO 465``) or something else (an email, a telcon, "MEMCON 2/3")."""

from __future__ import annotations

import re

from .ids import canonical_id, full_year
from .known_ids import KnownIds
from .pagebreaks import PAGE_MARKER_RE
from .stations import resolve_code
from .types import Reference

REF_RE = re.compile(
    r"^[ \t¶]*(?:REFERENCES?|REFTELS?|REFS?)\b(?P<after>[^\n]*)",
    re.M | re.I,
)
_BLOCK_STOP_RE = re.compile(
    r"^\s*(?:\(\w{1,4}\)\s*)?(?:CLASSIFIED\s+BY|¶?\s*\d+\s*\.[\s(]|SUMMARY\b|E\.?\s?O\.?\s*\d|"
    r"TAGS\b|SUBJ|-{3,}|1\.\s*\()",
    re.I,
)
_ITEM_START_RE = re.compile(r"^\s*¶?\s*(?:\(?[A-Z]\)|[A-Z][.:)])\s")
_MARKER_RE = re.compile(r"(?:(?<=^)|(?<=[\s;,:]))¶?(?:\((?P<p>[A-Z])\)|(?P<l>[A-Z])[.):])(?=\s|$)")
_NUMBER_RE = re.compile(r"(?<![\w/.:-])0*(?P<serial>\d{1,7})(?![\w/:]|\.\d)")
_WORDS_BEFORE_RE = re.compile(r"((?:[A-Za-z][A-Za-z'.]*[ \t]+){1,4})$")
_YEAR_BEFORE_RE = re.compile(r"(?<![\w/])(?:\(?(\d{2})\)?|(19\d\d|20[01]\d))[ \t]+$")
_COMPACT_RE = re.compile(r"\b(?P<yy>\d{2})(?P<station>[A-Z]{4,})(?P<serial>\d{1,7})\b")
PAGE_LINE_RE = re.compile(r"^[ \t]*PAGE[ \t]+\d+[ \t][^\n]*$", re.M)


def find_ref_block(text: str, start: int, limit: int) -> tuple[str | None, int, int]:
    """Raw text of the REF block (after the keyword), its start and end offsets."""
    match = REF_RE.search(text, start, limit)
    if not match:
        return None, -1, -1
    after = match.group("after")
    if (
        after
        and not re.match(r"^\s*(?:[A-Z]\b|[:.(]|\s*$|S\b)", after, re.I)
        and not _NUMBER_RE.search(after)
    ):
        return None, -1, -1  # "REFTEL REPORTED ..." prose, not a REF field
    parts = [after]
    end = match.end()
    blank = False
    while end < len(text) and len(parts) < 40:
        nl = text.find("\n", end + 1)
        nl = len(text) if nl < 0 else nl
        line = text[end + 1 : nl]
        if not line.strip():
            blank = True
            end = nl
            continue
        if _BLOCK_STOP_RE.match(line) or (blank and not _ITEM_START_RE.match(line)):
            break
        if PAGE_LINE_RE.match(line):
            end = nl
            continue
        parts.append(line)
        blank = False
        end = nl
    return "\n".join(parts), match.start(), end


def split_items(block: str) -> list[tuple[str | None, str]]:
    block = PAGE_LINE_RE.sub(" ", block)
    block = PAGE_MARKER_RE.sub(" ", block)  # "CAIRO 00002027 001.2 OF 003" page breaks
    block = re.sub(r"^\s*(?:S\b)?\s*[:.]?\s*", "", block)
    markers = []
    expected = "A"
    for match in _MARKER_RE.finditer(block):
        letter = match.group("p") or match.group("l")
        if letter == expected:
            markers.append((letter, match.start(), match.end()))
            expected = chr(ord(expected) + 1)
    if len(markers) < 1 or (len(markers) == 1 and markers[0][1] > 3):
        text = " ".join(block.split()).strip(" :;.")
        return [(None, text)] if text else []
    items = []
    for i, (letter, _start, mend) in enumerate(markers):
        stop = markers[i + 1][1] if i + 1 < len(markers) else len(block)
        items.append((letter, " ".join(block[mend:stop].split()).strip(" ;,")))
    return items


def cited_ids(item: str) -> list[tuple[int | None, str, int]]:
    """``(year or None, station code, serial)`` for each cable an item names."""
    found: list[tuple[int | None, str, int]] = []
    for match in _COMPACT_RE.finditer(item.upper()):
        station = resolve_code(match.group("station"))
        if station:
            found.append((full_year(int(match.group("yy"))), station, int(match.group("serial"))))
    if found:
        return found
    for match in _NUMBER_RE.finditer(item):
        before = item[max(0, match.start() - 60) : match.start()]
        words = _WORDS_BEFORE_RE.search(before)
        if not words:
            continue
        tokens = words.group(1).split()
        station = None
        used = 0
        for size in range(len(tokens), 0, -1):
            code = resolve_code("".join(t.strip(".").upper() for t in tokens[-size:]))
            if code:
                station, used = code, size
                break
        if not station:
            continue
        # a year may precede the station ("05 SANTIAGO 465"), not other words
        prefix = before[: words.start(1)] if used == len(tokens) else ""
        year = None
        ym = _YEAR_BEFORE_RE.search(prefix)
        if ym:
            year = full_year(int(ym.group(1))) if ym.group(1) else int(ym.group(2))
        found.append((year, station, int(match.group("serial"))))
    return found


def resolve_year(
    station: str,
    serial: int,
    citing_year: int | None,
    citing_month: int | None,
    known: KnownIds | None,
    citing: tuple[str, int] | None = None,
) -> int | None:
    """Year of a REF without one: by convention the citing cable's year. The year
    before only when that cable is known and the same-year one is not, and the REF can
    be last year's: the citing cable is from early in the year, or it cites a higher
    serial of its own station (which this year has not reached yet). ``citing`` is the
    citing cable's (station, serial)."""
    if citing_year is None:
        if known is not None:
            candidates = known.candidates(station, serial)
            if len(candidates) == 1:
                return candidates[0][0]
        return None
    if known is None or canonical_id(citing_year, station, serial) in known:
        return citing_year
    if canonical_id(citing_year - 1, station, serial) not in known:
        return citing_year
    own_station = citing is not None and citing[0] == station
    if own_station and serial < citing[1]:
        return citing_year  # an earlier cable of this year, just not released
    early = citing_month is None or citing_month <= 3
    if early or (own_station and serial > citing[1]):
        return citing_year - 1
    return citing_year


def parse_references(
    block: str | None,
    citing_year: int | None,
    citing_month: int | None,
    known: KnownIds | None,
    citing: tuple[str, int] | None = None,
) -> tuple[Reference, ...]:
    if not block:
        return ()
    refs: list[Reference] = []
    for letter, text in split_items(block):
        ids = cited_ids(text)
        if not ids:
            refs.append(Reference(letter=letter, text=text))
            continue
        seen = set()
        for year, station, serial in ids:
            if year is None:
                year = resolve_year(station, serial, citing_year, citing_month, known, citing)
            rid = canonical_id(year, station, serial) if year else None
            if rid in seen:
                continue
            seen.add(rid)
            refs.append(Reference(letter=letter, text=text, reference_id=rid))
    return tuple(refs)
