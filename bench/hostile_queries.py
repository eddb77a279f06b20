"""Hostile queries, timed server side against an existing archive (issue 13 item 4,
issue 15 item 8): each must be answered or refused within 1 s.

    DATABASE_URL=postgres://... SEARCH_INDEX_DIR=.../index CACHE_URL=locmem:// \\
        nice -n 19 .venv/bin/python bench/hostile_queries.py [--reps 7] \\
        [--code OTHER_CHECKOUT --timeout 60] [--only KEY ...]

Every query is read from its query string by ``search.filters.search_params_from``
(as the view reads it) and run by ``search.selectors.search_run`` (parse, evaluate,
every facet, the first page of 20 rows with their snippets), as
``bench/harness/searchworker.py`` does: one untimed search first (the column store
loaded, as in a long-lived worker), then ``--reps`` calls per query, each after the
per-query result cache is cleared ("cold"). Only reads: nothing is written to the
database or the index (use a throwaway cache: ``CACHE_URL=locmem://``).

``--code`` runs another checkout's code instead (the baseline, e.g. the main branch
before the limits): a call over ``--timeout`` seconds is stopped and reported as
such, and that query's other repetitions are skipped.

Prints a markdown table (query, answered or refused, hits, p50 and max wall ms,
p50 CPU ms, the first message) and the machine's load.
"""

from __future__ import annotations

import argparse
import os
import signal
import string
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness.machine import loadavg  # noqa: E402
from harness.stats import percentile  # noqa: E402

TWO_LETTER_PREFIXES = [a + b + "*" for a in string.ascii_lowercase for b in "aeiou"]
COMMON_WORDS = [
    "embassy",
    "minister",
    "government",
    "president",
    "election",
    "party",
    "oil",
    "security",
    "military",
    "police",
    "foreign",
    "economic",
    "political",
    "official",
    "meeting",
    "country",
    "national",
    "public",
    "support",
    "trade",
    "bank",
    "energy",
    "nuclear",
    "iran",
    "iraq",
    "china",
    "russia",
    "india",
    "pakistan",
    "israel",
    "army",
    "border",
    "water",
    "health",
    "education",
    "court",
    "law",
    "human",
    "rights",
    "press",
    "media",
    "visit",
    "talks",
    "agreement",
    "program",
    "budget",
    "prime",
    "business",
    "report",
    "regional",
]

QUERIES: list[tuple[str, str]] = [
    ("plain: missile defense", "missile defense"),
    ("broad: embassy", "embassy"),
    ("10,000 ORs", " OR ".join(["embassy"] * 10_000)),
    ("50 ORed common words", " OR ".join(COMMON_WORDS)),
    ("50 common words", " ".join(COMMON_WORDS)),
    ("10,000 nested parentheses", "(" * 10_000 + "embassy" + ")" * 10_000),
    ("parentheses 400 deep", "(" * 400 + "embassy" + ")" * 400),
    ("parentheses 10 deep", "(" * 10 + "embassy OR oil" + ")" * 10),
    ("* alone", "*"),
    ("a*", "a*"),
    ("ab*", "ab*"),
    ("co*", "co*"),
    ("2 two-letter prefixes", "co* OR st*"),
    ("10 two-letter prefixes", " OR ".join(TWO_LETTER_PREFIXES[:10])),
    ("130 two-letter prefixes", " OR ".join(TWO_LETTER_PREFIXES)),
    ("tag: 100 KB", "tag:" + "A" * 100_000),
    ("1,000 quoted phrases", " ".join(['"united states"'] * 1000)),
    ("20 quoted phrases", " ".join(['"united states"', '"prime minister"'] * 10)),
    ("a 5,000-letter word", "x" * 5000),
    ("NUL and control characters", "embassy\x00\x01\x1f oil\x7f"),
    ("200 NOTs", "NOT " * 200 + "embassy"),
    ("5,000 unknown fields", "x:" * 5000),
    ("10,001 quotation marks", '"' * 10_001),
    ("2,000 open pclass", "pclass:(" * 2000),
]


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def _setup(code: Path) -> None:
    sys.path.insert(0, str(code))
    os.chdir(code)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _cache_clear() -> None:
    from search.engine import evaluate

    evaluate.cache_clear()


def run(reps: int, timeout: float, only: set[str]) -> list[dict]:
    from django.http import QueryDict

    from search.filters import search_params_from
    from search.selectors import search_run

    search_run(params=search_params_from(QueryDict(""))[0], with_rows=False)
    search_run(params=search_params_from(QueryDict("q=embassy"))[0])
    signal.signal(signal.SIGALRM, _alarm)
    rows = []
    for label, q in QUERIES:
        if only and label not in only:
            continue
        params, page = search_params_from(QueryDict(urlencode({"q": q})))
        wall, cpu, result, timed_out = [], [], None, False
        for _ in range(reps):
            _cache_clear()
            started, cpu_started = time.perf_counter(), time.process_time()
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                result = search_run(params=params, page=page)
            except _Timeout:
                timed_out = True
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            if timed_out:
                break
        refused = bool(getattr(result, "refused", False)) if result is not None else False
        messages = list(result.messages) if result is not None else []
        rows.append(
            {
                "label": label,
                "length": len(q),
                "status": "timed out" if timed_out else ("refused" if refused else "answered"),
                "hits": result.total if result is not None else None,
                "n": len(wall),
                "p50": percentile(wall, 50),
                "max": max(wall),
                "cpu_p50": percentile(cpu, 50),
                "message": (messages[-1] if refused else (messages[0] if messages else "")),
            }
        )
        print(
            f"<!-- {label}: {rows[-1]['status']} p50 {rows[-1]['p50']:.0f} ms -->", file=sys.stderr
        )
    return rows


def markdown(rows: list[dict], timeout: float) -> str:
    lines = [
        "| query | length | result | hits | n | p50 ms | max ms | CPU p50 ms | message |",
        "|---|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        hits = "" if r["hits"] is None else f"{r['hits']:,}"
        top = f"> {timeout * 1000:,.0f}" if r["status"] == "timed out" else f"{r['max']:,.0f}"
        message = r["message"].replace("|", "\\|")
        if len(message) > 110:
            message = message[:107] + "…"
        lines.append(
            f"| {r['label']} | {r['length']:,} | {r['status']} | {hits} | {r['n']} "
            f"| {r['p50']:,.0f} | {top} | {r['cpu_p50']:,.0f} | {message} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=7, help="timed calls per query")
    parser.add_argument("--code", type=Path, default=HERE.parent, help="checkout to run")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per call")
    parser.add_argument("--only", nargs="*", default=[], help="labels of queries to run")
    args = parser.parse_args(argv)
    _setup(args.code.resolve())
    before = loadavg()
    started = time.time()
    rows = run(args.reps, args.timeout, set(args.only))
    print(markdown(rows, args.timeout))
    print(
        f"\nCode: {args.code.resolve().name}; load average before {before}, after {loadavg()}; "
        f"{time.time() - started:.0f} s in all."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
