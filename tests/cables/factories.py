"""Rows for the reading-page tests, made with the ORM (no parser involved).

``cable_make`` stores a cable with its post, tags, paragraphs, recipients and REF items,
and resolves references in both directions the way ingest does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from cables.models import (
    Cable,
    CableTag,
    KnownCable,
    Paragraph,
    Post,
    Recipient,
    Reference,
    Tag,
)
from cables.parsing import split_id, year_of

POSTS = {
    "OTTAWA": ("Embassy Ottawa", "CA"),
    "MEXICO": ("Embassy Mexico", "MX"),
    "STATE": ("Secretary of State", ""),
    "USNATO": ("Mission USNATO", ""),
}


def post_make(code: str) -> Post:
    name, country = POSTS.get(code, (f"Embassy {code.title()}", ""))
    post, _ = Post.objects.get_or_create(code=code, defaults={"name": name, "country": country})
    return post


def known_make(*reference_ids: str, month: int = 1) -> None:
    KnownCable.objects.bulk_create(
        [KnownCable(reference_id=rid, year=year_of(rid), month=month) for rid in reference_ids],
        ignore_conflicts=True,
    )


def cable_make(
    reference_id: str,
    *,
    created: datetime | None = None,
    classification: str = "CONFIDENTIAL",
    caveats: str = "SIPDIS",
    subject: str = "MISSILE DEFENSE CONSULTATIONS",
    tags: Sequence[str] = ("PREL", "MARR", "CA"),
    paragraphs: Sequence[tuple[int | None, str, str]] = (
        (1, "C", "Summary: Canada will decide soon. End summary."),
        (2, "C", "Officials told us the cabinet will meet on Tuesday."),
        (3, "U", "COMMENT: Ottawa remains cautious. END COMMENT."),
    ),
    refs: Iterable[tuple[str, str, str]] = (),  # (letter, text, target id or "")
    header: str = "VZCZCXRO1234\nOO RUEHDE\nDE RUEHOT #0492/01 0501523",
    body: str | None = None,
    known: bool = True,
    **fields,
) -> Cable:
    year, origin, serial = split_id(reference_id)
    created = created or datetime(year, 2, 19, 15, 23, tzinfo=UTC)
    body = body if body is not None else "\n\n".join(f"¶{n}. ({c}) {t}" for n, c, t in paragraphs)
    cable = Cable.objects.create(
        reference_id=reference_id,
        origin=post_make(origin),
        serial=serial,
        classification=classification,
        caveats=caveats,
        created=created,
        precedence=fields.pop("precedence", "IMMEDIATE"),
        sender=fields.pop("sender", f"AMEMBASSY {origin}"),
        eo=fields.pop("eo", "12958"),
        subject=subject,
        classified_by_name=fields.pop("classified_by_name", "David Wilkins"),
        classified_by_title=fields.pop("classified_by_title", "Ambassador"),
        reasons=fields.pop("reasons", "1.4 (b) and (d)"),
        header=header,
        body=body,
        content_hash="test",
        **fields,
    )
    for position, code in enumerate(tags):
        tag, _ = Tag.objects.get_or_create(code=code)
        CableTag.objects.create(cable=cable, tag=tag, position=position)
    Paragraph.objects.bulk_create(
        Paragraph(cable=cable, position=i, number=n, classification=c, text=t)
        for i, (n, c, t) in enumerate(paragraphs)
    )
    Recipient.objects.bulk_create(
        [
            Recipient(
                cable=cable, position=0, kind="to", name="SECSTATE WASHDC", precedence="IMMEDIATE"
            ),
            Recipient(
                cable=cable, position=1, kind="info", name="AMEMBASSY LONDON", precedence="PRIORITY"
            ),
        ]
    )
    for position, (letter, text, target) in enumerate(refs):
        Reference.objects.create(
            source=cable,
            position=position,
            letter=letter,
            text=text,
            target_reference_id=target,
            target_cable=Cable.objects.filter(reference_id=target).first() if target else None,
        )
    Reference.objects.filter(target_reference_id=reference_id, target_cable__isnull=True).update(
        target_cable=cable
    )
    if known:
        known_make(reference_id, month=created.month)
    return cable
