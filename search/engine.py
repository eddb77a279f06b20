"""Query evaluation in numpy: a Whoosh query becomes a boolean mask over document
numbers plus a BM25 score array, read straight from the posting blocks.

Whoosh's own collector scores one posting at a time in Python; for a broad word on
50,000 cables that is 200 ms before any facet is counted. Here each posting block is
decoded once into arrays (ids by cumulative sum, term frequencies as they are stored),
boolean structure is numpy ``&``/``|``/``~``, and phrases are first narrowed by their
words' masks and then checked for positions by Whoosh. Anything this module does not
know is handed to Whoosh's matcher (``docs_for_query``), so results are always exact.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher

from search.columns import Columns
from search.index import SCHEMA

K1 = 1.2
B = 0.75
FIELD_BOOST = {"subject": 2.0, "text": 1.0}
MAX_EXPANSION = 512
CACHE_SIZE = 32


@dataclass
class Evaluation:
    mask: np.ndarray
    scores: np.ndarray | None
    terms: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


def _block_postings(m: W3LeafMatcher) -> tuple[np.ndarray, np.ndarray]:
    ids_parts, weight_parts = [], []
    while not m._atend:
        m._read_data()
        raw_ids, raw_weights = m._data[0], m._data[1]
        count = m._blocklength
        if m._byteids:  # pragma: no cover - only term vectors use byte ids
            raise TypeError("byte ids")
        ids = np.cumsum(np.asarray(raw_ids, dtype=np.int64))
        if raw_weights is None:
            weights = np.ones(count, dtype=np.float32)
        elif isinstance(raw_weights, float):
            weights = np.full(count, raw_weights, dtype=np.float32)
        else:
            weights = np.asarray(raw_weights, dtype=np.float32)
        ids_parts.append(ids)
        weight_parts.append(weights)
        if m._lastblock:
            break
        m._goto(m._nextoffset)
    if not ids_parts:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    return np.concatenate(ids_parts), np.concatenate(weight_parts)


def _generic_postings(m) -> tuple[np.ndarray, np.ndarray]:
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float32)


class _Evaluator:
    def __init__(self, searcher, columns: Columns):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.leaves = list(self.reader.leaf_readers())
        self.columns = columns
        self.n = columns.n
        self.scores = np.zeros(self.n, dtype=np.float32)
        self.scored = False
        self.terms: set[str] = set()
        self.notes: list[str] = []
        live = columns.live
        self.live_count = max(1, int(live.sum()))
        self.avg = {
            "text": float(columns.len_text[live].mean()) if live.any() else 1.0,
            "subject": float(columns.len_subject[live].mean()) if live.any() else 1.0,
        }

    # -- postings -------------------------------------------------------------------
    def postings(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        fmt = SCHEMA[fieldname].format
        ids_parts, weight_parts = [], []
        for leaf, offset in self.leaves:
            if (fieldname, btext) not in leaf._terms:
                continue
            m = leaf._terms.matcher(fieldname, btext, fmt)
            if isinstance(m, W3LeafMatcher):
                ids, weights = _block_postings(m)
            else:
                ids, weights = _generic_postings(m)
            ids_parts.append(ids + offset)
            weight_parts.append(weights)
        if not ids_parts:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        return np.concatenate(ids_parts), np.concatenate(weight_parts)

    def _score(self, fieldname: str, docs: np.ndarray, weights: np.ndarray, boost: float) -> None:
        if fieldname not in FIELD_BOOST or not len(docs):
            return
        live = self.columns.live[docs]
        df = max(1, int(live.sum()))
        idf = math.log(1 + (self.live_count - df + 0.5) / (df + 0.5))
        lengths = (self.columns.len_text if fieldname == "text" else self.columns.len_subject)[docs]
        norm = K1 * (1 - B + B * lengths / max(self.avg[fieldname], 1.0))
        contribution = (
            (boost * FIELD_BOOST[fieldname] * idf) * weights * (K1 + 1) / (weights + norm)
        )
        np.add.at(self.scores, docs, contribution.astype(np.float32))
        self.scored = True

    def _term(self, fieldname: str, btext: bytes, positive: bool, boost: float) -> np.ndarray:
        docs, weights = self.postings(fieldname, btext)
        mask = np.zeros(self.n, dtype=bool)
        mask[docs] = True
        if positive:
            self._score(fieldname, docs, weights, boost)
            if fieldname in FIELD_BOOST:
                self.terms.add(btext.decode("utf-8"))
        return mask

    def _generic(self, q: wq.Query) -> np.ndarray:
        mask = np.zeros(self.n, dtype=bool)
        ids = np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)
        mask[ids] = True
        return mask

    # -- structure ------------------------------------------------------------------
    def mask(self, q: wq.Query, positive: bool = True) -> np.ndarray:
        if isinstance(q, type(wq.NullQuery)):
            return np.zeros(self.n, dtype=bool)
        if isinstance(q, wq.Every):
            return self.columns.live.copy()
        if isinstance(q, wq.Term):
            field_obj = SCHEMA[q.fieldname]
            return self._term(q.fieldname, field_obj.to_bytes(q.text), positive, q.boost)
        if isinstance(q, wq.Not):
            return ~self.mask(q.query, not positive)
        if isinstance(q, wq.Ordered):
            return self._generic(q)
        if isinstance(q, wq.And):
            return self._and(q.subqueries, positive)
        if isinstance(q, wq.Or | wq.DisjunctionMax):
            result = np.zeros(self.n, dtype=bool)
            for sub in q.subqueries:
                result |= self.mask(sub, positive)
            return result
        if isinstance(q, wq.AndNot):
            return self.mask(q.a, positive) & ~self.mask(q.b, not positive)
        if isinstance(q, wq.AndMaybe):
            base = self.mask(q.a, positive)
            self.mask(q.b, positive)
            return base
        if isinstance(q, wq.Require):
            return self.mask(q.a, positive) & self.mask(q.b, False)
        if isinstance(q, wq.Phrase):
            return self._phrase(q, positive)
        if isinstance(q, wq.Prefix | wq.Wildcard):
            return self._expand(q, positive)
        return self._generic(q)

    def _and(self, subqueries, positive: bool) -> np.ndarray:
        result = self.columns.live.copy()
        for sub in subqueries:
            result &= self.mask(sub, positive)
        return result

    def _phrase(self, q: wq.Phrase, positive: bool) -> np.ndarray:
        field_obj = SCHEMA[q.fieldname]
        candidates = self.columns.live.copy()
        for word in q.words:
            candidates &= self._term(q.fieldname, field_obj.to_bytes(word), positive, q.boost)
        if not candidates.any() or len(q.words) < 2:
            return candidates
        return candidates & self._generic(q)

    def _expansions(self, q: wq.Query):
        """Terms a wildcard reaches. Index terms are stems, which may end inside the
        typed prefix (``negotiat*`` must reach ``negoti``, the stem of "negotiations"),
        so stems that are a slightly shorter prefix of it count too."""
        yield from q._btexts(self.reader)
        if not isinstance(q, wq.Prefix) or q.fieldname not in FIELD_BOOST:
            return
        prefix = q.text
        for k in range(max(4, len(prefix) - 3), len(prefix)):
            if (q.fieldname, prefix[:k]) in self.reader:
                yield SCHEMA[q.fieldname].to_bytes(prefix[:k])

    def _expand(self, q: wq.Query, positive: bool) -> np.ndarray:
        texts = []
        for btext in self._expansions(q):
            texts.append(btext)
            if len(texts) > MAX_EXPANSION:
                self.notes.append(
                    f"“{q.text}*” matches too many words; used the first {MAX_EXPANSION:,}."
                )
                texts = texts[:MAX_EXPANSION]
                break
        mask = np.zeros(self.n, dtype=bool)
        for btext in texts:
            mask |= self._term(q.fieldname, btext, positive, q.boost * 0.5)
        return mask


_cache: OrderedDict[tuple, Evaluation] = OrderedDict()
_cache_lock = threading.Lock()


def query_evaluate(searcher, columns: Columns, q: wq.Query) -> Evaluation:
    """The documents ``q`` matches (live ones only) and their scores; cached per
    (index generation, query) in a small LRU."""
    key = (columns.key, repr(q))
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    ev = _Evaluator(searcher, columns)
    mask = ev.mask(q) & columns.live
    result = Evaluation(
        mask=mask, scores=ev.scores if ev.scored else None, terms=ev.terms, notes=ev.notes
    )
    with _cache_lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def cache_clear() -> None:
    with _cache_lock:
        _cache.clear()
