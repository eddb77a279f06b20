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
than 8, a hit sharing nothing).
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
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
