"""The engine against Whoosh, on real cables.

1,500 cables of the shared corpus are ingested with the real ingest service (inline
indexing, three batches: several segments) and 60 of them re-indexed (deleted
documents). For a mix of queries, every query field and every filter:

* matches: the engine's mask equals Whoosh's own ``searcher.docs_for_query`` for the
  same parsed query (prefixes of a scored field also reach the slightly shorter stems,
  the engine's one documented extension: the Whoosh query is given them too);
* scores: the engine's score of every match equals a reference BM25F computed the
  plain way, document by document, from Whoosh's public reader API (postings, field
  lengths, deletions). Whoosh's own ``searcher.search`` scores are *not* the same
  formula (its BM25F idf is ``log(N / (df + 1)) + 1`` over all documents, deleted ones
  included, and it scores phrases and prefixes its own way), so the reference below
  writes out the formula of :mod:`search.engine.scoring`;
* ranking: the top 20 by relevance equal the reference's top 20 (ties aside);
* filters: each facet filter's mask equals Whoosh's reading of the same filter.

The last tests prove the comparison notices a dropped posting and a doubled boost.
"""

from __future__ import annotations

import math
import random
import re
import shutil
from datetime import date, datetime
from itertools import pairwise

import numpy as np
import pytest
from whoosh import query as wq

from cables.markings import MARKINGS
from cables.services import cables_ingest
from cables.sources import iter_sources
from search.engine import evaluate as evaluate_module
from search.engine import hot as hot_module
from search.engine import scoring
from search.engine.columns import columns_for
from search.engine.evaluate import query_evaluate, shorter_stems
from search.engine.hot import hot_exists
from search.engine.postings import leaves, positions_cache_clear, segment_id
from search.engine.query import query_parse
from search.engine.ranking import Ordered
from search.engine.schema import (
    PREFIX_BOOST,
    SCHEMA,
    SCORED_FIELDS,
    classification_slug,
    classification_terms,
    tag_term,
)
from search.engine.storage import current_generation_dir, hot_files
from search.engine.writing import sidecars_sync
from search.facets import filter_masks
from search.filters import SearchParams
from search.index import open_searcher
from search.services import caches_clear, index_cables_update, indexing_during_ingest
from tests.conftest import corpus_path

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

SAMPLE = 1500
QUERIES = [
    "embassy",
    "iran nuclear",
    "government",
    '"missile defense"',
    '"prime minister"',
    '"united states"',
    '"united states government"',
    '"secretary of state"',
    '"ministry of foreign affairs"',
    '"the minister"',
    'subject:"prime minister"',
    '"nuclear weapons" iran',
    '"embassy embassy"',
    "iran OR iraq",
    "(china OR russia) military",
    "embassy -iran",
    "NOT embassy",
    "minister AND NOT president",
    "negotiat*",
    "milit*",
    "elect* OR vote",
    "subject:iran",
    "subject:visit text:minister",
    "tag:PREL",
    "tag:MARR OR tag:PGOV",
    'tag:"PREL"',
    "post:OTTAWA",
    "classification:secret",
    "classification:secret-noforn",
    "classification:confidential iran",
    "classification:unclassified-fouo",
    "caveat:noforn",
    "pclass:S",
    "pclass:(C)",
    "ref:STATE",
    "signer:RICE",
    "by:ambassador",
    "person:clinton",
    "embassy tag:PREL -tag:PGOV",
    '"human rights" OR freedom',
    "the of and",
]


@pytest.fixture(scope="module")
def index_root(tmp_path_factory):
    return {"root": tmp_path_factory.mktemp("differential") / "index", "built": False}


@pytest.fixture
def index(db, settings, index_root):
    """The sample ingested and indexed, once per module (the index, in a temporary
    directory, outlives each test's database rollback; the tests read only it)."""
    settings.SEARCH_INDEX_DIR = index_root["root"]
    caches_clear()
    if not index_root["built"]:
        txt = corpus_path("cablegate", "txt")
        files = sorted(txt.glob("*.txt"))[::3][:SAMPLE]
        with indexing_during_ingest() as after_batch:
            report = cables_ingest(items=iter_sources(files), after_batch=after_batch)
        ids = report.ingested_ids
        assert len(ids) > SAMPLE * 0.95
        index_cables_update(reference_ids=ids[:60], pending=False)  # deleted documents
        index_root["built"] = True
    yield index_root["root"]
    caches_clear()


@pytest.fixture
def searcher(index):
    with open_searcher() as searcher:
        yield searcher


# -- the reference -----------------------------------------------------------------------


def whoosh_equivalent(q: wq.Query, reader) -> wq.Query:
    """``q`` with each prefix of a scored field also reaching its shorter stems (what
    the engine documents it does), for Whoosh to match."""
    if isinstance(q, wq.Prefix) and q.fieldname in SCORED_FIELDS:
        stems = [wq.Term(q.fieldname, b.decode()) for b in shorter_stems(q, reader)]
        return wq.Or([q, *stems]) if stems else q
    if isinstance(q, wq.CompoundQuery):
        return q.__class__([whoosh_equivalent(s, reader) for s in q.subqueries], boost=q.boost)
    if isinstance(q, wq.Not):
        return wq.Not(whoosh_equivalent(q.query, reader))
    if isinstance(q, wq.BinaryQuery):
        return q.__class__(whoosh_equivalent(q.a, reader), whoosh_equivalent(q.b, reader))
    return q


def whoosh_docs(searcher, q: wq.Query) -> set[int]:
    return set(searcher.docs_for_query(whoosh_equivalent(q, searcher.reader())))


def scored_terms(q: wq.Query, reader, positive: bool = True):
    """``(field, text, boost)`` of every term occurrence that scores: terms of the
    free-text fields outside a negation; phrase words with the phrase's boost; prefix
    expansions at half the prefix's boost."""
    if isinstance(q, wq.Term):
        if positive and q.fieldname in SCORED_FIELDS:
            yield q.fieldname, q.text, q.boost
    elif isinstance(q, wq.Phrase):
        if positive and q.fieldname in SCORED_FIELDS:
            for word in q.words:
                yield q.fieldname, word, q.boost
    elif isinstance(q, wq.Prefix):
        if positive and q.fieldname in SCORED_FIELDS:
            words = {t.decode() for t in reader.expand_prefix(q.fieldname, q.text)}
            words |= {b.decode() for b in shorter_stems(q, reader)}
            for word in sorted(words):
                yield q.fieldname, word, q.boost * PREFIX_BOOST
    elif isinstance(q, wq.Not):
        yield from scored_terms(q.query, reader, not positive)
    elif isinstance(q, wq.AndNot):
        yield from scored_terms(q.a, reader, positive)
        yield from scored_terms(q.b, reader, not positive)
    elif isinstance(q, wq.Require):
        yield from scored_terms(q.a, reader, positive)
    elif isinstance(q, wq.AndMaybe):
        yield from scored_terms(q.a, reader, positive)
        yield from scored_terms(q.b, reader, positive)
    elif isinstance(q, wq.CompoundQuery):
        for sub in q.subqueries:
            yield from scored_terms(sub, reader, positive)


def reference_scores(searcher, q: wq.Query) -> dict[int, float]:
    """BM25F per document, in plain Python from Whoosh's public reader API:
    ``boost * ln(1 + (N - df + 0.5) / (df + 0.5)) * tf * (K1 + 1) / (tf + K1 * (1 - B +
    B * len / avglen))`` summed over the scored term occurrences of ``q``; N, df and
    avglen over live documents, len as Whoosh stores it."""
    reader = searcher.reader()
    live = [d for d in range(reader.doc_count_all()) if not reader.is_deleted(d)]
    n = len(live)
    avg = {}
    for fieldname in SCORED_FIELDS:
        total = sum(reader.doc_field_length(d, fieldname, 0) or 0 for d in live)
        avg[fieldname] = max(1.0, total / n)
    scores: dict[int, float] = {}
    for fieldname, text, boost in scored_terms(q, reader):
        btext = SCHEMA[fieldname].to_bytes(text)
        if (fieldname, btext) not in reader:
            continue
        postings = [
            (d, w)
            for d, w in reader.postings(fieldname, btext).items_as("weight")
            if not reader.is_deleted(d)
        ]
        if not postings:
            continue
        df = len(postings)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        for docnum, tf in postings:
            length = reader.doc_field_length(docnum, fieldname, 0) or 0
            norm = scoring.K1 * (1 - scoring.B + scoring.B * length / avg[fieldname])
            part = boost * idf * tf * (scoring.K1 + 1) / (tf + norm)
            scores[docnum] = scores.get(docnum, 0.0) + part
    return scores


def assert_agrees(searcher, text: str) -> None:
    """The engine's matches, scores and top 20 for ``text`` equal the reference's."""
    parsed = query_parse(text)
    assert parsed.query is not None, text
    columns = columns_for(searcher)
    ev = query_evaluate(searcher, columns, parsed.query)
    ours = set(np.flatnonzero(ev.mask).tolist())
    theirs = whoosh_docs(searcher, parsed.query)
    assert ours == theirs, (
        f"{text!r}: engine and Whoosh differ: {len(ours - theirs)} only in the engine, "
        f"{len(theirs - ours)} only in Whoosh"
    )
    reference = reference_scores(searcher, parsed.query)
    if ev.scores is None:
        assert not any(reference.get(d) for d in ours), f"{text!r}: the engine scored nothing"
        return
    docs = np.array(sorted(ours), dtype=np.int64)
    expected = np.array([reference.get(d, 0.0) for d in docs.tolist()])
    np.testing.assert_allclose(
        ev.scores[docs], expected, rtol=1e-4, atol=1e-5, err_msg=f"{text!r}: scores differ"
    )
    top = Ordered(docs, columns, ev.scores, "relevance")[:20].tolist()
    ranked = sorted(ours, key=lambda d: -reference.get(d, 0.0))
    cut = reference.get(ranked[min(20, len(ranked)) - 1], 0.0) if ranked else 0.0
    top_scores = [reference.get(d, 0.0) for d in top]
    assert all(a >= b - 1e-4 for a, b in pairwise(top_scores)), (
        f"{text!r}: the top 20 is not in the reference's order"
    )
    assert all(s >= cut - 1e-4 for s in top_scores), f"{text!r}: a top-20 document ranks lower"
    strictly_above = {d for d in ranked if reference.get(d, 0.0) > cut + 1e-4}
    assert strictly_above <= set(top), f"{text!r}: a document of the reference's top 20 is missing"


# -- the comparisons ---------------------------------------------------------------------


@pytest.mark.parametrize("text", QUERIES)
def test_engine_equals_whoosh_and_reference_bm25f(searcher, text):
    evaluate_module.cache_clear()
    assert_agrees(searcher, text)
    for _ in range(2 if '"' in text else 0):
        # a phrase again: its blocks decoded whole and kept, then read from the cache
        evaluate_module.cache_clear()
        assert_agrees(searcher, text)


def test_the_mix_finds_something(searcher):
    """The comparisons above are not vacuous: most queries match, several of them many."""
    columns = columns_for(searcher)
    totals = [
        int(query_evaluate(searcher, columns, query_parse(t).query).mask.sum()) for t in QUERIES
    ]
    assert sum(1 for t in totals if t) >= len(QUERIES) - 3
    assert sum(1 for t in totals if t > 100) >= 8
    assert columns.n > columns.live_count  # there are deleted documents


def _reader_docs(searcher, q: wq.Query) -> np.ndarray:
    return np.array(sorted(searcher.docs_for_query(q)), dtype=np.int64)


def _mask_docs(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask)


def _day_range(start: date, end: date) -> wq.Query:
    return wq.DateRange(
        "created",
        datetime(start.year, start.month, start.day),
        datetime(end.year, end.month, end.day, 23, 59, 59),
    )


def test_every_filter_equals_whoosh(searcher):
    columns = columns_for(searcher)
    live = columns.live

    def check(params: SearchParams, name: str, q: wq.Query) -> None:
        mask = filter_masks(columns, params)[name] & live
        np.testing.assert_array_equal(_mask_docs(mask), _reader_docs(searcher, q), err_msg=name)
        assert mask.any(), f"{name}: matches nothing, a vacuous comparison"

    tag, other = str(columns.tag_vocab[np.bincount(columns.tag).argmax()]), "PGOV"
    check(SearchParams(tags=(tag,)), "tag", wq.Term("tag", tag_term(tag).lower()))
    check(
        SearchParams(tags=(tag,), xtags=(other,)),
        "tag",
        wq.AndNot(wq.Term("tag", tag.lower()), wq.Term("tag", other.lower())),
    )
    post = str(columns.post_vocab[np.bincount(columns.post[live]).argmax()])
    check(SearchParams(post=post), "post", wq.Term("post", post.lower()))
    check(SearchParams(caveat="NOFORN"), "caveat", wq.Term("caveat", "noforn"))
    check(
        SearchParams(pclasses=("S", "C")),
        "pclass",
        wq.And(
            [wq.Term("paragraph_classification", "s"), wq.Term("paragraph_classification", "c")]
        ),
    )
    check(SearchParams(year=2009), "year", _day_range(date(2009, 1, 1), date(2009, 12, 31)))
    check(
        SearchParams(year=2009, month=2), "month", _day_range(date(2009, 2, 1), date(2009, 2, 28))
    )
    check(
        SearchParams(date_from=date(2007, 3, 15), date_to=date(2008, 6, 30)),
        "range",
        _day_range(date(2007, 3, 15), date(2008, 6, 30)),
    )
    # A classification facet value is one exact marking: the documents whose
    # classification terms are exactly that marking's.
    reader = searcher.reader()
    terms_of: dict[int, set[str]] = {}
    for btext in reader.lexicon("classification"):
        for docnum in reader.postings("classification", btext).all_ids():
            terms_of.setdefault(docnum, set()).add(btext.decode())
    for marking in MARKINGS:
        expected = {
            d
            for d, terms in terms_of.items()
            if terms == set(classification_terms(marking).split()) and live[d]
        }
        mask = filter_masks(columns, SearchParams(classification=marking)).get("classification")
        assert set(_mask_docs(mask & live).tolist()) == expected, marking
    # Classified by: one whole name, a phrase of its words in ``classified_by``.
    by_counts = np.bincount(columns.by[live], minlength=len(columns.by_vocab))
    by_counts[columns.code(columns.by_vocab, "")] = 0
    name = str(columns.by_vocab[by_counts.argmax()])
    mask = filter_masks(columns, SearchParams(by=name))["by"] & live
    phrase = query_parse(f'by:"{name}"').query
    assert mask.any() and set(_mask_docs(mask).tolist()) <= set(searcher.docs_for_query(phrase))


# -- the two bugs of issue 12 ------------------------------------------------------------


def test_classification_query_field_knows_noforn(searcher):
    columns = columns_for(searcher)

    def matched(text):
        parsed = query_parse(text)
        assert not parsed.messages, parsed.messages
        return query_evaluate(searcher, columns, parsed.query).mask

    def facet(marking):
        return filter_masks(columns, SearchParams(classification=marking))["classification"]

    secret, noforn = facet("SECRET") & columns.live, facet("SECRET//NOFORN") & columns.live
    assert secret.any() and noforn.any()
    np.testing.assert_array_equal(matched("classification:secret"), secret | noforn)
    np.testing.assert_array_equal(matched("classification:secret-noforn"), noforn)
    np.testing.assert_array_equal(
        matched("classification:confidential-noforn"),
        facet("CONFIDENTIAL//NOFORN") & columns.live,
    )


def test_classification_slugs_follow_the_model():
    from cables.models import Classification

    assert tuple(Classification.values) == MARKINGS
    for marking in MARKINGS:
        parsed = query_parse(f"classification:{classification_slug(marking)}")
        assert not parsed.messages, marking
        assert str(parsed.query) == f"classification:{classification_slug(marking)}"


def test_subject_boost_applied_once(searcher):
    """A word in the subject weighs 2x the same word in the text, not 4x."""
    parsed = query_parse("iran")
    boosts = {t.fieldname: t.boost for t in parsed.query.leaves()}
    assert boosts == {"subject": 2.0, "text": 1.0}
    columns = columns_for(searcher)
    ev = query_evaluate(searcher, columns, parsed.query)
    only_subject = query_evaluate(searcher, columns, wq.Term("subject", "iran", boost=2.0))
    only_text = query_evaluate(searcher, columns, wq.Term("text", "iran"))
    both = np.flatnonzero(only_subject.mask & only_text.mask)
    assert len(both)
    np.testing.assert_allclose(
        ev.scores[both], only_subject.scores[both] + only_text.scores[both], rtol=1e-5
    )
    plain = query_evaluate(searcher, columns, wq.Term("subject", "iran"))
    np.testing.assert_allclose(only_subject.scores[both], 2 * plain.scores[both], rtol=1e-5)


# -- phrases: hot positions against Whoosh's posting blocks ---------------------------------


def _real_phrases(count: int, seed: int = 11) -> list[str]:
    """Runs of two or three words cut from the sample's own cable texts (stop words
    and all, as a reader would paste them), and repeated words."""
    rng = random.Random(seed)
    files = sorted(corpus_path("cablegate", "txt").glob("*.txt"))[::3][:SAMPLE]
    phrases: list[str] = []
    while len(phrases) < count:
        words = re.findall(r"[A-Za-z]+", rng.choice(files).read_text(errors="replace"))
        if len(words) < 10:
            continue
        at = rng.randrange(len(words) - 3)
        size = rng.choice([2, 2, 3])
        phrases.append(" ".join(words[at : at + size]).lower())
    return phrases


PHRASES = [
    "united states",
    "united states government",
    "secretary of state",
    "new new",
    "embassy embassy",
    "state state state",
    "the minister",
    "of the",
    "prime minister said",
]


def _phrase_masks(searcher, text: str) -> set[int]:
    evaluate_module.cache_clear()
    ev = query_evaluate(searcher, columns_for(searcher), query_parse(text).query)
    return set(np.flatnonzero(ev.mask).tolist())


def test_hot_positions_equal_whoosh_blocks_on_real_phrases(searcher, monkeypatch):
    """Phrases of real cable text (every query field, and ``subject:`` alone) match
    the same documents through the hot positions, through Whoosh's posting blocks
    (hot positions switched off) and through Whoosh's own matcher."""
    used = []
    real = hot_module.HotSegment.positions

    def counting(self, fieldname, btext, local):
        found = real(self, fieldname, btext, local)
        used.append(found is not None)
        return found

    texts = [f'"{p}"' for p in PHRASES + _real_phrases(150)]
    texts += ['subject:"prime minister"', 'subject:"united states"', 'text:"the embassy"']
    monkeypatch.setattr(hot_module.HotSegment, "positions", counting)
    hot = {t: _phrase_masks(searcher, t) for t in texts}
    assert sum(used) > 100, "the hot positions were hardly read"
    monkeypatch.setattr(hot_module.HotSegment, "positions", lambda *args: None)
    positions_cache_clear()
    for text in texts:
        blocks = _phrase_masks(searcher, text)
        theirs = whoosh_docs(searcher, query_parse(text).query)
        assert hot[text] == blocks == theirs, (text, len(hot[text] ^ theirs), len(blocks ^ theirs))
    assert sum(1 for t in texts if len(hot[t]) > 10) > 20


def test_phrase_grams_equal_positions_and_whoosh(searcher, monkeypatch):
    """Phrases answered from the segments' grams (two common words: the gram's
    documents; longer ones: narrowed by the grams, then positions) match the same
    documents as with the grams switched off and as Whoosh's matcher: real phrases
    of 2 to 4 words, stop words, repeated words, ``subject:`` and ``text:``."""
    used = []
    real = hot_module.HotSegment.gram_docs

    def counting(self, fieldname, left, right):
        found = real(self, fieldname, left, right)
        used.append(found is not None)
        return found

    rng = random.Random(5)
    long = [p for p in _real_phrases(400, seed=7) if len(p.split()) == 3][:40]
    texts = [f'"{p}"' for p in PHRASES + _real_phrases(150) + long]
    texts += [
        '"the united states of america"',
        '"said the government would"',
        '"united states united states"',
        '"state department"',
        '"states united"',
        '"the government of the united states"',
        'subject:"united states"',
        'text:"united states"',
        'subject:"prime minister"',
        'text:"minister said"',
        '"united states" embassy',
        '-"united states" embassy',
    ]
    texts += [f'"{" ".join(rng.choice(long).split()[:2])} {w}"' for w in ("state", "govern")]
    monkeypatch.setattr(hot_module.HotSegment, "gram_docs", counting)
    grams = {t: _phrase_masks(searcher, t) for t in texts}
    assert sum(used) > 20, "the grams were hardly read"
    monkeypatch.setattr(hot_module.HotSegment, "gram_docs", lambda *args: None)
    for text in texts:
        plain = _phrase_masks(searcher, text)
        theirs = whoosh_docs(searcher, query_parse(text).query)
        assert grams[text] == plain == theirs, (text, len(grams[text] ^ theirs))


def test_phrase_grams_leave_scores_alone(searcher, monkeypatch):
    """A phrase scores by its words, grams or not."""
    q = query_parse('"united states" OR "prime minister"').query
    evaluate_module.cache_clear()
    with_grams = query_evaluate(searcher, columns_for(searcher), q)
    monkeypatch.setattr(hot_module.HotSegment, "gram_docs", lambda *args: None)
    evaluate_module.cache_clear()
    without = query_evaluate(searcher, columns_for(searcher), q)
    assert with_grams.mask.any()
    np.testing.assert_array_equal(with_grams.mask, without.mask)
    np.testing.assert_array_equal(with_grams.scores, without.scores)


def test_phrase_with_slop_equals_whoosh(searcher):
    """Slop is not in the query language; a Phrase with one goes to Whoosh's matcher."""
    columns = columns_for(searcher)
    for slop in (2, 4):
        q = wq.Phrase("text", ["unit", "state"], slop=slop)
        evaluate_module.cache_clear()
        mask = query_evaluate(searcher, columns, q).mask
        assert set(np.flatnonzero(mask).tolist()) == whoosh_docs(searcher, q)


def test_segments_without_hot_positions_read_from_whoosh_then_rebuilt(
    searcher, index, settings, tmp_path
):
    """A generation written before hot positions (version 1 term tables, no
    positions file) still matches phrases through Whoosh's blocks, and the sidecar
    sync after a commit rewrites its hot files with positions, the same bytes as the
    index writer wrote."""
    copy = tmp_path / "index"
    shutil.copytree(index, copy, symlinks=True)
    generation = current_generation_dir(copy)
    segids = [segment_id(leaf) for leaf, _ in leaves(searcher.reader())]
    written = {}
    for segid in segids:
        terms, _docs, _weights, positions = hot_files(generation, segid)
        written[segid] = (positions.read_bytes(), dict(np.load(terms)))
        with open(terms, "wb") as handle:  # the version 1 table: keys and starts
            np.savez(handle, keys=written[segid][1]["keys"], starts=written[segid][1]["starts"])
        positions.unlink()
        assert not hot_exists(generation, segid)
    settings.SEARCH_INDEX_DIR = copy
    caches_clear()
    with open_searcher() as old:
        hot = hot_module.hot_segment(generation, segids[0])
        assert hot is not None and hot.get("text", b"state") is not None
        assert hot.positions("text", b"state", np.zeros(0, np.int64)) is None
        for text in ['"united states"', '"secretary of state"', '"embassy embassy"']:
            assert _phrase_masks(old, text) == whoosh_docs(old, query_parse(text).query)
    sidecars_sync(generation)
    for segid in segids:
        assert hot_exists(generation, segid)
        terms, _docs, _weights, positions = hot_files(generation, segid)
        assert positions.read_bytes() == written[segid][0]
        rebuilt = np.load(terms)
        # rebuilt from Whoosh's postings: the same terms, without the phrase grams
        table = written[segid][1]
        words = np.array([b"#gram\0" not in bytes(k) for k in table["keys"]], dtype=bool)
        np.testing.assert_array_equal(rebuilt["keys"], table["keys"][words])
        np.testing.assert_array_equal(rebuilt["pwidths"], table["pwidths"][words])
        np.testing.assert_array_equal(np.diff(rebuilt["starts"]), np.diff(table["starts"])[words])
        assert len(rebuilt["gram_words"]) == 0
    caches_clear()
    with open_searcher() as new:
        assert _phrase_masks(new, '"united states"') == whoosh_docs(
            new, query_parse('"united states"').query
        )
    caches_clear()


# -- the comparison notices a fault ------------------------------------------------------


def test_a_dropped_posting_is_noticed(searcher, monkeypatch):
    real = evaluate_module.term_postings

    def dropping(segments, generation, fieldname, btext, values=None):
        ids, weights = real(segments, generation, fieldname, btext, values)
        if fieldname == "text" and btext == b"embassi" and len(ids) > 1:
            return ids[:-1], weights[:-1]  # one posting lost (of a live document)
        return ids, weights

    monkeypatch.setattr(evaluate_module, "term_postings", dropping)
    evaluate_module.cache_clear()
    with pytest.raises(AssertionError, match="engine and Whoosh differ"):
        assert_agrees(searcher, "text:embassy")
    evaluate_module.cache_clear()


def test_a_doubled_boost_is_noticed(searcher, monkeypatch):
    real = scoring.Scorer.add

    def doubling(self, fieldname, docs, weights, boost):
        real(self, fieldname, docs, weights, boost * (2.0 if fieldname == "subject" else 1.0))

    monkeypatch.setattr(scoring.Scorer, "add", doubling)
    evaluate_module.cache_clear()
    with pytest.raises(AssertionError, match="scores differ"):
        assert_agrees(searcher, "iran")
    evaluate_module.cache_clear()
