"""Query evaluation in numpy: a Whoosh query becomes a boolean mask over document
numbers plus a BM25F score array (:mod:`search.engine.scoring`), read straight from
the posting blocks (:mod:`search.engine.postings`).

Whoosh's own collector scores one posting at a time in Python; for a broad word on
50,000 cables that is 200 ms before any facet is counted. Here each term's postings
are decoded once into arrays, boolean structure is numpy ``&``/``|``/``~``, and
phrases are first narrowed by their words' masks and then checked for positions.
Anything this module does not know is handed to Whoosh's matcher
(``docs_for_query``), so the matches are Whoosh's (``tests/search/
test_differential.py``). One deliberate difference: a prefix of a scored field also
reaches stems slightly shorter than the typed prefix (:meth:`_Evaluator._expansions`).

Wildcards are expanded first, all of them, before any posting is read: one reaches
at most ``MAX_EXPANSION`` index words in a field (the first ones, with a note), and
all of a query's together at most ``MAX_TOTAL_EXPANSION``; a query over that is not
evaluated, and its ``refusal`` says why (:mod:`search.engine.limits`).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq

from search.engine.columns import Columns
from search.engine.limits import (
    MAX_EXPANSION,
    MAX_EXPANSION_POSTINGS,
    MAX_QUERY_POSTINGS,
    MAX_TOTAL_EXPANSION,
    MIN_PREFIX,
)
from search.engine.postings import (
    expansion_btexts,
    leaves,
    phrase_grams,
    searcher_generation,
    term_positions,
    term_postings,
)
from search.engine.schema import PREFIX_BOOST, SCHEMA, SCORED_FIELDS
from search.engine.scoring import Scorer

CACHE_SIZE = 32
_WILDCARD_RE = re.compile(r"[*?]")


@dataclass
class Evaluation:
    mask: np.ndarray
    scores: np.ndarray | None
    terms: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    # Why the query was not evaluated (its wildcards reach too many words), or "".
    refusal: str = ""
    phrases: tuple[tuple[str, ...], ...] = ()


def _widest(counts: dict[str, int], star: str = "*") -> str:
    """``co* 1,234, st* 567``: the (up to) three largest counts, by prefix (by word
    with ``star=""``)."""
    widest = sorted(counts.items(), key=lambda item: -item[1])[:3]
    return ", ".join(f"{text}{star} {count:,}" for text, count in widest)


def _expanding(q: wq.Query) -> list[wq.Query]:
    """The Prefix and Wildcard queries in ``q``, each once, in query order (a walk
    with an explicit stack: no recursion)."""
    found: dict[tuple, wq.Query] = {}
    stack = [q]
    while stack:
        node = stack.pop()
        if isinstance(node, wq.Prefix | wq.Wildcard):
            found.setdefault((type(node), node.fieldname, node.text), node)
        elif node.is_leaf():
            continue
        else:
            stack.extend(reversed(list(node.children())))
    return list(found.values())


class _Evaluator:
    def __init__(self, searcher, columns: Columns):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.leaves = leaves(self.reader)
        self.generation = searcher_generation(searcher)
        self.columns = columns
        self.n = columns.n
        self.scorer = Scorer(columns)
        self.terms: set[str] = set()
        # the phrases of the scored fields, as index terms (snippets show them whole)
        self.phrases: dict[tuple[str, ...], None] = {}
        self.notes: list[str] = []
        self.expanded: dict[tuple, list[bytes]] = {}

    def expand_all(self, q: wq.Query) -> str:
        """Expand every wildcard of ``q`` (at most ``MAX_EXPANSION`` words each) and
        return why the query is refused ("" when the words they reach together are
        at most ``MAX_TOTAL_EXPANSION``, found in at most ``MAX_EXPANSION_POSTINGS``
        places). Stops reading the lexicon as soon as either total is over: the cost
        of a wildcard is its words' postings, known before any is read."""
        total, postings = 0, 0
        reached: dict[str, int] = {}
        for node in _expanding(q):
            texts = []
            for btext in self._expansions(node):
                if len(texts) == MAX_EXPANSION:
                    self.notes.append(
                        f"“{node.text}*” matches too many words; used the first {MAX_EXPANSION:,}."
                    )
                    break
                texts.append(btext)
                found = self.reader.doc_frequency(node.fieldname, btext)
                postings += found
                reached[node.text] = reached.get(node.text, 0) + found
                if postings > MAX_EXPANSION_POSTINGS:
                    return (
                        f"This query was not run: the words its wildcards reach are in more "
                        f"than {MAX_EXPANSION_POSTINGS:,} places of the index "
                        f"({_widest(reached)} so far; a cable's subject and text count "
                        f"apart). Use longer beginnings (like milit* rather than mi*) or "
                        f"fewer of them. The search help lists the limits."
                    )
            self.expanded[(type(node), node.fieldname, node.text)] = texts
            total += len(texts)
            if total > MAX_TOTAL_EXPANSION:
                counts = {}
                for (_, _, text), words in self.expanded.items():
                    counts[text] = counts.get(text, 0) + len(words)
                return (
                    f"This query was not run: its wildcards reach more than "
                    f"{MAX_TOTAL_EXPANSION:,} words of the index ({_widest(counts)} so far), "
                    f"and the limit is {MAX_TOTAL_EXPANSION:,}. Use longer beginnings (like "
                    f"milit* rather than mi*) or fewer of them. The search help lists "
                    f"the limits."
                )
        self.notes = list(dict.fromkeys(self.notes))
        return self._words_refusal(q)

    def _words_refusal(self, q: wq.Query) -> str:
        """Why ``q`` is refused for the places its own words are in (more than
        ``MAX_QUERY_POSTINGS`` together, each word and field once), or "". Read from
        the lexicon: no posting is read to decide."""
        places: dict[str, int] = {}
        total = 0
        for fieldname, text in set(q.iter_all_terms()):
            if fieldname not in SCHEMA:
                continue
            field_obj = SCHEMA[fieldname]
            btext = text if isinstance(text, bytes) else field_obj.to_bytes(text)
            found = self.reader.doc_frequency(fieldname, btext)
            if not found:
                continue
            word = btext.decode("utf-8", "replace")
            places[word] = places.get(word, 0) + found
            total += found
        if total <= MAX_QUERY_POSTINGS:
            return ""
        return (
            f"This query was not run: its words are in more than {MAX_QUERY_POSTINGS:,} "
            f"places of the index together ({_widest(places, '')} ...; a cable's subject and text "
            f"count apart). Search for fewer or rarer words: the most common ones say "
            f"little about a cable. The search help lists the limits."
        )

    def _term(self, fieldname: str, btext: bytes, positive: bool, boost: float) -> np.ndarray:
        docs, weights = term_postings(self.leaves, self.generation, fieldname, btext)
        mask = np.zeros(self.n, dtype=bool)
        mask[docs] = True
        if positive:
            self.scorer.add(fieldname, docs, weights, boost)
            if fieldname in SCORED_FIELDS:
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
            result = self.columns.live.copy()
            for sub in q.subqueries:
                result &= self.mask(sub, positive)
            return result
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

    def _phrase(self, q: wq.Phrase, positive: bool) -> np.ndarray:
        """Candidates from the words' postings (an ``&`` of masks, from the hot
        arrays where a word has them), then positions read and checked for the
        candidates only (Whoosh's span matcher walks every posting of every word in
        Python): see :func:`phrase_starts`."""
        field_obj = SCHEMA[q.fieldname]
        if positive and q.fieldname in SCORED_FIELDS and len(q.words) > 1:
            self.phrases[tuple(str(word) for word in q.words)] = None
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
        # Pairs of common words narrow the candidates by their grams; a two-word
        # phrase whose gram a segment stores needs no positions there.
        docs, settled = phrase_grams(self.leaves, self.generation, q.fieldname, btexts, docs)
        result = np.zeros(self.n, dtype=bool)
        result[docs[settled]] = True
        docs = docs[~settled]
        if not len(docs):
            return result
        # The rarest word first: the documents it leaves are all the others decode.
        order = sorted(range(len(btexts)), key=lambda i: self._frequency(q.fieldname, btexts[i]))

        def positions(i: int, among: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            return term_positions(self.leaves, self.generation, q.fieldname, btexts[i], among)

        result[phrase_starts(docs, order, positions)] = True
        return result

    def _frequency(self, fieldname: str, btext: bytes) -> float:
        try:
            return self.reader.frequency(fieldname, btext)
        except KeyError:  # pragma: no cover - a candidate has every word
            return 0.0

    def _expansions(self, q: wq.Query):
        """Terms a wildcard reaches. Index terms are stems, which may end inside the
        typed prefix (``negotiat*`` must reach ``negoti``, the stem of "negotiations"),
        so stems that are a slightly shorter prefix of it count too. A pattern with
        fewer than ``MIN_PREFIX`` letters before its first wildcard (the parser never
        makes one) reaches nothing: it would be matched against the whole lexicon."""
        if len(_WILDCARD_RE.split(q.text, 1)[0]) < MIN_PREFIX:
            return
        yield from expansion_btexts(q, self.reader)
        yield from shorter_stems(q, self.reader)

    def _expand(self, q: wq.Query, positive: bool) -> np.ndarray:
        """The documents of every word ``q`` reaches (expanded by :meth:`expand_all`),
        one mask for them all; each word scored as a term of its own."""
        key = (type(q), q.fieldname, q.text)
        texts = self.expanded.get(key)
        if texts is None:  # pragma: no cover - expand_all saw every wildcard
            texts = list(self._expansions(q))[:MAX_EXPANSION]
        boost = q.boost * PREFIX_BOOST
        scored = positive and q.fieldname in SCORED_FIELDS
        parts = []
        for btext in texts:
            docs, weights = term_postings(self.leaves, self.generation, q.fieldname, btext)
            if not len(docs):
                continue
            parts.append(docs)
            if positive:
                self.scorer.add(q.fieldname, docs, weights, boost)
            if scored:
                self.terms.add(btext.decode("utf-8"))
        mask = np.zeros(self.n, dtype=bool)
        if parts:
            mask[np.concatenate(parts)] = True
        return mask


def shorter_stems(q: wq.Query, reader):
    """The index terms of a scored field that are a prefix of a typed prefix, shorter
    by one to three letters but at least four long (``negoti`` for ``negotiat*``)."""
    if not isinstance(q, wq.Prefix) or q.fieldname not in SCORED_FIELDS:
        return
    prefix = q.text
    for k in range(max(4, len(prefix) - 3), len(prefix)):
        if (q.fieldname, prefix[:k]) in reader:
            yield SCHEMA[q.fieldname].to_bytes(prefix[:k])


def phrase_starts(docs: np.ndarray, order: list[int], positions) -> np.ndarray:
    """The documents of ``docs`` (sorted) where the words of a phrase stand one after
    another: some position ``p`` with word ``i`` at ``p + i`` for every ``i``.

    ``order`` lists the word indexes in the order to read them; ``positions(i, among)``
    gives word ``i``'s ``(counts, positions)`` in the documents ``among``. A (document,
    start) pair is one int64 key, ``index << 32 | p + i_last - i`` (positions are far
    below 2**32), sorted as read; the pairs of the words read so far are intersected
    with numpy, and the next word is read only in the documents still left (the same
    matches as Whoosh's ``{p + 1 for p in ends} & next`` in any order: the
    intersection is of the same sets)."""
    last = len(order) - 1
    keys = None
    for step, i in enumerate(order):
        counts, found = positions(i, docs)
        index = np.repeat(np.arange(len(docs), dtype=np.int64), counts)
        word = (index << 32) | (found + (last - i))
        if len(word) > 1 and not (word[1:] > word[:-1]).all():  # pragma: no cover
            word = np.unique(word)  # positions out of order: never written so
        keys = word if keys is None else _sorted_intersection(keys, word)
        if not len(keys):
            return docs[:0]
        index = keys >> 32
        left = index[np.concatenate(([True], index[1:] != index[:-1]))]
        if step == last:
            return docs[left]
        if len(left) < len(docs):  # renumber the pairs to the documents left
            keys = (np.searchsorted(left, index) << 32) | (keys & 0xFFFFFFFF)
            docs = docs[left]
    return docs


def _sorted_intersection(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values of ``a`` also in ``b``, both sorted and without repeats (a binary
    search of the shorter in the longer: no sort, unlike ``np.intersect1d``)."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return a
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return a[b[at] == a]


_cache: OrderedDict[tuple, Evaluation] = OrderedDict()
_cache_lock = threading.Lock()


def query_evaluate(searcher, columns: Columns, q: wq.Query) -> Evaluation:
    """The documents ``q`` matches (live ones only) and their scores, or (its
    wildcards reaching too many words) a ``refusal`` and no documents; cached per
    (index generation, query) in a small LRU."""
    key = (columns.key, repr(q))
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    ev = _Evaluator(searcher, columns)
    refusal = ev.expand_all(q)
    if refusal:
        result = Evaluation(mask=np.zeros(columns.n, dtype=bool), scores=None, refusal=refusal)
    else:
        mask = ev.mask(q) & columns.live
        scorer = ev.scorer
        result = Evaluation(
            mask=mask,
            scores=scorer.scores if scorer.scored else None,
            terms=ev.terms,
            notes=ev.notes,
            phrases=tuple(ev.phrases),
        )
    with _cache_lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def cache_clear() -> None:
    with _cache_lock:
        _cache.clear()
