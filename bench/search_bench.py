"""Search benchmark: index build throughput and search latency with all facets.

    .venv/bin/python bench/search_bench.py [--size 50000] [--runs 7] [--no-baseline-large]

Builds a throwaway SQLite archive under a temp dir: the shared Cablegate cables
(../shared/corpus/cablegate/txt, ingested with the real parser, --no-index), then
synthetic copies of them up to ``--size`` (new ids: serial + k*100000, year shifted),
copied row by row in SQL with their tags, paragraphs and references. At each size:

* build: ``search.services.index_rebuild`` (database read + Whoosh + column store)
  next to a raw-Whoosh baseline (the same documents, same schema, one writer, no
  columns) in the same run;
* search: a fixed query mix through ``search.selectors.search_run`` (the selector the
  view calls: parse, evaluate, every facet, one page of rows with snippets), server
  side, no HTTP. "cold" clears the per-query LRU before every search; "warm" repeats.

Prints markdown for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))


def setup_django(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["SEARCH_INDEX_DIR"] = str(workdir / "index")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def load_shared(corpus: Path) -> int:
    from io import StringIO

    from django.core.management import CommandError, call_command

    from cables.models import Cable

    call_command("migrate", verbosity=0)
    ids = corpus.parent.parent / "cablegate-ids" / "cable2month.csv.gz"
    if ids.exists():
        with contextlib.suppress(CommandError):  # optional: only helps resolve REF years
            call_command("load_cable_ids", str(ids), stdout=StringIO(), stderr=StringIO())
    started = time.perf_counter()
    with contextlib.suppress(CommandError):  # parser rejects are reported by ingest
        call_command("ingest", str(corpus), "--no-index", stdout=StringIO(), stderr=StringIO())
    count = Cable.objects.count()
    print(
        f"<!-- ingested {count:,} cables in {time.perf_counter() - started:.0f} s -->",
        file=sys.stderr,
    )
    return count


def grow(size: int) -> int:
    """Synthetic copies of the loaded cables up to ``size`` rows, in SQL."""
    from django.db import connection, transaction

    from cables.models import Cable

    originals = list(Cable.objects.order_by("pk").values_list("pk", "reference_id", "created"))
    n = len(originals)
    k = 1
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS bench_map (old INTEGER, new_ref TEXT)")
    while Cable.objects.count() < size:
        need = size - Cable.objects.count()
        batch = originals[: min(n, need)]
        shift = (k % 5) - 2
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("DELETE FROM bench_map")
            rows = []
            for pk, rid, _created in batch:
                yy = int(rid[:2])
                rows.append((pk, f"{(yy + shift) % 100:02d}{rid[2:]}{k}00000"))
            cur.executemany("INSERT INTO bench_map VALUES (%s, %s)", rows)
            cols = [
                f.column
                for f in Cable._meta.concrete_fields
                if f.column not in ("id", "reference_id", "created")
            ]
            col_list = ", ".join(cols)
            src_list = ", ".join(f"c.{c}" for c in cols)
            cur.execute(
                f"INSERT INTO cables_cable (reference_id, created, {col_list}) "  # noqa: S608
                f"SELECT m.new_ref, datetime(c.created, '{shift:+d} years'), {src_list} "
                "FROM cables_cable c JOIN bench_map m ON m.old = c.id"
            )
            cur.execute(
                "CREATE TEMP TABLE IF NOT EXISTS bench_pk AS SELECT 0 AS old, 0 AS new WHERE 0"
            )
            cur.execute("DELETE FROM bench_pk")
            cur.execute(
                "INSERT INTO bench_pk SELECT m.old, c.id FROM bench_map m "
                "JOIN cables_cable c ON c.reference_id = m.new_ref"
            )
            cur.execute(
                "INSERT INTO cables_cabletag (cable_id, tag_id, position) "
                "SELECT p.new, t.tag_id, t.position FROM cables_cabletag t "
                "JOIN bench_pk p ON p.old = t.cable_id"
            )
            cur.execute(
                "INSERT INTO cables_paragraph (cable_id, position, number, classification, text) "
                "SELECT p.new, x.position, x.number, x.classification, x.text "
                "FROM cables_paragraph x JOIN bench_pk p ON p.old = x.cable_id"
            )
            cur.execute(
                "INSERT INTO cables_reference "
                "(source_id, position, letter, text, target_reference_id, target_cable_id) "
                "SELECT p.new, r.position, r.letter, r.text, r.target_reference_id, NULL "
                "FROM cables_reference r JOIN bench_pk p ON p.old = r.source_id"
            )
        k += 1
    return Cable.objects.count()


def build(count: int, baseline: bool) -> dict:
    from cables.models import Cable
    from search.documents import cable_documents
    from search.engine.schema import SCHEMA
    from search.services import caches_clear, index_rebuild

    caches_clear()
    started = time.perf_counter()
    index_rebuild()
    ours = time.perf_counter() - started
    result = {"count": count, "ours": ours}
    started = time.perf_counter()
    for _ in cable_documents(Cable.objects.all()):
        pass
    result["read"] = time.perf_counter() - started
    if baseline:
        from whoosh.filedb.filestore import FileStorage

        with tempfile.TemporaryDirectory() as tmp:
            ix = FileStorage(tmp).create_index(SCHEMA)
            started = time.perf_counter()
            writer = ix.writer(limitmb=256, compound=False)
            for doc, _pk, _hash in cable_documents(Cable.objects.all()):
                writer.add_document(**doc)
            writer.commit()
            result["raw"] = time.perf_counter() - started
            ix.close()
    return result


def query_mix():
    from search.filters import SearchParams
    from search.selectors import search_run

    top = search_run(params=SearchParams(), with_rows=False)
    facets = {f["name"]: f for f in top.facets}
    top_post = facets["post"]["results"][0]["value"]
    from datetime import date

    return [
        ("browse (no query)", SearchParams()),
        ("broad word: embassy", SearchParams(q="embassy")),
        ("rare word: tsvangirai", SearchParams(q="tsvangirai")),
        ('phrase: "missile defense"', SearchParams(q='"missile defense"')),
        ('phrase: "united states"', SearchParams(q='"united states"')),
        ("tag only: PREL", SearchParams(tags=("PREL",))),
        (
            f"tag+post+dates: PGOV, {top_post}, 2008-01-01..2009-12-31",
            SearchParams(
                tags=("PGOV",),
                post=top_post,
                date_from=date(2008, 1, 1),
                date_to=date(2009, 12, 31),
            ),
        ),
        (
            "word + three filters: iran, SECRET, NOFORN, 2009",
            SearchParams(q="iran", classification="SECRET", caveat="NOFORN", year=2009),
        ),
        ("broad + sort newest: government", SearchParams(q="government", sort="newest")),
    ]


def measure(runs: int) -> tuple[list, dict]:
    from search.engine import evaluate as engine
    from search.selectors import search_run

    mix = query_mix()
    rows = []
    all_cold, all_warm = [], []
    all_cpu = []
    for label, params in mix:
        cold, warm, cpu, total = [], [], [], 0
        for _ in range(runs):
            engine.cache_clear()
            t, c = time.perf_counter(), time.process_time()
            result = search_run(params=params)
            cold.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            t = time.perf_counter()
            search_run(params=params)
            warm.append((time.perf_counter() - t) * 1000)
            total = result.total
        all_cold += cold
        all_warm += warm
        all_cpu += cpu
        rows.append(
            (
                label,
                total,
                statistics.median(cold),
                _p95(cold),
                statistics.median(cpu),
                statistics.median(warm),
            )
        )
    summary = {
        "cold_p50": statistics.median(all_cold),
        "cold_p95": _p95(all_cold),
        "cpu_p50": statistics.median(all_cpu),
        "cpu_p95": _p95(all_cpu),
        "warm_p50": statistics.median(all_warm),
        "warm_p95": _p95(all_warm),
    }
    return rows, summary


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def first_load_ms() -> float:
    from search.engine.columns import cache_clear, columns_for
    from search.index import open_searcher

    cache_clear()
    t = time.perf_counter()
    with open_searcher() as searcher:
        columns_for(searcher)
    return (time.perf_counter() - t) * 1000


def report(size_label: str, b: dict, rows: list, summary: dict, load_ms: float) -> None:
    n = b["count"]
    print(f"\n### {size_label}: {n:,} cables\n")
    print("| build | seconds | cables/s |")
    print("|---|---:|---:|")
    print(
        f"| `index_rebuild` (DB read + Whoosh + columns) | {b['ours']:.1f} | {n / b['ours']:,.0f} |"
    )
    if "raw" in b:
        print(f"| raw Whoosh 2.7, same docs and schema | {b['raw']:.1f} | {n / b['raw']:,.0f} |")
    read = b["read"]
    print(f"| (reading the documents from the DB alone) | {read:.1f} | {n / read:,.0f} |")
    print(f"\nColumn store first load in a fresh process: {load_ms:.0f} ms.\n")
    print(
        "| query (all facets, 20 rows + snippets) | hits | cold p50 ms | cold p95 ms "
        "| cold CPU p50 ms | warm p50 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for label, total, c50, c95, cpu50, w50 in rows:
        print(f"| {label} | {total:,} | {c50:.1f} | {c95:.1f} | {cpu50:.1f} | {w50:.1f} |")
    print(
        f"| **all** | | **{summary['cold_p50']:.1f}** | **{summary['cold_p95']:.1f}** "
        f"| {summary['cpu_p50']:.1f} (p95 {summary['cpu_p95']:.1f}) "
        f"| {summary['warm_p50']:.1f} (p95 {summary['warm_p95']:.1f}) |"
    )
    load = os.getloadavg()[0]
    print(f"\nLoad average during the run: {load:.1f} on {os.cpu_count()} CPUs.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=50_000, help="Large archive size (0: skip)")
    parser.add_argument("--runs", type=int, default=7, help="Runs per query")
    parser.add_argument(
        "--corpus",
        default=str(BASE.parent / "shared" / "corpus" / "cablegate" / "txt"),
        help="Directory of cable .txt files",
    )
    parser.add_argument(
        "--no-baseline-large", action="store_true", help="Skip the raw-Whoosh build at --size"
    )
    parser.add_argument("--workdir", default=None, help="Keep the archive here (default: temp)")
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="search-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    setup_django(workdir)

    import platform

    import numpy
    import whoosh

    print("## Search benchmark\n")
    print(
        f"Python {platform.python_version()}, Whoosh {'.'.join(map(str, whoosh.__version__))}, "
        f"numpy {numpy.__version__}, {os.cpu_count()} CPUs, SQLite; {args.runs} runs per query."
    )
    count = load_shared(Path(args.corpus))
    b = build(count, baseline=True)
    load_ms = first_load_ms()
    rows, summary = measure(args.runs)
    report("Shared corpus", b, rows, summary, load_ms)
    if args.size and args.size > count:
        count = grow(args.size)
        b = build(count, baseline=not args.no_baseline_large)
        load_ms = first_load_ms()
        rows, summary = measure(args.runs)
        report("Synthetic", b, rows, summary, load_ms)


if __name__ == "__main__":
    main()
