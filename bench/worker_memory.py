"""A web worker's memory (issue 10: "gunicorn worker RSS after the load, at most
200 MB"), measured in one process that serves what a worker serves, through Django's
WSGI handler with DEBUG off and the page cache off (every page computed, as a worker
does on a miss):

1. the application loaded (as gunicorn's worker after import);
2. the search page for each query of the bench mix (``bench/harness/mix.py``);
3. ``--cables`` cable pages (seeded random live cables);
4. the similar-cables page of ``--similar`` of those cables.

After each stage: VmRSS (resident now) and VmHWM (the peak). Reads the archive the
settings name (``DATABASE_URL``, ``SEARCH_INDEX_DIR``).

    DATABASE_URL=... SEARCH_INDEX_DIR=... .venv/bin/python bench/worker_memory.py
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
sys.path.insert(0, str(BASE / "bench"))


def memory_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB."""
    found = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(rest.split()[0]) / 1024
    return found["VmRSS"], found["VmHWM"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cables", type=int, default=200, help="cable pages (200)")
    parser.add_argument("--similar", type=int, default=20, help="similar-cables pages (20)")
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.update(
        DEBUG="0",
        CACHE_URL="dummy://",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    # DEBUG off serves hashed static names: collected once, outside the checkout
    os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="worker-memory-static-")
    subprocess.run(  # in its own process: not counted in this one's memory
        [sys.executable, str(BASE / "manage.py"), "collectstatic", "--noinput", "-v0"],
        check=True,
        cwd=BASE,
    )
    from django.core.wsgi import get_wsgi_application
    from django.test import Client

    get_wsgi_application()
    from django.db.models import Count, Max, Min
    from harness.mix import query_mix

    from cables.models import Cable

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")  # as from the proxy
    rows: list[tuple[str, float, float, float]] = []

    def stage(label: str, paths: list[str]) -> None:
        start = time.perf_counter()
        for path in paths:
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
        rss, hwm = memory_mb()
        rows.append((label, rss, hwm, time.perf_counter() - start))
        print(f"{label}: RSS {rss:.0f} MB, peak {hwm:.0f} MB", flush=True)

    rss, hwm = memory_mb()
    rows.append(("application loaded", rss, hwm, 0.0))
    print(f"application loaded: RSS {rss:.0f} MB, peak {hwm:.0f} MB", flush=True)

    top_post = (
        Cable.objects.values_list("origin__code", flat=True)
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    searches = []
    for query in query_mix(top_post or "STATE"):
        params = {k: v for k, v in query.items() if k not in ("key", "label")}
        searches.append("/search/?" + urlencode(params, doseq=True))
    stage(f"after the search page, {len(searches)} queries of the mix", searches)

    # chosen by primary key: a list of every id would itself be ~15 MB of this process
    bounds = Cable.objects.aggregate(low=Min("pk"), high=Max("pk"))
    pks = random.Random(args.seed).sample(
        range(bounds["low"], bounds["high"] + 1),
        min(args.cables, bounds["high"] - bounds["low"] + 1),
    )
    chosen = list(Cable.objects.filter(pk__in=pks).values_list("reference_id", flat=True))
    stage(f"after {len(chosen)} cable pages", [f"/cable/{rid}/" for rid in chosen])
    similar = chosen[: args.similar]
    stage(
        f"after {len(similar)} similar-cables pages", [f"/cable/{rid}/similar/" for rid in similar]
    )

    print()
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs"
    print(f"Machine: {machine}, Python {platform.python_version()}, DEBUG off, cache off")
    print("| stage | RSS MB | peak MB | seconds |")
    print("|---|---:|---:|---:|")
    for label, rss, hwm, seconds in rows:
        print(f"| {label} | {rss:.0f} | {hwm:.0f} | {seconds:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
