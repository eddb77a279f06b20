"""A faster Whoosh segment writer: the same files, terms, positions and weights as
Whoosh's own ``SegmentWriter``, written at a multiple of its speed.

Profile of Whoosh's writer on 3,000 synthetic cables (8.6 KB each; cProfile, 89 s):

* analysis (``Positions.word_values``: a generator chain tokenizer | lowercase | stop |
  stem with an LRU wrapper per token, a ``Token`` object per word): 33 s;
* the external-sort posting pool (every posting pickled to a run file, read back,
  heap-merged, sorted): 25 s;
* ``doc_field_length`` looked up per posting through the column reader while the
  postings are written: 9 s.

Here a text field with the project's analyzer is analysed by one function (regex
``findall``, one dict lookup per raw token giving its lowercased, stop-filtered,
stemmed bytes), postings go to an in-memory pool keyed by (field, term) in document
order (so nothing is sorted but the distinct keys), and field lengths come from a
dict. The files are byte-for-byte what Whoosh writes for the same documents but for
one thing: a word seen once in a document shares its position value with every other
such word at that position, so the pickled value blocks of ``.pst`` are a little
smaller (pickle memoises the shared object). Terms, postings, weights, positions,
stored fields and lengths are identical (``tests/search/test_fastwrite.py``), so
readers, queries and highlighting are unchanged. A segment lives in memory until its
commit: callers commit every few thousand documents (``search.services.SEGMENT_DOCS``).
"""

from __future__ import annotations

import re
from array import array
from itertools import pairwise
from pathlib import Path
from pickle import dumps

from whoosh.analysis import STOP_WORDS
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.analysis.filters import LowercaseFilter, StopFilter
from whoosh.analysis.morph import StemFilter
from whoosh.analysis.tokenizers import RegexTokenizer
from whoosh.formats import Positions
from whoosh.lang.porter import stem
from whoosh.reading import SegmentReader
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from search.hot import HOT_DIR, HOT_FIELDS, HOT_MIN_DOCS, HOT_RATIO, hot_write

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
    cache_get = _term_cache.get
    poses: dict[bytes, list[int]] = {}
    pos = -1
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
    return poses


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
    """Postings in memory, by field and term, each list in document order."""

    def __init__(self) -> None:
        self.postings: dict[str, dict[bytes, tuple[array, array, list]]] = {}
        self._last_doc = -1
        self._ordered = True

    @property
    def fieldnames(self) -> set[str]:
        return set(self.postings)

    def field(self, fieldname: str) -> dict[bytes, tuple[array, array, list]]:
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
            entry = terms[tbytes] = (array("l"), array("d"), [])
        entry[0].append(docnum)
        entry[1].append(weight)
        entry[2].append(vbytes)
        if docnum < self._last_doc:
            self._ordered = False
        self._last_doc = docnum

    def cleanup(self) -> None:
        self.postings = {}


class FastSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with the fast analysis path, the memory pool and the length
    dict. Everything else (deletes, merges, commit, TOC, locking) is Whoosh's."""

    def __init__(self, ix, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        self.pool.cleanup()
        self.pool = MemoryPool()
        self._lengths: dict[str, dict[int, int]] = {}
        self._fast_fields = {
            name
            for name, field in self.schema.items()
            if field.indexed
            and type(field.format) is Positions
            and field.format.field_boost == 1.0
            and not field.vector
            and not field.separate_spelling()
            and analyzer_is_standard(field.analyzer)
        }

    grafted: list = []

    def graft(self, segments: list) -> None:
        """Add finished segments (written by :meth:`finish_alone` in other processes,
        into this index's storage) to the commit, after any merge."""
        self.grafted = [*self.grafted, *segments]

    def _merge_segments(self, mergetype, optimize, merge):
        return super()._merge_segments(mergetype, optimize, merge) + list(self.grafted)

    def finish_alone(self):
        """For a writer opened with ``_lk=False`` in a worker process: write this
        writer's segment files and return the segment, without touching the table of
        contents; the process holding the lock grafts it (:meth:`graft`)."""
        segment = self._finalize_segment()
        self._finish()
        return segment

    def add_document(self, **fields) -> None:
        if any(name.startswith("_") for name in fields):
            return super().add_document(**fields)
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        pool_add = pool.add_posting
        if docnum < pool._last_doc:
            pool._ordered = False
        pool._last_doc = docnum
        lengths = self._lengths
        fieldnames = sorted(fields)
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields[fieldname]
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                if fieldname in self._fast_fields:
                    if not isinstance(value, str):
                        raise ValueError(f"{value!r} is not a string")
                    terms = pool.field(fieldname)
                    terms_get = terms.get
                    for term, poslist in text_terms(value).items():
                        freq = len(poslist)
                        length += freq
                        entry = terms_get(term)
                        if entry is None:
                            entry = terms[term] = (array("l"), array("d"), [])
                        entry[0].append(docnum)
                        entry[1].append(float(freq))
                        entry[2].append(encode_positions(poslist))
                else:
                    scorable = field.scorable
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if scorable:
                            length += freq
                        pool_add(fieldname, tbytes, docnum, float(weight), vbytes)
                if field.scorable:
                    lengths.setdefault(fieldname, {})[docnum] = byte_to_length(
                        length_to_byte(length)
                    )
            perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(value))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        """Write the pool's postings straight into the codec's block buffers, a block
        (up to 128 postings) at a time, instead of one ``add_posting`` call each;
        the blocks, their statistics and the term table come out as Whoosh's
        ``FieldWriter.add_postings`` writes them."""
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        fw = self.fieldwriter
        pool = self.pool
        hot: list[tuple[bytes, array, array]] = []
        hot_min = max(HOT_MIN_DOCS, int(self.docnum * HOT_RATIO))
        for fieldname in sorted(pool.postings):
            terms = pool.postings[fieldname]
            fieldobj = self.schema[fieldname]
            fw.start_field(fieldname, fieldobj)
            scorable = pdr is not None and fieldobj.scorable
            known = self._lengths.get(fieldname, {})
            for btext in sorted(terms):
                docs, weights, values = terms[btext]
                if not pool._ordered:
                    order = sorted(range(len(docs)), key=docs.__getitem__)
                    docs = array("l", (docs[i] for i in order))
                    weights = array("d", (weights[i] for i in order))
                    values = [values[i] for i in order]
                lens = None
                if scorable:
                    lens = [
                        known[d] if d in known else pdr.doc_field_length(d, fieldname, 0)
                        for d in docs
                    ]
                fw.start_term(btext)
                pw = fw._postwriter
                limit = pw._blocklimit
                for start in range(0, len(docs), limit):
                    if start:
                        pw._write_block()
                    end = start + limit
                    block_weights = weights[start:end]
                    pw._ids = array("I", docs[start:end])
                    pw._weights = array("f", block_weights)
                    pw._values = [v for v in values[start:end] if v]
                    pw._maxweight = max(0, max(block_weights))
                    block_lens = [n for n in lens[start:end] if n] if lens else None
                    pw._minlength = min(block_lens) if block_lens else None
                    pw._maxlength = max(block_lens) if block_lens else 0
                fw.finish_term()
                if fieldname in HOT_FIELDS and len(docs) >= hot_min:
                    hot.append((fieldname.encode() + b"\0" + btext, docs, weights))
            fw.finish_field()
        fw.close()
        if pdr:
            pdr.close()
        hot_write(Path(self.storage.folder) / HOT_DIR, self.newsegment.segment_id(), hot)


SMALL_SEGMENT = 2_000
SMALL_SEGMENTS_MAX = 4


def merge_small(writer, segments):
    """A merge policy for an index of large bulk segments: once there are more than
    ``SMALL_SEGMENTS_MAX`` segments under ``SMALL_SEGMENT`` documents (left by small
    incremental updates), fold them into the segment being written. Large segments are
    never rewritten (Whoosh's MERGE_SMALL would rewrite every segment of a bulk-loaded
    index on the next small commit)."""
    small = [s for s in segments if s.doc_count_all() < SMALL_SEGMENT]
    if len(small) <= SMALL_SEGMENTS_MAX:
        return segments
    for seg in small:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in small]
