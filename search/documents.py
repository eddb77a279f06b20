"""From the database to the index: a cable's plain values gathered from the ORM, a
chunk of cables at a time, turned into Whoosh documents by the engine's one
:func:`~search.engine.schema.cable_document`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from cables.glossary import classify
from cables.models import Cable, CableTag, Paragraph, Reference
from cables.parsing.pagebreaks import strip_page_breaks
from search.engine.schema import CableValues, cable_document

CHUNK = 1000


def index_text(cable: Cable) -> str:
    """The text the index reads: the header and the body without the telegram's page
    breaks (``STATE 00097244 003 OF 006`` inside a sentence would break a phrase;
    the stored body stays verbatim)."""
    body = strip_page_breaks(cable.body or "")
    return f"{cable.header}\n\n{body}" if cable.header else body


def cable_values(
    cable: Cable, tags: list[str], markings: Iterable[str], refs: Iterable[str]
) -> CableValues:
    """The plain values of one cable (``origin`` selected with it)."""
    return CableValues(
        reference_id=cable.reference_id,
        subject=cable.subject or "",
        text=index_text(cable),
        post=cable.origin.code,
        classification=cable.classification,
        caveats=tuple(cable.caveat_list),
        tags=tuple(tags),
        markings=tuple(markings),
        refs=tuple(refs),
        signer=cable.signer or "",
        classified_by=cable.classified_by_name or "",
        person_tags=tuple(code for code in tags if classify(code).kind == "person"),
        created=cable.created,
        content_hash=cable.content_hash,
    )


def _by_cable(rows: Iterable[tuple[int, str]]) -> dict[int, set[str]]:
    grouped: dict[int, set[str]] = defaultdict(set)
    for cable_id, value in rows:
        grouped[cable_id].add(value)
    return grouped


def _of_chunk(field: str, chunk: list[int]) -> dict[str, object]:
    """The filter selecting the rows of these cables (sorted primary keys): a range
    when they are consecutive, as in a bulk load (no statement with a thousand
    parameters to build, send and parse), else the list."""
    if chunk and chunk[-1] - chunk[0] + 1 == len(chunk):
        return {f"{field}__gte": chunk[0], f"{field}__lte": chunk[-1]}
    return {f"{field}__in": chunk}


def cable_documents(queryset: QuerySet) -> Iterator[tuple[dict, int, str]]:
    """``(document, pk, content_hash)`` for every cable of ``queryset``, read in chunks
    (tags, paragraph markings and references fetched per chunk, not per cable)."""
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        tags: dict[int, list[str]] = defaultdict(list)
        for cable_id, code in (
            CableTag.objects.filter(**_of_chunk("cable_id", chunk))
            .order_by("cable_id", "position")
            .values_list("cable_id", "tag__code")
        ):
            tags[cable_id].append(code)
        markings = _by_cable(
            Paragraph.objects.filter(**_of_chunk("cable_id", chunk))
            .exclude(classification="")
            .values_list("cable_id", "classification")
            .distinct()
        )
        refs = _by_cable(
            Reference.objects.filter(**_of_chunk("source_id", chunk))
            .exclude(target_reference_id="")
            .values_list("source_id", "target_reference_id")
        )
        cables = (
            Cable.objects.filter(**_of_chunk("pk", chunk))
            .select_related("origin")
            .only(
                "reference_id",
                "origin__code",
                "classification",
                "caveats",
                "created",
                "subject",
                "signer",
                "classified_by_name",
                "header",
                "body",
                "content_hash",
            )
            .order_by("pk")
        )
        for cable in cables:
            values = cable_values(cable, tags[cable.pk], markings[cable.pk], refs[cable.pk])
            yield cable_document(values), cable.pk, cable.content_hash
