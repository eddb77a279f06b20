"""Cables written straight through the ORM, for search tests that need no parser."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from cables.models import Cable, CableTag, Paragraph, Post, Reference, Tag


def make_cable(
    reference_id: str,
    *,
    post: str = "OTTAWA",
    classification: str = "CONFIDENTIAL",
    caveats: str = "SIPDIS",
    created: datetime | None = datetime(2008, 2, 19, 15, 23, tzinfo=UTC),
    subject: str = "MISSILE DEFENSE CONSULTATIONS",
    tags: tuple[str, ...] = ("PREL", "MARR"),
    paragraphs: tuple[str, ...] = ("(C) Canada will decide on missile defense soon.",),
    refs: tuple[str, ...] = (),
    signer: str = "",
    classified_by: str = "",
) -> Cable:
    origin, _ = Post.objects.get_or_create(code=post, defaults={"name": f"Embassy {post.title()}"})
    body = f"SUBJECT: {subject}\n\n" + "\n\n".join(
        f"¶{i}. {text}" for i, text in enumerate(paragraphs, start=1)
    )
    cable = Cable.objects.create(
        reference_id=reference_id,
        origin=origin,
        classification=classification,
        caveats=caveats,
        created=created,
        subject=subject,
        body=body,
        content_hash=hashlib.sha256(body.encode()).hexdigest(),
        index_pending=True,
        signer=signer,
        classified_by_name=classified_by,
    )
    for position, code in enumerate(tags):
        tag, _ = Tag.objects.get_or_create(code=code)
        CableTag.objects.create(cable=cable, tag=tag, position=position)
    for position, text in enumerate(paragraphs):
        marking = re.match(r"\(([A-Z]{1,4}(?:/[A-Z]{1,6})*)\)", text)
        Paragraph.objects.create(
            cable=cable,
            position=position,
            number=position + 1,
            classification=marking.group(1) if marking else "",
            text=text,
        )
    for position, target in enumerate(refs):
        Reference.objects.create(
            source=cable,
            position=position,
            letter=chr(65 + position),
            text=target,
            target_reference_id=target,
        )
    return cable


def small_archive() -> list[Cable]:
    """Eight cables with known words, tags, posts, classifications and dates."""
    return [
        make_cable("08OTTAWA100", created=datetime(2008, 1, 5, tzinfo=UTC)),
        make_cable(
            "08OTTAWA200",
            created=datetime(2008, 3, 7, tzinfo=UTC),
            subject="CANADA ON AFGHANISTAN TROOPS",
            tags=("PREL", "MOPS", "AF"),
            paragraphs=(
                "(C) The minister discussed troops in Kandahar.",
                "(U) Defense budget rises.",
            ),
            refs=("08OTTAWA100",),
        ),
        make_cable(
            "09MEXICO300",
            post="MEXICO",
            classification="SECRET",
            caveats="NOFORN SIPDIS",
            created=datetime(2009, 6, 1, tzinfo=UTC),
            subject="NARCOTICS VIOLENCE IN JUAREZ",
            tags=("SNAR", "PGOV", "MX"),
            paragraphs=("(S) Cartel violence grew; the defense ministry responded.",),
            refs=("08OTTAWA100", "08OTTAWA200"),
        ),
        make_cable(
            "09MEXICO400",
            post="MEXICO",
            classification="UNCLASSIFIED",
            caveats="",
            created=datetime(2009, 6, 20, tzinfo=UTC),
            subject="TRADE NEGOTIATIONS",
            tags=("ETRD", "MX"),
            paragraphs=("(U) Negotiators met on trade; no missile talk.",),
        ),
        make_cable(
            "10PARIS500",
            post="PARIS",
            classification="SECRET",
            created=datetime(2010, 2, 2, tzinfo=UTC),
            subject="FRENCH VIEWS ON MISSILE DEFENSE",
            tags=("PREL", "MARR", "FR"),
            paragraphs=(
                "(S) France supports missile defense in Europe.",
                "(S) Iran remains a concern.",
            ),
        ),
        make_cable(
            "10PARIS600",
            post="PARIS",
            classification="CONFIDENTIAL",
            created=datetime(2010, 2, 25, tzinfo=UTC),
            subject="IRAN SANCTIONS",
            tags=("PREL", "IR", "FR"),
            paragraphs=("(C) Iran sanctions and the defense of Europe.",),
        ),
        make_cable(
            "10STATE700",
            post="SECSTATE",
            classification="UNCLASSIFIED//FOUO",
            caveats="",
            created=datetime(2010, 11, 30, tzinfo=UTC),
            subject="DEMARCHE REQUEST: MISSILE TECHNOLOGY",
            tags=("PARM", "MTCR"),
            paragraphs=("(SBU) Posts should deliver the demarche on missile technology.",),
        ),
        make_cable(
            "87ROME800",
            post="ROME",
            classification="CONFIDENTIAL",
            created=None,
            subject="UNDATED MISSILE NOTE",
            tags=("PREL",),
            paragraphs=("(C) An undated note about missiles.",),
        ),
    ]
