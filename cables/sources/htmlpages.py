"""The cablegate site's pages: a metadata table and two ``<pre>`` blocks (header, body)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from cables.parsing.types import Metadata

from .base import MAX_CABLE_BYTES, SourceError, SourceItem, decode_text
from .textfiles import parse_datetime

_PRE = re.compile(r"<pre>(.*?)</pre>", re.S | re.I)
_LINK = re.compile(r"</?a\b[^>]*>", re.I)
_TABLE = re.compile(r"<table class='cable'>(.*?)</table>", re.S | re.I)
_CELL = re.compile(r"<td>(.*?)</td>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_PARTIAL = "This record is a partial extract of the original cable."


def _cell_text(cell: str) -> str:
    return html.unescape(_TAG.sub("", cell)).strip()


def page_to_text(page: str) -> str:
    """The cable text of a page, as the mirror's ``.txt`` files hold it."""
    blocks = [html.unescape(_LINK.sub("", block)) for block in _PRE.findall(page)]
    return "\n\n".join(blocks)


def page_metadata(page: str) -> Metadata | None:
    table = _TABLE.search(page)
    if not table:
        return None
    cells = [_cell_text(c) for c in _CELL.findall(table.group(1))]
    if len(cells) < 5:
        return None
    reference_id, created, released, classification, origin = cells[:5]
    return Metadata(
        reference_id=reference_id or None,
        created=parse_datetime(created),
        released=parse_datetime(released),
        classification=classification or None,
        origin=origin or None,
        partial=_PARTIAL in page,
    )


def read_html_page(path: Path) -> SourceItem | SourceError:
    try:
        size = path.stat().st_size
        if size == 0:
            return SourceError(str(path), None, "empty file")
        if size > 4 * MAX_CABLE_BYTES:
            return SourceError(str(path), None, f"page too large ({size / 1e6:.1f} MB)")
        page, note = decode_text(path.read_bytes())
    except (OSError, ValueError) as exc:
        return SourceError(str(path), None, str(exc))
    if not _PRE.search(page):
        return SourceError(str(path), None, "no <pre> block: not a cablegate cable page")
    return SourceItem(str(path), None, page_to_text(page), page_metadata(page), note)
