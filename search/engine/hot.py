"""Frequent terms' postings as numpy arrays beside each segment ("hot postings").

Whoosh decodes a posting block (zlib, then a pickle of ids, weights and positions)
at 2-3 µs per posting: a word in half of 251,287 cables costs 300+ ms before
anything is counted. For every term of a scored field (``text``, ``subject``) found in
at least ``HOT_RATIO`` of a segment's documents, the index writer also stores the
document numbers (uint32, segment-local), weights (term frequencies, float32) and
positions in sidecar files (:func:`search.engine.storage.hot_files`). Readers keep the
term table and ``pread`` a term's slice, so a broad word is one read from the page
cache instead of thousands of block decodes, and so are the positions a phrase of
frequent words checks.

Positions (format version 2): one flat file of every hot term's positions, document
after document, each document's in order, as little-endian uint16 (uint32 for a term
with a position past 65,535); a posting's count of positions is its weight (checked
when writing: a term where they differ gets no positions and is read from Whoosh).
The term table holds each term's byte offset and width there.

Segments never change, so neither do these files. A segment without them, or with a
version 1 table (no positions), is read through Whoosh as before (positions from the
posting blocks), and :func:`search.engine.postings.hot_build` (re)writes them.
Pure numpy: the postings come from :mod:`search.engine.postings`.
"""

from __future__ import annotations

import contextlib
import os
import threading
from array import array
from pathlib import Path

import numpy as np

from search.engine.schema import SCORED_FIELDS
from search.engine.storage import hot_files, temporary

HOT_FIELDS = SCORED_FIELDS
HOT_RATIO = 0.01
HOT_MIN_DOCS = 64
HOT_VERSION = 2  # 2: positions (version 1 tables have none)


def hot_minimum(doc_count: int) -> int:
    """How many documents of a segment a term must be in to be hot."""
    return max(HOT_MIN_DOCS, int(doc_count * HOT_RATIO))


def hot_key(fieldname: str, btext: bytes) -> bytes:
    return fieldname.encode() + b"\0" + btext


# Phrase grams: for every pair of adjacent terms of a scored field that are both
# common words (:data:`search.engine.common.COMMON_WORDS`, the list a segment was
# written with is stored in its term table as ``gram_words``), the documents holding
# the pair, in the same sidecar under their own key (``text#gram``), never in Whoosh:
# so they touch no term statistics, facets, suggestions, highlighting or prefix
# expansion. Only grams in at least ``hot_minimum`` of a segment's documents are
# stored; a phrase asks for the others through the words' positions.
GRAM_SEPARATOR = b" "  # never inside a term: the tokenizer splits on it


def gram_key(fieldname: str, gram: bytes) -> bytes:
    return hot_key(f"{fieldname}#gram", gram)


def hot_exists(generation: Path, segid: str) -> bool:
    """True when the segment has hot postings of the current format version."""
    terms = hot_files(generation, segid)[0]
    try:
        with np.load(terms, allow_pickle=False) as data:
            return "version" in data.files and int(data["version"]) >= HOT_VERSION
    except (OSError, ValueError):
        return False


def _numpy(values) -> np.ndarray:
    """An ``array.array`` of the memory pool (``l`` or ``d``) or a numpy array."""
    if isinstance(values, array):
        return np.frombuffer(values, dtype=np.int64 if values.typecode == "l" else np.float64)
    return np.asarray(values)


Positions = tuple[np.ndarray, np.ndarray]  # (counts per posting, positions flat)


def _positions_bytes(flat: np.ndarray | None) -> tuple[bytes, int]:
    """A term's positions as stored, and their width in bytes (0: none stored)."""
    if flat is None:
        return b"", 0
    wide = len(flat) and int(flat.max()) >= 2**16
    dtype = "<u4" if wide else "<u2"
    return np.asarray(flat).astype(dtype).tobytes(), np.dtype(dtype).itemsize


def hot_write(
    generation: Path,
    segid: str,
    hot: list[tuple[bytes, object, object, np.ndarray | None]],
    gram_words: frozenset[bytes] | None = None,
) -> None:
    """Write a segment's hot postings: ``hot`` is ``[(hot_key(field, term), docs,
    weights, positions), ...]``, docs ascending (segment-local numbers), positions
    every posting's, flat (as many for each as its weight; below 2**32), or None.
    ``gram_words``: the common words whose pairs' grams ``hot`` holds (every such gram
    in ``hot_minimum`` of the documents or more), None when the segment has none."""
    hot = sorted(hot, key=lambda h: h[0])
    terms, docs_path, weights_path, positions_path = hot_files(generation, segid)
    terms.parent.mkdir(parents=True, exist_ok=True)
    keys = np.array([h[0] for h in hot], dtype="S") if hot else np.zeros(0, dtype="S1")
    lengths = np.array([len(h[1]) for h in hot], dtype=np.int64)
    starts = np.zeros(len(hot) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    docs = np.empty(int(starts[-1]), dtype=np.uint32)
    weights = np.empty(int(starts[-1]), dtype=np.float32)
    chunks: list[bytes] = []
    pstarts = np.zeros(len(hot) + 1, dtype=np.int64)
    pwidths = np.zeros(len(hot), dtype=np.uint8)
    for i, (_, d, w, positions) in enumerate(hot):
        docs[starts[i] : starts[i + 1]] = _numpy(d)
        weights[starts[i] : starts[i + 1]] = _numpy(w)
        raw, width = _positions_bytes(positions)
        chunks.append(raw)
        pwidths[i] = width
        pstarts[i + 1] = pstarts[i] + len(raw)
    flat = np.frombuffer(b"".join(chunks), dtype=np.uint8)
    # arrays first, the term table last: a reader trusts a segment once its table exists
    for path, values in ((docs_path, docs), (weights_path, weights), (positions_path, flat)):
        tmp = temporary(path)
        with open(tmp, "wb") as handle:
            np.save(handle, values)
        tmp.replace(path)
    tmp = temporary(terms)
    with open(tmp, "wb") as handle:
        np.savez(
            handle,
            keys=keys,
            starts=starts,
            version=np.int64(HOT_VERSION),
            pstarts=pstarts,
            pwidths=pwidths,
            gram_words=np.array(sorted(gram_words or ()), dtype="S")
            if gram_words
            else np.zeros(0, dtype="S1"),
        )
    tmp.replace(terms)


_keys_lock = threading.Lock()
_keys: dict[bytes, bytes] = {}
_ints: list[int] = []


def _shared_key(key: bytes) -> bytes:
    """The one copy of ``key`` every segment's table uses (the distinct hot keys of an
    archive: tens of thousands at most)."""
    found = _keys.get(key)
    if found is None:
        with _keys_lock:
            found = _keys.setdefault(key, key)
    return found


def _shared_ints(count: int) -> list[int]:
    """``0 .. count - 1`` as int objects shared by every segment's table (above 256,
    Python makes a new object for each)."""
    if len(_ints) < count:
        with _keys_lock:
            _ints.extend(range(len(_ints), count))
    return _ints[:count]


class HotSegment:
    """One segment's hot postings: the term table in memory, the arrays read slice by
    slice with ``pread`` (from the page cache; a memory map would count every page a
    query ever touched in the worker's RSS)."""

    def __init__(self, generation: Path, segid: str) -> None:
        terms, docs_path, weights_path, positions_path = hot_files(generation, segid)
        with np.load(terms, allow_pickle=False) as data:
            keys, starts = data["keys"], data["starts"]
            versioned = "version" in data.files and int(data["version"]) >= HOT_VERSION
            pstarts = data["pstarts"] if versioned else None
            pwidths = data["pwidths"] if versioned else None
            words = data["gram_words"] if "gram_words" in data.files else ()
        self.gram_words = frozenset(bytes(w) for w in words)
        # key -> row; the spans in arrays (a tuple of three ints per key was half of a
        # worker's memory for the hot tables at full scale). Every segment holds much
        # the same frequent terms: the keys and row numbers are shared objects, not
        # 174,022 bytes and ints of their own at 251,287 cables (-13 MB per worker).
        self._rows = dict(
            zip(map(_shared_key, map(bytes, keys)), _shared_ints(len(keys)), strict=True)
        )
        self._starts = np.asarray(starts, dtype=np.int64)
        self._pstarts = None if pstarts is None else np.asarray(pstarts, dtype=np.int64)
        self._pwidths = None if pwidths is None else np.asarray(pwidths, dtype=np.int64)
        self.docs = _Column(docs_path)
        self.weights = _Column(weights_path)
        self.positions_file = _Column(positions_path) if pstarts is not None else None

    def span(self, key: bytes) -> tuple[int, int, tuple[int, int] | None] | None:
        """``(start, end, positions)`` of a key in the segment's arrays, ``positions``
        being ``(offset, width)`` in the positions file or None; None for no such key."""
        row = self._rows.get(key)
        if row is None:
            return None
        start, end = int(self._starts[row]), int(self._starts[row + 1])
        positions = None
        if self._pstarts is not None and self._pwidths[row]:
            positions = (int(self._pstarts[row]), int(self._pwidths[row]))
        return start, end, positions

    def document_counts(self, fieldname: str):
        """``(term, documents)`` for every hot term of ``fieldname`` in this segment
        (grams, kept under their own key, are not terms of the field)."""
        prefix = hot_key(fieldname, b"")
        starts = self._starts
        for key, row in self._rows.items():
            if key.startswith(prefix):
                yield key[len(prefix) :], int(starts[row + 1] - starts[row])

    def get(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        span = self.span(hot_key(fieldname, btext))
        if span is None:
            return None
        start, end, _ = span
        return self.docs.read(start, end), self.weights.read(start, end)

    def gram_docs(self, fieldname: str, left: bytes, right: bytes) -> np.ndarray | None:
        """The documents (segment-local) where ``right`` directly follows ``left``;
        None when not known from the grams (a word not common when the segment was
        written, or a gram in too few documents to be stored)."""
        if left not in self.gram_words or right not in self.gram_words:
            return None
        span = self.span(gram_key(fieldname, left + GRAM_SEPARATOR + right))
        if span is None:
            return None
        return self.docs.read(span[0], span[1])

    def positions(self, fieldname: str, btext: bytes, local: np.ndarray) -> Positions | None:
        """``(counts, positions)`` of a term in the documents ``local`` (segment-local,
        sorted, each holding the term), as :func:`search.engine.postings.term_positions`
        gives them; None when this segment has no stored positions for the term."""
        span = self.span(hot_key(fieldname, btext))
        if span is None or span[2] is None or self.positions_file is None:
            return None
        start, end, (pstart, width) = span
        docs = self.docs.read(start, end)
        counts = self.weights.read(start, end).astype(np.int64)
        where = np.searchsorted(docs, local)
        if len(local) and (where[-1] >= len(docs) or not (docs[where] == local).all()):
            return None  # pragma: no cover - a candidate without the term: ask Whoosh
        ends = np.cumsum(counts)
        begin = ends[where] - counts[where]
        wanted = counts[where]
        if not len(local):
            return wanted, np.zeros(0, np.int64)
        # one read from the first candidate's positions to the last one's
        first, last = int(begin[0]), int(begin[-1] + wanted[-1])
        raw = self.positions_file.read_bytes(pstart + first * width, pstart + last * width)
        flat = np.frombuffer(raw, dtype="<u2" if width == 2 else "<u4")
        return wanted, flat[flat_ranges(begin - first, wanted)].astype(np.int64)


def flat_ranges(begin: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The indexes ``begin[k] .. begin[k] + counts[k] - 1`` of every ``k``, in order."""
    total = int(counts.sum())
    shift = np.repeat(begin - (np.cumsum(counts) - counts), counts)
    return np.arange(total, dtype=np.int64) + shift


class _Column:
    """A 1-d ``.npy`` file read by slices, through one descriptor kept open for the
    object's life (opened on the first read, closed when the object goes: a search
    reads hundreds of slices, and an open and a close per slice were a fifth of a
    similar-cables call). ``pread`` takes no file position, so threads and forked
    workers can share the descriptor."""

    _fd: int | None = None

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as handle:
            version = np.lib.format.read_magic(handle)
            header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, _fortran, dtype = header(handle)
            self.offset = handle.tell()
        self.path, self.dtype, self.length = path, dtype, shape[0]

    def read(self, start: int, end: int) -> np.ndarray:
        size = self.dtype.itemsize
        return np.frombuffer(self.read_bytes(start * size, end * size), dtype=self.dtype)

    def read_bytes(self, start: int, end: int) -> bytes:
        """Bytes ``start .. end`` of the array's data."""
        fd = self._fd
        if fd is None:
            with _open_lock:
                if self._fd is None:
                    self._fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
                fd = self._fd
        raw = os.pread(fd, end - start, self.offset + start)
        if len(raw) != end - start:
            raise ValueError(f"{self.path.name}: short read")
        return raw

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def __del__(self) -> None:
        with contextlib.suppress(OSError):
            self.close()


_lock = threading.Lock()
_open_lock = threading.Lock()  # a column's descriptor is opened once
#: Segments kept per process (each holds up to three open descriptors once read).
SEGMENTS_CACHED = 128
_segments: dict[tuple[str, str], HotSegment | None] = {}


def hot_segment(generation: Path, segid: str) -> HotSegment | None:
    """The hot postings of a segment (cached per process), or None without them."""
    key = (str(generation), segid)
    with _lock:
        if key in _segments:
            return _segments[key]
    try:
        segment = HotSegment(generation, segid)
    except (OSError, ValueError, KeyError):
        segment = None
    with _lock:
        if len(_segments) > SEGMENTS_CACHED:
            _segments_close(list(_segments.values()))
            _segments.clear()
        _segments[key] = segment
    return segment


def _segments_close(segments: list[HotSegment | None]) -> None:
    """Close the descriptors of dropped segments now (readers still holding one
    reopen it on their next read) rather than when the garbage collector runs."""
    for segment in segments:
        if segment is not None:
            for column in (segment.docs, segment.weights, segment.positions_file):
                if column is not None:
                    column.close()


def cache_clear() -> None:
    with _lock:
        _segments_close(list(_segments.values()))
        _segments.clear()
