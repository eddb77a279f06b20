"""Writes to the search index: after ingest, repair of pending cables, full rebuild,
and the consistency check. Every write goes through :func:`search.index.open_writer`.

``Cable.index_pending`` is the contract with ingest: ingest sets it in the same
transaction as the cable; it is cleared here only after the index commit, and only
if the cable still has the content hash that was indexed (a cable changed meanwhile
stays pending). A crash between the database commit and the index write therefore
leaves the cable pending, and the next ingest or ``update_index`` indexes it.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import signal
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.db import connections
from django.db.models import QuerySet

from cables.glossary import classify
from cables.models import Cable, CableTag, Paragraph, Reference
from search import columns as columns_module
from search import engine
from search.index import (
    TAG_SEPARATOR,
    IndexBusy,
    IndexMissing,
    generations_prune,
    live_generation_dir,
    names_join,
    new_generation,
    open_searcher,
    open_writer,
    segment_writer,
    swap_in,
    tag_term,
    write_lock,
)
from search.query import classification_slug

logger = logging.getLogger(__name__)

CHUNK = 1000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _day(value: datetime | None) -> int | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return (value.astimezone(UTC).date() - EPOCH.date()).days


def cable_documents(queryset: QuerySet) -> Iterator[tuple[dict, int, str]]:
    """``(document, pk, content_hash)`` for every cable of ``queryset``, read in chunks
    (tags, paragraph markings and references fetched per chunk, not per cable)."""
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        tags: dict[int, list[str]] = defaultdict(list)
        for cable_id, code in (
            CableTag.objects.filter(cable_id__in=chunk)
            .order_by("cable_id", "position")
            .values_list("cable_id", "tag__code")
        ):
            tags[cable_id].append(code)
        markings: dict[int, set[str]] = defaultdict(set)
        for cable_id, marking in (
            Paragraph.objects.filter(cable_id__in=chunk)
            .exclude(classification="")
            .values_list("cable_id", "classification")
            .distinct()
        ):
            markings[cable_id].add(marking)
        refs: dict[int, set[str]] = defaultdict(set)
        for cable_id, target in (
            Reference.objects.filter(source_id__in=chunk)
            .exclude(target_reference_id="")
            .values_list("source_id", "target_reference_id")
        ):
            refs[cable_id].add(target)
        cables = (
            Cable.objects.filter(pk__in=chunk)
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
            yield (
                cable_document(cable, tags[cable.pk], markings[cable.pk], refs[cable.pk]),
                cable.pk,
                cable.content_hash,
            )


def cable_document(
    cable: Cable, tags: list[str], markings: Iterable[str], refs: Iterable[str]
) -> dict:
    """The Whoosh document of one cable. Each tag is one term of ``tag`` (a person tag
    ``GATES, ROBERT M.`` or ``HUMAN RIGHTS`` stays whole); ``person`` holds the signer,
    the classifier and the person tags; the stored ``facets`` tuple feeds the columns."""
    caveats = tuple(cable.caveat_list)
    markings = tuple(sorted(set(markings)))
    signer = (cable.signer or "").strip()
    classified_by = (cable.classified_by_name or "").strip()
    person_tags = [code for code in tags if classify(code).kind == "person"]
    doc = {
        "reference_id": cable.reference_id,
        "subject": cable.subject or "",
        "text": cable.text or "",
        "tag": TAG_SEPARATOR.join(tag_term(code) for code in tags),
        "post": cable.origin.code,
        "classification": classification_slug(cable.classification),
        "caveat": " ".join(caveats),
        "paragraph_classification": " ".join(markings),
        "ref": " ".join(sorted(refs)),
        "signer": signer,
        "classified_by": classified_by,
        "person": names_join([signer, classified_by, *person_tags]),
        "content_hash": cable.content_hash,
        "facets": (
            cable.origin.code,
            cable.classification,
            caveats,
            tuple(tags),
            _day(cable.created),
            cable.classified_by_name or "",
            markings,
        ),
    }
    if cable.created is not None:
        doc["created"] = (
            cable.created.replace(tzinfo=None) if cable.created.tzinfo else cable.created
        )
    return doc


def _clear_pending(indexed: dict[int, str]) -> int:
    """Clear ``index_pending`` for the cables whose content is still what was indexed."""
    if not indexed:
        return 0
    pks = list(indexed)
    still = [
        pk
        for pk, content_hash in Cable.objects.filter(pk__in=pks, index_pending=True).values_list(
            "pk", "content_hash"
        )
        if indexed.get(pk) == content_hash
    ]
    cleared = 0
    for start in range(0, len(still), CHUNK):
        cleared += Cable.objects.filter(pk__in=still[start : start + CHUNK]).update(
            index_pending=False
        )
    return cleared


@dataclass
class IndexReport:
    indexed: int = 0
    deleted: int = 0
    cleared: int = 0
    skipped_busy: bool = False
    notes: list[str] = field(default_factory=list)


def _write(writer, queryset: QuerySet, *, update: bool) -> dict[int, str]:
    indexed: dict[int, str] = {}
    for doc, pk, content_hash in cable_documents(queryset):
        if update:
            writer.update(doc)
        else:
            writer.add(doc)
        indexed[pk] = content_hash
    return indexed


# Documents per Whoosh segment in bulk work: a segment's postings are held in memory
# until its commit (about 30 KB per cable), and every search visits every segment.
SEGMENT_DOCS = 10_000


def index_cables_update(
    *,
    reference_ids: Iterable[str] = (),
    pending: bool = True,
    lock_timeout: float | None = None,
    limit: int | None = None,
    procs: int = 1,
) -> IndexReport:
    """Index (add or replace) the given cables and, with ``pending``, every cable still
    marked ``index_pending`` (at most ``limit`` of them, oldest first); ids no longer
    in the database are removed from the index. One commit (one segment) per
    ``SEGMENT_DOCS`` cables, each followed by clearing the pending marks it covers, so
    a crash loses at most the segments being written (their cables stay pending).
    ``procs`` > 1 writes that many segments at once in worker processes. Raises
    :class:`IndexBusy` if the lock is not had in time."""
    report = IndexReport()
    wanted = set(reference_ids)
    queryset = Cable.objects.filter(reference_id__in=wanted) if wanted else Cable.objects.none()
    if pending:
        queryset = queryset | Cable.objects.index_pending()
    rows = list(queryset.order_by("pk").values_list("pk", "reference_id")[:limit])
    gone = wanted - {rid for _, rid in rows} if limit is None else set()
    if not rows and not gone:
        return report
    segments = [rows[i : i + SEGMENT_DOCS] for i in range(0, len(rows), SEGMENT_DOCS)] or [[]]
    with write_lock(timeout=lock_timeout):
        if procs > 1 and len(segments) > 1:
            path = live_generation_dir()
            for start in range(0, len(segments), procs):
                group = [[pk for pk, _ in seg] for seg in segments[start : start + procs]]
                indexed = _segments_parallel(path, group, update=True)
                report.indexed += len(indexed)
                report.cleared += _clear_pending(indexed)
            segments = [[]] if gone else []
        for number, segment in enumerate(segments, start=1):
            indexed = {}
            with open_writer(locked=True) as writer:
                writer.delete_many(rid for _, rid in segment)  # then add: an update
                for inner in range(0, len(segment), CHUNK * 5):
                    pks = [pk for pk, _ in segment[inner : inner + CHUNK * 5]]
                    indexed.update(_write(writer, Cable.objects.filter(pk__in=pks), update=False))
                if number == len(segments):
                    for reference_id in gone:
                        writer.delete(reference_id)
                        report.deleted += 1
            report.indexed += len(indexed)
            report.cleared += _clear_pending(indexed)
    return report


def _worker_init() -> None:  # pragma: no cover - runs in worker processes
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the parent
    connections.close_all()


def _segment_worker(job: tuple[str, list[int]]):  # pragma: no cover - worker process
    """Write one segment of the given cables into generation ``path``; return the
    segment, their ids and their content hashes."""
    path, pks = job
    docs: dict[int, tuple[str, str]] = {}
    try:
        with segment_writer(Path(path)) as writer:
            for doc, pk, content_hash in cable_documents(Cable.objects.filter(pk__in=pks)):
                writer.add(doc)
                docs[pk] = (doc["reference_id"], content_hash)
        return writer.segment, docs
    finally:
        connections.close_all()


def _segments_parallel(path: Path, groups: list[list[int]], *, update: bool) -> dict[int, str]:
    """One segment per group of cables, written by as many worker processes at once
    (one core each), then grafted into generation ``path`` in one commit by this
    process (which holds the write lock); with ``update``, older versions of those
    cables are deleted in the same commit. Returns ``{pk: content hash}`` indexed."""
    ctx = multiprocessing.get_context("fork")
    connections.close_all()  # each worker opens its own connection
    with ctx.Pool(len(groups), initializer=_worker_init) as pool:
        results = pool.map(_segment_worker, [(str(path), g) for g in groups], chunksize=1)
    indexed: dict[int, str] = {}
    with open_writer(path=path, locked=True) as writer:
        for _segment, docs in results:
            if update:
                writer.delete_many(reference_id for reference_id, _ in docs.values())
            indexed.update({pk: content_hash for pk, (_, content_hash) in docs.items()})
        writer.graft([segment for segment, _ in results])
    return indexed


def index_after_batch_hook(*, lock_timeout: float = 30.0) -> Callable[[list[str]], None]:
    """The callable ingest calls after each committed batch: index the batch (and any
    cable left pending by an earlier crash). If a rebuild holds the index for longer
    than ``lock_timeout``, the cables stay pending for the next batch or
    ``update_index``: ingest never fails because of the index."""

    def after_batch(reference_ids: list[str]) -> None:
        try:
            report = index_cables_update(
                reference_ids=reference_ids, pending=True, lock_timeout=lock_timeout
            )
        except IndexBusy:
            logger.warning(
                "search index busy; %d cables stay pending (run manage.py update_index)",
                len(reference_ids),
            )
            return
        logger.info("indexed %d cables", report.indexed)

    return after_batch


def index_follow(
    *,
    finished: Callable[[], bool],
    poll: float = 1.0,
    segment: int = SEGMENT_DOCS,
    tail_procs: int = 2,
) -> IndexReport:
    """Index pending cables while another process ingests them: whenever a whole
    segment's worth is pending (committed by ingest), index it; once ``finished()``
    says ingest is done, index the rest and return. The pending marks are the only
    channel, so a crash of either side leaves the cables pending for the next run.
    While ingest runs it has one core to itself; once ingest is done, the rest is
    written ``tail_procs`` segments at a time."""
    total = IndexReport()
    while True:
        done = finished()  # read before counting: nothing is committed after it is True
        waiting = Cable.objects.index_pending().count()
        if waiting >= segment or (done and waiting):
            procs = tail_procs if done and waiting > segment else 1
            report = index_cables_update(pending=True, limit=segment * procs, procs=procs)
            total.indexed += report.indexed
            total.cleared += report.cleared
            logger.info("background index: %d cables indexed", total.indexed)
            continue
        if done:
            return total
        time.sleep(poll)


class IndexFollower:
    """A background process running :func:`index_follow` beside an ingest, so parsing
    and database writes (one core) overlap with index writing (the other core).

    ``finish()`` tells it the ingest is over and waits for it to index the rest. If the
    ingest process dies, the follower dies with it (``PR_SET_PDEATHSIG``); the cables it
    had not committed stay ``index_pending`` and the next ingest or ``update_index``
    indexes them."""

    def __init__(self, *, segment: int = SEGMENT_DOCS) -> None:
        ctx = multiprocessing.get_context("fork")
        self._done = ctx.Event()
        self._result = ctx.Queue()
        connections.close_all()  # the child opens its own connection
        self._process = ctx.Process(
            target=_follower_main,
            args=(self._done, self._result, segment),
            name="index-follower",
        )
        self._process.start()

    def finish(self) -> IndexReport:
        self._done.set()
        result = self._result.get()
        self._process.join()
        if isinstance(result, BaseException):
            raise result
        return result

    def abort(self) -> None:
        self._process.terminate()
        self._process.join()


def _follower_main(done, result, segment: int) -> None:  # pragma: no cover - child process
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the ingest
    connections.close_all()
    try:
        report = index_follow(finished=done.is_set, segment=segment)
    except Exception as exc:
        logger.exception("background indexing failed; cables stay pending")
        result.put(RuntimeError(f"background indexing failed: {exc}"))
        return
    finally:
        connections.close_all()
    engine.cache_clear()
    result.put(report)


def index_rebuild(
    *, procs: int = 1, on_progress: Callable[[int], None] | None = None
) -> IndexReport:
    """Build a complete new index beside the live one and swap it in atomically;
    then prune old generations. Searches keep working throughout. One segment per
    ``SEGMENT_DOCS`` cables."""
    report = IndexReport()
    with write_lock():
        with new_generation() as path:
            indexed: dict[int, str] = {}
            pks = list(Cable.objects.order_by("pk").values_list("pk", flat=True))
            chunks = [pks[i : i + SEGMENT_DOCS] for i in range(0, len(pks), SEGMENT_DOCS)]
            for start in range(0, len(chunks), max(1, procs)):
                group = chunks[start : start + max(1, procs)]
                if len(group) > 1:
                    indexed.update(_segments_parallel(path, group, update=False))
                else:
                    with open_writer(path=path, locked=True) as writer:
                        for doc, pk, content_hash in cable_documents(
                            Cable.objects.filter(pk__in=group[0])
                        ):
                            writer.add(doc)
                            indexed[pk] = content_hash
                if on_progress:
                    on_progress(len(indexed))
            swap_in(path)
        report.indexed = len(indexed)
        report.cleared = _clear_pending(indexed)
        generations_prune(keep=2)
    # Cables written while the rebuild read the database are still pending.
    if Cable.objects.index_pending().exists():
        extra = index_cables_update(pending=True)
        report.indexed += extra.indexed
        report.cleared += extra.cleared
    engine.cache_clear()
    return report


@dataclass
class IndexCheck:
    database: int = 0
    index: int = 0
    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    outdated: list[str] = field(default_factory=list)
    pending: int = 0
    index_missing: bool = False

    @property
    def ok(self) -> bool:
        return not (
            self.index_missing or self.missing or self.stale or self.outdated or self.pending
        )


def index_check() -> IndexCheck:
    """Compare the index with the database: counts, cables missing from the index,
    index documents whose cable is gone (stale), and cables indexed with older content."""
    check = IndexCheck()
    db = dict(Cable.objects.values_list("reference_id", "content_hash"))
    check.database = len(db)
    check.pending = Cable.objects.index_pending().count()
    indexed: dict[str, str] = {}
    try:
        with open_searcher() as searcher:
            reader = searcher.reader()
            for _docnum, stored in reader.iter_docs():
                indexed[stored["reference_id"]] = stored.get("content_hash", "")
    except IndexMissing:
        check.index_missing = True
    check.index = len(indexed)
    check.missing = sorted(set(db) - set(indexed))
    check.stale = sorted(set(indexed) - set(db))
    check.outdated = sorted(rid for rid, h in indexed.items() if rid in db and db[rid] != h)
    return check


def index_repair() -> IndexReport:
    """Make the index agree with the database without a rebuild: index what is
    missing or outdated, delete what is stale."""
    check = index_check()
    ids = [*check.missing, *check.outdated, *check.stale]
    return index_cables_update(reference_ids=ids, pending=True)


def caches_clear() -> None:
    columns_module.cache_clear()
    engine.cache_clear()
