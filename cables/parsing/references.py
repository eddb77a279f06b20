"""The REF block: lettered items, each naming cables (``A. STATE 3836``,
``B. 05 SANTIAGO 465``) or something else (an email, a telcon, "MEMCON 2/3")."""

from __future__ import annotations

import re

from .ids import canonical_id, full_year
from .known_ids import KnownIds
from .months import MONTH_WORDS
from .pagebreaks import page_line_rest, strip_page_markers, strip_trailing_class
from .stations import ref_station, ref_station_candidates
from .types import Reference

REF_RE = re.compile(
    r"^[ \t¶]*(?:REFERENCE\(S\)|REFERENCES?|REFTELS?|REF\(S\)|REFS?)(?![A-Z0-9])"
    r"(?P<after>[^\n]{0,2000})",
    re.M | re.I,
)
_REF_RUNIN_RE = re.compile(
    r"(?<![A-Za-z])(?:REF|Ref)(?:S|s|TELS?|tels?|\(S\)|\(s\))?(?P<after>[ \t]*:[^\n]{0,2000})"
)
# (possessive blanks: ``\s*`` then ``¶?\s*\d`` tried every split of a long run of them)
_BLOCK_STOP_RE = re.compile(
    r"^\s*+(?:\(\w{1,4}\)\s*+)?(?:CLASSIFIED\s+BY|¶?\s*\d+\s*\.[\s(]|SUMMARY\b|E\.?\s?O\.?\s*\d|"
    r"TAGS\b|SUBJ|-{3,}|_{3,}|1\.\s*\(|SENSITIVE\s+BUT|SIPDIS\b|C O N F|S E C R|U N C L|"
    r"UNCLAS\s+SECTION|(?-i:\((?:U|SBU|TS|[CS]/[A-Z]+)(?:/[A-Z]+)*\)\s+[A-Z][a-z]))",
    re.I,
)
# What ends a REF block inside a line: the next field or the first paragraph run in.
_RUNIN_STOP_RE = re.compile(
    r"(?i:classified[ \t]+by)\b|(?i:sensitive[ \t]+but[ \t]+unclassified)"
    r"|(?<![\w.])\d{1,2}[ \t]*\.[ \t]*\((?:U|C|S|SBU|TS)(?:/[A-Z]{1,6})*\)"
    r"|(?<![\w.])\d{1,2}\.[ \t]+(?i:summary)\b|¶[ \t]*\d|\bE\.[ \t]?O\.[ \t]?\d{5}[ \t]*:"
    r"|\((?:U|SBU|TS|[CS]/[A-Z]{1,6}|SBU/[A-Z]{1,6})\)[ \t]+(?=[A-Z][a-z])"
    r"|\bEND[ \t]+SUMMARY\b|\bSUMMARY[ \t]*:|\bSummary[ \t]*:"
)
_CLASS_MARK_RE = re.compile(r"\((?P<m>[CS])\)[ \t]+(?=[A-Z][a-z]|[A-Z]{3,}[ \t]+[a-z])")
_ITEM_START_RE = re.compile(r"^\s*+¶?\s*+(?:\(?[A-Z]\)|[A-Z][.:)-])\s")  # (possessive blanks)
_MARKER_RE = re.compile(
    r"(?:(?<=^)|(?<=[\s;,:]))¶?(?:\((?P<p>[A-Z])\)|(?P<l>[A-Z])(?:[.:-]|\)))(?=\s|$|(?<=\))\w)"
)
_DANGLING_RE = re.compile(r"(?:[,;&]|\bAND|(?<![\w/.])\d{2})\s*$", re.I)
_CLASS_LINE_RE = re.compile(
    r"^[ \t]*(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED[ \t]+OFFICIAL[ \t]+USE|UNCLAS)"
    r"(?:[ \t]+[A-Z/]+)?[ \t]*$"
)
# (possessive blanks: the text after a REF keyword may be a long run of them)
_PROSE_AFTER_RE = re.compile(r"^\s*+(?:[A-Z]\b|[:.(-]|\s*$|S\b)", re.I)
_BARE_SERIAL_RE = re.compile(
    r"^(?:\(?[A-Z]\)[ \t]*)?[ (]*0*(\d{1,6})\)?(?:[ ,;]*\(?NOTAL\)?)?[ .;,]*$", re.I
)
# The record a mirror printed after a partial extract cut off inside the REF block
# ("id: 109673", "date: 5/24/2007 17:21", "refid: 07LIMA1862"): never REF text.
_RECORD_LINE_RE = re.compile(
    r"[ \t]*(?:id|date|refid|origin|classification|destination|header)[ \t]*:"
)
PAGE_LINE_RE = re.compile(r"^[ \t]*PAGE[ \t]+\d+[ \t][^\n]*$", re.M)
MAX_BLOCK_LINES = 60


def find_ref_block(text: str, start: int, limit: int) -> tuple[str | None, int, int]:
    """Raw text of the REF block (after the keyword), its start and end offsets."""
    match = REF_RE.search(text, start, limit)
    if not match:
        # run into another header line: "... reasons 1.4 (b) and (d). REF: A) STATE 91633"
        match = _REF_RUNIN_RE.search(text, start, limit)
        if not match:
            return None, -1, -1
    after = match.group("after")
    if after and not _PROSE_AFTER_RE.match(after) and not re.search(r"\d", after):
        return None, -1, -1  # "REFTEL REPORTED ..." prose, not a REF field
    cut = _RUNIN_STOP_RE.search(after)
    if cut:
        return after[: cut.start()], match.start(), match.start("after") + cut.start()
    parts = [strip_trailing_class(after)]
    end = match.end()
    blanks = 0
    while end < len(text) and len(parts) < MAX_BLOCK_LINES:
        nl = text.find("\n", end + 1)
        nl = len(text) if nl < 0 else nl
        line = text[end + 1 : nl][:2000]
        if not line.strip():
            blanks += 1
            if blanks > 4:
                break
            end = nl
            continue
        if _CLASS_LINE_RE.match(line):
            nxt = text.find("\n", nl + 1)
            nxt = len(text) if nxt < 0 else nxt
            if page_line_rest(text[nl + 1 : nxt][:2000]) is None:
                break
            # "CONFIDENTIAL" / "PAGE 02 ROME 01196 01 OF 02 082030Z  B. ROME 1098"
            end, nl = nl, nxt
            line = text[end + 1 : nl][:2000]
        rest = page_line_rest(line)
        if rest is not None:
            if not rest:
                end = nl
                continue
            line = rest
        line = strip_trailing_class(line)
        if _BLOCK_STOP_RE.match(line) or _RECORD_LINE_RE.match(line):
            break
        if (
            blanks
            and not _ITEM_START_RE.match(line)
            and (blanks > 1 or not _DANGLING_RE.search(parts[-1]))
        ):
            break
        if not strip_page_markers(line).strip():
            end = nl  # "CAIRO 00002027 001.2 OF 003" on its own line
            continue
        cut = _RUNIN_STOP_RE.search(line)
        if cut:
            if cut.start():
                parts.append(line[: cut.start()])
            end = end + 1 + cut.start()
            break
        parts.append(line)
        blanks = 0
        end = nl
        if line.rstrip().endswith(".."):
            break  # "LIMA 4968 (0..": a partial extract cut off here; nothing follows
    return "\n".join(parts), match.start(), end


def split_items(block: str) -> list[tuple[str | None, str]]:
    """``(letter or None, text)`` for each item of a REF block."""
    block = PAGE_LINE_RE.sub(" ", block[:20_000])
    block = "\n".join(strip_page_markers(line[:2000]) for line in block.split("\n"))
    block = re.sub(r"^\s*(?:\(S\)|S\b)?\s*[:.-]?\s*", "", block)
    markers = []
    expected = "A"
    cut_at = len(block)
    for match in _MARKER_RE.finditer(block):
        letter = match.group("p") or match.group("l")
        if letter == expected:
            markers.append((letter, match.start(), match.end()))
            expected = chr(ord(expected) + 1)
        if expected > "Z":
            break
    # "(C) The embassy ...": a paragraph marking run in, not the next item letter
    for mark in _CLASS_MARK_RE.finditer(block):
        if not any(start == mark.start() for _, start, _ in markers):
            cut_at = mark.start()
            break
    markers = [m for m in markers if m[1] < cut_at]
    block = block[:cut_at]
    if len(markers) < 1 or (len(markers) == 1 and markers[0][1] > 3):
        return _unlettered(block)
    items = []
    head = " ".join(block[: markers[0][1]].split()).strip(" :;.,")
    if head:
        items.append((None, head))
    for i, (letter, _start, mend) in enumerate(markers):
        stop = markers[i + 1][1] if i + 1 < len(markers) else len(block)
        items.append((letter, " ".join(block[mend:stop].split()).strip(" ;,")))
    return items


def _unlettered(block: str) -> list[tuple[str | None, str]]:
    """Items of an unlettered block: one per line or semicolon when several of them
    name cables (the others are joined to the item before)."""
    segments = [s for s in re.split(r"[\n;]", block) if s.strip()]
    if len(segments) > 1 and sum(1 for s in segments if cited_ids(s)) > 1:
        items: list[list[str]] = []  # the segments of each item, joined once at the end
        for segment in segments:
            if items and (not cited_ids(segment) or _DANGLING_RE.search(items[-1][-1])):
                items[-1].append(segment)
            else:
                items.append([segment])
    else:
        items = [[block]]
    out = []
    for item in items:
        text = " ".join(" ".join(item).split()).strip(" :;.,")
        if text:
            out.append((None, text))
    return out


MAX_ITEM = 2_000  # characters of one item looked at
MAX_TOKENS = 400  # tokens of one item looked at
_TOKEN_RE = re.compile(r"[A-Z]+|\d+|[^\sA-Z\d]")
_O_FOR_ZERO_RE = re.compile(r"(?<![A-Z0-9])O(?=\d(?!\d))|(?<=(?<![A-Z0-9])\d)O(?![A-Z0-9])")
_WORD_JOINERS = frozenset({".", "-", "'", "’"})
_ORDINALS = frozenset({"ST", "ND", "RD", "TH", "Z", "H", "HRS", "AM", "PM", "PERCENT", "K", "M"})
_AND = frozenset({",", ";", "AND", "&"})
# Codes the release spells two ways: a REF names the one the known list holds.
_EQUIVALENT = {
    "KIEV": ("KIEV", "KYIV"),
    "KYIV": ("KYIV", "KIEV"),
    "CALCUTTA": ("CALCUTTA", "KOLKATA"),
    "KOLKATA": ("KOLKATA", "CALCUTTA"),
    "MADRAS": ("MADRAS", "CHENNAI"),
    "CHENNAI": ("CHENNAI", "MADRAS"),
    "UNESCOPARIS": ("UNESCOPARISFR", "PARISFR", "UNESCOPARIS"),
    "UNESCOPARISFR": ("UNESCOPARISFR", "PARISFR", "UNESCOPARIS"),
    "PARISFR": ("PARISFR", "UNESCOPARISFR"),
    "TAIPEI": ("TAIPEI", "AITTAIPEI"),
    "AITTAIPEI": ("AITTAIPEI", "TAIPEI"),
    "RPODUBAI": ("RPODUBAI", "IRANRPODUBAI"),
    "IRANRPODUBAI": ("IRANRPODUBAI", "RPODUBAI"),
    "BELIZE": ("BELIZE", "BELMOPAN"),
}


def _station_before(tokens: list[str], i: int, citing: str | None) -> tuple[str | None, int]:
    """The station written just before token ``i`` (a serial) and the index of its
    first token: up to four words, the longest exact spelling, else a near miss."""
    j = i - 1
    if j >= 0 and tokens[j] in (":", "-", "#"):
        j -= 1
    starts: list[int] = []  # start index of the 1-, 2-, 3-, 4-word suffix
    k = j
    while k >= 0 and len(starts) < 4:
        if not tokens[k].isalpha():
            break
        starts.append(k)
        k -= 1
        if k >= 0 and tokens[k] in _WORD_JOINERS and k > 0 and tokens[k - 1].isalpha():
            k -= 1
    if not starts:
        return None, i
    spellings = ["".join(t for t in tokens[start : j + 1] if t.isalpha()) for start in starts]
    for start, spelling in zip(reversed(starts), reversed(spellings), strict=True):
        code = ref_station(spelling, citing)
        if code:
            return code, start
    for start, spelling in zip(starts[:3], spellings[:3], strict=False):
        candidates = ref_station_candidates(spelling)
        if len(candidates) == 1:
            return candidates[0], start
        if citing in candidates:
            return citing, start
    return None, i


def _year_before(tokens: list[str], k: int, consumed: set[int]) -> tuple[int | None, int]:
    """A year written just before token ``k`` (the station): ``05``, ``2005``, ``005``,
    ``(05)``, ``05-``; the year and the index of its token (or -1)."""
    j = k - 1
    if j >= 0 and tokens[j] in ("-", "(", ")", "/"):
        if tokens[j] == ")" and j >= 2 and tokens[j - 2] == "(":
            j -= 1
        else:
            j -= 1 if tokens[j] != "(" else 0
    if j < 0 or j in consumed or not tokens[j].isdecimal():
        return None, -1
    digits = tokens[j]
    if j > 0 and tokens[j - 1] in ("/", ".", ":") and j > 1 and tokens[j - 2].isdecimal():
        return None, -1  # the end of a date or a time, not a year
    if len(digits) == 2:
        return full_year(int(digits)), j
    if len(digits) == 3 and digits[0] == "0":
        return full_year(int(digits[1:])), j
    if len(digits) == 4 and (1966 <= int(digits) <= 2011):
        return int(digits), j
    return None, -1


def _is_serial(tokens: list[str], i: int) -> bool:
    digits = tokens[i]
    if len(digits) > 8 or not 0 < int(digits) < 1_000_000:
        return False
    after = tokens[i + 1] if i + 1 < len(tokens) else ""
    # not "5TH", "241534Z", "12/15", "1.4"
    return not (after in _ORDINALS or after == "/" or (after == "." and _digit_at(tokens, i + 2)))


def _digit_at(tokens: list[str], i: int) -> bool:
    return i < len(tokens) and tokens[i].isdecimal()


def _starts_station(tokens: list[str], i: int, citing: str | None) -> bool:
    """Is token ``i`` the start of a station spelling (so a number before it is a
    year, not one more serial)?"""
    if i >= len(tokens) or not tokens[i].isalpha():
        return False
    if tokens[i] in MONTH_WORDS:
        return True
    spelling = ""
    for k in range(i, min(i + 4, len(tokens))):
        if not tokens[k].isalpha():
            break
        spelling += tokens[k]
        if ref_station(spelling, citing):
            return True
    return bool(ref_station_candidates(tokens[i]))


def cited_ids(item: str, citing_station: str | None = None) -> list[tuple[int | None, str, int]]:
    """``(year or None, station code, serial)`` for each cable an item names, in the
    order written: ``STATE 3836``, ``05 SANTIAGO 465``, ``09-LIMA-123``, ``09LIMA123``,
    ``STATE: 12345``, ``O7 LIMA 12``, ``095 LIMA 123``, ``2009 LIMA 123``, several
    serials of one station (``LIMA 1234 AND 1240``, ``STATE 123, 456``).
    ``citing_station`` resolves a post's words for itself (``EMBTEL 123``)."""
    text = item[:MAX_ITEM].upper()
    if "O" in text:
        text = _O_FOR_ZERO_RE.sub("0", text)
    tokens = _TOKEN_RE.findall(text)[:MAX_TOKENS]
    found: list[tuple[int | None, str, int]] = []
    consumed: set[int] = set()
    i = 0
    while i < len(tokens):
        if not tokens[i].isdecimal() or i in consumed or not _is_serial(tokens, i):
            i += 1
            continue
        station, first = _station_before(tokens, i, citing_station)
        if station is None:
            i += 1
            continue
        year, year_at = _year_before(tokens, first, consumed)
        if year is None and tokens[i + 1 : i + 2] == ["("] and i + 2 < len(tokens):
            digits = tokens[i + 2]
            closed = tokens[i + 3 : i + 4] == [")"]
            if closed and digits.isdecimal() and len(digits) in (2, 4):
                # "LIMA 4516 (06)": the year written after the serial is that serial's,
                # even when a station follows ("BRASILIA 709 (08) SAO PAULO 542")
                year = full_year(int(digits)) if len(digits) == 2 else int(digits)
                consumed.add(i + 2)
            elif not closed and digits.isdecimal() and len(digits) < 4:
                # "LIMA 4968 (0..": the extract stops inside the year; which year it
                # was is not known, so the item names no cable
                consumed.update((i, i + 2))
                i += 3
                continue
        consumed.update((i, year_at))
        found.append((year, station, int(tokens[i])))
        # more serials of the same station: "LIMA 1234 AND 1240", "STATE 123, 456"
        k = i + 1
        while k + 1 < len(tokens) and tokens[k] in _AND and tokens[k + 1].isdecimal():
            nxt = k + 1
            if not _is_serial(tokens, nxt) or _starts_station(tokens, nxt + 1, citing_station):
                break
            if tokens[k] != "AND" and nxt + 1 < len(tokens) and tokens[nxt + 1] == "-":
                break
            if len(tokens[nxt]) == 4 and 1966 <= int(tokens[nxt]) <= 2011:
                break
            consumed.add(nxt)
            found.append((year, station, int(tokens[nxt])))
            k = nxt + 1
        i = k
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
    """The references of a REF block, in the order written, each cited cable once;
    the citing cable's own id (``citing`` = its station and serial) is never one."""
    if not block:
        return ()
    refs: list[Reference] = []
    own = None
    if citing is not None and citing_year is not None:
        own = canonical_id(citing_year, citing[0], citing[1])
    seen: set[str] = set()
    last: tuple[int | None, str] | None = None  # the previous item's year and station
    for letter, text in split_items(block)[:200]:
        ids = cited_ids(text, citing[0] if citing else None)
        bare = _BARE_SERIAL_RE.match(text) if not ids else None
        if bare:
            # "B) 00357" after "A) CALCUTTA 00354": the station of the item before;
            # a six-digit serial alone is the Department's (no post gets that far)
            serial = int(bare.group(1))
            if len(bare.group(1)) == 4 and 1966 <= serial <= 2011:
                pass  # a year run on from the item before, not a serial
            elif last is not None:
                ids = [(last[0], last[1], serial)]
            elif serial >= 100_000:
                ids = [(None, "STATE", serial)]
        if ids:
            last = ids[-1][:2]
        named = False
        for year, station, serial in ids:
            if year is None:
                year = resolve_year(station, serial, citing_year, citing_month, known, citing)
            rid = canonical_id(year, station, serial) if year else None
            if rid and known is not None and rid not in known:
                for other in _EQUIVALENT.get(station, ()):
                    alternative = canonical_id(year, other, serial)
                    if alternative in known:
                        rid = alternative
                        break
            if rid is not None and (rid == own or rid in seen):
                named = True
                continue
            if rid is not None:
                seen.add(rid)
            named = True
            refs.append(Reference(letter=letter, text=text, reference_id=rid))
        if not named:
            refs.append(Reference(letter=letter, text=text))
    return tuple(refs)
