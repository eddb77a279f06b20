"""The 2011 full dump ``cables.csv``: no header row, 8 columns, backslash-escaped quotes,
fields spanning lines. Streamed row by row so a 1.7 GB file keeps memory flat.

A damaged dump never costs more than its damaged rows. Every row starts with the same
shape, ``"<line number>","<M/D/YYYY H:MM>","<reference id>",`` (quotes inside fields are
written ``\\"``, so this cannot occur inside a field): the CSV reader is fed one row at a
time, and a row still open when the next row starts (or when the file ends) was cut
short. It is reported with its row and line number, and reading goes on from the next
row start, so a cut row never swallows the row after it and a dump cut off mid-row
never yields the stump of its last cable."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import TextIO

from cables.parsing.types import Metadata

from .base import MAX_CABLE_BYTES, SourceError, SourceItem

COLUMNS = 8
# A field may hold a whole cable, never more: a quote left open in a damaged dump
# would otherwise read the rest of a 1.7 GB file into one field. Past the limit the
# row is reported and reading goes on at the next row start.
FIELD_LIMIT = 4 * MAX_CABLE_BYTES
csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
# A line is read at most this many characters at a time: a longer one is not part of
# a cable (memory stays bounded on a file with no line breaks).
LINE_LIMIT = FIELD_LIMIT

# The start of a row: line number, date, reference id (``66BUENOSAIRES2481``, and the
# odd ones of the release such as ``06ASTANA`` or ``90STATE255195TOSEC140301``).
ROW_START = re.compile(
    r'"(?P<number>[0-9]+)","[0-9]{1,2}/[0-9]{1,2}/[0-9]{4} [0-9]{1,2}:[0-9]{2}",'
    r'"[0-9]+[A-Z][A-Z0-9]*",'
)


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


def _row_number(number: str) -> int | None:
    # ASCII digits only, and short: int() refuses other digits ("²") and strings of
    # more than 4,300 digits.
    number = number.strip()
    if number.isascii() and number.isdigit() and len(number) <= 18:
        return int(number)
    return None


class _Rows:
    """The dump's lines for ``csv.reader``, one row at a time.

    ``begin()`` starts a row; the reader then asks for lines until the row is complete.
    Asking for another line once the row has had one means it is still open: if the
    next line starts a row (or there is none), the open row was cut short, and the
    reader gets the end of its input instead (``cut`` says why). A row start in the
    middle of a line cuts the row before it there. ``skip()`` drops lines up to the
    next row start (after a row the reader could not read)."""

    def __init__(self, handle: TextIO):
        self.handle = handle
        self.line_num = 0  # physical lines read
        self.queue: list[tuple[str, int, bool]] = []  # (piece, line, starts a row)
        self.skipping = False
        self.begin()

    def begin(self) -> None:
        self.fed = 0
        self.first_line: int | None = None
        self.number: int | None = None  # the row's own line number, when it has one
        self.cut: str | None = None
        self.too_long = False

    def skip(self) -> None:
        self.skipping = True

    def _read(self, line: str | None = None) -> bool:
        """Queue the next physical line (``line`` when already read), split at any row
        start inside it; False at the end of the file."""
        if line is None:
            line = self.handle.readline(LINE_LIMIT)
        if not line:
            return False
        self.line_num += 1
        if len(line) >= LINE_LIMIT and not line.endswith(("\n", "\r")):
            # Not a line of a cable: its row is reported, the rest of it dropped.
            first = line
            while len(line) >= LINE_LIMIT and not line.endswith(("\n", "\r")):
                line = self.handle.readline(LINE_LIMIT)
            if self.skipping:  # part of a row already reported
                return True
            if self.fed == 0:  # the row starts on this line
                match = ROW_START.match(first)
                self.first_line = self.line_num
                self.number = _row_number(match.group("number")) if match else None
            self.too_long = self.skipping = True
            return True
        starts = [m.start() for m in ROW_START.finditer(line)]
        if not starts:
            self.queue.append((line, self.line_num, False))
            return True
        bounds = [0, *(s for s in starts if s > 0), len(line)]
        for begin, end in pairwise(bounds):
            self.queue.append((line[begin:end], self.line_num, begin in starts))
        return True

    def __iter__(self) -> _Rows:
        return self

    def __next__(self) -> str:
        if not (self.queue or self.skipping or self.too_long):
            # The common case, a line inside a row: no row start, not too long.
            line = self.handle.readline(LINE_LIMIT)
            if self.fed and '","' not in line and line.endswith("\n"):
                self.line_num += 1
                self.fed += 1
                return line
            self._read(line)
        while True:
            if self.too_long and self.fed:
                raise StopIteration  # the row ends at the over-long line
            if not self.queue and not self._read():
                if self.fed:
                    self.cut = "the file ends inside it (truncated file?)"
                raise StopIteration
            if not self.queue:
                continue
            piece, line, row_start = self.queue[0]
            if self.skipping:
                if not row_start:
                    self.queue.pop(0)
                    continue
                self.skipping = False
                if self.too_long:
                    raise StopIteration  # the over-long line's row: reported as such
            if self.fed and row_start:
                self.cut = self.cut or f"the next row starts at line {line} before it ends"
                raise StopIteration
            self.queue.pop(0)
            if self.fed == 0:
                self.first_line = line
                match = ROW_START.match(piece) if row_start else None
                self.number = _row_number(match.group("number")) if match else None
            self.fed += 1
            if self.queue and self.queue[0][1] == line:
                # another row starts later on this line: this one is cut there
                self.cut = f"the next row starts in the middle of line {line}"
            return piece

    def location(self, row: list[str] | None = None) -> tuple[int, str]:
        """The row to report (its own number, from its start or from the first field
        read, else its first line) and where it is."""
        first = self.first_line if self.first_line is not None else self.line_num
        number = self.number
        if number is None and row:
            number = _row_number(row[0])
        return (number if number is not None else first), f"line {first}"


def iter_dump(path: Path) -> Iterator[SourceItem | SourceError]:
    source = str(path)
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        rows = _Rows(handle)
        reader = csv.reader(rows, escapechar="\\", doublequote=False, strict=False)
        while True:
            rows.begin()
            try:
                row = next(reader, None)
            except csv.Error as exc:
                row_id, where = rows.location()
                yield SourceError(source, row_id, f"unreadable CSV ({where}): {exc}")
                rows.skip()
                continue
            row_id, where = rows.location(row)
            if rows.too_long:
                yield SourceError(
                    source,
                    row_id,
                    f"row too large ({where}): a line longer than {LINE_LIMIT / 1e6:.1f} MB; "
                    "skipped to the next row",
                )
                continue
            if rows.cut:
                found = f", in column {len(row)} of {COLUMNS}" if row else ""
                yield SourceError(
                    source, row_id, f"row cut short ({where}{found}): {rows.cut}; not ingested"
                )
                continue
            if row is None:
                return
            if not row or row == [""]:
                continue
            if len(row) != COLUMNS:
                yield SourceError(
                    source,
                    row_id,
                    f"expected {COLUMNS} columns, found {len(row)} ({where}; row cut short?)",
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
