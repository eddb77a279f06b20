"""Ingest: parsed cables into the database, in batches, each cable all-or-nothing.

A batch is written in one transaction with bulk inserts. If anything in it fails, the
batch is rolled back and replayed one cable at a time, each in its own savepoint, so a
bad cable is reported and the rest go in. A crash (even ``kill -9``) leaves every batch
either fully written or not at all; rerunning the same command finishes the job, since
unchanged cables are recognised by their content hash. No ingest replaces a stored
cable with a shorter prefix of its own text (a cut-off file or dump row) unless told
to (``allow_shrink``): that is reported as failed ("truncated?").
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from cables.dates import cable_date_decide, parsed_month
from cables.models import Cable, CableTag, Paragraph, Post, Recipient, Reference, Tag
from cables.parsing import (
    CableParseError,
    KnownIds,
    ParsedCable,
    parse_cable,
    station_country,
    station_name,
)
from cables.parsing.version import PARSER_VERSION
from cables.sources import SourceError, SourceItem, SourceNote, printable
from people.services import people_update

from . import bulk
from .budget import BudgetExceeded, TimeBudget
from .generation import archive_generation_bump

logger = logging.getLogger(__name__)

NEW, UPDATED, UNCHANGED, FAILED = "new", "updated", "unchanged", "failed"
# Seconds one cable's parse may take (the largest real cable parses in milliseconds).
DEFAULT_PARSE_BUDGET = 5.0


@dataclass(frozen=True)
class Failure:
    location: str
    reason: str


@dataclass
class IngestReport:
    counts: Counter = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    notes: list[Failure] = field(default_factory=list)
    ingested_ids: list[str] = field(default_factory=list)

    @property
    def processed(self) -> int:
        return sum(self.counts[k] for k in (NEW, UPDATED, UNCHANGED, FAILED))

    def fail(self, location: str, reason: str) -> None:
        self.counts[FAILED] += 1
        self.failures.append(Failure(location, reason))


@dataclass(frozen=True)
class _Prepared:
    item: SourceItem
    parsed: ParsedCable
    input_hash: str

    @cached_property
    def content_hash(self) -> str:
        return content_hash(self.input_hash, self.parsed)


def input_hash(item: SourceItem) -> str:
    """The input: the text and the metadata beside it."""
    digest = hashlib.sha256()
    digest.update(item.text.encode("utf-8", "surrogatepass"))
    digest.update(b"\0")
    digest.update(repr(item.metadata).encode())
    return digest.hexdigest()


def content_hash(input_digest: str, parsed: ParsedCable) -> str:
    """What decides "unchanged": the input and everything the archive stores from its
    parse. A new parser version that reads a cable the same way leaves it unchanged
    (not re-written, not re-indexed); one that reads it differently changes it."""
    digest = hashlib.sha256()
    digest.update(input_digest.encode())
    digest.update(b"\0")
    # The month only counts where it is what the archive stores (no date of its own):
    # an id list that names an undated cable's month changes that cable.
    month = parsed.created_month if parsed.created is None else None
    stored = replace(parsed, warnings=(), created_month=month)
    digest.update(repr(stored).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _validate(parsed: ParsedCable) -> str | None:
    if not parsed.reference_id:
        return "no reference id: no banner with station and serial, and no metadata"
    if not parsed.origin:
        return "no origin station"
    if not parsed.classification:
        return "no classification banner"
    return None


def cables_ingest(
    *,
    items: Iterable[SourceItem | SourceError | SourceNote],
    known_ids: KnownIds | None = None,
    batch_size: int = 500,
    on_progress: Callable[[IngestReport], None] | None = None,
    after_batch: Callable[[list[str]], None] | None = None,
    parse_budget: float | None = None,
    allow_shrink: bool = False,
) -> IngestReport:
    """Parse and store every item; never stops on a bad one. ``after_batch`` is called
    with the ids written by each committed batch (the search index hooks in there).
    A cable whose parse takes longer than ``parse_budget`` seconds (default: the
    ``INGEST_PARSE_BUDGET`` setting; 0: no limit) is reported as failed and the batch
    goes on (enforced in the main thread; see :mod:`cables.services.budget`).
    A cable whose new text is a strictly shorter prefix of its stored text (the rest
    not just blanks) is not replaced but reported as failed, "truncated?", unless
    ``allow_shrink``."""
    report = IngestReport()
    if parse_budget is None:
        parse_budget = getattr(settings, "INGEST_PARSE_BUDGET", DEFAULT_PARSE_BUDGET)
    with TimeBudget(parse_budget) as budget:
        for batch in _batches(items, report, known_ids, batch_size, budget):
            written = _write_batch(batch, report, allow_shrink=allow_shrink)
            report.ingested_ids.extend(written)
            if written:
                archive_generation_bump()  # the batch is committed: its pages change now
            if written and after_batch:
                after_batch(written)
            if on_progress:
                on_progress(report)
    if on_progress:
        on_progress(report)
    return report


def database_analyze() -> None:
    """Refresh the planner statistics after a bulk load (PostgreSQL). Autovacuum gets
    round to it only later: until then the fresh tables have no statistics, and the
    search page's paragraph lookup (``cable_id IN (...)``, 20 ids) was planned for
    half a million rows with JIT: 400 ms instead of 2 ms at 251,287 cables."""
    if connection.vendor != "postgresql":
        return
    tables = [
        m._meta.db_table for m in (Cable, Paragraph, Recipient, CableTag, Reference, Tag, Post)
    ]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def _parse(item: SourceItem, known_ids: KnownIds | None, budget: TimeBudget) -> ParsedCable:
    """``parse_cable`` within the time budget: raises :class:`BudgetExceeded` if it
    runs out (the parser is pure: an interrupted parse leaves nothing behind)."""
    budget.start()
    try:
        return parse_cable(item.text, metadata=item.metadata, known_ids=known_ids)
    finally:
        budget.stop()


def _batches(
    items: Iterable[SourceItem | SourceError | SourceNote],
    report: IngestReport,
    known_ids: KnownIds | None,
    batch_size: int,
    budget: TimeBudget,
) -> Iterator[list[_Prepared]]:
    batch: dict[str, _Prepared] = {}
    for item in items:
        if isinstance(item, SourceError):
            report.fail(item.location, item.reason)
            continue
        if isinstance(item, SourceNote):
            report.notes.append(Failure(item.location, item.note))
            continue
        try:
            parsed = _parse(item, known_ids, budget)
        except CableParseError as exc:
            report.fail(item.location, str(exc))
            continue
        except BudgetExceeded:
            reason = f"parse took longer than {budget.seconds:g} s"
            logger.warning("%s: %s; skipped", printable(item.location), reason)
            report.fail(item.location, reason)
            continue
        problem = _validate(parsed)
        if problem:
            report.fail(item.location, problem)
            continue
        if item.note:
            report.notes.append(Failure(item.location, item.note))
        if parsed.reference_id in batch or len(batch) >= batch_size:
            yield list(batch.values())
            batch = {}
        batch[parsed.reference_id] = _Prepared(item, parsed, input_hash(item))
    if batch:
        yield list(batch.values())


def _text(header: str, body: str) -> str:
    """A cable's text from its stored parts, for comparing one version with another."""
    if header and body:
        return f"{header}\n\n{body}"
    return header or body


def _truncated(prepared: _Prepared, stored: str) -> str | None:
    """Why ``prepared`` looks like a cut-off copy of the stored cable, or None."""
    new = _text(prepared.parsed.header, prepared.parsed.body)
    if len(new) >= len(stored) or not stored.startswith(new) or not stored[len(new) :].strip():
        return None
    return (
        f"truncated? its text ({len(new):,} characters) is the start of the stored "
        f"{prepared.parsed.reference_id} ({len(stored):,} characters); the stored cable "
        "is kept (ingest --allow-shrink replaces it)"
    )


def _shrinking(todo: list[_Prepared], existing: dict[str, str]) -> dict[str, str]:
    """The cables of ``todo`` that would replace a stored cable by a prefix of its
    text, with the reason."""
    changed = [p.parsed.reference_id for p in todo if p.parsed.reference_id in existing]
    if not changed:
        return {}
    stored = {
        rid: _text(header, body)
        for rid, header, body in Cable.objects.filter(reference_id__in=changed).values_list(
            "reference_id", "header", "body"
        )
    }
    found = {}
    for prepared in todo:
        rid = prepared.parsed.reference_id
        reason = _truncated(prepared, stored[rid]) if rid in stored else None
        if reason:
            found[rid] = reason
    return found


def _write_batch(
    batch: list[_Prepared], report: IngestReport, *, allow_shrink: bool = False
) -> list[str]:
    stored = {
        rid: (old_hash, version)
        for rid, old_hash, version in Cable.objects.filter(
            reference_id__in=[p.parsed.reference_id for p in batch]
        ).values_list("reference_id", "content_hash", "parser_version")
    }
    existing = {rid: old_hash for rid, (old_hash, _version) in stored.items()}
    todo = []
    reread = []  # read by an older parser version, and read the same way now
    for prepared in batch:
        old_hash, version = stored.get(prepared.parsed.reference_id, (None, None))
        if old_hash == prepared.content_hash:
            report.counts[UNCHANGED] += 1
            if version != PARSER_VERSION:
                reread.append(prepared.parsed.reference_id)
        else:
            todo.append(prepared)
    if reread:
        Cable.objects.filter(reference_id__in=reread).update(parser_version=PARSER_VERSION)
    if todo and not allow_shrink:
        shrinking = _shrinking(todo, existing)
        for prepared in todo:
            if prepared.parsed.reference_id in shrinking:
                report.fail(prepared.item.location, shrinking[prepared.parsed.reference_id])
        todo = [p for p in todo if p.parsed.reference_id not in shrinking]
    if not todo:
        return []
    try:
        with transaction.atomic():
            _store(todo, existing)
    except (DatabaseError, ValueError) as exc:
        logger.info("batch failed (%s); replaying one cable at a time", exc)
        written = []
        for prepared in todo:
            try:
                with transaction.atomic():
                    _store([prepared], existing)
            except (DatabaseError, ValueError) as single_exc:
                report.fail(prepared.item.location, f"database rejected the cable: {single_exc}")
                continue
            written.append(prepared)
        todo = written
    for prepared in todo:
        report.counts[UPDATED if prepared.parsed.reference_id in existing else NEW] += 1
    return [p.parsed.reference_id for p in todo]


def _ensure_posts(parsed: list[ParsedCable]) -> dict[str, int]:
    codes = {p.origin for p in parsed}
    Post.objects.bulk_create(
        [Post(code=c, name=station_name(c) or "", country=station_country(c) or "") for c in codes],
        ignore_conflicts=True,
    )
    return dict(Post.objects.filter(code__in=codes).values_list("code", "pk"))


def _ensure_tags(parsed: list[ParsedCable]) -> dict[str, int]:
    codes = {t for p in parsed for t in p.tags}
    Tag.objects.bulk_create([Tag(code=c) for c in codes], ignore_conflicts=True)
    return dict(Tag.objects.filter(code__in=codes).values_list("code", "pk"))


CABLE_FIELDS = [
    "origin",
    "serial",
    "classification",
    "caveats",
    "created",
    "date_precision",
    "released",
    "precedence",
    "sender",
    "eo",
    "declassify_on",
    "declassify_marking",
    "subject",
    "subject_classification",
    "classified_by_name",
    "classified_by_title",
    "reasons",
    "summary",
    "signer",
    "partial",
    "header",
    "body",
    "source",
    "content_hash",
    "input_hash",
    "parser_version",
    "index_pending",
]


def _cable_row(prepared: _Prepared, post_ids: dict[str, int]) -> Cable:
    p = prepared.parsed
    declassify = p.declassify_on
    known = cable_date_decide(created=p.created, known_month=parsed_month(p.created_month))
    return Cable(
        reference_id=p.reference_id,
        origin_id=post_ids[p.origin],
        serial=p.serial,
        classification=p.classification,
        caveats=" ".join(p.caveats),
        created=known.value,
        date_precision=known.precision,
        released=p.released,
        precedence=p.precedence or "",
        sender=p.sender or "",
        eo=p.eo or "",
        declassify_on=declassify if isinstance(declassify, date) else None,
        declassify_marking=declassify if isinstance(declassify, str) else "",
        subject=p.subject or "",
        subject_classification=p.subject_classification or "",
        classified_by_name=(p.classified_by.name or "") if p.classified_by else "",
        classified_by_title=(p.classified_by.title or "") if p.classified_by else "",
        reasons=p.reasons or "",
        summary=p.summary or "",
        signer=p.signer or "",
        partial=p.partial,
        header=p.header,
        body=p.body,
        # escaped: a file name that is not UTF-8 is no text the database takes
        source=printable(prepared.item.location, backslash=False),
        content_hash=prepared.content_hash,
        input_hash=prepared.input_hash,
        parser_version=PARSER_VERSION,
        index_pending=True,
    )


PARAGRAPH_FIELDS = ("cable_id", "position", "number", "classification", "text", "heading")
RECIPIENT_FIELDS = ("cable_id", "position", "kind", "name", "precedence", "routing")
CABLE_TAG_FIELDS = ("cable_id", "tag_id", "position")
REFERENCE_FIELDS = ("source_id", "position", "letter", "text", "target_reference_id")
# A new cable's columns for COPY: what ``_cable_row`` sets, and the two timestamps
# (``auto_now_add``/``auto_now``, which only ``save`` and ``bulk_create`` fill in).
CABLE_INSERT_FIELDS = ("reference_id", *CABLE_FIELDS, "ingested_at", "updated_at")


def _cables_insert(fresh: list[Cable]) -> None:
    """Insert new cables and give each its primary key."""
    if not fresh:
        return
    if bulk.copy_supported():
        now = timezone.now()
        own = [Cable._meta.get_field(name).attname for name in CABLE_INSERT_FIELDS[:-2]]
        bulk.rows_insert(
            model=Cable,
            fields=CABLE_INSERT_FIELDS,
            rows=[(*(getattr(row, name) for name in own), now, now) for row in fresh],
        )
    else:
        Cable.objects.bulk_create(fresh)
    if fresh[0].pk is None:  # COPY, or a backend that returns no ids from bulk inserts
        pks = dict(
            Cable.objects.filter(reference_id__in=[r.reference_id for r in fresh]).values_list(
                "reference_id", "pk"
            )
        )
        for row in fresh:
            row.pk = pks[row.reference_id]


def _store(todo: list[_Prepared], existing: dict[str, str]) -> None:
    """Write ``todo`` (new and changed cables) with bulk statements. Must run inside
    a transaction."""
    parsed = [p.parsed for p in todo]
    post_ids = _ensure_posts(parsed)
    tag_ids = _ensure_tags(parsed)
    rows = [_cable_row(p, post_ids) for p in todo]
    changed_ids = [r.reference_id for r in rows if r.reference_id in existing]
    if changed_ids:
        pks = dict(
            Cable.objects.filter(reference_id__in=changed_ids).values_list("reference_id", "pk")
        )
        for row in rows:
            row.pk = pks.get(row.reference_id)
        for model, column in (
            (Paragraph, "cable_id"),
            (Recipient, "cable_id"),
            (CableTag, "cable_id"),
            (Reference, "source_id"),
        ):
            model.objects.filter(**{f"{column}__in": pks.values()}).delete()
        Cable.objects.bulk_update([r for r in rows if r.pk], CABLE_FIELDS)
    _cables_insert([r for r in rows if not r.pk])

    paragraphs, recipients, cable_tags, references = [], [], [], []
    for row, p in zip(rows, parsed, strict=True):
        pk = row.pk
        paragraphs += [
            (pk, i, para.number, para.classification or "", para.text, para.heading)
            for i, para in enumerate(p.paragraphs)
        ]
        recipients += [
            (pk, i, r.kind, r.name, r.precedence or "", r.routing or "")
            for i, r in enumerate(p.recipients)
        ]
        cable_tags += [(pk, tag_ids[t], i) for i, t in enumerate(p.tags)]
        references += [
            (pk, i, ref.letter or "", ref.text, ref.reference_id or "")
            for i, ref in enumerate(p.references)
        ]
    for model, fields, values in (
        (Paragraph, PARAGRAPH_FIELDS, paragraphs),
        (Recipient, RECIPIENT_FIELDS, recipients),
        (CableTag, CABLE_TAG_FIELDS, cable_tags),
        (Reference, REFERENCE_FIELDS, references),
    ):
        bulk.rows_insert(model=model, fields=fields, rows=values)
    _resolve_references([r.reference_id for r in rows], [r.pk for r in rows])
    people_update(cable_ids=[r.pk for r in rows])  # signers, classifiers, person tags


def _resolve_references(reference_ids: list[str], pks: list[int]) -> None:
    """Point REF items at cables now in the archive: the batch's own outgoing
    references, and every older reference that names a cable of the batch."""
    target = Subquery(
        Cable.objects.filter(reference_id=OuterRef("target_reference_id")).values("pk")[:1]
    )
    Reference.objects.filter(source_id__in=pks).exclude(target_reference_id="").update(
        target_cable=target
    )
    Reference.objects.filter(
        target_reference_id__in=reference_ids, target_cable__isnull=True
    ).update(target_cable=target)


__all__ = [
    "FAILED",
    "NEW",
    "UNCHANGED",
    "UPDATED",
    "IngestReport",
    "cables_ingest",
    "database_analyze",
]
