"""The whole-archive CSV (``/search.csv`` with no query) at two archive sizes: bytes
sent, time, and the Python heap's peak while streaming it (tracemalloc), to show that
memory does not grow with the file.

    .venv/bin/python bench/csv_stream.py [--sizes 2000 8000]

Builds a throwaway SQLite archive in a temp dir (synthetic cables written through the
ORM, indexed with the real services), then reads the CSV through Django's test client
consuming it line by line as a client would. The peak is measured over the streaming
alone (the search that orders the ids runs before it and is reported apart).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))


def setup_django(workdir: Path) -> None:
    os.environ.update(
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        SEARCH_INDEX_DIR=str(workdir / "index"),
        CABLES_VAR_DIR=str(workdir),
        CACHE_URL="dummy://",
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def grow(total: int) -> None:
    """Add synthetic cables until the archive holds ``total``, then index them."""
    from cables.models import Cable
    from search.services import index_cables_update
    from tests.search.factories import make_cable

    start = Cable.objects.count()
    base = datetime(2005, 1, 1, tzinfo=UTC)
    for serial in range(start + 1, total + 1):
        make_cable(
            f"08BENCH{serial}",
            created=base + timedelta(hours=serial),
            subject=f"=SUBJECT {serial} ON MISSILE DEFENSE",
            paragraphs=(f"(C) Paragraph of cable {serial} about missile defense.",),
        )
    index_cables_update(pending=True)


def measure() -> dict:
    from django.test import Client

    client = Client()
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get("/search.csv", {"sort": "oldest"})
    before = tracemalloc.get_traced_memory()[0]
    search_s = time.perf_counter() - started
    assert response.status_code == 200 and response.streaming, response.status_code
    tracemalloc.reset_peak()
    sent = rows = 0
    for line in response.streaming_content:
        sent += len(line)
        rows += 1
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": rows - 1,
        "bytes": sent,
        "search_s": search_s,
        "stream_s": time.perf_counter() - started - search_s,
        "peak_over_start_kb": (peak - before) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 8000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp))
        print("| cables | CSV bytes | search s | stream s | heap peak while streaming |")
        print("|---:|---:|---:|---:|---:|")
        for size in sorted(args.sizes):
            grow(size)
            result = measure()
            print(
                f"| {result['rows']:,} | {result['bytes']:,} | {result['search_s']:.2f} | "
                f"{result['stream_s']:.2f} | {result['peak_over_start_kb']:,.0f} KB |"
            )


if __name__ == "__main__":
    main()
