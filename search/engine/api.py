"""The engine's entry point: a query text in, the matching documents out.

:func:`search_evaluate` parses the text (:mod:`search.engine.query`), opens the live
index under ``root``, loads its column store and evaluates the query; the caller
(the Django layer) filters, counts facets, orders and pages with the columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from search.engine import columns as columns_module
from search.engine import evaluate, postings
from search.engine.columns import Columns, columns_for
from search.engine.query import ParsedQuery, query_parse
from search.engine.storage import open_searcher


@dataclass
class Hits:
    """What a query matches: a mask over the columns' documents, their scores (None
    when nothing was scored: browsing, or codes only) and the words to highlight."""

    parsed: ParsedQuery
    columns: Columns
    mask: np.ndarray
    scores: np.ndarray | None
    terms: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


def search_evaluate(*, root: Path, text: str) -> Hits:
    """Parse and evaluate ``text`` over the live index under ``root`` (every live
    document for an empty text). Never raises on user input; raises
    :class:`~search.engine.storage.IndexMissing` when there is no index."""
    parsed = query_parse(text)
    with open_searcher(root) as searcher:
        columns = columns_for(searcher)
        if parsed.query is not None:
            ev = evaluate.query_evaluate(searcher, columns, parsed.query)
            return Hits(parsed, columns, ev.mask, ev.scores, ev.terms, list(ev.notes))
    if text.strip():
        return Hits(parsed, columns, np.zeros(columns.n, dtype=bool), None)
    return Hits(parsed, columns, columns.live, None)


def caches_clear() -> None:
    """Forget every cached column store, hot-postings table, decoded positions and query
    result."""
    columns_module.cache_clear()
    evaluate.cache_clear()
    postings.positions_cache_clear()
