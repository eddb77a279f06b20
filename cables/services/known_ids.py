from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.db import transaction

from cables.models import KnownCable
from cables.parsing.ids import full_year

BATCH = 5000


def year_of(reference_id: str) -> int | None:
    """The four-digit year of a cable id (``03OTTAWA492`` -> 2003). The Cablegate list
    holds a few garbled ids (``7575LIBREVILLE1895``); their first two digits still
    give the year."""
    if len(reference_id) < 4 or not reference_id[:2].isdigit():
        return None
    return full_year(int(reference_id[:2]))


def read_cable_ids(path: Path) -> Iterator[tuple[str, int]]:
    """``id,month`` lines (``03OTTAWA492,2``), gzipped or not. Raises ValueError with
    the line number on a malformed line."""
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
            if len(row) < 2 or not row[1].strip().isdigit() or not 1 <= int(row[1]) <= 12:
                raise ValueError(f"{path}:{number}: expected 'reference_id,month', got {row!r}")
            yield row[0].strip(), int(row[1])


def cable_ids_load(*, pairs: Iterable[tuple[str, int]]) -> tuple[int, int]:
    """Store known cable ids with their months. Returns (new, total seen). Ids already
    known keep their row; a changed month is updated."""
    seen = new = 0
    batch: list[KnownCable] = []

    def flush() -> None:
        nonlocal new
        ids = [k.reference_id for k in batch]
        existing = dict(
            KnownCable.objects.filter(reference_id__in=ids).values_list("reference_id", "month")
        )
        fresh = [k for k in batch if k.reference_id not in existing]
        changed = [
            k for k in batch if k.reference_id in existing and existing[k.reference_id] != k.month
        ]
        KnownCable.objects.bulk_create(fresh, ignore_conflicts=True)
        for known in changed:
            KnownCable.objects.filter(reference_id=known.reference_id).update(month=known.month)
        new += len(fresh)
        batch.clear()

    with transaction.atomic():
        unique: dict[str, int] = {}
        for reference_id, month in pairs:
            unique[reference_id] = month
        for reference_id, month in unique.items():
            seen += 1
            year = year_of(reference_id)
            if year is None:
                raise ValueError(f"not a canonical cable id: {reference_id!r}")
            batch.append(KnownCable(reference_id=reference_id, year=year, month=month))
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()
    return new, seen
