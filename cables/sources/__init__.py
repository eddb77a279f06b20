"""Readers for every form researchers hold cables in. Pure Python, no Django.

Each reader yields :class:`SourceItem` (the text of one cable, its metadata, where it
came from), :class:`SourceError` (what could not be read, where and why) or
:class:`SourceNote` (something worth telling that is not a failure), so one bad file
or row never stops a batch. ``iter_sources`` walks files and directories and picks
the reader by form.
"""

from .base import MAX_CABLE_BYTES, SourceError, SourceItem, SourceNote, printable
from .walk import iter_sources

__all__ = [
    "MAX_CABLE_BYTES",
    "SourceError",
    "SourceItem",
    "SourceNote",
    "iter_sources",
    "printable",
]
