"""Search latency on an existing archive (the one DATABASE_URL and SEARCH_INDEX_DIR
point at): the query mix of ``bench/search_bench.py`` through ``search_run`` (all
facets, 20 rows with snippets), cold (query cache cleared) p50/p95/p99 per query,
the column store's memory, this process's RSS; ``--profile LABEL`` prints a cProfile
of one query.

    DATABASE_URL=... SEARCH_INDEX_DIR=... .venv/bin/python bench/profile_search.py --runs 20
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
sys.path.insert(0, str(BASE / "bench"))


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", default="", help="Profile the query whose label contains this")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from search_bench import query_mix

    from search.engine import evaluate as engine
    from search.engine.columns import cache_clear, columns_for
    from search.index import open_searcher
    from search.selectors import search_run

    start_rss = rss_mb()
    t = time.perf_counter()
    cache_clear()
    with open_searcher() as searcher:
        columns = columns_for(searcher)
        segments = len(columns.leaves)
    load_ms = (time.perf_counter() - t) * 1000
    nbytes = sum(v.nbytes for v in vars(columns).values() if hasattr(v, "nbytes"))
    print(
        f"{columns.live_count:,} documents, {segments} segments; columns {nbytes / 2**20:.1f} MB, "
        f"first load {load_ms:.0f} ms; RSS {start_rss:.0f} -> {rss_mb():.0f} MB"
    )
    mix = query_mix()
    if args.profile:
        label, params = next((lb, p) for lb, p in mix if args.profile in lb)
        search_run(params=params)  # imports, URL resolver, column store
        prof = cProfile.Profile()
        for _ in range(3):
            engine.cache_clear()
            prof.enable()
            search_run(params=params)
            prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
        return
    print("| query | hits | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|")
    everything = []
    for label, params in mix:
        times, total = [], 0
        search_run(params=params)  # warm the process (not the query cache)
        for _ in range(args.runs):
            engine.cache_clear()
            t = time.perf_counter()
            total = search_run(params=params).total
            times.append((time.perf_counter() - t) * 1000)
        everything += times
        print(
            f"| {label} | {total:,} | {statistics.median(times):.1f} | {pct(times, 0.95):.1f} "
            f"| {pct(times, 0.99):.1f} |"
        )
    print(
        f"| **all** | | {statistics.median(everything):.1f} | {pct(everything, 0.95):.1f} "
        f"| {pct(everything, 0.99):.1f} |"
    )
    print(f"RSS after the mix: {rss_mb():.0f} MB; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
