"""Real cables compiled into templates: literal text with slots for the identity.

A template is the text of one real cable cut into literal strings and *slots* (tuples)
where the generator writes the new cable's identity:

``("st",)``        the station as the banner spells it ("BUENOS AIRES")
``("ser", w)``     the serial, zero-padded to width ``w`` (banner, section and page lines)
``("de", w)``      the serial in the DE line of the routing header (last ``w`` digits)
``("ri", x)``    the routing indicator of the DE line (``x``: the template's)
``("jul",)``       Julian day and time of the DE line (``JJJHHMM``)
``("dtg", lower)`` a date-time group ``241051Z FEB 10`` (``Feb`` when ``lower``)
``("iso",)``       ``2005-05-23T14:26`` ("Cable dated:" of some partial extracts)
``("fm",)``        the sender of the FM line ("AMEMBASSY OTTAWA")
``("decl", off, yw)`` the DECL date: the cable's date plus ``off`` years, year width ``yw``
``("ref",)``       the REF block (dropped when the cable cites nothing)
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from cables.parsing import full_year, split_id
from cables.parsing.months import MONTH_PATTERN
from cables.parsing.routing import PARTIAL_NOTICE

_DE_RE = re.compile(r"^(DE[ \t]+)(R[A-Z]{3,6})([ \t]+#)(\d{1,7})((?:/\d+)?[ \t]+)(\d{7})\b", re.M)
_DTG_RE = re.compile(
    r"(?<![\w/])(\d{2})([0-2]\d[0-5]\d)Z[ \t]+(" + MONTH_PATTERN + r")[ \t]+(\d{2})(?!\d)",
    re.I,
)
_ISO_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d)")
# date forms the parser reads in partial extracts that we do not rewrite: such
# templates are not used
_OTHER_DATE_RE = re.compile(
    r"(?:^|[ \t])(?:19|20)\d\d-\d\d-\d\d [0-2]\d:\d\d"
    r"|^(?:date:[ \t]*)?\d{1,2}/\d{1,2}/(?:19|20)\d\d[ \t]+\d{1,2}:\d\d"
    r"|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),[ \t]*\d{1,2}[ \t]+[A-Za-z]+",
    re.M | re.I,
)
_FM_RE = re.compile(r"^(FM[ \t]+)([A-Z][^\n\\]*?)[ \t]*\\?[ \t]*$", re.M)
_DECL_RE = re.compile(r"(DECL(?:ASSIFY ON)?[ \t]*:?[ \t]*)(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?!\d)")
_REF_RE = re.compile(r"^[ \t¶]*(?:REFERENCES?|REFTELS?|REFS?)\b(?P<after>[^\n]*)", re.M | re.I)
_REF_STOP_RE = re.compile(
    r"^\s*(?:\(\w{1,4}\)\s*)?(?:CLASSIFIED\s+BY|¶?\s*\d+\s*\.[\s(]|SUMMARY\b|E\.?\s?O\.?\s*\d|"
    r"TAGS\b|SUBJ|-{3,}|1\.\s*\()",
    re.I,
)
_INLINE_REF_RE = re.compile(r"(?<=[ \t])REF(?:TEL)?S?:[ \t][^\n]*")
_ITEM_START_RE = re.compile(r"^\s*¶?\s*(?:\(?[A-Z]\)|[A-Z][.:)])\s")
_ITEM_MARK_RE = re.compile(r"(?:^|[\s;,:])¶?(?:\([A-Z]\)|[A-Z][.):])(?=\s)")
_PARA1_RE = re.compile(r"^[ \t]*¶?[ \t]*1[ \t]*\.[ \t]", re.M)
_TAGS_RE = re.compile(r"^[ \t]*TAGS\b", re.M)
HEAD = 4000  # identity lines live in the first characters of the body


@dataclass
class Template:
    ident: str
    year: int
    station: str
    partial: bool
    classification: str
    header: list  # parts of the routing header ("" for a partial extract)
    body: list  # parts of the body
    refs: int  # REF items of the real cable (0: no REF block)
    sep: str = "\n\n"  # the blank line(s) between header and body, verbatim
    length: int = 0


@dataclass
class StationInfo:
    spelling: Counter = field(default_factory=Counter)
    fm: Counter = field(default_factory=Counter)
    origin: Counter = field(default_factory=Counter)
    ri: Counter = field(default_factory=Counter)  # routing indicator of the DE line


def _station_re(code: str, serial: int) -> re.Pattern:
    spelled = "[ ]?".join(re.escape(ch) for ch in code)
    return re.compile(rf"(?<![A-Z])({spelled})([ \t]+)(0*{serial})(?!\d)")


def _ref_block(text: str, start: int, limit: int) -> tuple[int, int, int] | None:
    """(start, end, items) of the REF block between ``start`` and ``limit``."""
    match = _REF_RE.search(text, start, limit)
    if not match:
        return None
    after = match.group("after")
    if after and not re.match(r"^\s*(?:[A-Z]\b|[:.(]|\s*$|S\b)", after, re.I):
        return None
    end = match.end()
    lines = [after]
    pending = end
    while end < len(text):
        nl = text.find("\n", end + 1)
        nl = len(text) if nl < 0 else nl
        line = text[end + 1 : nl]
        if not line.strip():
            end = nl
            continue
        if _REF_STOP_RE.match(line) or (end != pending and not _ITEM_START_RE.match(line)):
            break
        lines.append(line)
        end = pending = nl
    block = "\n".join(lines)
    items = max(1, len(_ITEM_MARK_RE.findall(" " + block.strip(" :.\t"))))
    return match.start(), pending, items


def _compile(text: str, spans: list[tuple[int, int, tuple]]) -> list:
    parts: list = []
    pos = 0
    for start, end, slot in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < pos:
            continue  # overlapping match: the first one wins
        if start > pos:
            parts.append(text[pos:start])
        parts.append(slot)
        pos = end
    if pos < len(text):
        parts.append(text[pos:])
    return parts


def compile_template(ident: str, text: str, meta: dict, info: dict[str, StationInfo]):
    """A :class:`Template` for one real cable, or ``None`` when it cannot serve."""
    parts = split_id(ident)
    if parts is None:
        return None
    year, code, serial = parts
    text = text.replace("\r\n", "\n")
    partial = text.startswith(PARTIAL_NOTICE)
    fm_line = None if partial else re.search(r"^FM[ \t]", text[:5000], re.M)
    blank = re.compile(r"\n[ \t]*\n").search(text, fm_line.end() if fm_line else 0)
    if blank is None:
        return None
    body_start = blank.end()
    while body_start < len(text) and text[body_start] == "\n":
        body_start += 1
    header, sep, body = text[: blank.start()], text[blank.start() : body_start], text[body_start:]
    if partial and header.strip() != PARTIAL_NOTICE:
        return None
    head = body[:HEAD]
    if partial and _OTHER_DATE_RE.search(head):
        return None
    station_re = _station_re(code, serial)
    first = station_re.search(head)
    if not first:
        return None
    st = info[code]
    st.spelling[first.group(1)] += 1
    st.origin[meta["origin"]] += 1

    def identity(part: str, limit: int) -> list[tuple[int, int, tuple]]:
        spans: list[tuple[int, int, tuple]] = []
        for match in station_re.finditer(part):
            start = match.start(1)
            if part.endswith("AIT ", 0, start):
                start -= 4  # "AIT TAIPEI 004653" is the banner of "05TAIPEI4653"
            spans.append((start, match.end(1), ("st",)))
            spans.append((match.start(3), match.end(3), ("ser", len(match.group(3)))))
        for match in _DTG_RE.finditer(part, 0, limit):
            lower = match.group(3) != match.group(3).upper()
            spans.append((match.start(), match.end(), ("dtg", lower)))
        for match in _ISO_RE.finditer(part, 0, limit):
            spans.append((match.start(), match.end(), ("iso",)))
        for match in _DE_RE.finditer(part, 0, limit):
            st.ri[match.group(2)] += 1
            spans.append((match.start(2), match.end(2), ("ri", match.group(2))))
            spans.append((match.start(4), match.end(4), ("de", len(match.group(4)))))
            spans.append((match.start(6), match.end(6), ("jul",)))
        return spans

    header_spans = [] if partial else identity(header, len(header))
    if not partial:
        fm = _FM_RE.search(header)
        if fm:
            st.fm[fm.group(2)] += 1
            header_spans.append((fm.start(2), fm.end(2), ("fm",)))
    body_spans = identity(body, HEAD)
    decl = _DECL_RE.search(head)
    if decl:
        dy = int(decl.group(4))
        if len(decl.group(4)) == 2:
            dy = full_year(dy)
        off = dy - year
        if 0 <= off <= 30:
            body_spans.append((decl.start(2), decl.end(4), ("decl", off, len(decl.group(4)))))
    refs = 0
    tags = _TAGS_RE.search(head, first.end())
    fields_end = tags.end() if tags else first.end()
    para = _PARA1_RE.search(head, fields_end)
    limit = para.start() if para else len(head)
    block = _ref_block(head, fields_end, limit)
    if block:
        start, end, refs = block
        if end >= len(head) - 1 or any(len(line) > 400 for line in head[start:end].split("\n")):
            return None  # the REF line runs on into the text: no clean place to rewrite
        body_spans.append((start, end, ("ref",)))
        rest = end
    else:
        inline = _INLINE_REF_RE.search(head, first.end(), limit)
        if inline:
            if len(inline.group(0)) > 400:
                return None
            end = inline.end()
            while end < limit:  # "(B) SAO PAULO 498;" items on the lines below
                nl = head.find("\n", end + 1)
                nl = len(head) if nl < 0 else nl
                if not _ITEM_START_RE.match(head[end + 1 : nl]):
                    break
                end = nl
            refs = max(1, len(_ITEM_MARK_RE.findall(head[inline.start() : end])))
            body_spans.append((inline.start(), end, ("ref",)))
        rest = end if inline else fields_end
    if _REF_RE.search(head, rest, limit) or _REF_RE.search(head, first.end(), fields_end):
        return None  # a second REF block we would leave citing real cables
    return Template(
        ident=ident,
        year=year,
        station=code,
        partial=partial,
        classification=meta["classification"],
        header=_compile(header, header_spans) if not partial else [PARTIAL_NOTICE],
        body=_compile(body, body_spans),
        refs=refs,
        sep=sep,
        length=len(text),
    )


def load_templates(corpus: Path) -> tuple[list[Template], dict[str, StationInfo], list[str], int]:
    """Templates from ``cablegate/txt``, station spellings learned from them, the real
    release dates, and how many real cables could not serve as templates."""
    base = corpus / "cablegate"
    with (base / "metadata.csv").open(encoding="utf-8", newline="") as f:
        metadata = {row["reference_id"]: row for row in csv.DictReader(f)}
    info: dict[str, StationInfo] = defaultdict(StationInfo)
    templates: list[Template] = []
    skipped = 0
    for path in sorted((base / "txt").glob("*.txt")):
        ident = path.stem
        meta = metadata.get(ident)
        if meta is None:
            skipped += 1
            continue
        template = compile_template(ident, path.read_text(encoding="utf-8"), meta, info)
        if template is None:
            skipped += 1
            continue
        templates.append(template)
    released = sorted(row["released"] for row in metadata.values() if row["released"])
    return templates, dict(info), released, skipped
