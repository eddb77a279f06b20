"""The one URL builder for searches: every link to the search page or its JSON and
CSV twins is ``search_url(params, fmt=..., **changes)``, built on ``reverse()`` and on
the validated :class:`~search.filters.SearchParams` (so a link never carries a
parameter the page dropped, and a new state never keeps a stale ``page``)."""

from __future__ import annotations

from django.urls import reverse

from search.filters import SearchParams

FORMATS = {
    "html": "search:search",
    "json": "search:search_json",
    "csv": "search:search_csv",
    "atom": "search:search_atom",
}


def search_url(params: SearchParams | None = None, *, fmt: str = "html", **changes) -> str:
    """A permalink to a search: ``params`` with ``changes`` (SearchParams fields, plus
    ``page``: kept only when above 1), at the page or a twin (``fmt`` html, json or
    csv or atom). ``search_url(tags=("MARR",))``, ``search_url(params, sort="oldest")``,
    ``search_url(params, fmt="json", page=3)``."""
    return search_url_builder(params, fmt=fmt)(**changes)


def search_url_builder(params: SearchParams | None = None, *, fmt: str = "html"):
    """:func:`search_url` for many links from one state (a facet's dozens of toggle
    links): the path is reversed once."""
    path = reverse(FORMATS[fmt])
    state = params or SearchParams()

    def build(**changes) -> str:
        page = changes.pop("page", None)
        if isinstance(changes.get("tags"), str):
            changes["tags"] = (changes["tags"],)
        query = state.querystring(**changes)
        if page and int(page) > 1 and fmt in ("html", "json"):
            query += ("&" if query else "?") + f"page={int(page)}"
        return path + query

    return build


def name_search_url(query_field: str, name: str) -> str | None:
    """A search for a name in one field of the query language, as a phrase:
    ``name_search_url("by", "Brian Flora")`` -> ``/search/?q=by%3A%22Brian+Flora%22``.
    A quotation mark cannot be searched for inside a phrase (the index keeps words
    only), so it becomes a space; None when nothing is left."""
    words = " ".join((name or "").replace('"', " ").split())
    if not words:
        return None
    return search_url(q=f'{query_field}:"{words}"')


def result_url(reference_id: str, params: SearchParams, position: int) -> str:
    """The cable page opened as result ``position`` (1-based) of the search ``params``:
    the cable's permalink with the search's query string and ``pos``, from which the
    page marks the query's words and links the previous and next results (no session:
    the link is the state). ``/cable/09STATE97244/?q=missile+defense&pos=3``."""
    query = params.querystring(more="")
    path = reverse("cables:cable_detail", args=[reference_id])
    return f"{path}{query}{'&' if query else '?'}pos={int(position)}"


def results_back_url(params: SearchParams, position: int | None, per_page: int) -> str:
    """The results page that lists result ``position``, at that result (``#r23``)."""
    if not position:
        return search_url(params, more="")
    page = (position - 1) // per_page + 1
    return f"{search_url(params, more='', page=page)}#r{position}"
