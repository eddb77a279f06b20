"""Pages that answer like a static archive: cached per archive generation, validated
by it, revalidated by proxies and browsers.

:func:`archive_page` wraps a read-only view:

- **Conditional GET.** The ETag is the generation's token (with the release
  fingerprint), Last-Modified its time: both known before the view runs, from one
  cache read (:func:`cables.selectors.archive_generation`), so a matching
  ``If-None-Match`` / ``If-Modified-Since`` is answered ``304`` without rendering
  anything (Django's :func:`~django.views.decorators.http.condition`).
- **A shared server-side copy.** The rendered response (status, headers, body) is
  stored in the default cache under ``page:<release>:<hash of the absolute URL>``
  (the absolute URL because the JSON twins and citations embed the host) together
  with the generation token it was rendered under, and served only while that is
  the current token: a bump makes every copy unusable at once, and the next request
  replaces it. The copy and the current token come in ONE cache round trip
  (``get_many``: a Redis MGET), so a warm page costs one round trip and no query.
- **Cache-Control** ``settings.PAGE_CACHE_CONTROL`` (``public, no-cache`` by default:
  a proxy or browser may keep the page but asks again each time, and the answer is
  a 304 while the archive has not changed). A response that set a cookie, used the
  CSRF token or the session is never stored and is sent ``private, no-store``.

**Read-only CORS on the twins.** A twin (a path ending ``.json``, ``.csv`` or
``.atom``: the archive's convention for them) answers with
``Access-Control-Allow-Origin: *``, so a script on any site may read it with a plain
GET; the HTML pages do not, nor does anything personal (a response that is not
public never gets it). Only GET and HEAD are answered (no preflight, no credentials).

The release fingerprint (``settings.PAGE_RELEASE``, by default a hash of the code,
templates and static files' names, sizes and times) keys the copies too, so a deploy
never serves pages rendered by the previous code.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache as memoize
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import condition, require_safe

from cables.selectors import GENERATION_KEY, Generation, archive_generation

logger = logging.getLogger(__name__)

STORED_STATUSES = frozenset({200, 301, 404})
TWIN_SUFFIXES = (".json", ".csv", ".atom")
# What a script reading a twin from another origin may see besides the body.
CORS_EXPOSED = "ETag, Last-Modified, Content-Disposition, X-Total-Count"
_FINGERPRINTED = ("cables", "search", "people", "config", "templates", "static")
_SUFFIXES = frozenset({".py", ".html", ".css", ".js", ".svg", ".json"})


@memoize
def release() -> tuple[str, datetime]:
    """(fingerprint, time) of the code and templates that render the pages."""
    configured = getattr(settings, "PAGE_RELEASE", "")
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256(configured.encode())
    newest = 0.0
    if not configured:
        for top in _FINGERPRINTED:
            for path in sorted((base / top).rglob("*")):
                if path.suffix not in _SUFFIXES or "__pycache__" in path.parts:
                    continue
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(base)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode()
                )
                newest = max(newest, stat.st_mtime)
    return digest.hexdigest()[:10], datetime.fromtimestamp(newest, tz=UTC)


def request_generation(request: HttpRequest) -> Generation:
    """The generation this request is answered from: read once per request."""
    generation = getattr(request, "_archive_generation", None)
    if generation is None:
        generation = request._archive_generation = archive_generation()
    return generation


def _etag(request: HttpRequest, *args, **kwargs) -> str:
    return f'W/"{release()[0]}-{request_generation(request).token}"'


def _last_modified(request: HttpRequest, *args, **kwargs) -> datetime:
    return max(request_generation(request).changed_at, release()[1])


def page_key(request: HttpRequest) -> str:
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
    return f"page:{release()[0]}:{url}"


def _prefetch(request: HttpRequest, *, with_copy: bool) -> None:
    """The current generation and (``with_copy``) this URL's stored copy, in one
    round trip; the generation from the database when the cache has lost it."""
    keys = [GENERATION_KEY, page_key(request)] if with_copy else [GENERATION_KEY]
    try:
        found = cache.get_many(keys)
    except Exception:  # a cache down must not take the archive down
        logger.warning("page cache unavailable (get)", exc_info=True)
        found = {}
    row = found.get(GENERATION_KEY)
    request._archive_generation = Generation(*row) if row else archive_generation()
    if with_copy:
        request._page_copy = found.get(keys[-1])


def _personal(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the response is for this reader alone (a cookie, the CSRF token, the
    session): then it is neither stored nor cached publicly."""
    session = getattr(request, "session", None)
    return bool(
        response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and session.accessed)
        or "cookie" in response.get("Vary", "").lower()
    )


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("page cache unavailable (get)", exc_info=True)
        return None


def _cache_set(key: str, value) -> None:
    try:
        cache.set(key, value)
    except Exception:
        logger.warning("page cache unavailable (set)", exc_info=True)


def _from_stored(stored) -> HttpResponse:
    _token, status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    return response


def _stored(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = request_generation(request).token
        if hasattr(request, "_page_copy"):
            stored = request._page_copy
        else:  # a conditional request that did not match: its copy was not fetched
            stored = _cache_get(page_key(request))
        if stored is not None and stored[0] == token:
            return _from_stored(stored)
        response = view(request, *args, **kwargs)
        if (
            response.status_code in STORED_STATUSES
            and not isinstance(response, StreamingHttpResponse)
            and not _personal(request, response)
        ):
            copy = (token, response.status_code, list(response.items()), response.content)
            _cache_set(page_key(request), copy)
        return response

    return wrapper


def archive_page(view: Callable | None = None, *, store: bool = True) -> Callable:
    """Make a read-only view (GET and HEAD only) answer like a static archive: see
    the module. ``store=False`` keeps validators and Cache-Control but stores nothing
    (a streamed CSV of a whole result set)."""

    def decorate(view: Callable) -> Callable:
        inner = _stored(view) if store else view
        conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(inner)

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            conditional_request = "if-none-match" in request.headers or (
                "if-modified-since" in request.headers
            )
            _prefetch(request, with_copy=store and not conditional_request)
            response = conditional(request, *args, **kwargs)
            if _personal(request, response):
                add_never_cache_headers(response)
                response.headers["Cache-Control"] += ", private"
            else:
                if not response.has_header("Cache-Control"):
                    response.headers["Cache-Control"] = settings.PAGE_CACHE_CONTROL
                if request.path.endswith(TWIN_SUFFIXES):
                    response.headers["Access-Control-Allow-Origin"] = "*"
                    response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED
            return response

        return require_safe(wrapper)

    return decorate(view) if view is not None else decorate
