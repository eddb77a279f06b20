"""Writing the index: the only way in is :func:`open_writer` (or, in a worker process,
:func:`segment_writer`); every commit is followed by the sidecar files of the new
segments (columns, hot postings) and the removal of those of merged segments."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from whoosh.query import Term

from search.engine.columns import segment_columns_ensure
from search.engine.postings import FastSegmentWriter, hot_ensure, leaves, merge_small, segment_id
from search.engine.storage import index_open, live_generation_dir, sidecars_prune, write_lock

# Not compound: Whoosh reads a compound segment through BytesIO, copying the whole
# postings file on every open (30+ ms per search at 5,811 cables).
WRITER_OPTIONS = {"limitmb": 256, "compound": False}


@dataclass
class Writer:
    """What :func:`open_writer` yields: the Whoosh writer and where it writes."""

    writer: object
    path: Path
    segment: object = None

    def update(self, doc: dict) -> None:
        self.writer.update_document(**doc)

    def add(self, doc: dict) -> None:
        self.writer.add_document(**doc)

    def delete(self, reference_id: str) -> None:
        self.writer.delete_by_term("reference_id", reference_id)

    def delete_many(self, reference_ids: Iterable[str]) -> int:
        """Delete every committed document of these cables through one reader
        (``update_document`` and ``delete_by_term`` open a reader over every segment
        for each call: milliseconds per cable once there are dozens of segments)."""
        deleted = 0
        with self.writer.searcher() as searcher:
            for reference_id in reference_ids:
                for docnum in searcher.docs_for_query(Term("reference_id", reference_id)):
                    self.writer.delete_document(docnum)
                    deleted += 1
        return deleted

    def graft(self, segments: list) -> None:
        """Commit segments written by :func:`segment_writer` in worker processes along
        with this writer's own changes."""
        self.writer.graft(segments)


def sidecars_sync(generation: Path) -> None:
    """After a commit: write the columns and hot postings of every segment that has
    none, and remove the files of segments merged away."""
    ix = index_open(generation)
    try:
        with ix.reader() as reader:
            live = []
            for leaf, _offset in leaves(reader):
                live.append(segment_id(leaf))
                segment_columns_ensure(generation, leaf)
                hot_ensure(generation, leaf)
        sidecars_prune(generation, live)
    finally:
        ix.close()


@contextlib.contextmanager
def segment_writer(path: Path) -> Iterator[Writer]:
    """A writer for a worker process: it writes one new segment into the generation
    ``path`` and yields; ``writer.segment`` is then the finished segment, to be
    grafted by the process that holds the write lock (which must be held by the
    caller's parent for the whole time). Nothing is visible until that graft; files of
    a segment never grafted are removed by Whoosh at the next commit."""
    ix = index_open(path, writable=True)
    whoosh_writer = FastSegmentWriter(ix, _lk=False, **WRITER_OPTIONS)
    writer = Writer(whoosh_writer, path)
    try:
        yield writer
    except BaseException:
        whoosh_writer.cancel()
        raise
    writer.segment = whoosh_writer.finish_alone()
    ix.close()


@contextlib.contextmanager
def open_writer(
    root: Path,
    *,
    path: Path | None = None,
    lock_timeout: float | None = None,
    locked: bool = False,
    procs: int = 1,
) -> Iterator[Writer]:
    """The only way to write. Takes the write lock (unless the caller holds it:
    ``locked=True``), opens the live index under ``root`` (creating an empty one when
    there is none) or the generation ``path``, commits on success and cancels on
    error, then brings the sidecar files up to date for the new segments. Always
    closes."""
    lock = contextlib.nullcontext() if locked else write_lock(root, timeout=lock_timeout)
    with lock:
        target = path or live_generation_dir(root)
        ix = index_open(target, writable=True)
        if procs > 1:
            whoosh_writer = ix.writer(
                procs=procs, multisegment=True, subargs={"compound": False}, **WRITER_OPTIONS
            )
        else:
            # Same files as Whoosh's SegmentWriter, 2-3x faster (search.engine.postings).
            whoosh_writer = FastSegmentWriter(ix, **WRITER_OPTIONS)
        try:
            yield Writer(whoosh_writer, target)
        except BaseException:
            whoosh_writer.cancel()
            raise
        # Large bulk segments are never rewritten; small ones are folded together.
        whoosh_writer.commit(mergetype=merge_small)
        ix.close()
        sidecars_sync(target)
