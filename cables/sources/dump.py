"""The 2011 full dump ``cables.csv``: no header row, 8 columns, backslash-escaped quotes,
fields spanning lines. Streamed row by row so a 1.7 GB file keeps memory flat."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from cables.parsing.types import Metadata

from .base import MAX_CABLE_BYTES, SourceError, SourceItem

COLUMNS = 8
# A field may hold a whole cable, never more: a quote left open in a damaged dump
# would otherwise read the rest of a 1.7 GB file into one field. Past the limit the
# row is reported and reading goes on.
FIELD_LIMIT = 4 * MAX_CABLE_BYTES
csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))


def _dump_datetime(value: str) -> datetime | None:
    try:
        return datetime.strptime(value.strip(), "%m/%d/%Y %H:%M").replace(tzinfo=UTC)
    except ValueError:
        return None


def looks_like_dump(path: Path) -> bool:
    """A cables.csv dump starts with a quoted line number and a quoted date."""
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError:
        return False
    return head.startswith(b'"') and b'","' in head and not head.startswith(b'"reference_id')


def iter_dump(path: Path) -> Iterator[SourceItem | SourceError]:
    source = str(path)
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.reader(handle, escapechar="\\", doublequote=False, strict=False)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield SourceError(source, reader.line_num, f"unreadable CSV: {exc}")
                continue
            if not row or row == [""]:
                continue
            number = row[0].strip()
            # ASCII digits only, and short: int() refuses other digits ("²") and
            # strings of more than 4,300 digits.
            numeric = number.isascii() and number.isdigit() and len(number) <= 18
            row_id = int(number) if numeric else reader.line_num
            if len(row) != COLUMNS:
                yield SourceError(
                    source, row_id, f"expected {COLUMNS} columns, found {len(row)} (row cut short?)"
                )
                continue
            _, created, reference_id, origin, classification, _refs, header, body = row
            text = f"{header.rstrip()}\n\n{body}"
            if len(text) > MAX_CABLE_BYTES:
                yield SourceError(source, row_id, f"row too large ({len(text) / 1e6:.1f} MB)")
                continue
            if "\x00" in text:
                yield SourceError(source, row_id, "binary data (NUL bytes): not cable text")
                continue
            yield SourceItem(
                source,
                row_id,
                text,
                Metadata(
                    reference_id=reference_id.strip() or None,
                    created=_dump_datetime(created),
                    classification=classification.strip() or None,
                    origin=origin.strip() or None,
                ),
            )
