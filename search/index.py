"""The one owner of the Whoosh index: schema, storage layout, locking, readers, writers.

Layout under ``settings.SEARCH_INDEX_DIR``::

    current -> index.20250101T120000-1a2b   (a relative symlink; readers follow it)
    index.20250101T120000-1a2b/              (one generation: Whoosh files + columns/)
    .write.lock                              (one writer at a time, across processes)

A rebuild writes a whole new ``index.<stamp>/`` beside the live one and swaps the
``current`` symlink atomically (``os.replace`` of a temporary symlink), so a reader sees
either the old index or the new one, never a half-built one. A searcher already open
keeps reading the old generation, which is only removed by the rebuild after next.

Nothing outside ``search`` imports whoosh.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer, StopFilter
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError
from whoosh.query import Term

from search.fastwrite import FastSegmentWriter, merge_small

logger = logging.getLogger(__name__)

CURRENT = "current"
GENERATION_PREFIX = "index."
LOCK_NAME = ".write.lock"
INDEX_NAME = "MAIN"

ANALYZER = StemmingAnalyzer()

# Names (signer, classifier, person tags): words, lower-cased, never stemmed, no stop
# words, initials kept. Several names in one field are joined by NAME_GAP, which is
# dropped but keeps its position, so a phrase never runs from one name into the next.
NAME_GAP = "0gap0"
NAME_ANALYZER = (
    RegexTokenizer()
    | LowercaseFilter()
    | StopFilter(stoplist=[NAME_GAP], minsize=1, renumber=False)
)
# Tags: one term per whole tag (``GATES, ROBERT M.``, ``HUMAN RIGHTS``), lower-cased.
# The document joins a cable's tags with TAG_SEPARATOR (see :func:`tag_term`).
TAG_SEPARATOR = "\n"
TAG_ANALYZER = RegexTokenizer(r"[^\n]+") | LowercaseFilter()


def tag_term(code: str) -> str:
    """A tag as the ``tag`` field holds it: one line, single spaces."""
    return " ".join(code.split())


def names_join(names) -> str:
    """Several names as one ``person`` field value (no phrase across two of them)."""
    return f" {NAME_GAP} ".join(n for n in names if n)


def schema_build() -> Schema:
    """The explicit schema. ``facets`` is a stored tuple the column store is built from
    (so the columns always follow Whoosh's own document numbers): ``(post,
    classification, caveats, tags, day, classified by, paragraph markings)``, see
    :func:`search.services.cable_document`. ``signer``, ``classified_by`` and ``person``
    (signer, classifier and person tags) are names; ``tag`` holds whole tags."""
    return Schema(
        reference_id=ID(stored=True, unique=True),
        subject=TEXT(analyzer=ANALYZER, phrase=True),
        text=TEXT(analyzer=ANALYZER, phrase=True),
        tag=KEYWORD(analyzer=TAG_ANALYZER),
        post=KEYWORD(lowercase=True),
        classification=KEYWORD(lowercase=True),
        caveat=KEYWORD(lowercase=True),
        created=DATETIME(),
        paragraph_classification=KEYWORD(lowercase=True),
        ref=KEYWORD(lowercase=True),
        signer=TEXT(analyzer=NAME_ANALYZER, phrase=True),
        classified_by=TEXT(analyzer=NAME_ANALYZER, phrase=True),
        person=TEXT(analyzer=NAME_ANALYZER, phrase=True),
        content_hash=STORED(),
        facets=STORED(),
    )


SCHEMA = schema_build()

# Field names a query may use, and the index field each one reads.
QUERY_FIELDS = {
    "subject": "subject",
    "text": "text",
    "tag": "tag",
    "post": "post",
    "ref": "ref",
    "classification": "classification",
    "caveat": "caveat",
    "signer": "signer",
    "by": "classified_by",
    "person": "person",
    "pclass": "paragraph_classification",
}


class IndexMissing(RuntimeError):
    """No index has been built yet."""


class IndexBusy(RuntimeError):
    """Another process holds the write lock."""


def index_root() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def current_generation_dir() -> Path | None:
    """The directory ``current`` points to now, or None when there is no index."""
    link = index_root() / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        return None
    path = (index_root() / target).resolve()
    return path if path.is_dir() else None


def _new_generation_dir() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = index_root() / f"{GENERATION_PREFIX}{stamp}-{uuid.uuid4().hex[:6]}"
    path.mkdir(parents=True)
    return path


def _point_current_at(path: Path) -> None:
    """Atomically repoint ``current``: a temporary symlink renamed over the old one."""
    root = index_root()
    tmp = root / f".{CURRENT}.{uuid.uuid4().hex[:8]}"
    os.symlink(path.name, tmp)
    os.replace(tmp, root / CURRENT)


def _create_empty(path: Path) -> None:
    FileStorage(str(path)).create_index(SCHEMA, indexname=INDEX_NAME)


def _open_index(path: Path):
    return FileStorage(str(path), readonly=True).open_index(indexname=INDEX_NAME, schema=SCHEMA)


def _open_index_for_write(path: Path):
    return FileStorage(str(path)).open_index(indexname=INDEX_NAME, schema=SCHEMA)


def live_generation_dir() -> Path:
    """The live generation, created empty (and made live) when there is none yet.
    The caller holds the write lock."""
    target = current_generation_dir()
    if target is None:
        target = _new_generation_dir()
        _create_empty(target)
        _point_current_at(target)
    return target


@contextlib.contextmanager
def write_lock(*, timeout: float | None = None) -> Iterator[None]:
    """Hold the one writer lock (a file lock, so it spans processes). ``timeout`` None
    waits for ever; otherwise :class:`IndexBusy` after that many seconds."""
    root = index_root()
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    raise IndexBusy(
                        "another process is writing the search index (ingest or rebuild)"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


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


@contextlib.contextmanager
def segment_writer(path: Path) -> Iterator[Writer]:
    """A writer for a worker process: it writes one new segment into the generation
    ``path`` and yields; ``writer.segment`` is then the finished segment, to be
    grafted by the process that holds the write lock (which must be held by the
    caller's parent for the whole time). Nothing is visible until that graft; files of
    a segment never grafted are removed by Whoosh at the next commit."""
    ix = _open_index_for_write(path)
    whoosh_writer = FastSegmentWriter(ix, _lk=False, limitmb=256, compound=False)
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
    *,
    path: Path | None = None,
    lock_timeout: float | None = None,
    locked: bool = False,
    procs: int = 1,
) -> Iterator[Writer]:
    """The only way to write. Takes the write lock (unless the caller holds it:
    ``locked=True``), opens the live index (creating an empty one when there is none)
    or ``path``, commits on success and cancels on error, then brings the column store
    up to date for the new segments. Always closes."""
    lock = contextlib.nullcontext() if locked else write_lock(timeout=lock_timeout)
    with lock:
        target = path or live_generation_dir()
        ix = _open_index_for_write(target)
        # Not compound: Whoosh reads a compound segment through BytesIO, copying the
        # whole postings file on every open (30+ ms per search at 5,811 cables).
        kwargs = {"limitmb": 256, "compound": False}
        if procs > 1:
            kwargs.update(procs=procs, multisegment=True, subargs={"compound": False})
            whoosh_writer = ix.writer(**kwargs)
        else:
            # Same files as Whoosh's SegmentWriter, 2-3x faster (search/fastwrite.py).
            whoosh_writer = FastSegmentWriter(ix, **kwargs)
        try:
            yield Writer(whoosh_writer, target)
        except BaseException:
            whoosh_writer.cancel()
            raise
        # Large bulk segments are never rewritten; small ones are folded together.
        whoosh_writer.commit(mergetype=merge_small)
        ix.close()
        from search.columns import columns_sync

        columns_sync(target)


@contextlib.contextmanager
def open_searcher() -> Iterator[object]:
    """A Whoosh searcher over the live index; always closed. Raises
    :class:`IndexMissing` when nothing has been built yet. Opening resolves
    ``current`` once, so a rebuild swapping it meanwhile does not disturb this search."""
    for attempt in range(3):
        path = current_generation_dir()
        if path is None:
            raise IndexMissing("the search index has not been built yet")
        try:
            ix = _open_index(path)
            searcher = ix.searcher()
            break
        except (OSError, EmptyIndexError):
            # pruned between resolving ``current`` and opening: resolve again
            if attempt == 2:
                raise
    else:  # pragma: no cover
        raise IndexMissing("the search index could not be opened")
    try:
        yield searcher
    finally:
        searcher.close()
        ix.close()


def generations() -> list[Path]:
    """Every generation directory, oldest first."""
    root = index_root()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith(GENERATION_PREFIX))


def generations_prune(*, keep: int = 2) -> list[Path]:
    """Remove old generations, keeping the live one and the ``keep - 1`` newest before
    it (a searcher opened just before a swap keeps reading the previous one)."""
    live = current_generation_dir()
    others = [g for g in generations() if g != live]
    doomed = others[: max(0, len(others) - (keep - 1))]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return doomed


@contextlib.contextmanager
def new_generation() -> Iterator[Path]:
    """A fresh, empty generation directory that is *not* live yet; removed again if
    the block fails. The caller must hold the write lock and call :func:`swap_in`."""
    path = _new_generation_dir()
    _create_empty(path)
    try:
        yield path
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise


def swap_in(path: Path) -> None:
    _point_current_at(path)
