"""Readers for every form researchers hold cables in. Pure Python, no Django.

Each reader yields :class:`SourceItem` (the text of one cable, its metadata, where it
came from) or :class:`SourceError` (what could not be read, where and why), so one bad
file or row never stops a batch. ``iter_sources`` walks files and directories and picks
the reader by form.
"""

from .base import MAX_CABLE_BYTES, SourceError, SourceItem
from .walk import iter_sources

__all__ = ["MAX_CABLE_BYTES", "SourceError", "SourceItem", "iter_sources"]
