"""Walk the paths given on the command line and read each file in its own form.

Nothing is skipped without a word: a directory that cannot be read, a broken symbolic
link and a file that is not a regular file are reported as failures; a directory met a
second time through a symbolic link (a loop, or the same directory twice) is read once
and reported as a note. Hidden files (``.name``) and, inside a directory, files of no
form ingest reads are passed over, as before."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from cables.parsing.types import Metadata

from .base import SourceError, SourceItem, SourceNote
from .dump import iter_dump, looks_like_dump
from .htmlpages import read_html_page
from .textfiles import read_metadata_csv, read_text_file

METADATA_NAME = "metadata.csv"


def _metadata_beside(
    directory: Path, cache: dict[Path, dict[str, Metadata]]
) -> tuple[dict[str, Metadata], list[SourceError | SourceNote]]:
    """The metadata for the ``.txt`` files of ``directory``, and, the first time a
    metadata file is met, what there is to say about it: the error when it cannot be
    read (its cables go in without it), notes on how it was read."""
    if directory in cache:
        return cache[directory], []
    candidates = [directory / METADATA_NAME, directory.parent / METADATA_NAME]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        cache[directory] = {}
        return {}, []
    if found in cache:
        cache[directory] = cache[found]
        return cache[directory], []
    notes: list[str] = []
    try:
        metadata = read_metadata_csv(found, notes=notes)
    except ValueError as exc:
        cache[found] = cache[directory] = {}
        return {}, [SourceError(str(found), None, f"{exc}; its cables read without it")]
    cache[found] = cache[directory] = metadata
    return metadata, [SourceNote(str(found), None, note) for note in notes]


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _listing(directory: Path) -> list[os.DirEntry[str]]:
    with os.scandir(directory) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _walk(root: Path) -> Iterator[Path | SourceError | SourceNote]:
    """The files under the directory ``root``, depth first in name order (the order
    of the sorted paths), following symbolic links to directories, each directory
    once; and what could not be walked."""
    seen: dict[tuple[int, int], Path] = {}  # every directory entered, by device and inode
    stack: list[tuple[tuple[int, int], Iterator[os.DirEntry[str]]]] = []

    def enter(directory: Path) -> SourceError | SourceNote | None:
        try:
            info = directory.stat()
            key = (info.st_dev, info.st_ino)
            if key in seen:
                if any(key == ancestor for ancestor, _ in stack):
                    note = f"directory symlink loop: leads back to {seen[key]}; not followed"
                else:
                    note = f"the same directory as {seen[key]}: read once"
                return SourceNote(str(directory), None, note)
            listing = _listing(directory)
        except OSError as exc:
            return SourceError(
                str(directory), None, f"unreadable directory ({_reason(exc)}): nothing in it read"
            )
        seen[key] = directory
        stack.append((key, iter(listing)))
        return None

    problem = enter(root)
    if problem is not None:
        yield problem
    while stack:
        entry = next(stack[-1][1], None)
        if entry is None:
            stack.pop()
            continue
        path = Path(entry.path)
        try:
            mode = entry.stat().st_mode  # through symbolic links
        except OSError as exc:
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                yield SourceError(str(path), None, f"broken symbolic link ({_reason(exc)})")
            else:
                yield SourceError(str(path), None, f"unreadable ({_reason(exc)})")
            continue
        if stat.S_ISDIR(mode):
            problem = enter(path)
            if problem is not None:
                yield problem
        elif entry.name.startswith("."):
            continue
        elif stat.S_ISREG(mode):
            yield path
        else:
            yield SourceError(str(path), None, "not a regular file (a device, pipe or socket)")


def _files(path: Path) -> Iterator[Path | SourceError | SourceNote]:
    if path.is_dir():
        yield from _walk(path)
    else:
        yield path


def iter_sources(
    paths: Iterable[str | Path], *, use_metadata: bool = True
) -> Iterator[SourceItem | SourceError | SourceNote]:
    """Every cable under ``paths``: ``.txt`` files (with ``metadata.csv`` beside them or
    one level up when ``use_metadata``), the site's ``.html`` pages and ``cables.csv``
    dumps. Unknown files inside a directory are skipped; named explicitly they are
    reported. Directories that cannot be walked are reported (:func:`_walk`)."""
    metadata_cache: dict[Path, dict[str, Metadata]] = {}
    for raw in paths:
        root = Path(raw)
        if not root.exists():
            reason = "no such file or directory"
            if root.is_symlink():
                reason = "broken symbolic link (or a symbolic link loop)"
            yield SourceError(str(root), None, reason)
            continue
        explicit = not root.is_dir()
        if explicit and not root.is_file():
            yield SourceError(str(root), None, "not a regular file (a device, pipe or socket)")
            continue
        for path in _files(root):
            if not isinstance(path, Path):
                yield path
                continue
            suffix = path.suffix.lower()
            if path.name == METADATA_NAME:
                continue
            if suffix == ".txt" or (explicit and suffix == ""):
                metadata = None
                if use_metadata:
                    table, said = _metadata_beside(path.parent, metadata_cache)
                    yield from said
                    metadata = table.get(path.stem)
                yield read_text_file(path, metadata)
            elif suffix in {".html", ".htm"}:
                item = read_html_page(path)
                if not use_metadata and isinstance(item, SourceItem):
                    item = SourceItem(item.source, item.row, item.text, None, item.note)
                yield item
            elif suffix == ".csv":
                if looks_like_dump(path):
                    for item in iter_dump(path):
                        if not use_metadata and isinstance(item, SourceItem):
                            item = SourceItem(item.source, item.row, item.text, None, item.note)
                        yield item
                elif explicit:
                    yield SourceError(str(path), None, "CSV file is not a cables.csv dump")
            elif explicit:
                yield SourceError(
                    str(path),
                    None,
                    f"unknown file type {suffix or '(none)'}: expected .txt, .html or .csv",
                )
