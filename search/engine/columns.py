"""A column store beside the Whoosh index: the facet and sort values of every document
as numpy arrays indexed by Whoosh document number.

Whoosh segments never change once written (only their deletion sets do), so columns
are kept per segment in a sidecar file (:func:`search.engine.storage.columns_file`),
written by the index writer right after each commit (:func:`segment_columns_ensure`,
from :mod:`search.engine.writing`) and rebuilt in memory from the segment's stored
:class:`~search.engine.schema.FacetRow` if a file is missing. A web process loads them
once per index generation (:func:`columns_for`) and keeps them; deleted documents are
masked out.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from search.engine.hot import cache_clear as hot_cache_clear
from search.engine.postings import deleted_docs, leaves, searcher_generation, segment_id
from search.engine.schema import EPOCH, FacetRow
from search.engine.storage import columns_file, temporary

logger = logging.getLogger(__name__)

NO_DATE = np.iinfo(np.int32).min
EPOCH_DAY = np.datetime64(EPOCH, "D")


def _vocab_codes(values: list[str]) -> tuple[np.ndarray, np.ndarray]:
    vocab = sorted(set(values))
    lookup = {v: i for i, v in enumerate(vocab)}
    return np.array(vocab, dtype=str), np.fromiter(
        (lookup[v] for v in values), dtype=np.int32, count=len(values)
    )


def _csr(lists: list[tuple[str, ...]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    flat = [v for values in lists for v in values]
    vocab, codes = _vocab_codes(flat)
    indptr = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([len(v) for v in lists], out=indptr[1:])
    return vocab, indptr, codes


# Every array a segment's file must hold; a file written before one was added is
# rebuilt from the stored fields (in memory by readers, on disk by the next commit).
SEGMENT_KEYS = frozenset(
    {
        "ref",
        "post_vocab",
        "post",
        "class_vocab",
        "classification",
        "tag_vocab",
        "tag_indptr",
        "tag",
        "cav_vocab",
        "cav_indptr",
        "cav",
        "by_vocab",
        "by",
        "pcl_vocab",
        "pcl_indptr",
        "pcl",
        "days",
        "minutes",
        "len_text",
        "len_subject",
    }
)


def segment_columns_build(leaf) -> dict[str, np.ndarray]:
    """The columns of one segment, from its stored fields (deleted documents included:
    their slots keep the numbering; the live mask hides them)."""
    n = leaf.doc_count_all()
    refs, posts, classes, caveats, tags, days, bys, marks = [], [], [], [], [], [], [], []
    minutes = []
    len_text = np.zeros(n, dtype=np.float32)
    len_subject = np.zeros(n, dtype=np.float32)
    for docnum in range(n):
        stored = leaf.stored_fields(docnum)
        row = FacetRow.from_stored(stored.get("facets"))
        refs.append(stored.get("reference_id", ""))
        posts.append(row.post)
        classes.append(row.classification)
        caveats.append(tuple(row.caveats))
        tags.append(tuple(row.tags))
        days.append(NO_DATE if row.day is None else row.day)
        if row.minute is not None:
            minutes.append(row.minute)
        else:  # a row stored before minutes were: the day's start
            minutes.append(NO_DATE if row.day is None else row.day * 1440)
        bys.append(row.classified_by)
        marks.append(tuple(row.markings))
        # Whoosh answers None for a field the document does not have (no subject).
        len_text[docnum] = leaf.doc_field_length(docnum, "text", 0) or 0
        len_subject[docnum] = leaf.doc_field_length(docnum, "subject", 0) or 0
    post_vocab, post_codes = _vocab_codes(posts)
    class_vocab, class_codes = _vocab_codes(classes)
    tag_vocab, tag_indptr, tag_codes = _csr(tags)
    cav_vocab, cav_indptr, cav_codes = _csr(caveats)
    by_vocab, by_codes = _vocab_codes(bys)
    pcl_vocab, pcl_indptr, pcl_codes = _csr(marks)
    return {
        "ref": np.array(refs, dtype="S") if refs else np.zeros(0, dtype="S1"),
        "post_vocab": post_vocab,
        "post": post_codes,
        "class_vocab": class_vocab,
        "classification": class_codes,
        "tag_vocab": tag_vocab,
        "tag_indptr": tag_indptr,
        "tag": tag_codes,
        "cav_vocab": cav_vocab,
        "cav_indptr": cav_indptr,
        "cav": cav_codes,
        "by_vocab": by_vocab,
        "by": by_codes,
        "pcl_vocab": pcl_vocab,
        "pcl_indptr": pcl_indptr,
        "pcl": pcl_codes,
        "days": np.array(days, dtype=np.int32),
        "minutes": np.array(minutes, dtype=np.int64),
        "len_text": len_text,
        "len_subject": len_subject,
    }


def _file_complete(target: Path) -> bool:
    """True when a segment's column file exists and holds every array."""
    try:
        with np.load(target, allow_pickle=False) as data:
            return set(data.files) >= SEGMENT_KEYS
    except (OSError, ValueError):
        return False


def segment_columns_ensure(generation: Path, leaf) -> None:
    """Write a segment's column file unless a complete one exists (after a commit)."""
    target = columns_file(generation, segment_id(leaf))
    if _file_complete(target):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    arrays = segment_columns_build(leaf)
    tmp = temporary(target)
    with open(tmp, "wb") as handle:
        np.savez(handle, **arrays)
    tmp.replace(target)


@dataclass
class Columns:
    """Every document's facet values, by Whoosh document number (the whole index)."""

    key: tuple
    n: int
    live: np.ndarray
    ref: np.ndarray
    post: np.ndarray
    post_vocab: np.ndarray
    classification: np.ndarray
    class_vocab: np.ndarray
    tag_doc: np.ndarray
    tag: np.ndarray
    tag_vocab: np.ndarray
    cav_doc: np.ndarray
    cav: np.ndarray
    cav_vocab: np.ndarray
    by: np.ndarray
    by_vocab: np.ndarray
    pcl_doc: np.ndarray
    pcl: np.ndarray
    pcl_vocab: np.ndarray
    days: np.ndarray
    minutes: np.ndarray  # int64 minutes since the epoch, NO_DATE when undated
    year: np.ndarray
    month: np.ndarray
    len_text: np.ndarray
    len_subject: np.ndarray
    leaves: list[tuple[str, int, int]] = field(default_factory=list)
    _ref_lookup: tuple[np.ndarray, np.ndarray] | None = None
    _ref_rank: np.ndarray | None = None

    @property
    def live_count(self) -> int:
        return int(self.live.sum())

    def code(self, vocab: np.ndarray, value: str) -> int | None:
        """The integer code of ``value`` in a vocabulary, or None when absent."""
        i = int(np.searchsorted(vocab, value))
        return i if i < len(vocab) and vocab[i] == value else None

    def value_mask(self, values: np.ndarray, vocab: np.ndarray, value: str) -> np.ndarray:
        """Documents whose single value (post, classification, classified by) is ``value``."""
        i = self.code(vocab, value)
        if i is None:
            return np.zeros(self.n, dtype=bool)
        return values == i

    def pairs_mask(
        self, docs: np.ndarray, values: np.ndarray, vocab: np.ndarray, value: str
    ) -> np.ndarray:
        """Documents one of whose values (tags, caveats, markings) is ``value``."""
        mask = np.zeros(self.n, dtype=bool)
        i = self.code(vocab, value)
        if i is not None:
            mask[docs[values == i]] = True
        return mask

    @property
    def ref_rank(self) -> np.ndarray:
        """Each document's rank in reference-id order (the tie-break of date sorts),
        computed once per generation."""
        if self._ref_rank is None:
            order = np.argsort(self.ref, kind="stable")
            rank = np.empty(self.n, dtype=np.int64)
            rank[order] = np.arange(self.n, dtype=np.int64)
            self._ref_rank = rank
        return self._ref_rank

    def reference_ids(self, docnums: np.ndarray) -> list[str]:
        return [r.decode() for r in self.ref[docnums]]

    def docnum_of(self, reference_id: str) -> int | None:
        """The live document number of a cable, or None."""
        if self._ref_lookup is None:
            # live ids sorted, with their document numbers (a dict of 251,287 ids was
            # ~25 MB in every web worker; a lookup here is a few microseconds)
            live = np.flatnonzero(self.live)
            order = np.argsort(self.ref[live], kind="stable")
            self._ref_lookup = (self.ref[live][order], live[order])
        ids, docnums = self._ref_lookup
        key = reference_id.encode()
        if not len(ids) or len(key) > ids.dtype.itemsize or key.endswith(b"\0"):
            return None
        i = int(np.searchsorted(ids, key))
        if i < len(ids) and ids[i] == key:
            return int(docnums[i])
        return None


def _load_segment(path: Path, leaf) -> dict[str, np.ndarray]:
    """A segment's column arrays, read from its file (or built from its stored fields
    when the file is missing or outdated). Not kept once the columns are assembled:
    the assembled columns hold the same values, and keeping both cost every web
    worker ~27 MB at 251,287 cables for ~85 ms saved once per generation."""
    segid = segment_id(leaf)
    target = columns_file(path, segid)
    try:
        with np.load(target, allow_pickle=False) as data:
            if not set(data.files) >= SEGMENT_KEYS:
                raise ValueError("written by an older version")
            return {k: data[k] for k in data.files}
    except (OSError, ValueError):
        logger.warning(
            "columns of segment %s missing or outdated; building them from stored fields", segid
        )
        return segment_columns_build(leaf)


def _merge_vocab(parts: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    nonempty = [p for p in parts if len(p)]
    vocab = np.unique(np.concatenate(nonempty)) if nonempty else np.zeros(0, dtype=str)
    maps = [
        np.searchsorted(vocab, p).astype(np.int32) if len(p) else p.astype(np.int32) for p in parts
    ]
    return vocab, maps


def _generation_key(path: Path, reader) -> tuple:
    return (
        str(path),
        tuple((segment_id(leaf), leaf.segment().deleted_count()) for leaf, _ in leaves(reader)),
    )


def _assemble(path: Path, reader, key: tuple) -> Columns:
    segments = leaves(reader)
    segs = [_load_segment(path, leaf) for leaf, _ in segments]
    counts = [len(s["days"]) for s in segs]
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    n = int(offsets[-1])
    live = np.ones(n, dtype=bool)
    for leaf, offset in segments:
        live[deleted_docs(leaf) + offset] = False

    def flat(name: str, vocab_name: str) -> tuple[np.ndarray, np.ndarray]:
        vocab, maps = _merge_vocab([s[vocab_name] for s in segs])
        values = [
            m[s[name]] if len(s[name]) else s[name].astype(np.int32)
            for m, s in zip(maps, segs, strict=True)
        ]
        return (np.concatenate(values) if values else np.zeros(0, np.int32)), vocab

    def pairs(name: str, vocab_name: str, indptr_name: str):
        vocab, maps = _merge_vocab([s[vocab_name] for s in segs])
        docs, vals = [], []
        for m, s, off in zip(maps, segs, offsets[:-1], strict=True):
            indptr = s[indptr_name]
            lengths = np.diff(indptr)
            docs.append(np.repeat(np.arange(len(lengths), dtype=np.int32) + np.int32(off), lengths))
            vals.append(m[s[name]] if len(s[name]) else s[name].astype(np.int32))
        cat = lambda xs: np.concatenate(xs).astype(np.int32) if xs else np.zeros(0, np.int32)  # noqa: E731
        return cat(docs), cat(vals), vocab

    post, post_vocab = flat("post", "post_vocab")
    classification, class_vocab = flat("classification", "class_vocab")
    tag_doc, tag, tag_vocab = pairs("tag", "tag_vocab", "tag_indptr")
    cav_doc, cav, cav_vocab = pairs("cav", "cav_vocab", "cav_indptr")
    by, by_vocab = flat("by", "by_vocab")
    pcl_doc, pcl, pcl_vocab = pairs("pcl", "pcl_vocab", "pcl_indptr")
    days = np.concatenate([s["days"] for s in segs]) if segs else np.zeros(0, np.int32)
    dated = days != NO_DATE
    months = np.full(n, -1, dtype=np.int32)
    if dated.any():
        as_month = (EPOCH_DAY + days[dated].astype("timedelta64[D]")).astype("datetime64[M]")
        months[dated] = as_month.astype(np.int64) + 1970 * 12  # year*12 + (month-1)
    year = np.where(months >= 0, months // 12, -1).astype(np.int32)
    refs = [s["ref"] for s in segs]
    return Columns(
        key=key,
        n=n,
        live=live,
        ref=np.concatenate(refs) if refs else np.zeros(0, dtype="S1"),
        post=post,
        post_vocab=post_vocab,
        classification=classification,
        class_vocab=class_vocab,
        tag_doc=tag_doc,
        tag=tag,
        tag_vocab=tag_vocab,
        cav_doc=cav_doc,
        cav=cav,
        cav_vocab=cav_vocab,
        by=by,
        by_vocab=by_vocab,
        pcl_doc=pcl_doc,
        pcl=pcl,
        pcl_vocab=pcl_vocab,
        days=days,
        minutes=np.concatenate([s["minutes"] for s in segs]) if segs else np.zeros(0, np.int64),
        year=year,
        month=months,
        len_text=np.concatenate([s["len_text"] for s in segs]) if segs else np.zeros(0, np.float32),
        len_subject=np.concatenate([s["len_subject"] for s in segs])
        if segs
        else np.zeros(0, np.float32),
        leaves=[
            (segment_id(leaf), int(off), c) for (leaf, off), c in zip(segments, counts, strict=True)
        ],
    )


_lock = threading.Lock()
_columns_cache: dict[tuple, Columns] = {}


def columns_for(searcher) -> Columns:
    """The columns of the index ``searcher`` reads, loaded once per generation and
    cached in the process (web workers only read)."""
    reader = searcher.reader()
    path = searcher_generation(searcher)
    key = _generation_key(path, reader)
    with _lock:
        cached = _columns_cache.get(key)
    if cached is not None:
        return cached
    columns = _assemble(path, reader, key)
    with _lock:
        _columns_cache.clear()
        _columns_cache[key] = columns
    return columns


def cache_clear() -> None:
    with _lock:
        _columns_cache.clear()
    hot_cache_clear()
