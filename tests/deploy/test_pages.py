"""What a reader sees when something is wrong, with DEBUG off: friendly 404 and 500
pages (no Django debug page, no traceback); and ``/healthz`` in each state."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client

from cables.models import Cable

DEBUG_MARKERS = ("Traceback", "DEBUG = True", "URLconf", "Django tried these URL patterns")


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    return settings


def assert_friendly(response, *expected: str) -> str:
    html = response.content.decode()
    for marker in DEBUG_MARKERS:
        assert marker not in html
    for text in expected:
        assert text in html
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" in response
    return html


@pytest.mark.django_db
def test_unknown_cable_is_a_friendly_404(production, client, index_dir):
    response = client.get("/cable/NOPE/")
    assert response.status_code == 404
    html = assert_friendly(response, "searching the archive", 'href="/tags/"')
    assert "<h1>" in html


@pytest.mark.django_db
def test_unknown_address_is_the_site_404(production, client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = assert_friendly(response, "<h1>Not found</h1>", "There is no page at this address.")
    assert "Resolver404" not in html
    assert 'class="site-search"' in html  # the site's own chrome: a way on


@pytest.mark.urls("tests.deploy.urls")
@pytest.mark.django_db
def test_a_server_error_is_the_friendly_500(production, caplog):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = assert_friendly(response, "Something went wrong", 'href="/"')
    assert "a bug nobody should see" not in html
    assert "RuntimeError" not in html
    # ...while the operator gets the whole story in the log
    assert any("a bug nobody should see" in str(r.exc_info) for r in caplog.records)


def test_handlers_are_djangos_defaults_with_our_templates():
    """No custom handler404/handler500 that could fail in its own right."""
    import config.urls

    assert not hasattr(config.urls, "handler404")
    assert not hasattr(config.urls, "handler500")


# /healthz


def test_healthz_ok(demo_archive, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "database": {"ok": True, "cables": 36, "index_pending": 0},
        "index": {"ok": True, "documents": 36, "in_sync": True},
    }


@pytest.mark.django_db
def test_healthz_without_an_index_is_503(client, index_dir):
    body = client.get("/healthz")
    assert body.status_code == 503
    assert body.json()["status"] == "error"
    assert body.json()["database"]["ok"] is True
    assert body.json()["index"] == {"ok": False, "error": "the search index has not been built"}


def test_healthz_index_behind_the_database_is_still_healthy(demo_archive, client):
    """An ingest in progress: the site works, the lag is reported."""
    Cable.objects.filter(reference_id="10OTTAWA88").delete()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["index"] == {"ok": True, "documents": 36, "in_sync": False}
    assert response.json()["database"]["cables"] == 35


def test_healthz_empty_index_over_a_full_database_is_503(demo_archive, client):
    """An index emptied behind the database's back: search would find nothing."""
    from search.index import open_writer
    from search.services import caches_clear

    with open_writer() as writer:
        for reference_id in Cable.objects.values_list("reference_id", flat=True):
            writer.delete(reference_id)
    caches_clear()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["index"]["documents"] == 0
    assert "empty" in response.json()["index"]["error"]


def test_healthz_database_down_is_503(demo_archive, client, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr("config.health.connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == {"ok": False, "error": "database unreachable: OperationalError"}
    assert body["index"] == {"ok": True, "documents": 36}


@pytest.mark.django_db
def test_healthz_reads_only(client, index_dir):
    assert client.post("/healthz").status_code == 405
