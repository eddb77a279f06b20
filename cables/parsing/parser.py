"""``parse_cable``: text in, a frozen :class:`ParsedCable` out.

The text is a cable as the Cablegate ``.txt`` files hold it (routing header, a blank
line, the body; or the partial-extract notice, then the body), or ``header + "\\n\\n" +
body`` joined from the two columns of ``cables.csv``. Line ends are normalised to
``\\n``. Losslessness: for a cable with a routing header,
``text == header + <blank line(s)> + body``; for a partial extract the notice line is
dropped (``partial=True`` stands for it) and ``body`` is everything after it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from . import body as body_mod
from .banner import find_banner, normalise_classification
from .classified_by import parse_classified_by
from .fields import FIELD_SCAN, parse_eo
from .ids import canonical_id, split_id
from .known_ids import KnownIds
from .months import MONTH_NUMBERS
from .pagebreaks import strip_page_breaks
from .references import cited_ids, find_ref_block, parse_references
from .routing import (
    DTG_ANY_RE,
    DTG_LINE_RE,
    HEADER_SCAN,
    PRECEDENCE,
    header_dtg,
    parse_dtg,
    parse_routing,
    split_header,
)
from .signer import find_signer
from .stations import resolve_code, station_from_text
from .subject import parse_subject
from .summary import find_summary
from .tags import parse_tags
from .types import CableParseError, Metadata, ParsedCable

MAX_ANALYSED = 2_000_000  # paragraphs/summary/signer look at this much of the body

_DE_RE = re.compile(r"^[ \t]*DE[ \t]+R[A-Z]{3,6}[ \t]+#(?P<serial>\d{1,7})", re.M)
_ISO_DATE_RE = re.compile(
    r"(?:Cable dated:|^date:[ \t]*|^)[ \t]*(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)"
    r"[T ](?P<H>\d\d):(?P<M>\d\d)",
    re.M | re.I,
)
_US_DATE_RE = re.compile(
    r"^(?:date:[ \t]*)?(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)\d\d)"
    r"[ \t]+(?P<H>\d{1,2}):(?P<M>\d\d)",
    re.M | re.I,
)
_LONG_DATE_RE = re.compile(
    r"^[ \t]*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),"
    r"[ \t]*(?P<d>\d{1,2})[ \t]+"
    r"(?P<mon>[A-Za-z]+)[ \t]+(?P<y>(?:19|20)\d\d),[ \t]*(?P<H>\d\d):(?P<M>\d\d)",
    re.M,
)
_ZNY_RE = re.compile(r"^[ \t]*ZNY[ \t]+([CSUET])\1{4}\b", re.M)
_ZNY_CLASSIFICATION = {
    "C": "CONFIDENTIAL",
    "S": "SECRET",
    "U": "UNCLASSIFIED",
    "E": "UNCLASSIFIED//FOUO",
    "T": "TOP SECRET",
}
_YEAR_IN_TEXT_RE = re.compile(r"\b(19[6-9]\d|20[01]\d)\b")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff]")


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise CableParseError(f"expected text, got {type(text).__name__}")
    if not text.strip():
        raise CableParseError("empty text: not a cable")
    if "\x00" in text[:1_000_000]:
        raise CableParseError("binary data (NUL bytes): not a cable")
    sample = text[:8000]
    if len(_CONTROL_RE.findall(sample)) > len(sample) * 0.05:
        raise CableParseError("mostly non-text characters: not a cable")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _other_created(body: str) -> datetime | None:
    """A cable time printed in a partial extract ("Cable dated:2005-05-23T14:26:00",
    "Friday, 04 February 2005, 16:06", "061428Z Jun 03", a DTG line)."""
    head = body[:3000]
    match = DTG_LINE_RE.search(head)
    if match and (created := parse_dtg(match)):
        return created
    match = DTG_ANY_RE.search(head[:600])
    if match and (created := parse_dtg(match)):
        return created
    for regex in (_ISO_DATE_RE, _US_DATE_RE, _LONG_DATE_RE):
        match = regex.search(head)
        if not match:
            continue
        try:
            if "mon" in match.groupdict():
                month = MONTH_NUMBERS.get(match.group("mon")[:3].upper())
                if month is None:
                    continue
            else:
                month = int(match.group("m"))
            return datetime(
                int(match.group("y")),
                month,
                int(match.group("d")),
                int(match.group("H")) % 24,
                int(match.group("M")),
                tzinfo=UTC,
            )
        except ValueError:
            continue
    return None


_MARK_LEVELS = (
    ("TS", "TOP SECRET"),
    ("S", "SECRET"),
    ("C", "CONFIDENTIAL"),
    ("SBU", "UNCLASSIFIED//FOUO"),
    ("U", "UNCLASSIFIED"),
)


def _classification_from_markings(paragraphs) -> str | None:
    marks = {(p.classification or "").split("/")[0] for p in paragraphs}
    for mark, level in _MARK_LEVELS:
        if mark in marks:
            return level
    return None


def _choose_year(
    station: str | None,
    serial: int | None,
    raw_station: str | None,
    created: datetime | None,
    declassify_on: object,
    body_head: str,
    ref_years: list[int],
    yearless_refs: list[tuple[str, int]],
    known: KnownIds | None,
    warnings: list[str],
) -> int | None:
    if created is not None:
        return created.year
    decl_year = declassify_on.year if isinstance(declassify_on, date) else None
    mentioned = [y for y in map(int, _YEAR_IN_TEXT_RE.findall(body_head)) if y <= 2011]
    floor = max(ref_years) if ref_years else None
    candidates: set[int] = set()
    months: dict[int, int] = {}
    if known is not None and station and serial is not None:
        for code in {station, raw_station or station}:
            for year, month in known.candidates(code, serial):
                candidates.add(year)
                months[year] = month
    if candidates:

        def score(year: int) -> float:
            points = 0.0
            if decl_year is not None:
                if decl_year - year == 10:
                    points += 4
                elif 0 <= decl_year - year <= 25:
                    points += 1
                else:
                    points -= 3
            if floor is not None:
                points += 1 if year >= floor else -3
            if mentioned:
                points += 2 if year == max(mentioned) else (1 if year in mentioned else 0)
                points += mentioned.count(year) / len(mentioned)
                if year < max(mentioned) - 1:
                    points -= 1
            # REFs without a year cite earlier cables of the same year
            if known is not None and yearless_refs:
                hits = 0
                for ref_station, ref_serial in yearless_refs:
                    ref_month = known.month_of(canonical_id(year, ref_station, ref_serial))
                    if (
                        ref_month is not None
                        and ref_month <= months.get(year, 12)
                        and (ref_station != station or ref_serial < (serial or 0))
                    ):
                        hits += 1
                points += hits / len(yearless_refs)
            return points

        best = max(sorted(candidates), key=score)
        if len(candidates) > 1:
            warnings.append(f"year {best} chosen among known ids {sorted(candidates)}")
        else:
            warnings.append(f"year {best} from the known-id list")
        return best
    if decl_year is not None and 1966 <= decl_year - 10 <= 2011:
        warnings.append(f"year {decl_year - 10} guessed from DECL date minus 10 years")
        return decl_year - 10
    if mentioned:
        warnings.append("year guessed from years mentioned in the text")
        return max(mentioned)
    return None


def _created_month(
    created: datetime | None, reference_id: str | None, known: KnownIds | None
) -> str | None:
    if created is not None:
        return f"{created.year:04d}-{created.month:02d}"
    if reference_id is None or known is None:
        return None
    month = known.month_of(reference_id)
    parts = split_id(reference_id)
    if month is None or parts is None:
        return None
    return f"{parts[0]:04d}-{month:02d}"


def parse_cable(
    text: str, *, metadata: Metadata | None = None, known_ids: KnownIds | None = None
) -> ParsedCable:
    """Parse one cable. Raises :class:`CableParseError` for text that is not a cable."""
    text = _check_text(text)
    warnings: list[str] = []
    header, body, partial = split_header(text)
    if len(header) > HEADER_SCAN and body:
        warnings.append(f"routing header longer than {HEADER_SCAN} characters (padded lines)")
    if metadata is not None and metadata.partial and not partial:
        partial = True

    analysed = body if len(body) <= MAX_ANALYSED else body[:MAX_ANALYSED]
    if analysed is not body:
        warnings.append(f"body longer than {MAX_ANALYSED} characters: analysed its start only")
    # Every field, paragraph, summary and signer is read from the body without the
    # telegram's page breaks; ``body`` itself is stored verbatim.
    analysed = strip_page_breaks(analysed)
    banner = find_banner(analysed)
    if banner.start < 0 and header:
        banner = find_banner(header)

    # ------------------------------------------------------------ routing header
    created, precedence = header_dtg(header) if header else (None, None)
    sender, recipients = parse_routing(header) if header else (None, ())
    if created is None:
        created = _other_created(analysed)
        if created is not None:
            warnings.append("created taken from a date printed in the text")
            dtg = DTG_LINE_RE.search(analysed[:3000])
            if precedence is None and dtg:
                precedence = PRECEDENCE.get(dtg.group("prec"))
    if created is None and metadata is not None and metadata.created is not None:
        created = metadata.created
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)

    # -------------------------------------------------------------- station/serial
    station, serial = banner.station, banner.serial
    de = _DE_RE.search(header or analysed[:3000])
    de_digits = de.group("serial") if de else None
    de_serial = int(de_digits) if de_digits else None
    if serial is None and de_serial is not None:
        serial = de_serial
        warnings.append("serial taken from the DE line")
    origin = station_from_text(sender) if sender else None
    fm_station = None
    if origin:
        fm_station = "BRUSSELS" if origin == "USEUBRUSSELS" else resolve_code(origin)
    if station is None and fm_station:
        station = fm_station
        warnings.append("station taken from the FM line")
    if origin is None:
        origin = station
    if origin is None and metadata is not None:
        origin = station_from_text(metadata.origin)
    # The body of a few records is another cable (a mirror's mix-up): the routing
    # header (FM station, DE serial, ZNY classification) then speaks for the record.
    foreign_body = False
    if header and fm_station and banner.station and fm_station != banner.station:
        foreign_body = fm_station not in ("STATE", "BRUSSELS") and banner.station != "STATE"
    de_conflict = (
        de_serial is not None
        and serial is not None
        and serial % 10 ** len(de_digits) != de_serial
        and not banner.garbled_serial
    )

    classification = banner.classification
    zny = _ZNY_RE.search(header) if header else None
    zny_cls = _ZNY_CLASSIFICATION[zny.group(1)] if zny else None
    if classification is None and zny_cls:
        classification = zny_cls
        warnings.append("classification taken from the ZNY line of the routing header")
    elif (
        zny_cls
        and classification
        and zny_cls.split("//")[0] != classification.split("//")[0]
        and (foreign_body or de_conflict or zny_cls != "CONFIDENTIAL")
    ):
        warnings.append(f"banner says {classification}, the ZNY line {zny_cls}: ZNY kept")
        classification = zny_cls
    if classification is None and metadata is not None and metadata.classification:
        classification = normalise_classification(metadata.classification.split("//")[0])
        if "OFFICIAL USE" in metadata.classification.upper() or "FOUO" in metadata.classification:
            classification = "UNCLASSIFIED//FOUO"

    # ------------------------------------------------------------------- fields
    fields_start = max(banner.end, 0)
    region = analysed[: fields_start + FIELD_SCAN]
    eo, declassify_on, eo_end = parse_eo(region[fields_start:] if fields_start else region)
    eo_end = eo_end + fields_start if eo_end >= 0 else -1
    tags_from = max(banner.start, 0)  # TAGS may share the banner's line (flattened extracts)
    tags, tags_end = parse_tags(region[tags_from:])
    tags_end = tags_end + tags_from if tags_end >= 0 else -1
    subject, subject_mark, inline_ref, subject_end = parse_subject(region[fields_start:])
    subject_end = subject_end + fields_start if subject_end >= 0 else -1
    classified_by, reasons, cb_end = parse_classified_by(region[fields_start:])
    cb_end = cb_end + fields_start if cb_end >= 0 else -1
    first_para = body_mod.PARA_RE.search(region, max(fields_start, eo_end, tags_end, subject_end))
    para_guard = first_para.start() if first_para else len(region)
    ref_from = max(fields_start, tags_end, subject_end, eo_end)
    ref_block, _ref_start, ref_end = find_ref_block(region, ref_from, para_guard)
    if ref_block is None and not inline_ref and ref_from > fields_start:
        # a REF written before the E.O., TAGS or SUBJECT line
        ref_block, _ref_start, ref_end = find_ref_block(region, fields_start, ref_from)
    if inline_ref:
        ref_block = inline_ref + ("\n" + ref_block if ref_block else "")

    # ----------------------------------------------------------------- the year
    cited = cited_ids(ref_block or "", station)
    ref_years = [y for y, _, _ in cited if y]
    yearless_refs = [(st, se) for y, st, se in cited if y is None]
    year = _choose_year(
        station,
        serial,
        banner.raw_station,
        created,
        declassify_on,
        analysed[max(eo_end, fields_start) : max(eo_end, fields_start) + 6000],
        ref_years,
        yearless_refs,
        known_ids,
        warnings,
    )
    reference_id = None
    if metadata is not None and metadata.reference_id:
        reference_id = metadata.reference_id.strip().upper()
    elif station and serial is not None and year:
        reference_id = canonical_id(year, station, serial)
        raw = banner.raw_station
        if (foreign_body or de_conflict) and de_serial is not None:
            from_header = canonical_id(year, fm_station or station, de_serial)
            if known_ids is None or from_header in known_ids:
                warnings.append(
                    f"banner names {reference_id}, routing header {from_header}: header kept"
                )
                reference_id = from_header
                station = fm_station or station
                serial = de_serial
        if known_ids is not None:
            alternatives = []
            if raw and raw != station:
                # Cablegate glued what stood before the serial: "08EFTOLONDON2883"
                alternatives.append(f"{year % 100:02d}{raw}{serial}")
            if reference_id not in known_ids:
                alternatives += [canonical_id(year + d, station, serial) for d in (-1, 1)]
            for alternative in alternatives:
                if alternative in known_ids:
                    warnings.append(f"id {reference_id} read as the known {alternative}")
                    reference_id = alternative
                    break
    cable_like = bool(eo or tags or subject)
    if reference_id is None and classification is None and not cable_like:
        raise CableParseError(
            "no classification banner, no reference id and no E.O./TAGS/SUBJECT: not a cable"
        )
    if reference_id and (station is None or serial is None):
        parts = split_id(reference_id)
        if parts:
            station = station or resolve_code(parts[1]) or parts[1]
            serial = serial if serial is not None else parts[2]
            origin = origin or station
    citing_year = year
    if citing_year is None and reference_id and (parts := split_id(reference_id)):
        citing_year = parts[0]
    references = parse_references(
        ref_block,
        citing_year,
        created.month if created else None,
        known_ids,
        (station, serial) if station and serial is not None else None,
    )
    if reference_id:
        # the cable's own id, however the REF wrote it: never a reference
        references = tuple(r for r in references if r.reference_id != reference_id)

    # ------------------------------------------------------------------- the body
    header_end = max(fields_start, eo_end, tags_end, subject_end, cb_end, ref_end)
    signer, signer_at = find_signer(analysed)
    matches = [m for m in body_mod.find_paragraphs(analysed, header_end) if m.start() < signer_at]
    paragraphs, renumbered = body_mod.build_paragraphs(analysed, header_end, signer_at, matches)
    if renumbered:
        warnings.append("paragraphs 11, 12 ... renumbered 1, 2 ... (pilcrow lost)")
    # the summary may stand before the end of a REF block or Classified By line that the
    # archive ran into it: look from the end of the subject on
    summary_from = max(fields_start, eo_end, tags_end, subject_end)
    summary = find_summary(analysed, summary_from if summary_from > 0 else 0)
    if classification is None:
        classification = _classification_from_markings(paragraphs)
        if classification:
            warnings.append("no banner: classification from the paragraph markings")
    if reference_id is None:
        warnings.append("no reference id: the text names no station and serial")

    released = metadata.released if metadata is not None else None
    if released is not None and released.tzinfo is None:
        released = released.replace(tzinfo=UTC)
    if station is None:
        warnings.append("no station found")
    created_month = _created_month(created, reference_id, known_ids)
    if classification in ("CONFIDENTIAL", "SECRET", "TOP SECRET") and "NOFORN" in banner.caveats:
        # The marking as the archives write it: SECRET//NOFORN.
        classification += "//NOFORN"
    return ParsedCable(
        reference_id=reference_id,
        station=station,
        serial=serial,
        classification=classification,
        caveats=banner.caveats,
        origin=origin,
        created=created,
        created_month=created_month,
        released=released,
        precedence=precedence,
        sender=sender,
        recipients=recipients,
        eo=eo,
        declassify_on=declassify_on,
        tags=tags,
        subject=subject,
        subject_classification=subject_mark,
        references=references,
        classified_by=classified_by,
        reasons=reasons,
        paragraphs=paragraphs,
        summary=summary,
        signer=signer,
        partial=partial,
        header=header,
        body=body,
        warnings=tuple(warnings),
    )
