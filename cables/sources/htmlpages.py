"""The cablegate site's pages: a metadata table and two ``<pre>`` blocks (header, body).

Read in linear time on any page: the blocks are found with a scanner (an opening tag,
then the next closing tag from there), not with ``<pre>(.*?)</pre>``, which on a page
of many unclosed ``<pre>`` tags rescans the rest of the page from each one (quadratic);
and tag patterns never cross a ``<``, so a run of ``<`` without ``>`` is one pass."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

from cables.parsing.types import Metadata

from .base import MAX_CABLE_BYTES, SourceError, SourceItem, decode_text
from .textfiles import parse_datetime

_PRE_OPEN = re.compile(r"<pre>", re.I)
_PRE_CLOSE = re.compile(r"</pre>", re.I)
_TABLE_OPEN = re.compile(r"<table class='cable'>", re.I)
_TABLE_CLOSE = re.compile(r"</table>", re.I)
_CELL_OPEN = re.compile(r"<td>", re.I)
_CELL_CLOSE = re.compile(r"</td>", re.I)
_LINK = re.compile(r"</?a\b[^<>]*>", re.I)
_TAG = re.compile(r"<[^<>]+>")
# A decimal character reference of more than 4,300 digits makes ``html.unescape``
# raise (Python's limit on int() of long digit strings): drop its leading zeros, and
# write any of 8 digits or more (past U+10FFFF) as U+FFFD, as ``unescape`` would.
_CHARREF_ZEROS = re.compile(r"&#0+(?=[0-9])")
_CHARREF_HUGE = re.compile(r"&#[0-9]{8,};?")
_PARTIAL = "This record is a partial extract of the original cable."


def _blocks(text: str, opening: re.Pattern[str], closing: re.Pattern[str]) -> Iterator[str]:
    """The text between each ``opening`` and the next ``closing`` after it, left to
    right, as ``opening(.*?)closing`` would find them; one pass over ``text``."""
    pos = 0
    while True:
        head = opening.search(text, pos)
        if head is None:
            return
        tail = closing.search(text, head.end())
        if tail is None:  # no closing tag anywhere after: no later block can close
            return
        yield text[head.end() : tail.start()]
        pos = tail.end()


def _unescape(text: str) -> str:
    if "&#" in text:
        text = _CHARREF_HUGE.sub("\ufffd", _CHARREF_ZEROS.sub("&#", text))
    return html.unescape(text)


def _cell_text(cell: str) -> str:
    return _unescape(_TAG.sub("", cell)).strip()


def page_to_text(page: str) -> str:
    """The cable text of a page, as the mirror's ``.txt`` files hold it."""
    blocks = [_unescape(_LINK.sub("", block)) for block in _blocks(page, _PRE_OPEN, _PRE_CLOSE)]
    return "\n\n".join(blocks)


def page_metadata(page: str) -> Metadata | None:
    table = next(_blocks(page, _TABLE_OPEN, _TABLE_CLOSE), None)
    if table is None:
        return None
    cells = []
    for cell in _blocks(table, _CELL_OPEN, _CELL_CLOSE):
        cells.append(_cell_text(cell))
        if len(cells) == 5:
            break
    if len(cells) < 5:
        return None
    reference_id, created, released, classification, origin = cells
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
    if next(_blocks(page, _PRE_OPEN, _PRE_CLOSE), None) is None:
        return SourceError(str(path), None, "no <pre> block: not a cablegate cable page")
    return SourceItem(str(path), None, page_to_text(page), page_metadata(page), note)
