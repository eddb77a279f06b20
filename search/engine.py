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
from pathlib import Path

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher

from search.columns import Columns
from search.hot import HOT_DIR, HOT_FIELDS, hot_segment
from search.index import SCHEMA

K1 = 1.2
B = 0.75
FIELD_BOOST = {"subject": 2.0, "text": 1.0}
MAX_EXPANSION = 512
CACHE_SIZE = 32


def _mean_length(lengths: np.ndarray) -> float:
    """The average field length for BM25: at least 1, and never NaN (a column built
    by an older index may hold NaN for documents without the field)."""
    if not len(lengths):
        return 1.0
    mean = float(np.nanmean(lengths)) if np.isnan(lengths).any() else float(lengths.mean())
    return mean if mean >= 1.0 else 1.0


@dataclass
class Evaluation:
    mask: np.ndarray
    scores: np.ndarray | None
    terms: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


def _block_postings(m: W3LeafMatcher, values: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Ids and weights of every posting, a block at a time; with ``values`` (a list),
    also the encoded values (positions) appended to it, in the same order."""
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
        if values is not None:
            m._read_values()
            values.extend(m._values)
        if m._lastblock:
            break
        m._goto(m._nextoffset)
    if not ids_parts:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    return np.concatenate(ids_parts), np.concatenate(weight_parts)


def _generic_postings(m, values: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        if values is not None:
            values.append(m.value())
        m.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float32)


class _Evaluator:
    def __init__(self, searcher, columns: Columns):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.leaves = list(self.reader.leaf_readers())
        self.columns = columns
        self.folder = Path(columns.key[0]) / HOT_DIR
        self.n = columns.n
        self.scores = np.zeros(self.n, dtype=np.float32)
        self.scored = False
        self.terms: set[str] = set()
        self.notes: list[str] = []
        live = columns.live
        self.live_count = max(1, int(live.sum()))
        self.avg = {
            "text": _mean_length(columns.len_text[live]),
            "subject": _mean_length(columns.len_subject[live]),
        }

    # -- postings -------------------------------------------------------------------
    def postings(
        self, fieldname: str, btext: bytes, values: list | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        fmt = SCHEMA[fieldname].format
        ids_parts, weight_parts = [], []
        for leaf, offset in self.leaves:
            if values is None and fieldname in HOT_FIELDS:
                hot = hot_segment(self.folder, leaf.segment().segment_id())
                found = hot.get(fieldname, btext) if hot is not None else None
                if found is not None:
                    ids_parts.append(found[0].astype(np.int64) + offset)
                    weight_parts.append(np.asarray(found[1], dtype=np.float32))
                    continue
            if (fieldname, btext) not in leaf._terms:
                continue
            m = leaf._terms.matcher(fieldname, btext, fmt)
            if isinstance(m, W3LeafMatcher):
                ids, weights = _block_postings(m, values)
            else:
                ids, weights = _generic_postings(m, values)
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
        lengths = np.nan_to_num(lengths, nan=0.0)
        norm = K1 * (1 - B + B * lengths / self.avg[fieldname])
        contribution = (
            (boost * FIELD_BOOST[fieldname] * idf) * weights * (K1 + 1) / (weights + norm)
        )
        # a term's documents are distinct, so a fancy-index add is exact (and many
        # times faster than np.add.at)
        self.scores[docs] += contribution.astype(np.float32)
        self.scored = True

    def _term(
        self,
        fieldname: str,
        btext: bytes,
        positive: bool,
        boost: float,
        values: list | None = None,
    ) -> np.ndarray:
        docs, weights = self.postings(fieldname, btext, values)
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

    def _positions(self, fieldname: str, btext: bytes, docs: np.ndarray) -> list[bytes]:
        """The encoded positions of a term in each of ``docs`` (sorted; every one
        contains the term). Posting blocks are walked by their headers: a block whose
        id range holds no candidate is passed over undecoded, a block that holds some
        is decoded once and its candidates picked out with ``searchsorted``."""
        fmt = SCHEMA[fieldname].format
        out: list[bytes] = []
        for leaf, offset in self.leaves:
            end = offset + leaf.doc_count_all()
            lo, hi = np.searchsorted(docs, [offset, end])
            if lo == hi:
                continue
            local = docs[lo:hi] - offset
            m = leaf._terms.matcher(fieldname, btext, fmt)
            if not isinstance(m, W3LeafMatcher):
                for doc in local.tolist():
                    if m.id() < doc:
                        m.skip_to(doc)
                    out.append(m.value())
                continue
            i = 0
            while not m._atend:
                if local[i] <= m._maxid:
                    j = int(np.searchsorted(local, m._maxid, side="right"))
                    m._read_ids()
                    m._read_values()
                    where = np.searchsorted(np.asarray(m._ids), local[i:j])
                    values = m._values
                    out.extend(values[k] for k in where.tolist())
                    i = j
                    if i == len(local):
                        break
                if m._lastblock:
                    break
                m._goto(m._nextoffset)
        return out

    def _phrase(self, q: wq.Phrase, positive: bool) -> np.ndarray:
        """Candidates from the words' postings (an ``&`` of masks, from the hot
        arrays where a word has them), then positions read and checked for the
        candidates only (Whoosh's span matcher walks every posting of every word in
        Python)."""
        field_obj = SCHEMA[q.fieldname]
        candidates = self.columns.live.copy()
        btexts = [field_obj.to_bytes(word) for word in q.words]
        for btext in btexts:
            candidates &= self._term(q.fieldname, btext, positive, q.boost)
        if not candidates.any() or len(q.words) < 2:
            return candidates
        if not field_obj.format.supports("positions"):
            return candidates  # a field of codes: no positions, every word required
        if q.slop != 1:
            return candidates & self._generic(q)
        docs = np.flatnonzero(candidates)
        decode = field_obj.format.decode_positions
        columns = [self._positions(q.fieldname, btext, docs) for btext in btexts]
        result = np.zeros(self.n, dtype=bool)
        for j, doc in enumerate(docs.tolist()):
            ends = set(decode(columns[0][j]))
            for column in columns[1:]:
                ends = {p + 1 for p in ends}.intersection(decode(column[j]))
                if not ends:
                    break
            if ends:
                result[doc] = True
        return result

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
