"""People pages: ``/people/`` (searchable, sortable, paginated: the URL is the state),
``/person/<slug>/``, and their JSON twins ``/people.json`` and ``/person/<slug>.json``."""

from __future__ import annotations

import re
from typing import Any

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse

from cables import serialize
from cables.pagecache import archive_page
from people import selectors
from people.models import Person

PER_PAGE = 50
ORPHANS = 3
MAX_QUERY = 200
# Control characters (NUL among them) in ``q`` are read as spaces: NUL never reaches
# a query (PostgreSQL refuses it in text).
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"indent": 2, "ensure_ascii": False})


def _problem(request: HttpRequest, message: str, status: int, *, as_json: bool) -> HttpResponse:
    if as_json:
        error = "bad request" if status == 400 else "not found"
        return _json({"error": error, "detail": message}, status)
    title = "People: bad request" if status == 400 else "People: no such page"
    context = {"title": title, "message": message}
    return render(request, "cables/not_found.html", context, status=status)


def _list_state(request: HttpRequest):
    """(q, sort, page, paginator) from the query string, or (problem, status)."""
    q = " ".join(CONTROL_RE.sub(" ", request.GET.get("q", "")).split())[:MAX_QUERY]
    sort = request.GET.get("sort") or "count"
    if sort not in selectors.SORTS:
        choices = ", ".join(selectors.SORTS)
        return None, (f"Unknown sort {sort!r}: use one of {choices}.", 400)
    paginator = Paginator(selectors.people_list(q=q, sort=sort), PER_PAGE, orphans=ORPHANS)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        message = (
            f"There is no page {request.GET.get('page')} of this list: "
            f"it has {paginator.num_pages} page(s)."
        )
        return None, (message, 404)
    return (q, sort, page, paginator), None


def _list_query(q: str, sort: str, page: int | None = None) -> str:
    params = QueryDict(mutable=True)
    if q:
        params["q"] = q
    if sort != "count":
        params["sort"] = sort
    if page and page > 1:
        params["page"] = str(page)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@archive_page
def people_list(request: HttpRequest) -> HttpResponse:
    state, problem = _list_state(request)
    if problem:
        return _problem(request, *problem, as_json=False)
    q, sort, page, paginator = state
    context = {
        "q": q,
        "sort": sort,
        "sorts": list(selectors.SORTS),
        "page": page,
        "paginator": paginator,
        "json_url": reverse("people:people_list_json") + _list_query(q, sort, page.number),
    }
    return render(request, "people/person_list.html", context)


def _person_brief(person: Person, absolute) -> dict[str, Any]:
    return {
        "slug": person.slug,
        "name": person.name,
        "url": absolute(person.get_absolute_url()),
        "json_url": absolute(reverse("people:person_detail_json", args=[person.slug])),
        "cables": person.cable_count,
        "signed": person.signed_count,
        "classified": person.classified_count,
        "tagged": person.tagged_count,
        "first_year": person.first_year,
        "last_year": person.last_year,
    }


@archive_page
def people_list_json(request: HttpRequest) -> HttpResponse:
    state, problem = _list_state(request)
    if problem:
        return _problem(request, *problem, as_json=True)
    q, sort, page, paginator = state
    absolute = request.build_absolute_uri
    base = reverse("people:people_list_json")

    def page_url(number: int) -> str:
        return absolute(base + _list_query(q, sort, number))

    return _json(
        {
            "q": q,
            "sort": sort,
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "people": [_person_brief(p, absolute) for p in page.object_list],
        }
    )


def _person_or_problem(request: HttpRequest, slug: str, *, as_json: bool):
    person = selectors.person_get(slug=slug)
    if person is None:
        message = f"No person {slug} in this archive: see the list of people."
        return None, _problem(request, message, 404, as_json=as_json)
    return person, None


@archive_page
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person, response = _person_or_problem(request, slug, as_json=False)
    if response is not None:
        return response
    context = {
        "page": selectors.person_page(person=person),
        "person": person,
        "json_url": reverse("people:person_detail_json", args=[person.slug]),
    }
    return render(request, "people/person_detail.html", context)


@archive_page
def person_detail_json(request: HttpRequest, slug: str) -> HttpResponse:
    person, response = _person_or_problem(request, slug, as_json=True)
    if response is not None:
        return response
    absolute = request.build_absolute_uri
    page = selectors.person_page(person=person)
    data = _person_brief(person, absolute)
    data.update(
        {
            "roles": {
                block.role: {
                    "count": block.count,
                    "latest": serialize.cable_list(block.cables, absolute),
                }
                for block in page.roles
            },
            "years": [{"year": y, "count": n} for y, n in page.years],
            "posts": [
                {
                    "code": row.code,
                    "name": row.name,
                    "count": row.count,
                    "url": absolute(reverse("cables:post_detail", args=[row.code])),
                }
                for row in page.posts
            ],
            "top_tags": [serialize.tag_dict(t.code, absolute, t.count) for t in page.top_tags],
            "written_as": [
                {
                    "role": w.role,
                    "written": w.written,
                    "count": w.count,
                    "search_url": absolute(w.search_url) if w.search_url else None,
                }
                for w in page.written
            ],
            "search_url": absolute(page.search_url) if page.search_url else None,
        }
    )
    return _json(data)
