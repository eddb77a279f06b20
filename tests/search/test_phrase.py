"""The phrase path's two pieces against the plain way: the joined unpickling of position
values against Whoosh's ``decode_positions`` one value at a time, and the numpy phrase
check against the set walk it replaced (``tests/search/test_differential.py`` checks
whole phrase queries against Whoosh's matcher on real cables)."""

from __future__ import annotations

import random

import numpy as np
from whoosh.formats import Positions

from search.engine.analysis import encode_positions
from search.engine.evaluate import phrase_starts
from search.engine.hot import HotSegment, hot_exists, hot_key, hot_write
from search.engine.postings import hot_positions, positions_decode
from search.engine.storage import hot_files


def _random_positions(rng: random.Random) -> list[int]:
    # Small and large deltas: BININT1, BININT2 and BININT opcodes of the pickles.
    size = rng.choice([1, 1, 2, 3, 10, 200])
    top = rng.choice([50, 300, 70_000, 3_000_000])
    return sorted(rng.sample(range(top), min(size, top)))


def test_positions_decode_equals_whoosh_one_by_one():
    rng = random.Random(4)
    fmt = Positions()
    lists = [_random_positions(rng) for _ in range(2_000)]
    values = [
        encode_positions(p) if i % 2 else fmt.encode(p) for i, p in enumerate(lists)
    ]  # both writers' encodings
    values[7] = values[7][:-1]  # a value without its STOP opcode, as Whoosh allows
    counts, flat = positions_decode(values, fmt)
    expected = [fmt.decode_positions(v) for v in values]
    assert counts.tolist() == [len(p) for p in expected]
    assert flat.tolist() == [x for p in expected for x in p]
    assert expected == lists
    empty = positions_decode([], fmt)
    assert len(empty[0]) == len(empty[1]) == 0


def _phrase_by_sets(per_word: list[dict[int, list[int]]], docs: list[int]) -> list[int]:
    """The check ``search.engine.evaluate`` used before: ends shifted by one and
    intersected with the next word's positions, word after word, a document at a time."""
    found = []
    for doc in docs:
        ends = set(per_word[0][doc])
        for word in per_word[1:]:
            ends = {p + 1 for p in ends}.intersection(word[doc])
            if not ends:
                break
        if ends:
            found.append(doc)
    return found


def test_phrase_starts_equals_the_set_walk_in_any_word_order():
    rng = random.Random(9)
    for trial in range(300):
        words = rng.choice([2, 2, 3, 4])
        docs = sorted(rng.sample(range(1_000), rng.randint(1, 60)))
        span = rng.choice([6, 20, 200])
        per_word = [
            {d: sorted(rng.sample(range(span), rng.randint(1, 5))) for d in docs}
            for _ in range(words)
        ]
        if trial % 7 == 0:  # a repeated word ("embassy embassy")
            per_word[-1] = per_word[0]

        def positions(i, among, per_word=per_word):
            lists = [per_word[i][d] for d in among.tolist()]
            counts = np.array([len(p) for p in lists], dtype=np.int64)
            return counts, np.array([x for p in lists for x in p], dtype=np.int64)

        expected = _phrase_by_sets(per_word, docs)
        order = list(range(words))
        rng.shuffle(order)
        got = phrase_starts(np.array(docs, dtype=np.int64), order, positions)
        assert got.tolist() == expected, (trial, order)


def test_hot_positions_round_trip(tmp_path):
    """Hot positions as written and read back for chosen documents: two-byte and
    four-byte terms, a term without positions, a posting whose count of positions is
    not its weight (not stored), and a version 1 table (none at all)."""
    rng = random.Random(5)
    fmt = Positions()
    terms = {}
    for name, top in ((b"narrow", 3_000), (b"wide", 3_000_000)):
        docs = sorted(rng.sample(range(5_000), 400))
        lists = [sorted(rng.sample(range(top), rng.randint(1, 6))) for _ in docs]
        weights = np.array([len(p) for p in lists], dtype=np.float32)
        values = [encode_positions(p) for p in lists]
        terms[name] = (docs, lists, weights, hot_positions(values, weights, fmt))
    wrong = terms[b"narrow"][2].copy()
    wrong[3] += 1
    assert hot_positions([encode_positions(p) for p in terms[b"narrow"][1]], wrong, fmt) is None
    hot = [(hot_key("text", name), docs, w, flat) for name, (docs, _, w, flat) in terms.items()]
    hot.append((hot_key("text", b"bare"), [1, 2], np.ones(2, np.float32), None))
    hot_write(tmp_path, "seg", hot)
    assert hot_exists(tmp_path, "seg")
    segment = HotSegment(tmp_path, "seg")
    assert segment.span(hot_key("text", b"wide"))[2][1] == 4
    assert segment.span(hot_key("text", b"narrow"))[2][1] == 2
    assert segment.span(hot_key("text", b"bare"))[2] is None
    assert segment.span(hot_key("text", b"absent")) is None
    for name, (docs, lists, _, _) in terms.items():
        pick = sorted(rng.sample(range(len(docs)), 50))
        counts, flat = segment.positions("text", name, np.array([docs[k] for k in pick]))
        assert counts.tolist() == [len(lists[k]) for k in pick]
        assert flat.tolist() == [x for k in pick for x in lists[k]]
    assert segment.positions("text", b"bare", np.array([1])) is None
    assert segment.positions("text", b"absent", np.array([1])) is None
    terms_file = hot_files(tmp_path, "seg")[0]
    with np.load(terms_file) as data:
        keys, starts = data["keys"], data["starts"]
    np.savez(terms_file, keys=keys, starts=starts)  # a version 1 table
    assert not hot_exists(tmp_path, "seg")
    old = HotSegment(tmp_path, "seg")
    assert old.get("text", b"wide") is not None
    assert old.positions("text", b"wide", np.array([terms[b"wide"][0][0]])) is None


def test_hot_columns_keep_one_descriptor_and_close_it(tmp_path):
    """A hot column opens its file once for all its reads and closes it when the
    segment cache lets it go (no descriptor per read, none left behind)."""
    import os

    import numpy as np

    from search.engine import hot

    path = tmp_path / "col.npy"
    np.save(path, np.arange(1000, dtype=np.int32))
    fds = lambda: len(os.listdir("/proc/self/fd"))  # noqa: E731
    before = fds()
    column = hot._Column(path)
    for start in range(0, 900, 9):
        assert column.read(start, start + 9).tolist() == list(range(start, start + 9))
    assert fds() == before + 1
    column.close()
    assert fds() == before
    assert column.read(5, 7).tolist() == [5, 6]  # reopens after a close
    column.close()
