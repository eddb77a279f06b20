from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from cables.models import KnownCable
from cables.parsing.ids import year_of

from .generation import archive_generation_bump

BATCH = 5000


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
    archive_generation_bump()  # placeholders, REF links and graphs read the list
    return new, seen
