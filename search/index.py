"""The live index at ``settings.SEARCH_INDEX_DIR``: the engine's storage and writer
entry points with the root filled in from the settings (the engine itself knows no
Django). Services write through :func:`open_writer`; selectors read through
:func:`open_searcher`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from search.engine import storage, writing
from search.engine.storage import IndexBusy, IndexMissing
from search.engine.writing import Writer

__all__ = ["IndexBusy", "IndexMissing", "Writer"]


def index_root() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def current_generation_dir() -> Path | None:
    return storage.current_generation_dir(index_root())


def live_generation_dir() -> Path:
    return storage.live_generation_dir(index_root())


def generations() -> list[Path]:
    return storage.generations(index_root())


def write_lock(*, timeout: float | None = None):
    return storage.write_lock(index_root(), timeout=timeout)


def open_searcher():
    return storage.open_searcher(index_root())


@contextlib.contextmanager
def open_writer(**options) -> Iterator[Writer]:
    """:func:`search.engine.writing.open_writer` on the live index (``path``,
    ``lock_timeout``, ``locked``, ``procs`` as there)."""
    with writing.open_writer(index_root(), **options) as writer:
        yield writer
