"""The tantivy peer in its own process: build the index, then time the query mix.

    DATABASE_URL=postgres://... python -m tantivypeer.worker INDEX_DIR MIX.json \
        [--reps 30] [--budget 60] [--threads 2] [--heap-mb 256] [--keep-index]

Build (see ``build.py``), then for every query of the mix one warm-up search and up to
``--reps`` timed ones (at least 5, then cut short after ``--budget`` seconds), wall
clock, in process, one searcher held open as a long-lived worker would (tantivy keeps
no result cache: every search runs the query, the aggregations and the page). Prints
one JSON object; the index directory is removed unless ``--keep-index``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent.parent), str(HERE.parent)]

import tantivy  # noqa: E402
from harness.stats import latency_summary  # noqa: E402

from tantivypeer import queries  # noqa: E402
from tantivypeer.build import build  # noqa: E402
from tantivypeer.schema import OURS_TO_PEER, index_open, our_fields  # noqa: E402

MIN_REPS = 5


def measure(index_dir: Path, mix: list[dict], *, reps: int, budget: float) -> dict:
    t = time.perf_counter()
    index = index_open(str(index_dir))
    searcher = index.searcher()
    open_ms = (time.perf_counter() - t) * 1000
    results = {}
    for query in mix:
        first = queries.run(index, searcher, query)  # warm-up
        samples, split = [], []
        deadline = time.perf_counter() + budget
        for i in range(reps):
            if i >= MIN_REPS and time.perf_counter() > deadline:
                break
            started = time.perf_counter()
            one = queries.run(index, searcher, query)
            split.append((one["count_facets_ms"], one["page_ms"]))
            samples.append((time.perf_counter() - started) * 1000)
        results[query["key"]] = {
            "label": query["label"],
            **first,
            "latency": latency_summary(samples),
            # medians: the query, count and facets; the page (documents and snippets)
            "count_facets_p50": latency_summary([a for a, _ in split])["p50"],
            "page_p50": latency_summary([b for _, b in split])["p50"],
            "samples": samples,
        }
    return {"open_ms": open_ms, "queries": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("mix", type=Path)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per query")
    parser.add_argument("--threads", type=int, default=2, help="indexing threads")
    parser.add_argument("--heap-mb", type=int, default=256, help="writer memory per thread")
    parser.add_argument("--keep-index", action="store_true")
    args = parser.parse_args(argv)
    mix = json.loads(args.mix.read_text())
    ours = our_fields()
    built = build(args.database_url, args.index_dir, threads=args.threads, heap_mb=args.heap_mb)
    measured = measure(args.index_dir, mix, reps=args.reps, budget=args.budget)
    if not args.keep_index:
        shutil.rmtree(args.index_dir, ignore_errors=True)
    print(
        json.dumps(
            {
                "version": getattr(tantivy, "__version__", "?"),
                "build": built,
                **measured,
                "our_fields": ours,
                "fields_not_indexed": [f for f in ours if f not in OURS_TO_PEER],
            },
            default=str,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
