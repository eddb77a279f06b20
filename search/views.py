"""Function views: validate the query string, one call into a selector, render.

A query over a limit of the query language (:mod:`search.engine.limits`) is not run:
its page, JSON and CSV answer 400 with the archive's message."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render

from cables.csvcells import csv_lines
from cables.glossary import classify
from cables.pagecache import archive_page, request_generation
from cables.serialize import date_fields
from search.engine.limits import MAX_QUERY_LENGTH, query_limits
from search.feeds import feed_title, feed_url, search_feed_response, search_filename
from search.filters import SORTS, SearchParams, search_params_from
from search.histogram import histogram_chart
from search.links import result_url, search_url
from search.selectors import (
    PER_PAGE,
    SearchResult,
    cable_id_lookup,
    cable_url,
    search_csv_rows,
    search_run,
)


def _without_blanks(request: HttpRequest) -> str | None:
    """The URL without its empty parameters (``&from=&to=`` that the search form's
    unfilled fields send), or None when it has none: the search redirects there, so
    every URL a reader copies is the short one."""
    pairs = [
        (key, value) for key, values in request.GET.lists() for value in values if value.strip()
    ]
    if len(pairs) == sum(len(values) for _, values in request.GET.lists()):
        return None
    return request.path + ("?" + urlencode(pairs) if pairs else "")


def _render_search(request: HttpRequest, data: QueryDict) -> HttpResponse:
    params, page = search_params_from(data)
    if params.q and not params.has_filters:
        reference_id = cable_id_lookup(params.q)
        if reference_id:
            return redirect(cable_url(reference_id))
    result = search_run(params=params, page=page)
    start = result.page.start_index if result.page else 1
    rows = [
        {**row, "position": start + i, "link": result_url(row["reference_id"], params, start + i)}
        for i, row in enumerate(result.rows)
    ]
    context = {
        "result": result,
        "rows": rows,
        "query_has_quotes": '"' in params.q,
        "query_limit": MAX_QUERY_LENGTH,
        "params": params,
        "site_query": params.q,
        "sorts": SORTS,
        "json_url": search_url(params, fmt="json", page=page),
        "csv_url": search_url(params, fmt="csv"),
        "feed_url": feed_url(params),
        "feed_title": feed_title(params),
        "histogram": histogram_chart(
            result.histogram,
            year_url=None if params.year else lambda y: search_url(params, year=y, month=None),
        ),
        "selected": _selected(result),
        "clear_url": search_url(SearchParams(q=params.q)),
    }
    return render(request, "search/search.html", context, status=_status(result))


def _status(result: SearchResult) -> int:
    if result.refused:
        return 400
    return 404 if result.out_of_range else 200


# A chip names one value: "Tag MARR", not the facet's title "Tags".
CHIP_TITLES = {"tag": "Tag"}


def _selected(result: SearchResult) -> list[dict]:
    """Every active filter with its remove link, for the summary above the results;
    a tag's chip shows its meaning from the TAGS glossary."""
    chips = []
    for facet in result.facets:
        for item in facet["results"]:
            if item["selected"]:
                chips.append(
                    {
                        "title": CHIP_TITLES.get(facet["name"], facet["title"]),
                        "label": item["label"],
                        "meaning": item.get("meaning", ""),
                        "url": item["toggle_url"],
                    }
                )
    params = result.params
    for code in params.xtags:
        chips.append(
            {
                "title": "Not tag",
                "label": code,
                "meaning": classify(code).meaning,
                "url": search_url(params, xtags=tuple(t for t in params.xtags if t != code)),
            }
        )
    if params.date_from:
        chips.append(
            {
                "title": "From",
                "label": params.date_from.isoformat(),
                "url": search_url(params, date_from=None),
            }
        )
    if params.date_to:
        chips.append(
            {
                "title": "To",
                "label": params.date_to.isoformat(),
                "url": search_url(params, date_to=None),
            }
        )
    return chips


@archive_page
def home(request: HttpRequest) -> HttpResponse:
    """The archive's front page: the search page with no query, newest first."""
    return _render_search(request, QueryDict())


@archive_page
def search(request: HttpRequest) -> HttpResponse:
    shorter = _without_blanks(request)
    if shorter is not None:
        return redirect(shorter)
    return _render_search(request, request.GET)


MAX_PER_PAGE = 100


def _per_page(data: QueryDict) -> tuple[int, str | None]:
    """The JSON twin's ``per_page`` (default the page's 20, at most 100), or the
    archive's message for a value it cannot take."""
    raw = data.get("per_page", "")
    if raw == "":
        return PER_PAGE, None
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_PER_PAGE:
        return int(raw), None
    shown = raw if len(raw) <= 40 else raw[:39] + "…"
    return PER_PAGE, (
        f"per_page “{shown}” cannot be used: give a whole number from 1 to {MAX_PER_PAGE}."
    )


def _with_per_page(url: str, per_page: int) -> str:
    """A link to the JSON twin that keeps a ``per_page`` other than the default."""
    if per_page == PER_PAGE:
        return url
    return url + ("&" if "?" in url else "?") + f"per_page={per_page}"


def _absolute_links(value, absolute, json_path: str, per_page: int):
    """A copy of ``value`` (facets, histogram, links) with every ``url``-named link
    made absolute; links to this twin keep ``per_page``. The result may be cached:
    it is copied, never changed in place."""
    if isinstance(value, list | tuple):
        return [_absolute_links(item, absolute, json_path, per_page) for item in value]
    if not isinstance(value, dict):
        return value
    copy = {}
    for key, item in value.items():
        if key.endswith("url") and isinstance(item, str) and item.startswith("/"):
            if item.split("?")[0] == json_path:
                item = _with_per_page(item, per_page)
            copy[key] = absolute(item)
        else:
            copy[key] = _absolute_links(item, absolute, json_path, per_page)
    return copy


@archive_page
def search_json(request: HttpRequest) -> JsonResponse:
    """The search as JSON for scripts: ``per_page`` (1 to 100) rows with ``next`` and
    ``prev`` links to page through them; every URL absolute."""
    per_page, problem = _per_page(request.GET)
    if problem:
        return JsonResponse(
            {"error": "bad request", "detail": problem, "messages": [problem]},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    params, page = search_params_from(request.GET)
    result = search_run(params=params, page=page, per_page=per_page, fmt="json")
    exact = cable_id_lookup(params.q) if params.q and not params.has_filters else None
    absolute = request.build_absolute_uri
    json_path = search_url(fmt="json")

    def page_url(number: int | None) -> str | None:
        if number is None:
            return None
        return absolute(_with_per_page(search_url(params, fmt="json", page=number), per_page))

    info = result.page
    # The HTML page (20 rows) that shows this page's first row.
    html_page = ((result.page_number - 1) * per_page) // PER_PAGE + 1
    links = {
        "html": search_url(params, page=html_page),
        "csv": search_url(params, fmt="csv"),
        "feed": feed_url(params),
    }
    body = {
        "query": {"q": params.q, "text": result.parsed.text, "parsed": result.parsed.display},
        "messages": result.messages,
        "refused": result.refused,
        "total": result.total,
        "page": result.page_number,
        "pages": result.pages,
        "per_page": per_page,
        "next": page_url(info.next_page_number if info and info.has_next else None),
        "prev": page_url(info.previous_page_number if info and info.has_previous else None),
        "sort": result.sort,
        "exact_cable": (
            {"reference_id": exact, "url": absolute(cable_url(exact))} if exact else None
        ),
        "results": [
            {
                "reference_id": row["reference_id"],
                "subject": row["subject"],
                **date_fields(row),
                "post": row["post"],
                "classification": row["classification"],
                "caveats": row["caveats"],
                "snippet": row["snippet"],
                "snippet_html": row["snippet_html"],
                "url": absolute(row["url"]),
            }
            for row in result.rows
        ],
        "facets": _absolute_links(result.facets, absolute, json_path, per_page),
        "histogram": _absolute_links(result.histogram, absolute, json_path, per_page),
        "links": {name: absolute(url) for name, url in links.items()},
    }
    return JsonResponse(body, status=_status(result), json_dumps_params={"ensure_ascii": False})


@archive_page(store=False)
def search_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The whole result set (not one page), streamed: the rows are read from the
    database a chunk at a time as the response is sent, so the whole archive's CSV
    takes constant memory; the file is named after the search. A plain 400 for a
    query over a limit."""
    params, _page = search_params_from(request.GET)
    result = search_run(params=params, page=1, with_rows=False, all_ids=True)
    if result.refused:
        return HttpResponse(
            "\n".join(result.messages) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    ids = result.ordered_ids if result.ordered_ids is not None else []
    rows = search_csv_rows(ids, absolute=request.build_absolute_uri)
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{search_filename(params)}"'
    response["X-Total-Count"] = str(result.total)
    return response


@archive_page
def search_atom(request: HttpRequest) -> HttpResponse:
    """An Atom feed of the search (see :mod:`search.feeds`)."""
    params, _page = search_params_from(request.GET)
    return search_feed_response(request, params, request_generation(request).changed_at)


@archive_page
def search_help(request: HttpRequest) -> HttpResponse:
    return render(request, "search/help.html", {"limits": query_limits()})
