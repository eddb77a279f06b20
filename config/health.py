"""``/healthz``: is this instance able to serve readers?

For a container health check or a load balancer: 200 when the database answers and
the search index opens, 503 otherwise, with a small JSON body saying what was seen::

    {"status": "ok",
     "database": {"ok": true, "cables": 36, "index_pending": 0},
     "index": {"ok": true, "documents": 36, "in_sync": true}}

An index that is merely behind the database (an ingest running, cables still
``index_pending``) is reported (``in_sync: false``) but stays healthy: every page
still works. An index that is missing, unreadable, or empty while the database holds
cables is not healthy: search would show nothing.

It only reads: one trivial query, two counts and the document count of the live index
generation (no document is read, so it stays cheap on the full archive). Exempt from
the HTTPS redirect (``SECURE_REDIRECT_EXEMPT``) so a probe can use plain HTTP.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cables.models import Cable
from search.index import IndexMissing
from search.selectors import index_document_count

logger = logging.getLogger(__name__)


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {
            "ok": True,
            "cables": Cable.objects.count(),
            "index_pending": Cable.objects.index_pending().count(),
        }
    except DatabaseError as exc:
        logger.error("health: database unreachable: %s", exc)
        return {"ok": False, "error": f"database unreachable: {exc.__class__.__name__}"}


def index_status(*, cables: int | None) -> dict:
    try:
        documents = index_document_count()
    except IndexMissing:
        return {"ok": False, "error": "the search index has not been built"}
    except Exception as exc:  # any failure to open the index makes search unusable
        logger.exception("health: search index unreadable")
        return {"ok": False, "error": f"search index unreadable: {exc.__class__.__name__}"}
    status: dict = {"ok": True, "documents": documents}
    if cables is not None:
        status["in_sync"] = documents == cables
        if documents == 0 and cables > 0:
            status.update(ok=False, error="the search index is empty but the database is not")
    return status


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    database = database_status()
    index = index_status(cables=database.get("cables"))
    ok = database["ok"] and index["ok"]
    body = {"status": "ok" if ok else "error", "database": database, "index": index}
    return JsonResponse(body, status=200 if ok else 503)
