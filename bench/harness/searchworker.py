"""Our search, server side: the selector the search view calls, in its own process.

    DATABASE_URL=... SEARCH_INDEX_DIR=... python -m harness.searchworker MIX.json \
        [--reps 30] [--budget 60]

For every query of the mix (a JSON list of dicts, see ``mix.py``): the query string
is validated by ``search.filters.search_params_from`` (as the view does), then
``search.selectors.search_run`` counts every facet and renders the first page of rows
with snippets. One warm-up call, then ``--reps`` timed calls (fewer if ``--budget``
seconds run out, at least 5): "cold" clears the per-query result cache first (the
column store stays loaded, as in a long-lived worker), "warm" repeats the call.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent.parent), str(HERE.parent)]

from harness.mix import querystring  # noqa: E402
from harness.stats import latency_summary  # noqa: E402

MIN_REPS = 5


def _cache_clear() -> None:
    from search.engine import evaluate as engine

    clear = getattr(engine, "cache_clear", None)
    if clear is not None:
        clear()


def run(mix: list[dict], reps: int, budget: float) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.http import QueryDict

    from search.filters import search_params_from
    from search.selectors import search_run

    t = time.perf_counter()
    search_run(params=search_params_from(QueryDict(""))[0], with_rows=False)
    first_ms = (time.perf_counter() - t) * 1000
    results = {}
    for query in mix:
        params, page = search_params_from(QueryDict(querystring(query)))
        _cache_clear()
        warmup = search_run(params=params, page=page)
        cold, warm, cpu = [], [], []
        deadline = time.perf_counter() + budget
        for i in range(reps):
            if i >= MIN_REPS and time.perf_counter() > deadline:
                break
            _cache_clear()
            t, c = time.perf_counter(), time.process_time()
            result = search_run(params=params, page=page)
            cold.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            t = time.perf_counter()
            search_run(params=params, page=page)
            warm.append((time.perf_counter() - t) * 1000)
        results[query["key"]] = {
            "label": query["label"],
            "hits": result.total,
            "rows": len(result.rows or []),
            "facets": [f["name"] for f in result.facets],
            "facet_values": sum(len(f["results"]) for f in result.facets),
            "messages": list(warmup.messages),
            "cold": latency_summary(cold),
            "warm": latency_summary(warm),
            "cpu": latency_summary(cpu),
            "cold_samples": cold,
        }
    return {"first_search_ms": first_ms, "queries": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mix", type=Path)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per query")
    args = parser.parse_args(argv)
    mix = json.loads(args.mix.read_text())
    print(json.dumps(run(mix, args.reps, args.budget)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
