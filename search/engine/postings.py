"""The one module that touches Whoosh's internals (private attributes and methods of
its codec, matchers, readers and writer), written against Whoosh 2.7.4 and checked
against it on import: everything else in the engine uses what this module offers or
Whoosh's public API.

Reading: a term's postings a block at a time as numpy arrays (:func:`term_postings`,
hot arrays first where a segment has them), positions for chosen documents
as numpy arrays (:func:`term_positions`, hot positions first too), prefix expansions,
deleted documents; :func:`hot_build` for a segment without (current) hot files.

Writing: :class:`FastSegmentWriter`, the same files, terms, positions and weights as
Whoosh's own ``SegmentWriter`` at a multiple of its speed (analysis in
:mod:`search.engine.analysis`; the pool's postings written straight into the codec's
block buffers; field lengths from a dict instead of ``doc_field_length`` per posting,
9 of 89 s in a profile of Whoosh's writer). The pool also keeps each term's positions
flat, so the hot positions are written without unpickling the values again. The files
are byte-for-byte what Whoosh writes but for one thing: a word seen once in a document
shares its position value with every other such word at that position, so the pickled
value blocks of ``.pst`` are a little smaller (pickle memoises the shared object);
``tests/search/test_fastwrite.py`` checks the rest. A segment lives in memory until its commit:
callers commit every few thousand documents (``search.services.SEGMENT_DOCS``).
"""

from __future__ import annotations

import copy
import os
import threading
from array import array
from collections import OrderedDict
from itertools import chain, pairwise
from pathlib import Path
from pickle import loads

import numpy as np
import whoosh
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Positions
from whoosh.reading import SegmentReader
from whoosh.util import random_name
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from search.engine.analysis import (
    MemoryPool,
    analyzer_is_standard,
    encode_positions,
    text_terms,
    text_terms_grams,
)
from search.engine.common import COMMON_WORDS
from search.engine.hot import (
    HOT_FIELDS,
    flat_ranges,
    gram_key,
    hot_exists,
    hot_key,
    hot_minimum,
    hot_segment,
    hot_write,
)
from search.engine.schema import SCHEMA

WHOOSH_VERSION = (2, 7, 4)
assert whoosh.__version__ == WHOOSH_VERSION, (
    f"search.engine.postings reads Whoosh {WHOOSH_VERSION} internals; "
    f"Whoosh {whoosh.__version__} is installed: check this module against it"
)

_EMPTY = (np.zeros(0, np.int64), np.zeros(0, np.float32))


# -- readers and segments -------------------------------------------------------------


def leaves(reader) -> list[tuple[object, int]]:
    """``(segment reader, first document number)`` of every segment (an empty index,
    nothing committed yet, has a leaf without a segment: left out)."""
    return [(leaf, offset) for leaf, offset in reader.leaf_readers() if leaf.segment() is not None]


def segment_id(leaf) -> str:
    return leaf.segment().segment_id()


def deleted_docs(leaf) -> np.ndarray:
    """The deleted (segment-local) document numbers of a segment."""
    if not leaf.has_deletions():
        return np.zeros(0, np.int64)
    return np.fromiter(leaf._perdoc.deleted_docs(), dtype=np.int64)


def searcher_generation(searcher) -> Path:
    """The generation directory a searcher reads."""
    ix = getattr(searcher, "_ix", None)
    if ix is not None:
        return Path(ix.storage.folder)
    return Path(searcher.reader().storage().folder)


# -- postings -------------------------------------------------------------------------


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
        return _EMPTY
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


def leaf_postings(leaf, fieldname: str, btext: bytes, values: list | None = None):
    """Segment-local ids and weights of a term in one segment (deleted documents
    included), or None when the segment does not have the term."""
    if (fieldname, btext) not in leaf._terms:
        return None
    m = leaf._terms.matcher(fieldname, btext, SCHEMA[fieldname].format)
    if isinstance(m, W3LeafMatcher):
        return _block_postings(m, values)
    return _generic_postings(m, values)


def term_postings(
    segments: list[tuple[object, int]],
    generation: Path,
    fieldname: str,
    btext: bytes,
    values: list | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Global ids and weights of a term over ``segments`` (from :func:`leaves`), read
    from a segment's hot arrays where it has them (not when ``values`` are wanted)."""
    ids_parts, weight_parts = [], []
    for leaf, offset in segments:
        if values is None and fieldname in HOT_FIELDS:
            hot = hot_segment(generation, segment_id(leaf))
            found = hot.get(fieldname, btext) if hot is not None else None
            if found is not None:
                ids_parts.append(found[0].astype(np.int64) + offset)
                weight_parts.append(np.asarray(found[1], dtype=np.float32))
                continue
        found = leaf_postings(leaf, fieldname, btext, values)
        if found is None:
            continue
        ids_parts.append(found[0] + offset)
        weight_parts.append(found[1])
    if not ids_parts:
        return _EMPTY
    return np.concatenate(ids_parts), np.concatenate(weight_parts)


def term_positions(
    segments: list[tuple[object, int]],
    generation: Path,
    fieldname: str,
    btext: bytes,
    docs: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The positions of a term in each of ``docs`` (global numbers, sorted; every one
    contains the term): ``(counts, positions)``, how many positions each document has
    and all of them flat, document after document, each document's in order.

    A segment's hot positions are read first where it has them for the term (one
    ``pread``, :meth:`search.engine.hot.HotSegment.positions`). Otherwise only the
    posting blocks whose id range holds a candidate are read (found by their
    headers). A block needed a second time is decoded whole and its ids and positions
    kept in a bounded per-process cache (:class:`_TermBlocks`), so a frequent word's
    blocks, the bulk of a phrase of frequent words, are not decoded again."""
    fmt = SCHEMA[fieldname].format
    counts_parts, position_parts = [], []
    for leaf, offset in segments:
        end = offset + leaf.doc_count_all()
        lo, hi = np.searchsorted(docs, [offset, end])
        if lo == hi:
            continue
        local = docs[lo:hi] - offset
        if fieldname in HOT_FIELDS:
            hot = hot_segment(generation, segment_id(leaf))
            found = hot.positions(fieldname, btext, local) if hot is not None else None
            if found is not None:
                counts_parts.append(found[0])
                position_parts.append(found[1])
                continue
        m = leaf._terms.matcher(fieldname, btext, fmt)
        if not isinstance(m, W3LeafMatcher) or m._byteids:
            values = []
            for doc in local.tolist():
                if m.id() < doc:
                    m.skip_to(doc)
                values.append(m.value())
            counts, found = positions_decode(values, fmt)
            counts_parts.append(counts)
            position_parts.append(found)
            continue
        blocks = _term_blocks((str(generation), segment_id(leaf), fieldname, btext), m)
        block_of = np.searchsorted(blocks.maxids, local)
        cuts = np.flatnonzero(block_of[1:] != block_of[:-1]) + 1
        firsts = np.concatenate(([0], cuts)).tolist()
        lasts = np.concatenate((cuts, [len(local)])).tolist()
        wanted = [
            (b, local[first:last])
            for b, first, last in zip(block_of[firsts].tolist(), firsts, lasts, strict=True)
        ]
        for (_b, candidates), (ids, starts, flat) in zip(
            wanted, blocks.blocks(m, wanted), strict=True
        ):
            where = np.searchsorted(ids, candidates)
            begin = starts[where]
            counts = starts[where + 1] - begin
            counts_parts.append(counts)
            position_parts.append(flat[flat_ranges(begin, counts)])
    if not counts_parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(counts_parts), np.concatenate(position_parts).astype(np.int64)


def phrase_grams(
    leaves: list[tuple[object, int]],
    generation: Path,
    fieldname: str,
    btexts: list[bytes],
    docs: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """A phrase's candidates ``docs`` (global numbers, sorted, each holding every word)
    narrowed by the segments' phrase grams (:meth:`search.engine.hot.HotSegment.
    gram_docs`): ``(docs left, settled)``, ``settled[k]`` True where the grams alone
    prove the phrase (two words whose gram the segment stores), False where positions
    must still be checked. A segment without grams (written before them, merged, or
    not holding the pair) keeps its candidates as they are."""
    if fieldname not in HOT_FIELDS or len(btexts) < 2:
        return docs, np.zeros(len(docs), dtype=bool)
    pairs = list(pairwise(btexts))
    kept_parts, settled_parts = [], []
    for leaf, offset in leaves:
        lo, hi = np.searchsorted(docs, [offset, offset + leaf.doc_count_all()])
        if lo == hi:
            continue
        local = docs[lo:hi]
        hot = hot_segment(generation, segment_id(leaf))
        known = 0
        if hot is not None and hot.gram_words:
            for left, right in pairs:
                found = hot.gram_docs(fieldname, left, right)
                if found is None:
                    continue
                known += 1
                local = local[np.isin(local - offset, found, assume_unique=True)]
        kept_parts.append(local)
        settled_parts.append(np.full(len(local), len(pairs) == 1 and known == 1))
    if not kept_parts:
        return docs[:0], np.zeros(0, dtype=bool)
    return np.concatenate(kept_parts), np.concatenate(settled_parts)


POSITIONS_CACHE_BYTES = 96 * 2**20


class _TermBlocks:
    """A term's posting blocks in one segment: where each starts and its last id (from
    the block headers), and the ids and positions of the blocks decoded so far."""

    def __init__(self, key: tuple, m: W3LeafMatcher) -> None:
        self.key = key
        starts, maxids = [], []
        position = m._baseoffset
        while True:
            starts.append(position)
            maxids.append(m._maxid)
            if m._lastblock:
                break
            position = m._nextoffset
            m._goto(position)
        self.starts = starts
        self.maxids = np.array(maxids, dtype=np.int64)
        self.decoded: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.seen: set[int] = set()
        self.nbytes = self.maxids.nbytes + 16 * len(starts)

    def blocks(
        self, m: W3LeafMatcher, wanted: list[tuple[int, np.ndarray]]
    ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """For each ``(block, candidates)`` of ``wanted`` (segment-local ids in that
        block), the block's ids, each id's start in the positions (and the end), the
        positions. A block is decoded whole and kept the second time a query needs it;
        the first time only its candidates' values are decoded (what a query that
        needs a few documents of a frequent word read before this cache). The values
        of every block not kept yet are decoded together (one
        :func:`positions_decode`)."""
        found: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        keep, id_parts, values = [], [], []
        for b, candidates in wanted:
            if b in self.decoded:
                continue
            m._goto(self.starts[b])
            m._read_data()  # (ids, weights, values) of the block, one unpickling
            ids = np.cumsum(np.asarray(m._data[0], dtype=np.int64))  # = _read_ids
            m._read_values()
            block_values = m._values
            if len(block_values) != len(ids):  # pragma: no cover
                raise ValueError(f"{self.key}: a posting block without one value per posting")
            if b in self.seen:
                keep.append(True)
                values.extend(block_values)
            else:
                self.seen.add(b)
                keep.append(False)
                where = np.searchsorted(ids, candidates)
                ids = ids[where]
                values.extend(block_values[k] for k in where.tolist())
            id_parts.append((b, ids))
        if id_parts:
            counts, flat = positions_decode(values, m.format)
            if len(flat) and flat.max() < 2**31:
                flat = flat.astype(np.int32)
            nbytes = 0
            first, start = 0, 0
            for (b, ids), kept in zip(id_parts, keep, strict=True):
                starts = np.zeros(len(ids) + 1, dtype=np.int64)
                np.cumsum(counts[first : first + len(ids)], out=starts[1:])
                end = start + int(starts[-1])
                found[b] = (ids, starts, flat[start:end].copy())
                if kept:
                    self.decoded[b] = found[b]
                    nbytes += ids.nbytes + starts.nbytes + (end - start) * flat.itemsize
                first += len(ids)
                start = end
            if nbytes:
                _positions_grew(self, nbytes)
        return [found[b] if b in found else self.decoded[b] for b, _ in wanted]


_positions_lock = threading.Lock()
_positions: OrderedDict[tuple, _TermBlocks] = OrderedDict()
_positions_bytes = 0


def _term_blocks(key: tuple, m: W3LeafMatcher) -> _TermBlocks:
    global _positions_bytes
    with _positions_lock:
        blocks = _positions.get(key)
        if blocks is not None:
            _positions.move_to_end(key)
            return blocks
    blocks = _TermBlocks(key, m)
    with _positions_lock:
        _positions[key] = blocks
        _positions_bytes += blocks.nbytes
    return blocks


def _positions_grew(blocks: _TermBlocks, nbytes: int) -> None:
    """Count a decoded block; forget the least recently used terms over the budget."""
    global _positions_bytes
    with _positions_lock:
        if _positions.get(blocks.key) is not blocks:
            return  # already forgotten: its blocks are not counted
        blocks.nbytes += nbytes
        _positions_bytes += nbytes
        while _positions_bytes > POSITIONS_CACHE_BYTES and len(_positions) > 1:
            _key, old = _positions.popitem(last=False)
            _positions_bytes -= old.nbytes


def positions_cache_clear() -> None:
    global _positions_bytes
    with _positions_lock:
        _positions.clear()
        _positions_bytes = 0


_PROTO_2 = b"\x80\x02"


def positions_decode(values: list[bytes], fmt) -> tuple[np.ndarray, np.ndarray]:
    """``(counts, positions)`` of encoded values of the format ``fmt``: what
    ``fmt.decode_positions`` gives for each, flat.

    A value is a 4-byte count and a pickle of the position deltas (Whoosh's
    ``Positions.encode``, :func:`search.engine.analysis.encode_positions`). Decoding
    them one ``loads`` at a time costs more than the rest of a frequent phrase, so the
    pickles, each without its STOP opcode, are joined between a MARK and a LIST opcode
    into one pickle of the list of delta lists and unpickled in one call. That is the
    same as unpickling each: every value pickle builds one list on the stack and its
    memo writes precede its own reads. The deltas are summed per value with numpy."""
    if not values:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if type(fmt) is not Positions:  # pragma: no cover - no such field in the schema
        return _flat([fmt.decode_positions(v) for v in values], deltas=False)
    try:
        bodies = [v[4:-1] if v[-1:] == b"." else v[4:] for v in values]
        # The index's own values, which Whoosh unpickles the same way.
        lists = loads(_PROTO_2 + b"(" + b"".join(bodies) + b"l.")  # noqa: S301
        if len(lists) != len(values):  # pragma: no cover - not a value of Positions
            raise ValueError("not one list per value")
    except Exception:  # pragma: no cover - fall back to Whoosh's decoding, one by one
        return _flat([fmt.decode_positions(v) for v in values], deltas=False)
    return _flat(lists, deltas=True)


def _flat(lists: list[list[int]], deltas: bool) -> tuple[np.ndarray, np.ndarray]:
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    if deltas and len(flat):
        running = np.cumsum(flat)
        before = np.concatenate(([0], running))[np.cumsum(counts) - counts]
        flat = running - np.repeat(before, counts)
    return counts, flat


def expansion_btexts(q: wq.Query, reader):
    """The index terms (bytes) a Prefix or Wildcard query reaches, in term order."""
    return q._btexts(reader)


def hot_positions(values: list[bytes], weights, fmt) -> np.ndarray | None:
    """A hot term's positions, flat (uint32), from its encoded values; None for a
    field without positions or when a posting's count of positions is not its weight
    (the reader finds a posting's positions by the weights)."""
    if not fmt.supports("positions") or len(values) != len(weights) or not all(values):
        return None
    counts, flat = positions_decode(values, fmt)
    weights = np.frombuffer(weights, np.float64) if isinstance(weights, array) else weights
    if not np.array_equal(counts, weights):
        return None
    if len(flat) and (int(flat.min()) < 0 or int(flat.max()) >= 2**32):  # pragma: no cover
        return None
    return flat.astype(np.uint32)


def hot_build(generation: Path, leaf) -> None:
    """Hot postings (and positions) for a segment written without them or with an
    older format, from Whoosh's postings."""
    minimum = hot_minimum(leaf.doc_count_all())
    hot = []
    for fieldname in sorted(HOT_FIELDS):
        if fieldname not in leaf.indexed_field_names():
            continue
        fmt = SCHEMA[fieldname].format
        for btext in leaf.lexicon(fieldname):
            if leaf.doc_frequency(fieldname, btext) < minimum:
                continue
            values: list = []
            docs, weights = leaf_postings(leaf, fieldname, btext, values)
            positions = hot_positions(values, weights, fmt)
            hot.append((hot_key(fieldname, btext), docs, weights, positions))
    hot_write(generation, segment_id(leaf), hot)


def hot_ensure(generation: Path, leaf) -> None:
    if not hot_exists(generation, segment_id(leaf)):
        hot_build(generation, leaf)


# -- the fast segment writer ----------------------------------------------------------


class _PrivateTempStorage(FileStorage):
    """The index's storage, but with a temporary directory of this writer's own.

    Whoosh names every writer's temporary directory ``MAIN.tmp`` (the writer's pool and
    the per-document writer's column file both go there) and removes the whole
    directory when the writer finishes: with several processes writing segments of one
    generation at once, the first to finish deleted the others' column files
    (``FileNotFoundError: MAIN.tmp/....ctmp`` in a 251,287-cable rebuild)."""

    def __init__(self, storage: FileStorage) -> None:
        super().__init__(storage.folder, readonly=storage.readonly)
        self._suffix = f"{os.getpid()}-{random_name()}"

    def temp_storage(self, name=None):
        return super().temp_storage(f"{name or 'writer.tmp'}.{self._suffix}")


def _with_private_temp(ix):
    private = copy.copy(ix)
    private.storage = _PrivateTempStorage(ix.storage)
    return private


class FastSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with the fast analysis path, the memory pool and the length
    dict, and a temporary directory of its own. Everything else (deletes, merges,
    commit, TOC, locking) is Whoosh's."""

    def __init__(self, ix, **kwargs) -> None:
        super().__init__(_with_private_temp(ix), **kwargs)
        self.pool.cleanup()
        self.pool = MemoryPool()
        self._lengths: dict[str, dict[int, int]] = {}
        # phrase grams per scored field: gram -> (docs, counts); complete while every
        # document of the segment went through the fast path (not merged in)
        self._grams: dict[str, dict[bytes, tuple[array, array]]] = {}
        self._grams_complete = True
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

    def add_reader(self, reader) -> None:
        self._grams_complete = False  # merged documents: their grams are unknown
        super().add_reader(reader)

    def add_document(self, **fields) -> None:
        if any(name.startswith("_") for name in fields):
            self._grams_complete = False
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
                    if fieldname in HOT_FIELDS:
                        poses, grams = text_terms_grams(value, COMMON_WORDS)
                        field_grams = self._grams.setdefault(fieldname, {})
                        for gram, count in grams.items():
                            found = field_grams.get(gram)
                            if found is None:
                                found = field_grams[gram] = (array("l"), array("d"))
                            found[0].append(docnum)
                            found[1].append(float(count))
                    else:
                        poses = text_terms(value)
                    for term, poslist in poses.items():
                        freq = len(poslist)
                        length += freq
                        entry = terms_get(term)
                        if entry is None:
                            entry = terms[term] = (array("l"), array("d"), [], array("I"))
                        entry[0].append(docnum)
                        entry[1].append(float(freq))
                        entry[2].append(encode_positions(poslist))
                        entry[3].extend(poslist)
                else:
                    if fieldname in HOT_FIELDS:
                        self._grams_complete = False
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
        hot: list[tuple[bytes, array, array, np.ndarray | None]] = []
        hot_min = hot_minimum(self.docnum)
        for fieldname in sorted(pool.postings):
            terms = pool.postings[fieldname]
            fieldobj = self.schema[fieldname]
            fw.start_field(fieldname, fieldobj)
            scorable = pdr is not None and fieldobj.scorable
            known = self._lengths.get(fieldname, {})
            for btext in sorted(terms):
                docs, weights, values, flat = terms[btext]
                if not pool._ordered:
                    flat = None  # its positions are decoded from the values if hot
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
                    positions = (
                        np.frombuffer(flat, dtype=np.uint32)
                        if flat is not None
                        else hot_positions(values, weights, fieldobj.format)
                    )
                    hot.append((hot_key(fieldname, btext), docs, weights, positions))
            fw.finish_field()
        fw.close()
        if pdr:
            pdr.close()
        gram_words = COMMON_WORDS if self._grams_complete else None
        if gram_words:
            for fieldname, grams in self._grams.items():
                for gram, (docs, counts) in grams.items():
                    if len(docs) >= hot_min:
                        order = np.argsort(np.frombuffer(docs, np.int64), kind="stable")
                        hot.append(
                            (
                                gram_key(fieldname, gram),
                                np.frombuffer(docs, np.int64)[order],
                                np.frombuffer(counts, np.float64)[order],
                                None,
                            )
                        )
        hot_write(Path(self.storage.folder), self.newsegment.segment_id(), hot, gram_words)


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
