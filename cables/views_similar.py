"""A cable's "Similar cables": the page ``/cable/<id>/similar/`` and its JSON twin
``/cable/<id>/similar.json``, both from :func:`search.similar.similar_for_id`.

The cable page does not compute them: choosing them reads the index (tens of
milliseconds at full scale) while everything else on the cable page is a dozen small
queries. It carries a section that links here, and ``static/js/similar.js`` puts this
page's section in its place once the cable is on screen. This page is cached and
validated like every archive page, on its own."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from cables.pagecache import archive_page
from cables.parsing import normalize_id
from cables.serialize import date_fields
from cables.views import _json, _not_found
from search.similar import SimilarCables, similar_for_id


def similar_dict(similar: SimilarCables, absolute) -> dict:
    """The twin: the cable, the words the search used, and each similar cable with
    its score and the terms and tags it shares with the cable."""
    data = {
        "reference_id": similar.reference_id,
        "url": absolute(reverse("cables:cable_detail", args=[similar.reference_id])),
        "terms": list(similar.terms),
        "similar": [
            {
                "reference_id": c.reference_id,
                "url": absolute(c.url),
                "subject": c.subject,
                **date_fields(c),
                "post": c.post,
                "classification": c.classification,
                "score": c.score,
                "shared_terms": list(c.shared_terms),
                "shared_tags": list(c.shared_tags),
            }
            for c in similar.cables
        ],
    }
    if similar.index_missing:
        data["note"] = "The search index has not been built yet: no similar cables."
    return data


def _missing(request: HttpRequest, reference_id: str, view: str, *, as_json: bool):
    """No cable of that id: a redirect to its canonical spelling, or a 404."""
    canonical = normalize_id(reference_id)
    if canonical != reference_id:
        return redirect(view, canonical, permanent=True)
    return _not_found(
        request,
        title=f"No cable {reference_id}",
        message=f"There is no cable {reference_id} in this archive: no similar cables to show.",
        as_json=as_json,
        reference_id=reference_id,
    )


@archive_page
def cable_similar_page(request: HttpRequest, reference_id: str) -> HttpResponse:
    similar = similar_for_id(reference_id=reference_id)
    if similar is None:
        return _missing(request, reference_id, "cables:cable_similar", as_json=False)
    context = {
        "similar": similar,
        "cable": {"reference_id": similar.reference_id, "subject": similar.subject},
        "json_url": reverse("cables:cable_similar_json", args=[reference_id]),
    }
    return render(request, "cables/cable_similar.html", context)


@archive_page
def cable_similar_json(request: HttpRequest, reference_id: str) -> HttpResponse:
    similar = similar_for_id(reference_id=reference_id)
    if similar is None:
        return _missing(request, reference_id, "cables:cable_similar_json", as_json=True)
    return _json(similar_dict(similar, request.build_absolute_uri))
