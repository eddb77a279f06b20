"""Pages answer like a static archive: cached per archive generation, never stale,
validated with ETag and Last-Modified, and private when they carry a form.

Run on SQLite with the default (file) cache and on PostgreSQL with Redis
(``CACHE_URL=redis://...``, as ``.ci/run`` does): the same assertions hold for both.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test.utils import CaptureQueriesContext

from cables.models import ArchiveGeneration, Cable, Post
from cables.pagecache import archive_page, page_key
from cables.selectors import GENERATION_KEY, archive_generation
from cables.services import cables_reparse
from cables.services.generation import archive_generation_bump
from search.services import caches_clear
from tests.cabletext import cable_text

pytestmark = pytest.mark.django_db

CABLE_QUERIES_COLD = 9  # see test_cable_page_queries_cold_and_warm


@pytest.fixture
def index_dir(settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    caches_clear()
    yield settings.SEARCH_INDEX_DIR
    caches_clear()


def ingest(*paths: Path, index: bool = True) -> None:
    out = StringIO()
    options = [] if index else ["--no-index"]
    call_command("ingest", *map(str, paths), *options, stdout=out, stderr=out)


@pytest.fixture
def cables_dir(tmp_path: Path) -> Path:
    """08OTTAWA200 (subject WALRUS) cites 08OTTAWA100; 08MEXICO300 cites 08OTTAWA200;
    08OTTAWA150 is cited by nobody yet."""
    folder = tmp_path / "cables"
    folder.mkdir()
    (folder / "08OTTAWA100.txt").write_text(cable_text(serial=100, month=1, day=5))
    (folder / "08OTTAWA150.txt").write_text(cable_text(serial=150, month=1, day=20))
    (folder / "08OTTAWA200.txt").write_text(
        cable_text(serial=200, month=2, day=7, subject="WALRUS TALKS", refs="OTTAWA 100")
    )
    (folder / "08MEXICO300.txt").write_text(
        cable_text(station="MEXICO", serial=300, month=3, tags="SNAR PGOV MX", refs="OTTAWA 200")
    )
    return folder


@pytest.fixture
def archive(cables_dir, index_dir) -> Path:
    ingest(cables_dir)
    return cables_dir


def search_ids(client, q: str) -> set[str]:
    data = client.get("/search.json", {"q": q}).json()
    return {row["reference_id"] for row in data["results"]}


def cited_by_ids(html: str) -> set[str]:
    section = html.split('id="cited-by"', 1)[1].split("</section>", 1)[0]
    return set(re.findall(r"/cable/(\w+)/", section))


def graph_edges(client, reference_id: str) -> set[tuple[str, str]]:
    data = client.get(f"/cable/{reference_id}/graph.json").json()
    return {(e["source"], e["target"]) for e in data["edges"]}


def graph_subjects(client, reference_id: str) -> dict[str, str]:
    data = client.get(f"/cable/{reference_id}/graph.json").json()
    return {n["id"]: n.get("subject") for n in data["nodes"]}


# -- never stale -----------------------------------------------------------------------


def test_a_reingested_cable_is_fresh_everywhere_on_the_next_request(client, archive):
    # Warm every place the cable shows, twice (the second answer comes from the cache).
    for _ in range(2):
        assert "WALRUS TALKS" in client.get("/cable/08OTTAWA200/").content.decode()
        assert client.get("/cable/08OTTAWA200.json").json()["subject"] == "WALRUS TALKS"
        assert "WALRUS TALKS" in client.get("/search/", {"q": "walrus"}).content.decode()
        assert search_ids(client, "walrus") == {"08OTTAWA200"}
        assert search_ids(client, "zebra") == set()
        assert "08OTTAWA200" not in cited_by_ids(client.get("/cable/08OTTAWA150/").content.decode())
        assert ("08OTTAWA200", "08OTTAWA100") in graph_edges(client, "08MEXICO300")
        assert graph_subjects(client, "08MEXICO300")["08OTTAWA200"] == "WALRUS TALKS"

    # Re-ingest with a changed subject and a changed REF (now OTTAWA 150, not 100).
    (archive / "08OTTAWA200.txt").write_text(
        cable_text(serial=200, month=2, day=7, subject="ZEBRA TALKS", refs="OTTAWA 150")
    )
    ingest(archive)

    page = client.get("/cable/08OTTAWA200/").content.decode()
    assert "ZEBRA TALKS" in page and "WALRUS TALKS" not in page
    assert client.get("/cable/08OTTAWA200.json").json()["subject"] == "ZEBRA TALKS"
    assert "ZEBRA TALKS" in client.get("/search/", {"q": "zebra"}).content.decode()
    assert "WALRUS" not in client.get("/search/", {"q": "walrus"}).content.decode().split(
        "<main", 1
    )[1].replace('value="walrus"', "")
    assert search_ids(client, "zebra") == {"08OTTAWA200"}
    assert search_ids(client, "walrus") == set()
    # "Cited by" of the cable it now cites, and of the one it no longer cites
    assert "08OTTAWA200" in cited_by_ids(client.get("/cable/08OTTAWA150/").content.decode())
    assert "08OTTAWA200" not in cited_by_ids(client.get("/cable/08OTTAWA100/").content.decode())
    # the graph of a neighbour: the new edge, the old one gone, the new subject
    edges = graph_edges(client, "08MEXICO300")
    assert ("08OTTAWA200", "08OTTAWA150") in edges
    assert ("08OTTAWA200", "08OTTAWA100") not in edges
    assert graph_subjects(client, "08MEXICO300")["08OTTAWA200"] == "ZEBRA TALKS"


def test_second_request_is_served_from_the_cache_until_the_generation_moves(client, archive):
    first = client.get("/cable/08OTTAWA200/")
    # Changed behind the archive's back (a queryset update sends no signal): the
    # cached copy is still what is served: a hit.
    Cable.objects.filter(reference_id="08OTTAWA200").update(subject="SECRETLY CHANGED")
    second = client.get("/cable/08OTTAWA200/")
    assert second.content == first.content
    assert "SECRETLY CHANGED" not in second.content.decode()
    # The generation moves: a miss, rendered from the database.
    archive_generation_bump()
    assert "SECRETLY CHANGED" in client.get("/cable/08OTTAWA200/").content.decode()


def test_pages_and_twins_are_stored_under_the_generation(client, archive):
    token = archive_generation().token
    urls = [
        "/cable/08OTTAWA200/",
        "/cable/08OTTAWA200.json",
        "/cable/08OTTAWA200/graph.json",
        "/cable/08OTTAWA200/text/",
        "/search/?q=walrus",
        "/search.json?q=walrus",
        "/",
        "/tags/",
        "/tag/PREL/",
        "/posts/",
        "/post/OTTAWA/",
        "/date/",
        "/date/2008/",
        "/date/2008/02/",
        "/date/2008.json",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
        copy = cache.get(page_key(client.get(url).wsgi_request))
        assert copy is not None and copy[0] == token, url  # stored with its generation
    keys = cache_keys()
    if keys is not None:  # backends that can list their keys
        assert sum(":page:" in k for k in keys) == len(urls), sorted(keys)


def cache_keys() -> list[str] | None:
    """Every key in the cache, for backends that can list them (Redis)."""
    try:
        redis = cache._cache.get_client()
    except AttributeError:
        return None
    return [k.decode() for k in redis.keys("*")]


# -- the generation: who bumps it, where it lives ---------------------------------------


def generation_row() -> str:
    return ArchiveGeneration.objects.get(pk=1).token


def test_bump_is_durable_and_survives_a_cache_flush(db):
    token = archive_generation_bump()
    assert generation_row() == token
    assert archive_generation().token == token
    cache.clear()  # a Redis restart, a flushed cache directory
    assert archive_generation().token == token
    assert cache.get(GENERATION_KEY)[0] == token  # refilled from the database
    assert archive_generation_bump() != token


def test_ingest_bumps_the_generation(cables_dir, index_dir):
    before = archive_generation().token
    ingest(cables_dir, index=False)
    after_ingest = archive_generation().token
    assert after_ingest != before and generation_row() == after_ingest
    ingest(cables_dir, index=False)  # nothing changed: nothing to bump
    assert archive_generation().token == after_ingest


def test_index_update_and_rebuild_bump_the_generation(cables_dir, index_dir):
    ingest(cables_dir, index=False)
    before = archive_generation().token
    call_command("update_index", stdout=StringIO())
    after_update = archive_generation().token
    assert after_update != before
    call_command("rebuild_index", stdout=StringIO())
    assert archive_generation().token != after_update


def test_reparse_bumps_the_generation_when_a_cable_changes(cables_dir, index_dir):
    ingest(cables_dir, index=False)
    before = archive_generation().token
    cables_reparse(everything=True)  # reads every cable the same way: no change
    assert archive_generation().token == before
    Cable.objects.filter(reference_id="08OTTAWA200").update(content_hash="stale")
    report = cables_reparse(everything=True)
    assert report.changed == 1
    assert archive_generation().token != before


def test_model_save_and_delete_bump_the_generation(archive, client):
    before = archive_generation().token
    cable = Cable.objects.get(reference_id="08OTTAWA150")
    cable.subject = "EDITED IN A SHELL"
    cable.save()
    after_save = archive_generation().token
    assert after_save != before
    assert "EDITED IN A SHELL" in client.get("/cable/08OTTAWA150/").content.decode()
    cable.delete()
    assert archive_generation().token != after_save
    assert client.get("/cable/08OTTAWA150/").status_code in {200, 404}  # placeholder or gone
    assert "EDITED IN A SHELL" not in client.get("/cable/08OTTAWA150/").content.decode()


def test_admin_edit_bumps_the_generation(archive, client):
    assert "Embassy Ottawa" in client.get("/cable/08OTTAWA200/").content.decode()
    admin = User.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    post = Post.objects.get(code="OTTAWA")
    before = archive_generation().token
    response = client.post(
        f"/admin/cables/post/{post.pk}/change/",
        {"code": "OTTAWA", "name": "Embassy of the Capital", "country": "CA"},
    )
    assert response.status_code == 302
    assert archive_generation().token != before
    client.logout()
    assert "Embassy of the Capital" in client.get("/cable/08OTTAWA200/").content.decode()


# -- conditional GET ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/cable/08OTTAWA200/", "/cable/08OTTAWA200.json", "/search/?q=walrus", "/search.json"]
)
def test_conditional_get_answers_304(client, archive, url):
    first = client.get(url)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"') and archive_generation().token in etag
    assert first["Cache-Control"] == "public, no-cache"

    by_etag = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == etag and by_etag["Cache-Control"] == "public, no-cache"
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert by_date.status_code == 304

    archive_generation_bump()  # the archive changed: the reader's copy is old
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=etag)["ETag"] != etag


def test_304_renders_nothing(client, archive, django_assert_num_queries):
    etag = client.get("/cable/08OTTAWA200/")["ETag"]
    with django_assert_num_queries(0):
        assert client.get("/cable/08OTTAWA200/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_csv_twin_is_validated_but_streamed(client, archive):
    first = client.get("/search.csv", {"q": "walrus"})
    assert first.status_code == 200 and first.streaming
    b"".join(first.streaming_content)
    again = client.get("/search.csv", {"q": "walrus"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_head_and_redirects_and_404s(client, archive):
    assert client.head("/cable/08OTTAWA200/").status_code == 200
    for _ in range(2):
        redirect = client.get("/cable/08ottawa200/")
        assert redirect.status_code == 301 and redirect["Location"] == "/cable/08OTTAWA200/"
        assert client.get("/cable/99NOWHERE1/").status_code == 404
    assert client.post("/cable/08OTTAWA200/").status_code == 405


# -- no public caching of forms or per-user pages --------------------------------------------


def test_admin_pages_are_never_cached_publicly(client, archive):
    login = client.get("/admin/login/")
    assert 'name="csrfmiddlewaretoken"' in login.content.decode()
    assert "public" not in login["Cache-Control"]
    assert "private" in login["Cache-Control"] or "no-store" in login["Cache-Control"]
    client.force_login(User.objects.create_superuser("admin", "a@example.org", "pw"))
    change = client.get("/admin/cables/cable/")
    assert "public" not in change["Cache-Control"] and "no-store" in change["Cache-Control"]


def test_archive_pages_carry_no_post_form(client, archive):
    for url in ["/", "/search/?q=walrus", "/cable/08OTTAWA200/", "/tags/", "/search/help/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"<form[^>]*method=\"?post", html, re.I), url
        assert "csrfmiddlewaretoken" not in html, url


def test_a_page_that_uses_csrf_or_the_session_is_private_and_not_stored(rf, db):
    calls = []

    @archive_page
    def with_form(request):
        calls.append(1)
        return HttpResponse(f'<form method="post"><input value="{get_token(request)}"></form>')

    for _ in range(2):
        response = with_form(rf.get("/form/"))
        assert "public" not in response["Cache-Control"]
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert len(calls) == 2  # rendered each time: never served from the shared cache


# -- the cable page's queries ------------------------------------------------------------


def test_cable_page_queries_cold_and_warm(client, archive, django_assert_num_queries):
    """Cold (nothing cached, not even the generation): 9 here. The generation row
    (only when its cached copy is gone), the cable with its post, then its tags,
    paragraphs, recipients and REF items (four prefetches), its citers, the
    graph's second step (one query, both directions) and the people of its signer
    and classifier (one query, for the links to their person pages). At most 4 more on other
    cables: the loaded cables among the graph's second-step nodes (the page already
    knows the first step), the Cablegate list for REF ids not loaded, for graph nodes
    not loaded, and for the month of a cable without a date. Warm: none at all."""
    cache.clear()
    with django_assert_num_queries(CABLE_QUERIES_COLD):
        assert client.get("/cable/08OTTAWA200/").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/cable/08OTTAWA200/").status_code == 200
    with CaptureQueriesContext(connection) as warm_json:
        client.get("/cable/08OTTAWA200.json")
        client.get("/cable/08OTTAWA200.json")
    assert len(warm_json) < CABLE_QUERIES_COLD


# -- the search selector's own cache -----------------------------------------------------


def test_browse_and_filter_only_searches_are_cached_per_generation(
    archive, django_assert_num_queries
):
    from search.filters import SearchParams
    from search.selectors import search_run

    for params in (SearchParams(), SearchParams(tags=("PREL",)), SearchParams(year=2008)):
        first = search_run(params=params)
        assert first.total >= 3 and first.rows
        with django_assert_num_queries(0):  # rows, snippets and facets from the cache
            again = search_run(params=params)
        assert [r["reference_id"] for r in again.rows] == [r["reference_id"] for r in first.rows]
        assert again.facets == first.facets and again.page == first.page
    # A query with words is not cached here (its page is, by the URL).
    search_run(params=SearchParams(q="walrus"))
    with CaptureQueriesContext(connection) as queries:
        search_run(params=SearchParams(q="walrus"))
    assert len(queries) > 0
    # A changed cable is seen by the next filter-only search.
    Cable.objects.filter(reference_id="08OTTAWA150").update(subject="RENAMED QUIETLY")
    archive_generation_bump()
    rows = search_run(params=SearchParams(tags=("PREL",))).rows
    assert "RENAMED QUIETLY" in {r["subject"] for r in rows}
