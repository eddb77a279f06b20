"""How well REF items resolve, and why the rest do not: the numbers behind
``manage.py reference_report``.

Pure Python over rows the selectors stream: no queries here.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from cables.parsing.ids import ID_RE, full_year
from cables.selectors import ReferenceRow

# "OTTAWA 1234", "07 STATE 4567", "USUN NEW YORK 123": a station and a number, as
# REF lines name cables.
_CABLE_LIKE = re.compile(r"\b(?:\d{2}\s+)?[A-Z]{3,}(?:\s+[A-Z]{2,})*\s+0*\d{1,6}\b")
_NOT_A_CABLE = re.compile(
    r"E-?MAILS?|TELCONS?|MEMCONS?|MEMOS?|LETTERS?|MEETINGS?|CONVERSATIONS?|"
    r"\bIIR\b|UNSCR|RESOLUTION|NOTES?\b|FAX|REPORTS?\b|PHONE",
    re.IGNORECASE,
)

CAUSES = {
    "malformed": "The id is not year + station + serial shaped",
    "station_unknown": "No Cablegate id has this station (misread or unlisted station)",
    "year_out_of_range": "The year is outside the years the Cablegate list covers",
    "year_mismatch": "Year guessed wrong: the same station and serial exist in another year",
    "serial_out_of_range": (
        "The serial is above every Cablegate serial of that station and year (misread number?)"
    ),
    "not_in_cablegate": "Well formed, but not in the Cablegate list (not released, or misread)",
}
NO_ID_CAUSES = {
    "cable_like": "Looks like a cable (station and number) but no id was read",
    "other_document": "Names another kind of document: e-mail, telcon, memo, IIR, UNSCR ...",
    "other": "Anything else",
}


class KnownIndex:
    """The Cablegate ids, with what the report needs to explain a miss: the stations,
    the years covered, the years of each station+serial and the highest serial of each
    station and year."""

    def __init__(self, rows: Iterable[tuple[str, int, int]]):
        self.ids: set[str] = set()
        self.by_serial: dict[tuple[str, int], list[int]] = defaultdict(list)
        self.max_serial: dict[tuple[str, int], int] = {}
        years: list[int] = []
        for rid, year, _month in rows:
            self.ids.add(rid)
            match = ID_RE.match(rid)
            if match is None:
                continue
            station, serial = match.group(2), int(match.group(3))
            self.by_serial[(station, serial)].append(year)
            key = (station, year)
            if serial > self.max_serial.get(key, 0):
                self.max_serial[key] = serial
            years.append(year)
        self.stations = {station for station, _ in self.by_serial}
        self.first_year = min(years, default=0)
        self.last_year = max(years, default=0)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, rid: object) -> bool:
        return rid in self.ids


def miss_cause(rid: str, known: KnownIndex, *, source: str = "", text: str = "") -> tuple[str, str]:
    """(cause, detail) for an id that is neither loaded nor known.

    "Year guessed wrong" means: the REF text writes no year (the parser took one), and
    the same station+serial is known in the citing cable's year or the year before,
    the years a yearless REF can mean."""
    match = ID_RE.match(rid)
    if match is None:
        return "malformed", ""
    yy, station, serial = match.group(1), match.group(2), int(match.group(3))
    year = full_year(int(yy))
    if station not in known.stations:
        return "station_unknown", station
    if not known.first_year <= year <= known.last_year:
        return "year_out_of_range", str(year)
    source_match = ID_RE.match(source)
    year_written = re.search(rf"(?<!\d){yy}(?!\d)", text) is not None
    if source_match and not year_written:
        cited_in = full_year(int(source_match.group(1)))
        other_years = sorted(
            y
            for y in known.by_serial.get((station, serial), [])
            if y != year and cited_in - 1 <= y <= cited_in
        )
        if other_years:
            return "year_mismatch", "known as " + ", ".join(
                f"{y % 100:02d}{station}{serial}" for y in other_years
            )
    top = known.max_serial.get((station, year))
    if top is not None and serial > top:
        return "serial_out_of_range", f"highest known {station} serial in {year}: {top}"
    return "not_in_cablegate", ""


def no_id_cause(text: str) -> str:
    if _NOT_A_CABLE.search(text):
        return "other_document"
    if _CABLE_LIKE.search(text.upper()):
        return "cable_like"
    return "other"


@dataclass
class Bucket:
    label: str
    count: int = 0
    examples: list[dict[str, str]] = field(default_factory=list)

    def add(self, example: dict[str, str], keep: int) -> None:
        self.count += 1
        if len(self.examples) < keep:
            self.examples.append(example)


@dataclass
class ReferenceReport:
    items: int = 0
    with_id: int = 0
    loaded: int = 0
    known: int = 0
    known_list_size: int = 0
    unresolved: dict[str, Bucket] = field(default_factory=dict)
    no_id: dict[str, Bucket] = field(default_factory=dict)
    top_missing: list[tuple[str, int]] = field(default_factory=list)
    by_year: dict[int, list[int]] = field(default_factory=dict)  # cited year -> [named, resolved]

    @property
    def resolved(self) -> int:
        return self.loaded + self.known

    @staticmethod
    def share(part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    def as_dict(self) -> dict:
        return {
            "ref_items": self.items,
            "name_a_cable": self.with_id,
            "name_a_cable_share": round(self.share(self.with_id, self.items), 4),
            "resolved": self.resolved,
            "resolved_share": round(self.share(self.resolved, self.with_id), 4),
            "resolved_loaded": self.loaded,
            "resolved_known_not_loaded": self.known,
            "known_list_size": self.known_list_size,
            "unresolved": {
                key: {"label": b.label, "count": b.count, "examples": b.examples}
                for key, b in self.unresolved.items()
            },
            "no_id": {
                key: {"label": b.label, "count": b.count, "examples": b.examples}
                for key, b in self.no_id.items()
            },
            "most_cited_missing": [{"id": rid, "count": n} for rid, n in self.top_missing],
            "by_cited_year": [
                {"year": year, "name_a_cable": named, "resolved": resolved}
                for year, (named, resolved) in sorted(self.by_year.items())
            ],
        }


def reference_report_build(
    *,
    rows: Iterable[ReferenceRow],
    known: KnownIndex,
    loaded: set[str],
    examples: int = 5,
) -> ReferenceReport:
    """Count REF items, those that name a cable, those that resolve (loaded, or in the
    Cablegate list), and sort the rest by cause."""
    report = ReferenceReport(known_list_size=len(known))
    report.unresolved = {key: Bucket(label) for key, label in CAUSES.items()}
    report.no_id = {key: Bucket(label) for key, label in NO_ID_CAUSES.items()}
    missing: Counter[str] = Counter()
    for row in rows:
        report.items += 1
        example = {"source": row.source, "letter": row.letter, "text": row.text[:160]}
        if not row.target:
            report.no_id[no_id_cause(row.text)].add(example, examples)
            continue
        report.with_id += 1
        match = ID_RE.match(row.target)
        year_counts = report.by_year.setdefault(
            full_year(int(match.group(1))) if match else 0, [0, 0]
        )
        year_counts[0] += 1
        if row.loaded or row.target in loaded:
            report.loaded += 1
            year_counts[1] += 1
        elif row.target in known:
            report.known += 1
            year_counts[1] += 1
        else:
            cause, detail = miss_cause(row.target, known, source=row.source, text=row.text)
            report.unresolved[cause].add({**example, "id": row.target, "detail": detail}, examples)
            missing[row.target] += 1
    report.top_missing = missing.most_common(10)
    return report
