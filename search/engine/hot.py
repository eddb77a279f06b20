"""Frequent terms' postings as numpy arrays beside each segment ("hot postings").

Whoosh decodes a posting block (zlib, then a pickle of ids, weights and positions)
at 2-3 µs per posting: a word in half of 251,287 cables costs 300+ ms before
anything is counted. For every term of a scored field (``text``, ``subject``) found in
at least ``HOT_RATIO`` of a segment's documents, the index writer also stores the
document numbers (uint32, segment-local) and weights (term frequencies, float32) in
sidecar files (:func:`search.engine.storage.hot_files`). Readers keep the term table
and ``pread`` a term's slice, so a broad word is one read from the page cache instead
of thousands of block decodes. Positions stay in Whoosh (phrases read them there).
Segments never change, so neither do these files; a segment without them is read
through Whoosh as before, and :func:`search.engine.postings.hot_build` adds them.
Pure numpy: the postings come from :mod:`search.engine.postings`.
"""

from __future__ import annotations

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


def hot_minimum(doc_count: int) -> int:
    """How many documents of a segment a term must be in to be hot."""
    return max(HOT_MIN_DOCS, int(doc_count * HOT_RATIO))


def hot_key(fieldname: str, btext: bytes) -> bytes:
    return fieldname.encode() + b"\0" + btext


def hot_exists(generation: Path, segid: str) -> bool:
    return hot_files(generation, segid)[0].exists()


def _numpy(values) -> np.ndarray:
    """An ``array.array`` of the memory pool (``l`` or ``d``) or a numpy array."""
    if isinstance(values, array):
        return np.frombuffer(values, dtype=np.int64 if values.typecode == "l" else np.float64)
    return np.asarray(values)


def hot_write(generation: Path, segid: str, hot: list[tuple[bytes, object, object]]) -> None:
    """Write a segment's hot postings: ``hot`` is ``[(hot_key(field, term), docs,
    weights), ...]``, docs ascending (segment-local numbers)."""
    hot = sorted(hot, key=lambda h: h[0])
    terms, docs_path, weights_path = hot_files(generation, segid)
    terms.parent.mkdir(parents=True, exist_ok=True)
    keys = np.array([k for k, _, _ in hot], dtype="S") if hot else np.zeros(0, dtype="S1")
    lengths = np.array([len(d) for _, d, _ in hot], dtype=np.int64)
    starts = np.zeros(len(hot) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    docs = np.empty(int(starts[-1]), dtype=np.uint32)
    weights = np.empty(int(starts[-1]), dtype=np.float32)
    for i, (_, d, w) in enumerate(hot):
        docs[starts[i] : starts[i + 1]] = _numpy(d)
        weights[starts[i] : starts[i + 1]] = _numpy(w)
    # arrays first, the term table last: a reader trusts a segment once its table exists
    for path, values in ((docs_path, docs), (weights_path, weights)):
        tmp = temporary(path)
        with open(tmp, "wb") as handle:
            np.save(handle, values)
        tmp.replace(path)
    tmp = temporary(terms)
    with open(tmp, "wb") as handle:
        np.savez(handle, keys=keys, starts=starts)
    tmp.replace(terms)


class HotSegment:
    """One segment's hot postings: the term table in memory, the arrays read slice by
    slice with ``pread`` (from the page cache; a memory map would count every page a
    query ever touched in the worker's RSS)."""

    def __init__(self, generation: Path, segid: str) -> None:
        terms, docs_path, weights_path = hot_files(generation, segid)
        with np.load(terms, allow_pickle=False) as data:
            keys, starts = data["keys"], data["starts"]
        self.table = {bytes(k): (int(starts[i]), int(starts[i + 1])) for i, k in enumerate(keys)}
        self.docs = _Column(docs_path)
        self.weights = _Column(weights_path)

    def get(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        span = self.table.get(hot_key(fieldname, btext))
        if span is None:
            return None
        start, end = span
        return self.docs.read(start, end), self.weights.read(start, end)


class _Column:
    """A 1-d ``.npy`` file read by slices."""

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
        fd = os.open(self.path, os.O_RDONLY)
        try:
            raw = os.pread(fd, (end - start) * size, self.offset + start * size)
        finally:
            os.close(fd)
        return np.frombuffer(raw, dtype=self.dtype)


_lock = threading.Lock()
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
        if len(_segments) > 512:
            _segments.clear()
        _segments[key] = segment
    return segment


def cache_clear() -> None:
    with _lock:
        _segments.clear()
