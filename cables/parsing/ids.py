"""Cable reference ids: ``03OTTAWA492`` = two-digit year + station code + serial.

The one home of the id rules: the id's shape (:data:`ID_RE`), the two-digit year
(:func:`full_year`), an id's year, parts, archive spelling and canonical form. Every
other module, the web app's and the benchmarks' included, imports them from here.
"""

from __future__ import annotations

import re

from .stations import resolve_code

#: ``YY`` + station code + serial: groups ``("03", "OTTAWA", "492")``.
ID_RE = re.compile(r"^(\d{2})([A-Z]+?)(\d+)$")


def full_year(two_digit: int) -> int:
    """Two-digit cable year -> four digits (66..99 are 19xx, the rest 20xx)."""
    return 1900 + two_digit if two_digit >= 66 else 2000 + two_digit


def year_of(reference_id: str) -> int | None:
    """The four-digit year of a cable id (``03OTTAWA492`` -> 2003), from its first two
    digits alone: the Cablegate list holds a few garbled ids (``7575LIBREVILLE1895``)
    whose first two digits still give the year. ``None`` when it is shorter than an id
    (four characters) or does not start with two digits."""
    if len(reference_id) >= 4 and reference_id[:2].isdecimal():
        return full_year(int(reference_id[:2]))
    return None


def normalize_id(raw: str) -> str:
    """How a reader may type an id -> the archive's spelling: upper case, no leading
    zeros in the serial (``03ottawa000492`` -> ``03OTTAWA492``). Ids that are not
    year+station+serial shaped are only upper-cased. Unlike :func:`canonical_id` the
    station code is kept as written."""
    rid = raw.strip().upper()
    match = ID_RE.match(rid)
    if match is None:
        return rid
    return f"{match.group(1)}{match.group(2)}{int(match.group(3))}"


def canonical_id(year: int, station: str, serial: int | str) -> str:
    """``canonical_id(2003, "OTTAWA", "000492")`` -> ``"03OTTAWA492"``.

    ``year`` may have two or four digits; ``station`` is a code or a spelling
    (``"SAN JOSE"``), joined and upper-cased; the serial loses its leading zeros."""
    station_code = re.sub(r"[^A-Z]", "", station.upper())
    canonical = resolve_code(station_code)
    if canonical and canonical != station_code and not station_code.startswith("EFTO"):
        station_code = canonical
    return f"{int(year) % 100:02d}{station_code}{int(serial)}"


def split_id(reference_id: str) -> tuple[int, str, int] | None:
    """``"03OTTAWA492"`` -> ``(2003, "OTTAWA", 492)``; ``None`` if not id-shaped."""
    match = ID_RE.match(reference_id.strip().upper())
    if not match:
        return None
    return full_year(int(match.group(1))), match.group(2), int(match.group(3))
