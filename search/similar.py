"""Reads: the cables most like one cable ("Similar cables" on the cable page and its
JSON twin ``/cable/<id>/similar.json``).

The engine picks them (:func:`search.engine.api.cables_similar`: more like this over
the cable's key terms, tags and post); the database gives their subject, date, post
and classification, in one query. A result is cached per archive generation, release
and cable, like the pages: any ingest moves the generation, so it is never stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.urls import reverse

from cables.models import Cable, CableTag
from cables.pagecache import release
from cables.selectors import archive_generation
from search.engine.api import cables_similar
from search.engine.similar import LIMIT
from search.index import IndexMissing, index_root


@dataclass(frozen=True)
class SimilarCable:
    """One similar cable, with what it shares with the cable it is similar to."""

    reference_id: str
    subject: str
    created: datetime | None
    post: str
    post_name: str
    classification: str
    score: float
    shared_terms: tuple[str, ...]
    shared_tags: tuple[str, ...]
    date_precision: str = ""

    @property
    def url(self) -> str:
        return reverse("cables:cable_detail", args=[self.reference_id])


@dataclass(frozen=True)
class SimilarCables:
    """The cables most like ``reference_id``, best first; ``terms`` are the words
    the search used (the cable's key terms, most distinctive first)."""

    reference_id: str
    terms: tuple[str, ...] = ()
    cables: tuple[SimilarCable, ...] = field(default_factory=tuple)
    index_missing: bool = False
    subject: str = ""  # the cable's own, for a page's heading


def similar_key(reference_id: str) -> str:
    """The cache key of a cable's similar cables in the current archive generation,
    rendered by this release of the code (a deploy that changes how they are chosen
    must not serve the previous choice)."""
    return f"similar:{release()[0]}:{archive_generation().token}:{reference_id}"


def cable_similar(*, cable: Cable, tags: list[str] | None = None) -> SimilarCables:
    """The cables most like ``cable`` (``origin`` selected with it; ``tags`` its tag
    codes, read from ``cable.ordered_tags`` when prefetched, else from the database),
    cached per archive generation. Never raises: without an index, none."""
    key = similar_key(cable.reference_id)
    found = cache.get(key)
    if found is not None:
        return found
    if tags is None:
        ordered = getattr(cable, "ordered_tags", None)
        if ordered is not None:
            tags = [ct.tag.code for ct in ordered]
        else:
            tags = list(
                CableTag.objects.filter(cable=cable)
                .order_by("position")
                .values_list("tag__code", flat=True)
            )
    result = _similar(cable, tuple(tags))
    if not result.index_missing:
        cache.set(key, result)
    return result


def similar_for_id(*, reference_id: str) -> SimilarCables | None:
    """:func:`cable_similar` for a cable id; None when the archive has no such cable.
    Reads nothing but the cache when the result is cached."""
    found = cache.get(similar_key(reference_id))
    if found is not None:
        return found
    cable = (
        Cable.objects.select_related("origin")
        .only("reference_id", "subject", "body", "origin__code")
        .filter(reference_id=reference_id)
        .first()
    )
    if cable is None:
        return None
    return cable_similar(cable=cable)


def _similar(cable: Cable, tags: tuple[str, ...]) -> SimilarCables:
    try:
        found = cables_similar(
            root=index_root(),
            reference_id=cable.reference_id,
            subject=cable.subject or "",
            text=cable.body or "",
            tags=tags,
            post=cable.origin.code,
            limit=LIMIT,
        )
    except IndexMissing:
        return SimilarCables(
            reference_id=cable.reference_id, index_missing=True, subject=cable.subject or ""
        )
    ids = [hit.reference_id for hit in found.hits]
    rows = (
        {
            c.reference_id: c
            for c in Cable.objects.filter(reference_id__in=ids)
            .select_related("origin")
            .only(
                "reference_id",
                "subject",
                "created",
                "date_precision",
                "classification",
                "origin__code",
                "origin__name",
            )
        }
        if ids
        else {}
    )
    cables = []
    for hit in found.hits:
        row = rows.get(hit.reference_id)
        if row is None:  # in the index, gone from the database: check_index reports it
            continue
        cables.append(
            SimilarCable(
                reference_id=row.reference_id,
                subject=row.subject,
                created=row.created,
                date_precision=row.date_precision,
                post=row.origin.code,
                post_name=row.origin.name,
                classification=row.classification,
                score=hit.score,
                shared_terms=hit.shared_terms,
                shared_tags=hit.shared_tags,
            )
        )
    return SimilarCables(
        reference_id=cable.reference_id,
        subject=cable.subject or "",
        terms=tuple(term.word for term in found.terms),
        cables=tuple(cables),
    )
