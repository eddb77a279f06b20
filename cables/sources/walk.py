"""Walk the paths given on the command line and read each file in its own form."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from cables.parsing.types import Metadata

from .base import SourceError, SourceItem
from .dump import iter_dump, looks_like_dump
from .htmlpages import read_html_page
from .textfiles import read_metadata_csv, read_text_file

METADATA_NAME = "metadata.csv"


def _metadata_beside(
    directory: Path, cache: dict[Path, dict[str, Metadata]]
) -> tuple[dict[str, Metadata], SourceError | None]:
    """The metadata for the ``.txt`` files of ``directory``, and, the first time an
    unreadable metadata file is met, the error to report (its cables go in without)."""
    if directory in cache:
        return cache[directory], None
    candidates = [directory / METADATA_NAME, directory.parent / METADATA_NAME]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        cache[directory] = {}
        return {}, None
    if found in cache:
        cache[directory] = cache[found]
        return cache[directory], None
    try:
        metadata = read_metadata_csv(found)
    except ValueError as exc:
        cache[found] = cache[directory] = {}
        return {}, SourceError(str(found), None, f"{exc}; its cables read without it")
    cache[found] = cache[directory] = metadata
    return metadata, None


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [path]


def iter_sources(
    paths: Iterable[str | Path], *, use_metadata: bool = True
) -> Iterator[SourceItem | SourceError]:
    """Every cable under ``paths``: ``.txt`` files (with ``metadata.csv`` beside them or
    one level up when ``use_metadata``), the site's ``.html`` pages and ``cables.csv``
    dumps. Unknown files inside a directory are skipped; named explicitly they are
    reported."""
    metadata_cache: dict[Path, dict[str, Metadata]] = {}
    for raw in paths:
        root = Path(raw)
        if not root.exists():
            yield SourceError(str(root), None, "no such file or directory")
            continue
        explicit = root.is_file()
        for path in _files(root):
            suffix = path.suffix.lower()
            if path.name == METADATA_NAME:
                continue
            if suffix == ".txt" or (explicit and suffix == ""):
                metadata = None
                if use_metadata:
                    table, error = _metadata_beside(path.parent, metadata_cache)
                    if error is not None:
                        yield error
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
