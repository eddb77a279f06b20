"""Plain ``.txt`` cables, one per file, with an optional ``metadata.csv`` beside them."""

from __future__ import annotations

import codecs
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


# Longer than any date a metadata file holds: not a date (and not worth parsing).
MAX_DATE_CHARS = 64
# Longer than any reference id, classification or station name.
MAX_METADATA_CHARS = 1000


def parse_datetime(value: str | None) -> datetime | None:
    value = (value or "")[: MAX_DATE_CHARS + 1].strip()
    if not value or len(value) > MAX_DATE_CHARS:
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


def _field(row: dict, name: str) -> str:
    value = row.get(name)
    return value.strip() if isinstance(value, str) else ""


def read_metadata_csv(path: Path, *, notes: list[str] | None = None) -> dict[str, Metadata]:
    """``metadata.csv`` as the cablegate mirror writes it, keyed by reference id.

    Decoded as cable files are: UTF-8 (with or without BOM), else cp1252 (UTF-16 when
    it starts with a UTF-16 byte order mark), saying so in ``notes``. Rows with an
    oversized field or a NUL are skipped (``notes`` says how many). Raises ValueError
    (with the reason) for a file that cannot be read as CSV text or has no
    ``reference_id`` column."""
    try:
        with path.open("rb") as raw:
            head = raw.read(2)
        if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            encodings = [("utf-16", "decoded as UTF-16")]
        else:
            encodings = [("utf-8-sig", None), ("cp1252", "decoded as cp1252 (not valid UTF-8)")]
        for encoding, how in encodings:
            try:
                result, skipped = _metadata_rows(path, encoding)
            except UnicodeDecodeError as exc:
                failed = exc
                continue
            note = how
            break
        else:
            names = " nor ".join(name.removesuffix("-sig").upper() for name, _ in encodings)
            raise ValueError(f"not text: neither {names} ({failed.reason})")
    except (OSError, csv.Error) as exc:
        raise ValueError(f"unreadable metadata file: {exc}") from exc
    if notes is not None:
        if note:
            notes.append(note)
        if skipped:
            notes.append(
                f"{skipped:,} row(s) skipped: a field longer than {MAX_METADATA_CHARS:,} "
                "characters or a NUL byte"
            )
    return result


def _metadata_rows(path: Path, encoding: str) -> tuple[dict[str, Metadata], int]:
    """The rows of the metadata file read as ``encoding``, and how many were skipped."""
    result: dict[str, Metadata] = {}
    skipped = 0
    with path.open(newline="", encoding=encoding) as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is not None and "reference_id" not in reader.fieldnames:
            raise ValueError("not a metadata file: no reference_id column in its first line")
        for row in reader:
            fields = [v for v in row.values() if isinstance(v, str)]
            if any(len(v) > MAX_METADATA_CHARS or "\x00" in v for v in fields):
                skipped += 1
                continue
            _metadata_row(row, result)
    return result, skipped


def _metadata_row(row: dict, result: dict[str, Metadata]) -> None:
    ref = _field(row, "reference_id")
    if ref:
        result[ref] = Metadata(
            reference_id=ref,
            created=parse_datetime(_field(row, "created")),
            released=parse_datetime(_field(row, "released")),
            classification=_field(row, "classification") or None,
            origin=_field(row, "origin") or None,
            partial=parse_bool(_field(row, "partial")),
        )


def iter_text_dir_files(
    files: list[Path], metadata: dict[str, Metadata]
) -> Iterator[SourceItem | SourceError]:
    for path in files:
        yield read_text_file(path, metadata.get(path.stem))
