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
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, connections
from django.db.models import QuerySet

from cables.models import Cable
from cables.services.generation import archive_generation_bump
from search.documents import CHUNK, cable_documents
from search.engine.api import caches_clear as engine_caches_clear
from search.engine.storage import (
    LOCK_NAME,
    generation_mark_complete,
    generations_prune,
    new_generation,
    swap_in,
)
from search.engine.writing import segment_writer
from search.follower import IndexFollower, die_with_parent
from search.index import (
    IndexBusy,
    IndexMissing,
    index_root,
    live_generation_dir,
    open_searcher,
    open_writer,
    write_lock,
)

logger = logging.getLogger(__name__)

# Documents per Whoosh segment in bulk work: a segment's postings are held in memory
# until its commit (about 30 KB per cable), and every search visits every segment.
SEGMENT_DOCS = 10_000


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


def _write(writer, queryset: QuerySet) -> dict[int, str]:
    indexed: dict[int, str] = {}
    for doc, pk, content_hash in cable_documents(queryset):
        writer.add(doc)
        indexed[pk] = content_hash
    return indexed


def index_cables_update(
    *,
    reference_ids: Iterable[str] = (),
    pending: bool = True,
    lock_timeout: float | None = None,
    limit: int | None = None,
    procs: int = 1,
    segment_docs: int = SEGMENT_DOCS,
) -> IndexReport:
    """Index (add or replace) the given cables and, with ``pending``, every cable still
    marked ``index_pending`` (at most ``limit`` of them, oldest first); ids no longer
    in the database are removed from the index. One commit (one segment) per
    ``SEGMENT_DOCS`` cables, each followed by clearing the pending marks it covers, so
    a crash loses at most the segments being written (their cables stay pending).
    ``procs`` > 1 writes that many segments at once in worker processes;
    ``segment_docs`` (at most ``SEGMENT_DOCS``) sizes the segments. Raises
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
    size = max(1, min(segment_docs, SEGMENT_DOCS))
    segments = [rows[i : i + size] for i in range(0, len(rows), size)] or [[]]
    with write_lock(timeout=lock_timeout):
        if procs > 1 and len(segments) > 1:
            path = live_generation_dir()
            for start in range(0, len(segments), procs):
                group = [[pk for pk, _ in seg] for seg in segments[start : start + procs]]
                indexed = _segments_parallel(path, group, update=True)
                archive_generation_bump()  # search reads the new segments from now on
                report.indexed += len(indexed)
                report.cleared += _clear_pending(indexed)
            segments = [[]] if gone else []
        for number, segment in enumerate(segments, start=1):
            indexed = {}
            with open_writer(locked=True) as writer:
                writer.delete_many(rid for _, rid in segment)  # then add: an update
                for inner in range(0, len(segment), CHUNK * 5):
                    pks = [pk for pk, _ in segment[inner : inner + CHUNK * 5]]
                    indexed.update(_write(writer, Cable.objects.filter(pk__in=pks)))
                if number == len(segments):
                    for reference_id in gone:
                        writer.delete(reference_id)
                        report.deleted += 1
            archive_generation_bump()  # the commit is visible to searches from now on
            report.indexed += len(indexed)
            report.cleared += _clear_pending(indexed)
    return report


def _worker_init(parent: int) -> None:  # pragma: no cover - runs in worker processes
    """A segment worker: dies with the process that forked it (the follower, or the
    rebuild), and lets go of the index write lock it inherited, so that only that
    process ever holds it."""
    die_with_parent(parent)
    _lock_fds_close()
    connections.close_all()


def _lock_fds_close() -> None:  # pragma: no cover - runs in worker processes
    """Close this process's copies of the write lock's file (inherited through fork):
    a ``flock`` lives as long as any copy, so a worker that outlived its parent would
    otherwise keep every later writer out."""
    lock = str((index_root() / LOCK_NAME).resolve())
    with contextlib.suppress(OSError):
        for name in os.listdir("/proc/self/fd"):
            with contextlib.suppress(OSError, ValueError):
                if os.readlink(f"/proc/self/fd/{name}") == lock:
                    os.close(int(name))


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
    with ctx.Pool(len(groups), initializer=_worker_init, initargs=(os.getpid(),)) as pool:
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


class IngestIndexing:
    """What :func:`indexing_during_ingest` yields: the ``after_batch`` callable to hand
    to ingest (or re-parse), and, once the block is over, ``report``."""

    def __init__(self, *, follower: IndexFollower | None) -> None:
        self.follower = follower
        self.report = IndexReport()
        self._inline = None if follower else index_after_batch_hook()

    def __call__(self, reference_ids: list[str]) -> None:
        if self._inline is not None:
            self._inline(reference_ids)
            self.report.indexed += len(reference_ids)


def _follower_possible() -> bool:
    """A follower process sees only what this one has committed: not inside a
    transaction (as in tests), not with an in-memory database."""
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    return not (connection.in_atomic_block or in_memory)


@contextlib.contextmanager
def indexing_during_ingest(*, background: bool = True) -> Iterator[IngestIndexing]:
    """Index the cables an ingest commits, while it runs::

        with indexing_during_ingest() as after_batch:
            cables_ingest(..., after_batch=after_batch)
        print(after_batch.report.indexed)

    With ``background`` (and when another process can see this one's commits) a
    follower process indexes them a segment at a time, and the block's end waits for
    it to index the rest; otherwise each batch is indexed inline by ``after_batch``.
    If the block fails, the follower is stopped and what it had not indexed stays
    pending (``manage.py update_index``)."""
    follower = None
    if background and _follower_possible():
        follower = IndexFollower(update=index_cables_update, segment=SEGMENT_DOCS)
    indexing = IngestIndexing(follower=follower)
    try:
        yield indexing
    except BaseException:
        if follower:
            follower.abort()
        raise
    if follower:
        indexing.report = follower.finish()


def index_rebuild(
    *, procs: int = 1, on_progress: Callable[[int], None] | None = None
) -> IndexReport:
    """Build a complete new index beside the live one and swap it in atomically;
    then prune old generations. Searches keep working throughout. One segment per
    ``SEGMENT_DOCS`` cables."""
    report = IndexReport()
    root = index_root()
    with write_lock():
        with new_generation(root) as path:
            indexed: dict[int, str] = {}
            pks = list(Cable.objects.order_by("pk").values_list("pk", flat=True))
            chunks = [pks[i : i + SEGMENT_DOCS] for i in range(0, len(pks), SEGMENT_DOCS)]
            for start in range(0, len(chunks), max(1, procs)):
                group = chunks[start : start + max(1, procs)]
                if len(group) > 1:
                    indexed.update(_segments_parallel(path, group, update=False))
                else:
                    with open_writer(path=path, locked=True) as writer:
                        indexed.update(_write(writer, Cable.objects.filter(pk__in=group[0])))
                if on_progress:
                    on_progress(len(indexed))
            generation_mark_complete(path)  # the last write: only now may it go live
            swap_in(root, path)
        archive_generation_bump()  # searches read the new generation from now on
        report.indexed = len(indexed)
        report.cleared = _clear_pending(indexed)
        generations_prune(root, keep=2)
    # Cables written while the rebuild read the database are still pending.
    if Cable.objects.index_pending().exists():
        extra = index_cables_update(pending=True)
        report.indexed += extra.indexed
        report.cleared += extra.cleared
    engine_caches_clear()
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
            for _docnum, stored in searcher.reader().iter_docs():
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
    """Forget this process's cached columns, hot postings and query results."""
    engine_caches_clear()
