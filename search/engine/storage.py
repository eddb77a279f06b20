"""Where the index lives on disk: generations, the write lock, and the sidecar files.

Layout under the index root (``settings.SEARCH_INDEX_DIR``, passed in by the Django
layer)::

    current -> index.20250101T120000-1a2b   (a relative symlink; readers follow it)
    index.20250101T120000-1a2b/              (one generation: Whoosh files + columns/)
        columns/<segment>.npz                  the segment's column store
        columns/<segment>.hot{terms.npz,docs.npy,weights.npy,positions.npy}
                                               its hot postings (and their positions)
    .write.lock                              (one writer at a time, across processes)

A rebuild writes a whole new ``index.<stamp>/`` beside the live one and swaps the
``current`` symlink atomically (``os.replace`` of a temporary symlink), so a reader sees
either the old index or the new one, never a half-built one. A searcher already open
keeps reading the old generation, which is only removed by the rebuild after next.

A generation is *complete* once its marker file (``COMPLETE``) exists: it is written
last, after every segment is committed, and only a complete generation can be swapped
in or kept as "the previous one". A rebuild killed half-way (even ``kill -9``) leaves a
generation without the marker; the next writer to take the write lock removes it
(:func:`partial_generations_remove`), and pruning never counts it, so the generation
that was live before the last swap survives whatever was killed in between.

This module names every sidecar file and is the only one that removes them
(:func:`sidecars_prune`). It opens indexes through Whoosh's public storage API.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError

from search.engine.schema import SCHEMA

CURRENT = "current"
GENERATION_PREFIX = "index."
LOCK_NAME = ".write.lock"
COMPLETE_MARKER = "COMPLETE"
INDEX_NAME = "MAIN"
SIDECAR_DIR = "columns"


class IndexMissing(RuntimeError):
    """No index has been built yet."""


class IndexBusy(RuntimeError):
    """Another process holds the write lock."""


# -- generations ----------------------------------------------------------------------


def current_generation_dir(root: Path) -> Path | None:
    """The directory ``current`` points to now, or None when there is no index."""
    try:
        target = os.readlink(root / CURRENT)
    except OSError:
        return None
    path = (root / target).resolve()
    return path if path.is_dir() else None


def _new_generation_dir(root: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = root / f"{GENERATION_PREFIX}{stamp}-{uuid.uuid4().hex[:6]}"
    path.mkdir(parents=True)
    return path


def generation_mark_complete(path: Path) -> None:
    """Write the marker that makes generation ``path`` complete: the last write of a
    generation, made durable before it can be swapped in."""
    marker = path / COMPLETE_MARKER
    tmp = path / f".{COMPLETE_MARKER}.{uuid.uuid4().hex[:8]}"
    stamp = datetime.now(UTC).isoformat()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, f"{stamp}\n".encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, marker)
    dir_fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def generation_is_complete(path: Path) -> bool:
    return (path / COMPLETE_MARKER).is_file()


def swap_in(root: Path, path: Path) -> None:
    """Atomically repoint ``current`` at ``path`` (a complete generation): a temporary
    symlink renamed over the old one."""
    if not generation_is_complete(path):
        raise RuntimeError(f"generation {path.name} is not complete; it cannot go live")
    tmp = root / f".{CURRENT}.{uuid.uuid4().hex[:8]}"
    os.symlink(path.name, tmp)
    os.replace(tmp, root / CURRENT)


def index_create(path: Path) -> None:
    FileStorage(str(path)).create_index(SCHEMA, indexname=INDEX_NAME)


def index_open(path: Path, *, writable: bool = False):
    """The Whoosh index of a generation (read-only unless ``writable``)."""
    storage = FileStorage(str(path), readonly=not writable)
    return storage.open_index(indexname=INDEX_NAME, schema=SCHEMA)


def live_generation_dir(root: Path) -> Path:
    """The live generation, created empty (and made live) when there is none yet.
    The caller holds the write lock."""
    target = current_generation_dir(root)
    if target is None:
        target = _new_generation_dir(root)
        index_create(target)
        generation_mark_complete(target)
        swap_in(root, target)
    return target


def generations(root: Path) -> list[Path]:
    """Every generation directory, oldest first."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith(GENERATION_PREFIX))


def _completed_at(path: Path) -> tuple[int, str]:
    """When a complete generation was completed (its marker's time), then its name."""
    try:
        return (path / COMPLETE_MARKER).stat().st_mtime_ns, path.name
    except OSError:
        return 0, path.name


def partial_generations_remove(root: Path) -> list[Path]:
    """Remove every generation that is neither live nor complete: what a writer killed
    half-way left behind. Only a holder of the write lock may call this (no other
    writer can be filling a new generation meanwhile). A live generation without the
    marker (made before markers existed) is marked complete instead: it went live."""
    live = current_generation_dir(root)
    if live is not None and not generation_is_complete(live):
        generation_mark_complete(live)
    doomed = [g for g in generations(root) if g != live and not generation_is_complete(g)]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return doomed


def generations_prune(root: Path, *, keep: int = 2) -> list[Path]:
    """Remove old generations, keeping the live one and the ``keep - 1`` most recently
    completed before it (a searcher opened just before a swap keeps reading the
    previous one). A partial generation never counts as a previous one: it is removed
    too. The caller holds the write lock."""
    doomed = partial_generations_remove(root)
    live = current_generation_dir(root)
    others = sorted(
        (g for g in generations(root) if g != live and generation_is_complete(g)),
        key=_completed_at,
    )
    old = others[: max(0, len(others) - (keep - 1))]
    for path in old:
        shutil.rmtree(path, ignore_errors=True)
    return doomed + old


@contextlib.contextmanager
def new_generation(root: Path) -> Iterator[Path]:
    """A fresh, empty generation directory that is *not* live yet; removed again if
    the block fails (and, if the process is killed, by the next writer: it has no
    marker). The caller must hold the write lock, fill it, then call
    :func:`generation_mark_complete` and :func:`swap_in`."""
    path = _new_generation_dir(root)
    index_create(path)
    try:
        yield path
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise


# -- the write lock -------------------------------------------------------------------


@contextlib.contextmanager
def write_lock(root: Path, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the one writer lock (a file lock, so it spans processes). ``timeout`` None
    waits for ever; otherwise :class:`IndexBusy` after that many seconds. Taking it
    removes the partial generations a killed writer left (the lock was released by
    its death: nobody else can be writing them)."""
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
            partial_generations_remove(root)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# -- sidecar files --------------------------------------------------------------------


def sidecar_dir(generation: Path) -> Path:
    return generation / SIDECAR_DIR


def columns_file(generation: Path, segid: str) -> Path:
    return sidecar_dir(generation) / f"{segid}.npz"


def hot_files(generation: Path, segid: str) -> tuple[Path, Path, Path, Path]:
    """The hot postings of a segment: term table, document numbers, weights,
    positions."""
    folder = sidecar_dir(generation)
    return (
        folder / f"{segid}.hotterms.npz",
        folder / f"{segid}.hotdocs.npy",
        folder / f"{segid}.hotweights.npy",
        folder / f"{segid}.hotpositions.npy",
    )


def temporary(path: Path) -> Path:
    """Where a sidecar file is written before it is renamed into place (hidden: a
    name starting with a dot is never pruned nor read)."""
    return path.with_name(f".{path.name}")


def sidecars_prune(generation: Path, live_segments: Iterable[str]) -> None:
    """Remove the sidecar files of segments merged away (every sidecar file is named
    ``<segment id>.<kind>``)."""
    live = set(live_segments)
    folder = sidecar_dir(generation)
    if not folder.is_dir():
        return
    for stale in folder.iterdir():
        if not stale.name.startswith(".") and stale.name.split(".")[0] not in live:
            stale.unlink(missing_ok=True)


# -- reading --------------------------------------------------------------------------


@contextlib.contextmanager
def open_searcher(root: Path) -> Iterator[object]:
    """A Whoosh searcher over the live index; always closed. Raises
    :class:`IndexMissing` when nothing has been built yet. Opening resolves
    ``current`` once, so a rebuild swapping it meanwhile does not disturb this search."""
    for attempt in range(3):
        path = current_generation_dir(root)
        if path is None:
            raise IndexMissing("the search index has not been built yet")
        try:
            ix = index_open(path)
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
