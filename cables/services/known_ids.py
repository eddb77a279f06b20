from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from cables.dates import MONTH, cable_date_decide
from cables.models import Cable, KnownCable
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
        cable_dates_refresh()
    archive_generation_bump()  # placeholders, REF links and graphs read the list
    return new, seen


def cable_dates_refresh() -> int:
    """Date the cables the id list knows better than the archive did: an undated cable
    whose id the list holds, or a month-dated one whose month it changed. They go back
    to the search index (``index_pending``). Returns how many changed."""
    stored = {
        rid: (pk, created, precision)
        for rid, pk, created, precision in Cable.objects.filter(
            Q(created__isnull=True) | Q(date_precision=MONTH)
        ).values_list("reference_id", "pk", "created", "date_precision")
    }
    ids = list(stored)
    changed = 0
    for start in range(0, len(ids), BATCH):
        for rid, year, month in KnownCable.objects.filter(
            reference_id__in=ids[start : start + BATCH]
        ).values_list("reference_id", "year", "month"):
            known = cable_date_decide(created=None, known_month=(year, month))
            pk, created, precision = stored[rid]
            if (created, precision) != (known.value, known.precision):
                Cable.objects.filter(pk=pk).update(
                    created=known.value, date_precision=known.precision, index_pending=True
                )
                changed += 1
    return changed
