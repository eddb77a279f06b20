"""BM25F over numpy arrays: one term's postings at a time, added into a score array.

For a term ``t`` of a scored field ``f`` in document ``d``::

    score += boost * idf(t) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(d, f) / avglen(f)))
    idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))

``boost`` is the query's own boost (the field boosts of :mod:`search.engine.schema`,
put on the query by the parser; nothing is added here), ``N`` the live documents,
``df`` the live documents holding the term, ``len`` the field length Whoosh stores
for the document (a byte-quantised length) and ``avglen`` its mean over live
documents. ``tests/search/test_differential.py`` checks this against a plain
per-document implementation of the same formula.
"""

from __future__ import annotations

import math

import numpy as np

from search.engine.columns import Columns
from search.engine.schema import SCORED_FIELDS

K1 = 1.2
B = 0.75


def mean_length(lengths: np.ndarray) -> float:
    """The average field length for BM25: at least 1, and never NaN (a column built
    by an older index may hold NaN for documents without the field)."""
    if not len(lengths):
        return 1.0
    mean = float(np.nanmean(lengths)) if np.isnan(lengths).any() else float(lengths.mean())
    return mean if mean >= 1.0 else 1.0


def field_lengths(columns: Columns, fieldname: str) -> np.ndarray:
    return columns.len_text if fieldname == "text" else columns.len_subject


def bm25_idf(live_count: int, df: int) -> float:
    return math.log(1 + (live_count - df + 0.5) / (df + 0.5))


class Scorer:
    """The score array of one query evaluation."""

    def __init__(self, columns: Columns) -> None:
        self.columns = columns
        live = columns.live
        self.live_count = max(1, int(live.sum()))
        self.avg = {f: mean_length(field_lengths(columns, f)[live]) for f in SCORED_FIELDS}
        self.scores = np.zeros(columns.n, dtype=np.float32)
        self.scored = False

    def add(self, fieldname: str, docs: np.ndarray, weights: np.ndarray, boost: float) -> None:
        """Add one term's contribution (``docs`` distinct, ``weights`` its term
        frequencies); terms of unscored fields (codes, names) add nothing."""
        if fieldname not in SCORED_FIELDS or not len(docs):
            return
        df = max(1, int(self.columns.live[docs].sum()))
        idf = bm25_idf(self.live_count, df)
        lengths = np.nan_to_num(field_lengths(self.columns, fieldname)[docs], nan=0.0)
        norm = K1 * (1 - B + B * lengths / self.avg[fieldname])
        contribution = (boost * idf) * weights * (K1 + 1) / (weights + norm)
        # a term's documents are distinct, so a fancy-index add is exact (and many
        # times faster than np.add.at)
        self.scores[docs] += contribution.astype(np.float32)
        self.scored = True
