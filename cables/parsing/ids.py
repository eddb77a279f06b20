"""Cable reference ids: ``03OTTAWA492`` = two-digit year + station code + serial."""

from __future__ import annotations

import re

from .stations import resolve_code

ID_RE = re.compile(r"^(\d{2})([A-Z]+?)(\d+)$")


def full_year(two_digit: int) -> int:
    """Two-digit cable year -> four digits (66..99 are 19xx, the rest 20xx)."""
    return 1900 + two_digit if two_digit >= 66 else 2000 + two_digit


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
