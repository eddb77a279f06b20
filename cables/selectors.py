"""Reads that more than one caller needs."""

from __future__ import annotations

from cables.models import KnownCable
from cables.parsing import KnownIds


def known_ids_get() -> KnownIds | None:
    """The known-id list loaded with ``load_cable_ids``, or None when none is loaded."""
    pairs = KnownCable.objects.values_list("reference_id", "month").iterator(chunk_size=20000)
    known = KnownIds.from_pairs(pairs)
    return known if len(known) else None
