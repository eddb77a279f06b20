"""Pages in process: the page cache off and on, through Django's test client.

    .venv/bin/python bench/pages_inprocess.py [--cables 1500] [--passes 5]
                                              [--cache redis://127.0.0.1:6379/2]

Builds a throwaway SQLite archive under a temp dir (``--workdir`` keeps and reuses
one): the Cablegate id list and the first ``--cables`` shared cables
(../shared/corpus/cablegate/txt), ingested and indexed with the real commands. Then,
with DEBUG off and the full middleware stack, no HTTP server, times each page kind:

* **cache off**: Django's DummyCache (nothing stored; the generation is read from the
  database on every request), i.e. every request renders;
* **cache on**: the ``--cache`` URL (Redis by default; ``file://`` for the default
  of ``make run``). "cold" empties the cache before each request (the generation is
  read from the database again too); "warm" asks again for a page already served;
  "304" sends the ETag back.

Median and p95 in milliseconds over every request of every pass. Prints markdown
for bench/RESULTS.md, with the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path
from urllib.parse import quote_plus

BASE = Path(__file__).resolve().parent.parent
CORPUS = BASE.parent / "shared" / "corpus"
sys.path.insert(0, str(BASE))


def setup_django(workdir: Path, cache_url: str) -> None:
    os.environ.update(
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        SEARCH_INDEX_DIR=str(workdir / "index"),
        CABLES_VAR_DIR=str(workdir),
        STATIC_ROOT=str(workdir / "staticfiles"),
        CACHE_URL=cache_url,
        CACHE_KEY_PREFIX="bench-pages",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    import django

    django.setup()


def build(workdir: Path, cables: int) -> None:
    from django.core.management import CommandError, call_command

    from cables.models import Cable

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # DEBUG off: hashed names
    if Cable.objects.count() >= cables * 0.99:  # a few inputs fail to parse
        return
    sources = sorted((CORPUS / "cablegate" / "txt").glob("*.txt"))[:cables]
    folder = workdir / "cables"
    folder.mkdir(exist_ok=True)
    for path in sources:
        link = folder / path.name
        if not link.exists():
            link.symlink_to(path)
    out = StringIO()
    call_command("load_cable_ids", str(CORPUS / "cablegate-ids" / "cable2month.csv.gz"), stdout=out)
    try:
        call_command("ingest", str(folder), stdout=out, stderr=out)
    except CommandError as exc:  # a handful of the real cables are unreadable: reported
        print(f"ingest: {exc}")


def pick_urls() -> dict[str, list[str]]:
    """A fixed mix: cables with many REF items or citers, busy tags, posts, years."""
    from django.db.models import Count

    from cables.models import Cable, Post, Tag

    cables = list(
        Cable.objects.annotate(n=Count("references"))
        .order_by("-n", "reference_id")
        .values_list("reference_id", flat=True)[:20]
    )
    tags = list(
        Tag.objects.annotate(n=Count("cabletag")).order_by("-n").values_list("code", flat=True)[:5]
    )
    posts = list(
        Post.objects.annotate(n=Count("cables")).order_by("-n").values_list("code", flat=True)[:5]
    )
    words = [
        quote_plus(w)
        for w in ["nuclear", "election", "oil pipeline", '"human rights"', "president -iran"]
    ]
    return {
        "cable page": [f"/cable/{rid}/" for rid in cables],
        "cable JSON twin": [f"/cable/{rid}.json" for rid in cables],
        "cable graph JSON": [f"/cable/{rid}/graph.json" for rid in cables[:10]],
        "search, words": [f"/search/?q={w}" for w in words],
        "search, browse all and one filter": ["/", "/search/?page=2"]
        + [f"/search/?tag={t}" for t in tags[:3]]
        + [f"/search/?post={p}" for p in posts[:2]]
        + ["/search/?year=2009"],
        "search JSON twin": [f"/search.json?q={w}" for w in words[:3]] + ["/search.json"],
        "/tags/": ["/tags/"],
        "/post/X/": [f"/post/{p}/" for p in posts],
        "/date/Y/": ["/date/2008/", "/date/2009/", "/date/2010/"],
    }


def timed(client, url: str, **headers) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url, **headers)
    if response.streaming:
        b"".join(response.streaming_content)
    return (time.perf_counter() - started) * 1000, response.status_code


def stats(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):.2f} / {p95:.2f}"


def measure(urls: dict[str, list[str]], passes: int, cache_on: bool) -> dict[str, str]:
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    rows: dict[str, str] = {}
    for kind, batch in urls.items():
        for url in batch:  # the engine's own per-process caches warm up first
            client.get(url)
        if not cache_on:
            samples = [timed(client, url)[0] for _ in range(passes) for url in batch]
            rows[kind] = stats(samples)
            continue
        cold, warm, not_modified = [], [], []
        for _ in range(passes):
            for url in batch:
                cache.clear()
                elapsed, _status = timed(client, url)
                cold.append(elapsed)
                warm.append(timed(client, url)[0])
                etag = client.get(url)["ETag"]
                not_modified.append(timed(client, url, HTTP_IF_NONE_MATCH=etag)[0])
        rows[kind] = f"{stats(cold)} | {stats(warm)} | {stats(not_modified)}"
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cables", type=int, default=1500, help="shared cables to load")
    parser.add_argument("--passes", type=int, default=5, help="passes over every page")
    parser.add_argument("--cache", default="redis://127.0.0.1:6379/2", help="CACHE_URL when on")
    parser.add_argument("--workdir", type=Path, help="keep the archive here (reused)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="pages-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    setup_django(workdir, args.cache)

    from django.conf import settings
    from django.test import override_settings

    from cables.models import Cable

    started = time.perf_counter()
    build(workdir, args.cables)
    print(f"archive: {Cable.objects.count():,} cables ({time.perf_counter() - started:.0f} s)")
    urls = pick_urls()
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy):
        off = measure(urls, args.passes, cache_on=False)
    on_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    on = measure(urls, args.passes, cache_on=True)

    load = os.getloadavg()
    print()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, SQLite, DEBUG off, load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}; cache on: {on_backend} "
        f"({args.cache}); {args.passes} passes; milliseconds, median / p95."
    )
    print()
    print("| page | cache off | cache on, cold | cache on, warm | 304 |")
    print("|---|---|---|---|---|")
    for kind in urls:
        print(f"| {kind} ({len(urls[kind])} URLs) | {off[kind]} | {on[kind]} |")


if __name__ == "__main__":
    main()
