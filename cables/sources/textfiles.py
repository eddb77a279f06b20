"""Plain ``.txt`` cables, one per file, with an optional ``metadata.csv`` beside them."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from cables.parsing.types import Metadata

from .base import MAX_CABLE_BYTES, SourceError, SourceItem, decode_text


def read_text_file(path: Path, metadata: Metadata | None = None) -> SourceItem | SourceError:
    try:
        size = path.stat().st_size
        if size == 0:
            return SourceError(str(path), None, "empty file")
        if size > MAX_CABLE_BYTES:
            return SourceError(
                str(path),
                None,
                f"file too large for one cable ({size / 1e6:.1f} MB; limit "
                f"{MAX_CABLE_BYTES / 1e6:.1f} MB)",
            )
        text, note = decode_text(path.read_bytes())
    except (OSError, ValueError) as exc:
        return SourceError(str(path), None, str(exc))
    if not text.strip():
        return SourceError(str(path), None, "file holds only whitespace")
    return SourceItem(str(path), None, text, metadata, note)


def parse_datetime(value: str | None) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%m/%d/%Y %H:%M"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def parse_bool(value: str | None) -> bool | None:
    value = (value or "").strip().lower()
    if value in {"true", "1", "yes"}:
        return True
    if value in {"false", "0", "no"}:
        return False
    return None


def read_metadata_csv(path: Path) -> dict[str, Metadata]:
    """``metadata.csv`` as the cablegate mirror writes it, keyed by reference id."""
    result: dict[str, Metadata] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            ref = (row.get("reference_id") or "").strip()
            if not ref:
                continue
            result[ref] = Metadata(
                reference_id=ref,
                created=parse_datetime(row.get("created")),
                released=parse_datetime(row.get("released")),
                classification=(row.get("classification") or "").strip() or None,
                origin=(row.get("origin") or "").strip() or None,
                partial=parse_bool(row.get("partial")),
            )
    return result


def iter_text_dir_files(
    files: list[Path], metadata: dict[str, Metadata]
) -> Iterator[SourceItem | SourceError]:
    for path in files:
        yield read_text_file(path, metadata.get(path.stem))
