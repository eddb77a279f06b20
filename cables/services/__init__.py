"""Writes. Keyword-only, typed functions named ``<thing>_<action>``; views and
commands call these and hold no business logic themselves."""

from .ingest import IngestReport, cables_ingest
from .known_ids import cable_ids_load
from .reparse import ReparseReport, cables_reparse

__all__ = ["IngestReport", "ReparseReport", "cable_ids_load", "cables_ingest", "cables_reparse"]
