"""Similar cables (issue 11): server-side latency of "more like this" on an existing
archive and index.

    .venv/bin/python bench/similar.py [--cables 300] [--seed 11] [--smoke]

Reads the archive the settings name (``DATABASE_URL``, ``SEARCH_INDEX_DIR``): build it
first (``manage.py ingest ...``). Picks ``--cables`` live cables of the index at random
(seeded), reads their subject, body, tags and post from the database beforehand (not
timed), makes one untimed call (the per-generation tables every web worker builds once:
columns, the hot-term table, the tag index; its time is printed), then times each cable
once, in two ways:

* **engine**: :func:`search.engine.api.cables_similar`, the index part alone;
* **selector**: :func:`search.similar.cable_similar` as the cable page and the twin
  call it (engine + one query for the similar cables' rows) with its per-generation
  result cache emptied for the cable first (cold per query).

Prints p50 / p95 / max in ms and a markdown row for ``bench/RESULTS.md``. ``--smoke``
times 20 cables and exits non-zero if a result breaks the rules (the cable itself, more
than 8, a hit sharing nothing). ``--arrays N`` needs no archive: it times the array
work alone (scores, candidates, top 8, shared terms) on synthetic columns of N
documents, the part of a call that grows with the archive rather than its segments.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def summary(name: str, values: list[float]) -> str:
    return (
        f"{name}: p50 {statistics.median(values):.1f} ms, p95 {percentile(values, 0.95):.1f} ms, "
        f"max {max(values):.1f} ms over {len(values)} cables"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cables", type=int, default=300, help="cables to time (default 300)")
    parser.add_argument("--seed", type=int, default=11, help="random seed for the sample")
    parser.add_argument("--smoke", action="store_true", help="20 cables, check the results")
    parser.add_argument(
        "--arrays", type=int, metavar="N", help="time the array work alone on N synthetic documents"
    )
    args = parser.parse_args(argv)
    if args.arrays:
        return arrays(args.arrays)
    count = 20 if args.smoke else args.cables
    setup_django()

    from django.core.cache import cache

    from cables.models import Cable, CableTag
    from search.engine import hot, postings
    from search.engine.api import cables_similar
    from search.engine.columns import columns_for
    from search.engine.similar import LIMIT
    from search.index import IndexMissing, index_root, open_searcher
    from search.similar import cable_similar, similar_key

    try:
        with open_searcher() as searcher:
            columns = columns_for(searcher)
    except IndexMissing:
        print("No index: build the archive first (manage.py ingest ...).", file=sys.stderr)
        return 2
    live = columns.reference_ids(columns.live.nonzero()[0])
    sample = random.Random(args.seed).sample(live, min(count, len(live)))
    cables = {
        c.reference_id: c
        for c in Cable.objects.filter(reference_id__in=sample)
        .select_related("origin")
        .only("reference_id", "subject", "body", "origin__code")
    }
    tags: dict[int, list[str]] = {}
    for cable_id, code in (
        CableTag.objects.filter(cable__reference_id__in=sample)
        .order_by("cable_id", "position")
        .values_list("cable_id", "tag__code")
    ):
        tags.setdefault(cable_id, []).append(code)
    sample = [rid for rid in sample if rid in cables]
    if not sample:
        print("The index's cables are not in the database.", file=sys.stderr)
        return 2
    root = index_root()

    def engine(rid: str):
        cable = cables[rid]
        return cables_similar(
            root=root,
            reference_id=rid,
            subject=cable.subject,
            text=cable.body,
            tags=tuple(tags.get(cable.pk, ())),
            post=cable.origin.code,
        )

    started = time.perf_counter()
    engine(sample[0])
    first = (time.perf_counter() - started) * 1000

    # What the index read, counted in an untimed pass: a term's postings from Whoosh's
    # lexicon (one lookup per segment) or from a segment's hot arrays (one pread pair).
    reads = {"lexicon": 0, "hot": 0}

    def counted(function, kind):
        def wrapper(*args, **kwargs):
            found = function(*args, **kwargs)
            reads[kind] += found is not None or kind == "lexicon"
            return found

        return wrapper

    leaf_postings, hot_get = postings.leaf_postings, hot.HotSegment.get
    postings.leaf_postings = counted(leaf_postings, "lexicon")
    hot.HotSegment.get = counted(hot_get, "hot")
    try:
        for rid in sample:
            engine(rid)
    finally:
        postings.leaf_postings, hot.HotSegment.get = leaf_postings, hot_get

    engine_ms, selector_ms, problems, hits = [], [], [], []
    engine_cpu = []
    for rid in sample:
        started, cpu = time.perf_counter(), time.process_time()
        found = engine(rid)
        engine_ms.append((time.perf_counter() - started) * 1000)
        engine_cpu.append((time.process_time() - cpu) * 1000)
        cable = cables[rid]
        cache.delete(similar_key(rid))
        started = time.perf_counter()
        similar = cable_similar(cable=cable, tags=tags.get(cable.pk, []))
        selector_ms.append((time.perf_counter() - started) * 1000)
        hits.append(len(similar.cables))
        ids = [h.reference_id for h in found.hits]
        if rid in ids or len(ids) > LIMIT:
            problems.append(f"{rid}: {ids}")
        problems += [
            f"{rid} -> {h.reference_id} shares nothing"
            for h in found.hits
            if not (h.shared_terms or h.shared_tags)
        ]

    print(f"Similar cables over {columns.live_count:,} live cables, {len(columns.leaves)} segments")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"first call (per-generation tables built): {first:.1f} ms")
    print(summary("engine", engine_ms))
    print(summary("engine, CPU time of this process", engine_cpu))
    print(summary("selector (engine + rows)", selector_ms))
    print(f"similar cables per cable: mean {statistics.mean(hits):.1f}, none for {hits.count(0)}")
    print(
        f"index reads per cable: {reads['lexicon'] / len(sample):.1f} lexicon lookups and "
        f"{reads['hot'] / len(sample):.1f} hot-array reads (term x segment)"
    )
    print(
        f"| {columns.live_count:,} | {len(columns.leaves)} | {len(sample)} | "
        f"{statistics.median(engine_ms):.1f} / {percentile(engine_ms, 0.95):.1f} | "
        f"{statistics.median(engine_cpu):.1f} / {percentile(engine_cpu, 0.95):.1f} | "
        f"{statistics.median(selector_ms):.1f} / {percentile(selector_ms, 0.95):.1f} |"
    )
    for problem in problems:
        print("PROBLEM", problem, file=sys.stderr)
    return 1 if problems else 0


def arrays(n: int) -> int:
    """The array work of one call on synthetic columns of ``n`` documents: 12 key terms
    of 40 to 45,000 documents, 5 tags (Zipf-distributed over 2,000), a post of 270."""
    from types import SimpleNamespace

    import numpy as np

    from search.engine import similar

    rng = np.random.default_rng(1)
    live = np.ones(n, dtype=bool)
    live[rng.choice(n, n // 100, replace=False)] = False
    tag_vocab = np.array([f"T{i:04d}" for i in range(2000)])
    post_vocab = np.array([f"P{i:03d}" for i in range(270)])

    def code(vocab, value):
        i = int(np.searchsorted(vocab, value))
        return i if i < len(vocab) and vocab[i] == value else None

    columns = SimpleNamespace(
        key=("synthetic", n),
        n=n,
        live=live,
        live_count=int(live.sum()),
        len_text=rng.integers(50, 3000, n).astype(np.float32),
        len_subject=rng.integers(1, 15, n).astype(np.float32),
        post=rng.integers(0, 270, n).astype(np.int32),
        post_vocab=post_vocab,
        tag_doc=np.repeat(np.arange(n, dtype=np.int32), 4),
        tag=(rng.zipf(1.6, 4 * n) % 2000).astype(np.int32),
        tag_vocab=tag_vocab,
        leaves=[],
        code=code,
    )
    started = time.process_time()
    tables = similar._tables_for(None, columns)
    built = (time.process_time() - started) * 1000
    index = similar._Index(columns, None, [])
    alive = np.flatnonzero(live)
    chosen = []
    for i, df in enumerate([40, 120, 300, 900, 2600, 4000, 6000, 9000, 14000, 20000, 30000, 45000]):
        df = min(df, len(alive))
        docs = np.sort(rng.choice(alive, df, replace=False)).astype(np.int64)
        tfs = rng.integers(1, 5, df).astype(np.float32)
        chosen.append(similar._Chosen(100.0 / (i + 1), f"t{i}".encode(), df, docs, tfs))
    tags = {c: str(tag_vocab[c]) for c in (0, 1, 7, 40, 300)}
    times = []
    for _ in range(30):
        started = time.process_time()
        docs, ranked = similar._scores(index, chosen, tags, "P005")
        k = min(similar.LIMIT, len(docs))
        top = np.argpartition(-ranked, k - 1)[:k]
        hits = docs[top[np.lexsort((docs[top], -ranked[top]))]]
        [similar._contains(c.docs, hits) for c in chosen]
        times.append((time.process_time() - started) * 1000)
    print(f"array work at {n:,} documents: tables {built:.0f} ms once per generation;")
    print(summary("per call, CPU", times).replace("cables", "calls"))
    tag_docs = [int(tables.tag_df[c]) for c in tags]
    print(f"candidates per call: {len(docs):,}; documents of the 5 tags: {tag_docs}")
    similar.cache_clear()
    return 0


if __name__ == "__main__":
    sys.exit(main())
