"""CSV the archive hands out (the search's CSV twin, a reading list's export): one
writer, so every export neutralises formulas the same way.

Cable text is untrusted: a subject or a note starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return would be run as a formula by a spreadsheet that opens the
file (``=HYPERLINK(...)``, ``@SUM(...)``). Following the OWASP guidance on CSV
injection, such a cell is written with a single quote in front, which spreadsheets
show as text and do not evaluate; the csv module quotes what needs quoting.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """``value`` as a CSV cell no spreadsheet runs: None is empty, and text starting
    with a formula character gets a leading ``'``."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file that hands back what is written (for streaming one row at a time)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row as one CSV line (CRLF-terminated, as RFC 4180 and spreadsheets
    expect), its cells made safe: for a ``StreamingHttpResponse``, one line at a time."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    for row in rows:
        yield writer.writerow([csv_cell(cell) for cell in row])


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """The whole CSV as one string (a small export)."""
    out = io.StringIO()
    for line in csv_lines(rows):
        out.write(line)
    return out.getvalue()
