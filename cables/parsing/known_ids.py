"""The known Cablegate ids (251,287 of them) with their months: the file that lists
them (:func:`read_known_ids`) and an in-memory index of them (:class:`KnownIds`).

Stored lean: per station code one sorted ``array`` of ``serial * 100 + yy`` keys and a
parallel ``bytes`` of months (about 9 bytes an id), looked up with ``bisect``.
"""

from __future__ import annotations

import csv
import gzip
import io
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from pathlib import Path

from .ids import ID_RE, full_year


class KnownIds:
    """Known cable ids: ``"03OTTAWA492" in known``, ``known.month_of(...)``,
    ``known.candidates("OTTAWA", 492) -> [(2003, 2)]``."""

    __slots__ = ("_count", "_index", "_odd")

    def __init__(self) -> None:
        self._index: dict[str, tuple[array, bytes]] = {}
        self._odd: dict[str, int] = {}  # ids that are not YY+STATION+SERIAL shaped
        self._count = 0

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, int]]) -> KnownIds:
        known = cls()
        staging: dict[str, dict[int, int]] = {}
        odd = known._odd
        for reference_id, month in pairs:
            rid = reference_id.strip().upper()
            match = ID_RE.match(rid)
            if match is None:
                odd[rid] = int(month)
                continue
            key = int(match.group(3)) * 100 + int(match.group(1))
            staging.setdefault(match.group(2), {})[key] = int(month)
        for station, entries in staging.items():
            keys = sorted(entries)
            months = bytes(min(max(entries[k], 0), 255) for k in keys)
            known._index[station] = (array("q", keys), months)
        known._count = sum(len(v[0]) for v in known._index.values()) + len(odd)
        return known

    @classmethod
    def from_file(cls, path: str | Path) -> KnownIds:
        """The ids of a known-id file (see :func:`read_known_ids`)."""
        return cls.from_pairs(read_known_ids(path))

    def __len__(self) -> int:
        return self._count

    def __contains__(self, reference_id: object) -> bool:
        return isinstance(reference_id, str) and self.month_of(reference_id) is not None

    def _lookup(self, station: str, serial: int, yy: int) -> int | None:
        entry = self._index.get(station)
        if entry is None:
            return None
        keys, months = entry
        key = serial * 100 + yy
        pos = bisect_left(keys, key)
        if pos < len(keys) and keys[pos] == key:
            return months[pos]
        return None

    def month_of(self, reference_id: str) -> int | None:
        rid = reference_id.strip().upper()
        match = ID_RE.match(rid)
        if match is None:
            return self._odd.get(rid)
        found = self._lookup(match.group(2), int(match.group(3)), int(match.group(1)))
        return found if found is not None else self._odd.get(rid)

    def candidates(self, station: str, serial: int) -> list[tuple[int, int]]:
        """Every known ``(year, month)`` for this station code and serial, oldest first."""
        entry = self._index.get(station.upper())
        if entry is None:
            return []
        keys, months = entry
        serial = int(serial)
        pos = bisect_left(keys, serial * 100)
        found = []
        while pos < len(keys) and keys[pos] // 100 == serial:
            found.append((full_year(keys[pos] % 100), months[pos]))
            pos += 1
        return sorted(found)


def read_known_ids(path: str | Path) -> Iterator[tuple[str, int]]:
    """``(reference_id, month)`` of each ``id,month`` line (``03OTTAWA492,2``) of a
    known-id file such as Cablegate's ``cable2month.csv.gz``, gzipped or plain (sniffed
    by its magic bytes). Blank lines, ``#`` comments and a ``reference_id`` or ``id``
    header row are passed over; any other line that is not an id and a month 1..12
    raises ValueError naming the file and line."""
    path = Path(path)
    with path.open("rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    opener = gzip.open if gzipped else open
    with opener(path, "rb") as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        for number, row in enumerate(csv.reader(text), start=1):
            if not row or not row[0].strip() or row[0].startswith("#"):
                continue
            if number == 1 and row[0].strip().lower() in {"reference_id", "id"}:
                continue
            if len(row) < 2 or not row[1].strip().isdecimal() or not 1 <= int(row[1]) <= 12:
                raise ValueError(f"{path}:{number}: expected 'reference_id,month', got {row!r}")
            yield row[0].strip(), int(row[1])
