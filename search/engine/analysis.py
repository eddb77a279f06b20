"""The fast analysis path of the segment writer: the project's StemmingAnalyzer as
one function, and an in-memory posting pool. Public Whoosh API only.

Whoosh's analysis (``Positions.word_values``: a generator chain tokenizer | lowercase |
stop | stem with an LRU wrapper per token, a ``Token`` object per word) took 33 of 89 s
when writing 3,000 cables. Here a text field is analysed by one function (regex
``findall``, one dict lookup per raw token giving its lowercased, stop-filtered, stemmed
bytes); :class:`MemoryPool` keeps postings by (field, term) in document order, so
nothing is sorted but the distinct keys. :mod:`search.engine.postings` writes them.
"""

from __future__ import annotations

import re
from array import array
from itertools import pairwise
from pickle import dumps

from whoosh.analysis import STOP_WORDS
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.analysis.filters import LowercaseFilter, StopFilter
from whoosh.analysis.morph import StemFilter
from whoosh.analysis.tokenizers import RegexTokenizer
from whoosh.lang.porter import stem
from whoosh.system import pack_uint

from search.engine.hot import GRAM_SEPARATOR

# The pattern of Whoosh's RegexTokenizer, without the capturing group (same matches).
TOKEN = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)
MINSIZE = 2
STOPS = frozenset(STOP_WORDS)
_CACHE_MAX = 400_000
_term_cache: dict[str, bytes] = {}


def analyzer_is_standard(analyzer) -> bool:
    """True when ``analyzer`` is Whoosh's default StemmingAnalyzer (the chain this
    module reproduces); anything else goes through Whoosh's own path."""
    if not isinstance(analyzer, CompositeAnalyzer) or len(analyzer.items) != 4:
        return False
    tok, low, stop, stemf = analyzer.items
    return (
        isinstance(tok, RegexTokenizer)
        and not tok.gaps
        and tok.expression.pattern == r"\w+(\.?\w+)*"
        and type(low) is LowercaseFilter
        and type(stop) is StopFilter
        and stop.stops == STOPS
        and stop.min == MINSIZE
        and stop.max is None
        and stop.renumber
        and type(stemf) is StemFilter
        and stemf.stemfn is stem
        and not stemf.ignore
    )


def _resolve(token: str) -> bytes:
    low = token.lower()
    term = b"" if len(low) < MINSIZE or low in STOPS else stem(low).encode("utf-8")
    if len(_term_cache) >= _CACHE_MAX:
        _term_cache.clear()
    _term_cache[token] = term
    return term


def text_terms(value: str) -> dict[bytes, list[int]]:
    """Every term of ``value`` with its positions, exactly as the StemmingAnalyzer
    numbers them (stop words removed and renumbered: the first kept token keeps its
    own position, the following ones count up from it)."""
    return text_terms_grams(value, _NO_GRAMS)[0]


_NO_GRAMS: frozenset[bytes] = frozenset()


def text_terms_grams(value: str, common: frozenset[bytes]):
    """:func:`text_terms` and the grams of ``value``: every pair of adjacent terms
    (positions ``p`` and ``p + 1``, stop words removed as the phrase query removes
    them) that are both in ``common``, with how often it occurs."""
    cache_get = _term_cache.get
    poses: dict[bytes, list[int]] = {}
    grams: dict[bytes, int] = {}
    pos = -1
    previous = None  # the last kept term if common, else None
    for i, token in enumerate(TOKEN.findall(value)):
        term = cache_get(token)
        if term is None:
            term = _resolve(token)
        if not term:
            continue
        pos = i if pos < 0 else pos + 1
        found = poses.get(term)
        if found is None:
            poses[term] = [pos]
        else:
            found.append(pos)
        if term in common:
            if previous is not None:
                gram = previous + GRAM_SEPARATOR + term
                grams[gram] = grams.get(gram, 0) + 1
            previous = term
        else:
            previous = None
    return poses, grams


_single: dict[int, bytes] = {}


def encode_positions(poslist: list[int]) -> bytes:
    """``whoosh.formats.Positions.encode``, inlined (a word seen once: cached)."""
    if len(poslist) == 1:
        pos = poslist[0]
        value = _single.get(pos)
        if value is None:
            value = _single[pos] = pack_uint(1) + dumps(poslist, 2)
        return value
    deltas = [poslist[0]]
    deltas += [b - a for a, b in pairwise(poslist)]
    return pack_uint(len(deltas)) + dumps(deltas, 2)


class MemoryPool:
    """Postings in memory, by field and term, each list in document order: per term
    ``(docs, weights, encoded values, positions)``, the last every posting's
    positions flat (an ``array("I")``, kept by the segment writer's fast path for the
    hot postings' sidecar) or None (then decoded from the values when needed)."""

    def __init__(self) -> None:
        self.postings: dict[str, dict[bytes, tuple[array, array, list, array | None]]] = {}
        self._last_doc = -1
        self._ordered = True

    @property
    def fieldnames(self) -> set[str]:
        return set(self.postings)

    def field(self, fieldname: str) -> dict[bytes, tuple[array, array, list, array | None]]:
        terms = self.postings.get(fieldname)
        if terms is None:
            terms = self.postings[fieldname] = {}
        return terms

    def add(self, item) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        self.add_posting(fieldname, tbytes, docnum, weight, vbytes)

    def add_posting(self, fieldname, tbytes, docnum, weight, vbytes) -> None:
        terms = self.field(fieldname)
        entry = terms.get(tbytes)
        if entry is None:
            entry = terms[tbytes] = (array("l"), array("d"), [], None)
        entry[0].append(docnum)
        entry[1].append(weight)
        entry[2].append(vbytes)
        if docnum < self._last_doc:
            self._ordered = False
        self._last_doc = docnum

    def cleanup(self) -> None:
        self.postings = {}
