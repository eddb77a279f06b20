"""Reading pages and their JSON twins. Thin: one or a few selector calls, then render.
Every one is an :func:`~cables.pagecache.archive_page`: cached per archive generation,
with its ETag and Last-Modified, answered 304 when the reader's copy is current.

A cable id the archive does not hold but the Cablegate list knows gets a placeholder
page (status 200) that says so and lists the cables that cite it. Ids typed in another
case or with leading zeros redirect to the canonical URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cables import selectors, serialize
from cables.citation import citation_bibtex, citation_text
from cables.graph import KNOWN, LOADED, layout
from cables.models import Cable
from cables.pagecache import archive_page
from cables.parsing import normalize_id
from cables.parsing.months import MONTH_NAMES
from cables.tag_info import tag_describe
from search.filters import SearchParams, search_params_from
from search.links import name_search_url, result_url, results_back_url, search_url
from search.selectors import PER_PAGE as SEARCH_PER_PAGE
from search.selectors import search_result_context


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"indent": 2, "ensure_ascii": False})


def _not_found(
    request: HttpRequest, *, title: str, message: str, as_json: bool = False, **extra: Any
) -> HttpResponse:
    if as_json:
        return _json({"error": "not found", "detail": message}, status=404)
    context = {"title": title, "message": message, **extra}
    return render(request, "cables/not_found.html", context, status=404)


# -- the cable page ------------------------------------------------------------------


@dataclass(frozen=True)
class Unlisted:
    """A cable id that loaded cables cite, but that neither the archive nor the
    Cablegate list knows (not released, or a misread reference)."""

    reference_id: str
    year: int | None = None
    month: int | None = None


def _cable_or_redirect(
    request: HttpRequest, reference_id: str, view: str, *, as_json: bool = False
):
    """(cable, known, response): the loaded cable, or the known-id row for a placeholder,
    or a response (a redirect to the canonical id, or a 404)."""
    cable = selectors.cable_get_for_page(reference_id=reference_id)
    if cable is not None:
        return cable, None, None
    known = selectors.known_cable_get(reference_id=reference_id)
    if known is not None:
        return None, known, None
    canonical = normalize_id(reference_id)
    if canonical != reference_id:
        return None, None, redirect(view, canonical, permanent=True)
    if selectors.cable_is_cited(reference_id=reference_id):
        # Cited by loaded cables but in no list: a page of its own all the same, so a
        # reader can follow the REF and see who else cites it.
        return None, Unlisted(reference_id), None
    message = (
        f"There is no cable {reference_id} in this archive, and the Cablegate list of "
        "cable ids does not know it either."
    )
    response = _not_found(
        request,
        title=f"No cable {reference_id}",
        message=message,
        as_json=as_json,
        reference_id=reference_id,
    )
    return None, None, response


def _citation(request: HttpRequest, cable: Cable) -> dict[str, str]:
    url = request.build_absolute_uri(serialize.cable_url(cable.reference_id))
    return {
        "text": citation_text(cable=cable, url=url),
        "bibtex": citation_bibtex(cable=cable, url=url),
    }


def _graph_layout(reference_id: str, first: list[tuple[str, str]] | None = None, nodes=None):
    graph = selectors.cable_graph(reference_id=reference_id, first=first, nodes=nodes)
    picture = layout(
        graph,
        url_for=lambda n: serialize.cable_url(n.id) if n.status in {LOADED, KNOWN} else None,
        more_links={1: "#references", 3: "#cited-by"},
    )
    return graph, picture


@archive_page
def cable_detail(request: HttpRequest, reference_id: str) -> HttpResponse:
    cable, known, response = _cable_or_redirect(request, reference_id, "cables:cable_detail")
    if response is not None:
        return response
    if cable is None:
        return _placeholder(request, known)
    references = selectors.cable_references(cable=cable)
    cited_by = selectors.cable_cited_by(reference_id=cable.reference_id)
    # The graph's first step is what the page already read: its REF items, its citers.
    first = [(cable.reference_id, r.target_reference_id) for r in cable.references.all()]
    first += [(citer.reference_id, cable.reference_id) for citer in cited_by]
    # ... and what it knows of those cables already (loaded or not, date, subject).
    nodes = selectors.cable_graph_nodes(center=cable, references=references, cited_by=cited_by)
    graph, picture = _graph_layout(cable.reference_id, [(s, t) for s, t in first if t], nodes)
    context = {
        "cable": cable,
        "tags": [tag_describe(ct.tag.code) for ct in cable.ordered_tags],
        "to_recipients": [r for r in cable.recipients.all() if r.kind == "to"],
        "info_recipients": [r for r in cable.recipients.all() if r.kind == "info"],
        "references": references,
        "cited_by": cited_by,
        "graph": graph,
        "picture": picture,
        "citation": _citation(request, cable),
        "permalink": request.build_absolute_uri(serialize.cable_url(cable.reference_id)),
        "signer_search_url": name_search_url("signer", cable.signer),
        "classified_by_search_url": name_search_url("by", cable.classified_by_name),
        "json_url": reverse("cables:cable_json", args=[cable.reference_id]),
        "graph_json_url": reverse("cables:cable_graph_json", args=[cable.reference_id]),
        "from_search": _from_search(request, cable.reference_id),
    }
    context["mark_terms"] = context["from_search"]["terms"] if context["from_search"] else ()
    context["addressees"] = len(context["to_recipients"]) + len(context["info_recipients"])
    return render(request, "cables/cable_detail.html", context)


def _from_search(request: HttpRequest, reference_id: str) -> dict[str, Any] | None:
    """The search a cable page was opened from, when its URL carries one (a result
    link: the search's query string and ``pos``, see :func:`search.links.result_url`):
    the words to mark, "back to results" and the previous and next results."""
    if "pos" not in request.GET and not request.GET.get("q"):
        return None
    params, _page = search_params_from(request.GET)
    raw = request.GET.get("pos", "")
    position = int(raw) if raw.isdigit() and 0 < int(raw) < 10**9 else None
    found = search_result_context(params=params, reference_id=reference_id, position=position)
    if found is None:
        return None

    def link(neighbour):
        if neighbour is None:
            return None
        return {
            "reference_id": neighbour.reference_id,
            "subject": neighbour.subject,
            "url": result_url(neighbour.reference_id, params, neighbour.position),
        }

    return {
        "q": params.q,
        "terms": found.terms,
        "position": found.position,
        "total": found.total,
        "back_url": results_back_url(params, found.position, SEARCH_PER_PAGE),
        "previous": link(found.previous),
        "next": link(found.next),
    }


def _placeholder(request: HttpRequest, known) -> HttpResponse:
    cited_by = selectors.cable_cited_by(reference_id=known.reference_id)
    first = [(citer.reference_id, known.reference_id) for citer in cited_by]
    nodes = selectors.cable_graph_nodes(center=None, references=[], cited_by=cited_by)
    graph, picture = _graph_layout(known.reference_id, first, nodes)
    context = {
        "known": known,
        "month_name": MONTH_NAMES[known.month - 1]
        if known.month and 1 <= known.month <= 12
        else "",
        "cited_by": cited_by,
        "graph": graph,
        "picture": picture,
        "json_url": reverse("cables:cable_json", args=[known.reference_id]),
        "graph_json_url": reverse("cables:cable_graph_json", args=[known.reference_id]),
    }
    return render(request, "cables/cable_placeholder.html", context)


@archive_page
def cable_json(request: HttpRequest, reference_id: str) -> HttpResponse:
    cable, known, response = _cable_or_redirect(
        request, reference_id, "cables:cable_json", as_json=True
    )
    if response is not None:
        return response
    absolute = request.build_absolute_uri
    if cable is None:
        cited_by = selectors.cable_cited_by(reference_id=known.reference_id)
        return _json(serialize.placeholder_dict(known, cited_by=cited_by, absolute=absolute))
    data = serialize.cable_dict(
        cable,
        references=selectors.cable_references(cable=cable),
        cited_by=selectors.cable_cited_by(reference_id=cable.reference_id),
        citation=_citation(request, cable),
        absolute=absolute,
    )
    return _json(data)


@archive_page
def cable_text(request: HttpRequest, reference_id: str) -> HttpResponse:
    """The original text, header and body, as text/plain."""
    cable = (
        Cable.objects.filter(reference_id=reference_id)
        .only("reference_id", "header", "body")
        .first()
    )
    if cable is None:
        canonical = normalize_id(reference_id)
        if canonical != reference_id:
            return redirect("cables:cable_text", canonical, permanent=True)
        return _not_found(
            request,
            title=f"No cable {reference_id}",
            message=f"There is no text for {reference_id}: the cable is not in this archive.",
        )
    response = HttpResponse(cable.text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{cable.reference_id}.txt"'
    return response


@archive_page
def cable_graph_json(request: HttpRequest, reference_id: str) -> HttpResponse:
    exists = (
        Cable.objects.filter(reference_id=reference_id).exists()
        or selectors.known_cable_get(reference_id=reference_id) is not None
        or selectors.cable_is_cited(reference_id=reference_id)
    )
    if not exists:
        canonical = normalize_id(reference_id)
        if canonical != reference_id:
            return redirect("cables:cable_graph_json", canonical, permanent=True)
        return _json({"error": "not found", "detail": f"no cable {reference_id}"}, status=404)
    graph = selectors.cable_graph(reference_id=reference_id)
    return _json(serialize.graph_dict(graph, request.build_absolute_uri))


# -- tags ----------------------------------------------------------------------------


@archive_page
def tag_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.tag_index()
    context = {
        "groups": groups,
        "total": sum(len(g.rows) for g in groups),
        "json_url": reverse("cables:tag_list_json"),
    }
    return render(request, "cables/tag_list.html", context)


@archive_page
def tag_list_json(request: HttpRequest) -> HttpResponse:
    absolute = request.build_absolute_uri
    groups = selectors.tag_index()
    return _json(
        {
            "groups": serialize.groups_dict(
                groups,
                lambda row: {
                    "code": row.code,
                    "kind": row.kind,
                    "meaning": row.meaning,
                    "count": row.count,
                    "url": absolute(reverse("cables:tag_detail", args=[row.code])),
                },
            ),
        }
    )


def _tag_or_response(request: HttpRequest, code: str, view: str, *, as_json: bool = False):
    tag = selectors.tag_get(code=code)
    if tag is None:
        return None, _not_found(
            request,
            title=f"No tag {code}",
            message=f"No cable in this archive carries the tag {code}.",
            as_json=as_json,
        )
    if tag.code != code:
        return None, redirect(view, tag.code, permanent=True)
    return tag, None


@archive_page
def tag_detail(request: HttpRequest, code: str) -> HttpResponse:
    tag, response = _tag_or_response(request, code, "cables:tag_detail")
    if response is not None:
        return response
    context = {
        "tag": tag,
        "info": tag_describe(tag.code),
        "summary": selectors.tag_summary(tag=tag),
        "search_params": SearchParams(tags=(tag.code,)),
        "search_url": search_url(tags=(tag.code,)),
        "json_url": reverse("cables:tag_detail_json", args=[tag.code]),
    }
    return render(request, "cables/tag_detail.html", context)


@archive_page
def tag_detail_json(request: HttpRequest, code: str) -> HttpResponse:
    tag, response = _tag_or_response(request, code, "cables:tag_detail_json", as_json=True)
    if response is not None:
        return response
    absolute = request.build_absolute_uri
    summary = selectors.tag_summary(tag=tag)
    data = serialize.tag_dict(tag.code, absolute, summary.count)
    data.update(serialize.summary_dict(summary, absolute, search_url(tags=(tag.code,))))
    data["co_occurring"] = data.pop("top_tags")
    return _json(data)


# -- posts ---------------------------------------------------------------------------


@archive_page
def post_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.post_index()
    context = {
        "groups": groups,
        "total": sum(len(g.rows) for g in groups),
        "json_url": reverse("cables:post_list_json"),
    }
    return render(request, "cables/post_list.html", context)


@archive_page
def post_list_json(request: HttpRequest) -> HttpResponse:
    absolute = request.build_absolute_uri
    groups = selectors.post_index()
    return _json(
        {
            "groups": serialize.groups_dict(
                groups,
                lambda row: {
                    "code": row.code,
                    "name": row.name,
                    "country": row.country or None,
                    "count": row.count,
                    "url": absolute(reverse("cables:post_detail", args=[row.code])),
                },
            )
        }
    )


def _post_or_response(request: HttpRequest, code: str, view: str, *, as_json: bool = False):
    post = selectors.post_get(code=code)
    if post is None:
        return None, _not_found(
            request,
            title=f"No post {code}",
            message=f"No cable in this archive was sent from {code}.",
            as_json=as_json,
        )
    if post.code != code:
        return None, redirect(view, post.code, permanent=True)
    return post, None


@archive_page
def post_detail(request: HttpRequest, code: str) -> HttpResponse:
    post, response = _post_or_response(request, code, "cables:post_detail")
    if response is not None:
        return response
    context = {
        "post": post,
        "country": tag_describe(post.country) if post.country else None,
        "summary": selectors.post_summary(post=post),
        "search_params": SearchParams(post=post.code),
        "search_url": search_url(post=post.code),
        "json_url": reverse("cables:post_detail_json", args=[post.code]),
    }
    return render(request, "cables/post_detail.html", context)


@archive_page
def post_detail_json(request: HttpRequest, code: str) -> HttpResponse:
    post, response = _post_or_response(request, code, "cables:post_detail_json", as_json=True)
    if response is not None:
        return response
    absolute = request.build_absolute_uri
    data = serialize.post_dict(post, absolute)
    data.update(
        serialize.summary_dict(
            selectors.post_summary(post=post), absolute, search_url(post=post.code)
        )
    )
    return _json(data)


# -- dates ---------------------------------------------------------------------------


@archive_page
def date_index(request: HttpRequest) -> HttpResponse:
    context = {"years": selectors.date_years(), "json_url": reverse("cables:date_index_json")}
    return render(request, "cables/date_index.html", context)


@archive_page
def date_index_json(request: HttpRequest) -> HttpResponse:
    return _json(
        {"years": serialize.years_list(selectors.date_years(), request.build_absolute_uri)}
    )


def _year_context(year: int) -> dict[str, Any]:
    months = selectors.date_months(year=year)
    total = sum(n for _, n in months)
    return {
        "year": year,
        "total": total,
        "months": [(m, MONTH_NAMES[m - 1], n) for m, n in months],
        "latest": list(selectors.date_cables(year=year).reverse()[:20]),
        "search_url": search_url(year=year),
    }


def _outside_archive(year: int) -> str:
    """Why ``year`` has no page ("" when it has one): years before the first cable
    the archive knows or after its last are 404, like a month 13; a year between
    them with no cable is a gap of the time axis and keeps its page."""
    span = selectors.archive_year_span()
    if span is None:
        return "No dated cables are loaded yet."
    if span[0] <= year <= span[1]:
        return ""
    return (
        f"This archive knows cables sent from {span[0]} to {span[1]}; there is no page for {year}."
    )


@archive_page
def date_year(request: HttpRequest, year: int) -> HttpResponse:
    problem = _outside_archive(year)
    if problem:
        return _not_found(request, title=f"No cables of {year}", message=problem)
    context = _year_context(year)
    context["json_url"] = reverse("cables:date_year_json", args=[year])
    return render(request, "cables/date_year.html", context)


@archive_page
def date_year_json(request: HttpRequest, year: int) -> HttpResponse:
    problem = _outside_archive(year)
    if problem:
        return _json({"error": "not found", "detail": problem}, status=404)
    context = _year_context(year)
    absolute = request.build_absolute_uri
    return _json(
        {
            "year": year,
            "count": context["total"],
            "url": absolute(reverse("cables:date_year", args=[year])),
            "months": [
                {
                    "month": m,
                    "name": name,
                    "count": n,
                    "url": absolute(reverse("cables:date_month", args=[year, m])),
                }
                for m, name, n in context["months"]
            ],
            "latest": serialize.cable_list(context["latest"], absolute),
            "search_url": absolute(context["search_url"]),
        }
    )


PER_PAGE = 50


def _month_page(request: HttpRequest, year: int, month: int):
    """(context, None) or (None, message) for a month and the ``page`` parameter."""
    if not 1 <= month <= 12:
        return None, f"There is no month {month}."
    problem = _outside_archive(year)
    if problem:
        return None, problem
    paginator = Paginator(selectors.date_cables(year=year, month=month), PER_PAGE, orphans=3)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        return None, (
            f"There is no page {request.GET.get('page')} of {MONTH_NAMES[month - 1]} {year}: "
            f"the month has {paginator.num_pages} page(s)."
        )
    context = {
        "year": year,
        "month": month,
        "month_name": MONTH_NAMES[month - 1],
        "page": page,
        "paginator": paginator,
        "search_url": search_url(year=year),
    }
    return context, None


@archive_page
def date_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    context, problem = _month_page(request, year, month)
    if context is None:
        return _not_found(request, title="No such page", message=problem)
    json_url = reverse("cables:date_month_json", args=[year, month])
    if context["page"].number > 1:
        json_url += f"?page={context['page'].number}"
    context["json_url"] = json_url
    return render(request, "cables/date_month.html", context)


@archive_page
def date_month_json(request: HttpRequest, year: int, month: int) -> HttpResponse:
    context, problem = _month_page(request, year, month)
    if context is None:
        return _json({"error": "not found", "detail": problem}, status=404)
    absolute = request.build_absolute_uri
    page = context["page"]
    base = reverse("cables:date_month_json", args=[year, month])

    def page_url(number: int) -> str:
        return absolute(f"{base}?page={number}")

    return _json(
        {
            "year": year,
            "month": month,
            "url": absolute(reverse("cables:date_month", args=[year, month])),
            "count": context["paginator"].count,
            "page": page.number,
            "pages": context["paginator"].num_pages,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "cables": serialize.cable_list(page.object_list, absolute),
        }
    )
