"""The result set in display order: by score (ties newest first) or by date (the full
timestamp; ties, and cables dated to the same minute, by reference id)."""

from __future__ import annotations

import numpy as np

from search.engine.columns import NO_DATE, Columns


class Ordered:
    """The result set in display order, computed lazily: slicing a page sorts only
    as far as that page (Paginator takes ``len()`` and slices)."""

    def __init__(self, docs: np.ndarray, columns: Columns, scores: np.ndarray | None, sort: str):
        self.docs = docs
        minutes = columns.minutes[docs].astype(np.int64)
        undated = minutes == NO_DATE
        big = np.int64(1 << 36)  # after every minute (about 130,000 years), undated last
        if sort == "oldest":
            primary = np.where(undated, big, minutes)
        else:
            primary = np.where(undated, big, -minutes)
        self.date_key = primary * np.int64(columns.n + 1) + columns.ref_rank[docs]
        self.scores = scores[docs] if (sort == "relevance" and scores is not None) else None

    def __len__(self) -> int:
        return len(self.docs)

    def _top(self, k: int) -> np.ndarray:
        n = len(self.docs)
        k = min(k, n)
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        if self.scores is None:
            key = self.date_key
            if k < n // 4:
                part = np.argpartition(key, k - 1)[:k]
                return part[np.argsort(key[part])]
            return np.argsort(key)[:k]
        scores = self.scores
        if k < n // 4:
            threshold = np.partition(scores, n - k)[n - k]
            cand = np.flatnonzero(scores >= threshold)
        else:
            cand = np.arange(n)
        order = np.lexsort((self.date_key[cand], -scores[cand]))
        return cand[order][:k]

    def __getitem__(self, item):
        if isinstance(item, slice):
            start, stop, _ = item.indices(len(self.docs))
            return self.docs[self._top(stop)[start:stop]]
        return self.docs[self._top(item + 1)[item]]

    def all(self) -> np.ndarray:
        return self.docs[self._top(len(self.docs))]
