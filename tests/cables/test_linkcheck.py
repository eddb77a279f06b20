"""Every internal link of the reading pages works, on 200 real cables.

Ingests a fixed sample of the shared Cablegate corpus plus the Cablegate id list, then
crawls from each cable page through every internal link (cables, placeholders, tags,
posts, dates, their JSON twins and pagination) with the test client: no 404, no 500.
"""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from io import StringIO
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import CommandError, call_command

from cables.models import Cable
from cables.parsing import read_known_ids
from cables.services import cable_ids_load
from tests.conftest import corpus_path

pytestmark = [pytest.mark.django_db, pytest.mark.corpus, pytest.mark.slow]

SAMPLE = 200
HREF = re.compile(r'\bhref="([^"]*)"')
# Not the reading pages' to check here (reading lists and accounts ask anonymous
# readers to log in: tests/readinglists and tests/accounts check those).
FOREIGN = ("/static/", "/search/", "/admin/", "/lists/", "/accounts/")
MAX_PAGES = 6000


def _sample(directory: Path) -> list[Path]:
    files = sorted(directory.glob("*.txt"))
    step = max(len(files) // SAMPLE, 1)
    return files[::step][:SAMPLE]


@pytest.fixture
def real_archive(tmp_path):
    txt = corpus_path("cablegate", "txt")
    ids = corpus_path("cablegate-ids", "cable2month.csv.gz")
    cable_ids_load(pairs=read_known_ids(ids))
    sample = tmp_path / "sample"
    sample.mkdir()
    for path in _sample(txt):
        (sample / path.name).write_bytes(path.read_bytes())
    try:
        call_command("ingest", str(sample), "--no-index", stdout=StringIO(), stderr=StringIO())
    except CommandError as exc:  # a few bad cables must not stop the crawl of the rest
        assert "everything else was ingested" in str(exc)
    assert Cable.objects.count() >= SAMPLE * 0.95


def _links(html: str, base: str) -> set[str]:
    found = set()
    for raw in HREF.findall(html):
        href = urldefrag(unescape(raw)).url
        if not href:
            continue  # a same-page anchor
        if href.startswith("?"):
            href = urlsplit(base).path + href
        if href.startswith("/") and not href.startswith("//"):
            found.add(href)
    return found


def test_every_internal_link_works(client, real_archive):
    start = [f"/cable/{rid}/" for rid in Cable.objects.values_list("reference_id", flat=True)]
    queue = deque(start)
    seen = set(start)
    failures = []
    foreign: set[str] = set()
    checked = 0
    while queue and checked < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        checked += 1
        if response.status_code not in (200, 301):
            failures.append((url, response.status_code))
            continue
        if response.status_code == 301:
            target = response["Location"]
            if target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        for link in _links(response.content.decode(), url):
            if link.startswith(FOREIGN) or link == "/":
                foreign.add(link)
                continue
            if link not in seen:
                seen.add(link)
                queue.append(link)
    assert not failures, failures[:20]
    assert checked < MAX_PAGES, "the crawl did not finish"
    kinds = {u.split("/")[1] for u in seen}
    assert {"cable", "tag", "post", "date"} <= kinds
    assert any(u.endswith(".json") for u in seen)
    assert any(u.startswith("/search/?tag=") for u in foreign)


def test_search_links_resolve(client, real_archive):
    html = client.get("/tag/PREL/").content.decode()
    links = {link for link in _links(html, "/tag/PREL/") if link.startswith("/search/")}
    assert links
    for link in links:
        assert client.get(link).status_code == 200, link
