"""More like this: the cables most like one cable, and what each shares with it.

The index keeps no term vectors (and no text), so the caller passes the cable's
subject and body; they are analysed with the index's own analysis
(:func:`search.engine.analysis.text_terms`). A term's weight is tf-idf (raw tf, as
Lucene's MoreLikeThis): the subject's words count ``SUBJECT_WEIGHT`` times, and the
idf is BM25's over the index. The index answers a document frequency only through a
lexicon lookup per segment (tens of µs each, times the segments), so the terms are
chosen in two steps:

1. every term is given an estimated df from the hot postings' term tables (in
   memory: a term in at least 1 % of a segment's documents is "hot" there, with its
   exact count); a term hot nowhere is rare, and its df is guessed as ``RARE_DF``.
   Terms in more than ``COMMON_RATIO`` of the documents (and at least
   ``COMMON_MIN_DOCS``), numbers and tokens mostly of digits are dropped;
2. the best candidates by that estimate (at most ``CANDIDATES``) have their postings
   read (:func:`search.engine.postings.term_postings`): from the hot arrays where a
   term is hot, else through Whoosh, a lexicon lookup and block decoding per segment.
   Those lookups are budgeted: ``LOOKUP_BUDGET`` per cable (at least
   ``RARE_CANDIDATES`` rare terms' worth), so the cost stays bounded however many
   segments the index has. The postings give the exact df: terms in fewer than two
   documents or in every one are dropped, and the best ``KEY_TERMS`` by exact tf-idf
   kept (a candidate estimated below the last of them is not read at all).

The score of a document is BM25 over the key terms of the ``text`` field, each
boosted by its weight over the best one (:class:`search.engine.scoring.Scorer`),
plus ``TAG_BOOST`` times the idf of every tag it shares with the cable (except tags
in more than ``COMMON_RATIO`` of the documents, like PREL or PGOV) and ``POST_BOOST``
times the idf of its post when that is the cable's (from the column store). Only
documents that share a key term or a scored tag are candidates; the cable itself
never is. The shared terms come from the postings already read (membership by binary
search), the shared tags from the columns.

The index is read through a searcher kept open between calls (:func:`_searcher`):
opening Whoosh's segment readers costs more than the rest of a call at 26 segments.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
from whoosh.index import EmptyIndexError

from search.engine.analysis import text_terms
from search.engine.columns import Columns, columns_for
from search.engine.hot import hot_segment
from search.engine.postings import leaves, searcher_generation, term_postings
from search.engine.scoring import Scorer, bm25_idf
from search.engine.storage import IndexMissing, current_generation_dir, index_open

LIMIT = 8
KEY_TERMS = 12
LOOKUP_BUDGET = 60
RARE_CANDIDATES = 3
CANDIDATES = 16
SUBJECT_WEIGHT = 3
COMMON_RATIO = 0.2
COMMON_MIN_DOCS = 20
RARE_DF = 3
TAG_BOOST = 1.5
POST_BOOST = 0.5
FIELD = "text"
# The text analysed: the first MAX_TEXT characters (about 3,500 words; most cables are
# far shorter), as Lucene's MoreLikeThis stops after 5,000 tokens.
MAX_TEXT = 24_000
_DIGITS = re.compile(rb"[0-9]")


@dataclass(frozen=True)
class KeyTerm:
    """A term of the cable chosen for the query: the index term (a stem), the word
    it stands for in the cable (its most frequent form), its weight (tf-idf) and
    how many documents hold it."""

    term: str
    word: str
    weight: float
    df: int


@dataclass(frozen=True)
class SimilarHit:
    reference_id: str
    score: float
    shared_terms: tuple[str, ...]
    shared_tags: tuple[str, ...]
    docnum: int = -1


@dataclass
class Similar:
    """The cables most like one cable, best first, and the key terms used."""

    terms: list[KeyTerm] = field(default_factory=list)
    tags: tuple[str, ...] = ()
    hits: list[SimilarHit] = field(default_factory=list)


# -- the index, kept open ----------------------------------------------------------------


class _Held(NamedTuple):
    path: Path
    ix: object
    searcher: object


_held: _Held | None = None
_held_lock = threading.Lock()


def _release() -> None:
    global _held
    if _held is not None:
        with contextlib.suppress(Exception):
            _held.searcher.close()
            _held.ix.close()
        _held = None


def _current(held: _Held) -> bool:
    """Whether the held searcher still reads the latest commit of its generation."""
    try:
        return held.searcher.up_to_date()
    except OSError:  # the generation's files moved under it: open it again
        return False


@contextlib.contextmanager
def _searcher(root: Path):
    """A searcher over the live index, kept open in this process between calls (one
    call at a time) while the index stays as it was: opening Whoosh's readers costs
    about half a millisecond per segment, a third of a similar-cables call at 26
    segments. It is opened again when ``current`` points to another generation or a
    commit has moved the generation's table of contents (Whoosh's ``up_to_date``:
    one directory listing), and closed by :func:`cache_clear`. Read only, like
    :func:`search.engine.storage.open_searcher`."""
    global _held
    with _held_lock:
        path = current_generation_dir(root)
        if path is None:
            _release()
            raise IndexMissing("the search index has not been built yet")
        if _held is None or _held.path != path or not _current(_held):
            _release()
            try:
                ix = index_open(path)
                _held = _Held(path, ix, ix.searcher())
            except (OSError, EmptyIndexError) as exc:  # pruned meanwhile: next call
                raise IndexMissing(f"the search index could not be opened: {exc}") from exc
        yield _held.searcher


# -- per generation, and the key terms -----------------------------------------------


def _numeric(btext: bytes) -> bool:
    """Numbers, dates, serials and date-time groups (``0421543z``): no topic."""
    if btext.isalpha():
        return False
    return len(_DIGITS.findall(btext)) * 2 > len(btext)


class _Tables:
    """What every call reads of a generation, built once per process and generation:
    each hot term's segment count and documents (from the hot postings' term tables),
    each tag's live documents (the column store's pairs sorted by tag) and document
    frequency, each post's document frequency."""

    def __init__(self, generation: Path, columns: Columns) -> None:
        self.hot: dict[bytes, tuple[int, int]] = {}
        for segid, _offset, _count in columns.leaves:
            segment = hot_segment(generation, segid)
            for btext, count in segment.document_counts(FIELD) if segment else ():
                segments, docs = self.hot.get(btext, (0, 0))
                self.hot[btext] = (segments + 1, docs + count)
        live_pairs = columns.live[columns.tag_doc]
        tags, docs = columns.tag[live_pairs], columns.tag_doc[live_pairs]
        order = np.argsort(tags, kind="stable")
        self.tag_docs = docs[order]
        self.tag_starts = np.searchsorted(tags[order], np.arange(len(columns.tag_vocab) + 1))
        self.tag_df = np.diff(self.tag_starts)
        self.post_df = np.bincount(columns.post[columns.live], minlength=len(columns.post_vocab))

    def docs_of_tag(self, code: int) -> np.ndarray:
        return self.tag_docs[self.tag_starts[code] : self.tag_starts[code + 1]]


_tables_lock = threading.Lock()
_tables: dict[tuple, _Tables] = {}


def _tables_for(generation: Path, columns: Columns) -> _Tables:
    with _tables_lock:
        tables = _tables.get(columns.key)
    if tables is None:
        tables = _Tables(generation, columns)
        with _tables_lock:
            _tables.clear()
            _tables[columns.key] = tables
    return tables


def _term_frequencies(subject: str, text: str) -> dict[bytes, int]:
    counts = {btext: len(p) for btext, p in text_terms((text or "")[:MAX_TEXT]).items()}
    for btext, positions in text_terms(subject or "").items():
        counts[btext] = counts.get(btext, 0) + SUBJECT_WEIGHT * len(positions)
    return counts


def _tf_weight(tf: int) -> float:
    """Raw term frequency (as Lucene's MoreLikeThis): a word the cable repeats says
    more about it than a rare word it uses once."""
    return float(tf)


def _words(stems: set[bytes], subject: str, text: str) -> dict[bytes, str]:
    """The most frequent surface form (lower case) of each stem in the cable: the
    tokens starting like one of the stems (found by one regex), each analysed."""
    if not stems:
        return {}
    prefixes = sorted({re.escape(s[:3].decode("utf-8", "replace")) for s in stems})
    pattern = re.compile(r"\b(?:" + "|".join(prefixes) + r")\w*(?:\.?\w+)*", re.IGNORECASE)
    tokens = Counter(t.lower() for t in pattern.findall(f"{subject}\n{text[:MAX_TEXT]}"))
    words: dict[bytes, tuple[int, str]] = {}
    for token, count in tokens.items():
        found = text_terms(token)
        if len(found) != 1:
            continue
        (stem,) = found
        if stem in stems and count > words.get(stem, (0, ""))[0]:
            words[stem] = (count, token)
    return {stem: word for stem, (_count, word) in words.items()}


# -- the search -------------------------------------------------------------------------


def _doc_tags(columns: Columns, docnum: int) -> np.ndarray:
    """The tag codes of one document (``tag_doc`` is in document order). The bounds
    are searched as ``tag_doc``'s own type: a list of Python ints would make numpy
    copy the whole column to int64 on every call."""
    tag_doc = columns.tag_doc
    lo, hi = np.searchsorted(tag_doc, np.array([docnum, docnum + 1], dtype=tag_doc.dtype))
    return columns.tag[lo:hi]


def _contains(sorted_docs: np.ndarray, docs: np.ndarray) -> np.ndarray:
    if not len(sorted_docs):
        return np.zeros(len(docs), dtype=bool)
    docs = docs.astype(sorted_docs.dtype, copy=False)  # no per-call copy of sorted_docs
    at = np.minimum(np.searchsorted(sorted_docs, docs), len(sorted_docs) - 1)
    return sorted_docs[at] == docs


class _Index(NamedTuple):
    columns: Columns
    generation: Path
    segments: list


class _Chosen(NamedTuple):
    """A key term: its weight, the term, its df and its postings over live documents."""

    weight: float
    btext: bytes
    df: int
    docs: np.ndarray
    tfs: np.ndarray


def similar_find(
    *,
    root: Path,
    reference_id: str,
    subject: str,
    text: str,
    tags: tuple[str, ...] = (),
    post: str = "",
    limit: int = LIMIT,
) -> Similar:
    """The ``limit`` documents most like the cable ``reference_id`` (its subject,
    text, tags and post as given), best first; never the cable itself. A cable with
    neither terms nor tags gets none. Raises :class:`~search.engine.storage.
    IndexMissing` when there is no index."""
    with _searcher(root) as searcher:
        index = _Index(
            columns_for(searcher), searcher_generation(searcher), leaves(searcher.reader())
        )
        chosen = _key_terms(index, subject, text)
    columns = index.columns
    words = _words({c.btext for c in chosen}, subject, text)
    result = Similar(
        terms=[
            KeyTerm(
                c.btext.decode(), words.get(c.btext, c.btext.decode()), round(c.weight, 3), c.df
            )
            for c in chosen
        ],
        tags=tuple(tags),
    )
    tag_codes = {}  # the column store's code of each of the cable's tags -> the tag
    for code in tags:
        i = columns.code(columns.tag_vocab, code)
        if i is not None:
            tag_codes[i] = code
    if not chosen and not tag_codes:
        return result
    docs, ranked = _scores(index, chosen, tag_codes, post)
    own = columns.docnum_of(reference_id)
    if own is not None:
        keep = docs != own
        docs, ranked = docs[keep], ranked[keep]
    k = min(limit, len(docs))
    if not k:
        return result
    top = np.argpartition(-ranked, k - 1)[:k] if k < len(docs) else np.arange(len(docs))
    top = top[np.lexsort((docs[top], -ranked[top]))]
    hits, hit_scores = docs[top], ranked[top]
    shared = [_contains(c.docs, hits) for c in chosen]
    for j, (docnum, ref) in enumerate(zip(hits.tolist(), columns.reference_ids(hits), strict=True)):
        hit_tags = set(_doc_tags(columns, docnum).tolist())
        result.hits.append(
            SimilarHit(
                reference_id=ref,
                score=round(float(hit_scores[j]), 3),
                shared_terms=tuple(
                    t.word for t, has in zip(result.terms, shared, strict=True) if has[j]
                ),
                shared_tags=tuple(code for i, code in tag_codes.items() if i in hit_tags),
                docnum=docnum,
            )
        )
    return result


def _key_terms(index: _Index, subject: str, text: str) -> list[_Chosen]:
    """The cable's key terms, heaviest first, with their postings: see the module."""
    columns = index.columns
    live = max(1, columns.live_count)
    common = max(COMMON_MIN_DOCS, COMMON_RATIO * live)
    hot = _tables_for(index.generation, columns).hot
    segments = len(index.segments)
    estimates = []
    for btext, tf in _term_frequencies(subject, text).items():
        if _numeric(btext):
            continue
        hot_segments, hot_docs = hot.get(btext, (0, 0))
        if hot_docs > common:
            continue
        df = hot_docs if hot_segments else RARE_DF
        lookups = segments - hot_segments  # segments whose lexicon must be read
        estimates.append((_tf_weight(tf) * bm25_idf(live, df), lookups, btext, tf))
    estimates.sort(key=lambda e: (-e[0], e[2]))
    # Estimates are upper bounds of the exact weights (a hot count is at most the df,
    # and a rare term is guessed at RARE_DF): once KEY_TERMS terms are weighed, a
    # candidate estimated below the lightest of them cannot displace it.
    budget = max(LOOKUP_BUDGET, RARE_CANDIDATES * segments)
    chosen: list[_Chosen] = []
    looked = 0
    for estimate, lookups, btext, tf in estimates:
        if len(chosen) >= KEY_TERMS and estimate < chosen[KEY_TERMS - 1].weight:
            break
        if looked >= CANDIDATES:
            break
        if lookups > budget:
            continue
        budget -= lookups
        looked += 1
        docs, tfs = term_postings(index.segments, index.generation, FIELD, btext)
        if len(docs):
            keep = columns.live[docs]
            docs, tfs = docs[keep], tfs[keep]
        df = len(docs)
        if df < 2 or df > common or df >= live:
            continue
        chosen.append(_Chosen(_tf_weight(tf) * bm25_idf(live, df), btext, df, docs, tfs))
        chosen.sort(key=lambda c: (-c.weight, c.btext))
    return chosen[:KEY_TERMS]


def _scores(
    index: _Index, chosen: list[_Chosen], tag_codes: dict[int, str], post: str
) -> tuple[np.ndarray, np.ndarray]:
    """(the live documents sharing a key term or a tag, their scores). Tags in more
    than ``COMMON_RATIO`` of the documents score nothing (PREL, PGOV: they would
    make half the archive a candidate); a shared post counts for candidates only."""
    columns = index.columns
    tables = _tables_for(index.generation, columns)
    scorer = Scorer(columns)
    candidates = np.zeros(columns.n, dtype=bool)
    for c in chosen:
        scorer.add(FIELD, c.docs, c.tfs, c.weight / chosen[0].weight)
        candidates[c.docs] = True
    scores = scorer.scores
    live = scorer.live_count
    for code in tag_codes:
        df = int(tables.tag_df[code])
        if 0 < df <= max(COMMON_MIN_DOCS, COMMON_RATIO * live):
            docs = tables.docs_of_tag(code)
            scores[docs] += np.float32(TAG_BOOST * bm25_idf(live, df))
            candidates[docs] = True
    docs = np.flatnonzero(candidates)
    ranked = scores[docs]
    post_code = columns.code(columns.post_vocab, post) if post else None
    if post_code is not None and len(docs):
        boost = POST_BOOST * bm25_idf(live, int(tables.post_df[post_code]))
        ranked += np.float32(boost) * (columns.post[docs] == post_code)
    return docs, ranked


def cache_clear() -> None:
    with _held_lock:
        _release()
    with _tables_lock:
        _tables.clear()
