"""The engine's entry point: a query text in, the matching documents out.

:func:`search_evaluate` parses the text (:mod:`search.engine.query`), opens the live
index under ``root``, loads its column store and evaluates the query; the caller
(the Django layer) filters, counts facets, orders and pages with the columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from search.engine import columns as columns_module
from search.engine import evaluate, postings, similar
from search.engine.columns import Columns, columns_for
from search.engine.query import ParsedQuery, query_parse
from search.engine.similar import Similar, similar_find
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
    # Why the query was not run (over a limit of search.engine.limits), or "": then
    # the mask is empty.
    refusal: str = ""
    phrases: tuple[tuple[str, ...], ...] = ()  # the phrases to show whole in snippets


def search_evaluate(*, root: Path, text: str) -> Hits:
    """Parse and evaluate ``text`` over the live index under ``root`` (every live
    document for an empty text). Never raises on user input: a query over a limit
    matches nothing and ``refusal`` says why. Raises
    :class:`~search.engine.storage.IndexMissing` when there is no index."""
    parsed = query_parse(text)
    with open_searcher(root) as searcher:
        columns = columns_for(searcher)
        if parsed.refusal:
            nothing = np.zeros(columns.n, dtype=bool)
            return Hits(parsed, columns, nothing, None, refusal=parsed.refusal)
        if parsed.query is not None:
            ev = evaluate.query_evaluate(searcher, columns, parsed.query)
            notes = list(ev.notes)
            return Hits(
                parsed, columns, ev.mask, ev.scores, ev.terms, notes, ev.refusal, ev.phrases
            )
    if text.strip():
        return Hits(parsed, columns, np.zeros(columns.n, dtype=bool), None)
    return Hits(parsed, columns, columns.live, None)


def caches_clear() -> None:
    """Forget every cached column store, hot-postings table, decoded positions and query
    result."""
    columns_module.cache_clear()
    evaluate.cache_clear()
    postings.positions_cache_clear()
    similar.cache_clear()


def cables_similar(
    *,
    root: Path,
    reference_id: str,
    subject: str,
    text: str,
    tags: tuple[str, ...] = (),
    post: str = "",
    limit: int = similar.LIMIT,
) -> Similar:
    """The cables most like ``reference_id`` (more like this over its subject, text,
    tags and post: :mod:`search.engine.similar`), best first, never the cable itself.
    Raises :class:`~search.engine.storage.IndexMissing` when there is no index."""
    return similar_find(
        root=root,
        reference_id=reference_id,
        subject=subject,
        text=text,
        tags=tags,
        post=post,
        limit=limit,
    )
