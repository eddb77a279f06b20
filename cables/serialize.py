"""The JSON twins: plain dicts of what each reading page shows, with absolute URLs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.urls import reverse

from cables.dates import date_of
from cables.graph import Graph
from cables.models import Cable, KnownCable, Post
from cables.selectors import Group, ResolvedReference, Summary
from cables.tag_info import tag_describe
from search.links import name_search_url

Absolute = Callable[[str], str]  # request.build_absolute_uri


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def date_fields(obj) -> dict[str, Any]:
    """A cable's date for a twin, at the precision known: ``created`` is ISO 8601
    (``"2003-02"`` for a month from the Cablegate id list) and ``date_precision`` says
    which (``"minute"``, ``"month"``, or null when the date is unknown)."""
    known = date_of(obj)
    return {"created": known.iso() or None, "date_precision": known.precision or None}


def cable_url(reference_id: str) -> str:
    return reverse("cables:cable_detail", args=[reference_id])


def cable_brief(cable: Cable, absolute: Absolute) -> dict[str, Any]:
    """A cable in a list."""
    return {
        "reference_id": cable.reference_id,
        "url": absolute(cable_url(cable.reference_id)),
        **date_fields(cable),
        "classification": cable.classification,
        "origin": cable.origin.code,
        "subject": cable.subject,
    }


def cable_list(cables: Iterable[Cable], absolute: Absolute) -> list[dict[str, Any]]:
    return [cable_brief(c, absolute) for c in cables]


def tag_dict(code: str, absolute: Absolute, count: int | None = None) -> dict[str, Any]:
    info = tag_describe(code)
    data = {
        "code": code,
        "kind": info.kind,
        "meaning": info.meaning,
        "url": absolute(reverse("cables:tag_detail", args=[code])),
    }
    if count is not None:
        data["count"] = count
    return data


def reference_dict(ref: ResolvedReference, absolute: Absolute) -> dict[str, Any]:
    data: dict[str, Any] = {
        "letter": ref.letter or None,
        "text": ref.text,
        "target_reference_id": ref.target_id or None,
        "status": ref.status,
        "url": absolute(cable_url(ref.target_id)) if ref.linked else None,
    }
    if ref.status == "loaded":
        data.update(date_fields(ref))
        data["subject"] = ref.subject
    elif ref.status == "known":
        data["year"], data["month"] = ref.year, ref.month
    return data


def _absolute_or_none(absolute: Absolute, url: str | None) -> str | None:
    return absolute(url) if url else None


def cable_dict(
    cable: Cable,
    *,
    references: list[ResolvedReference],
    cited_by: list[Cable],
    citation: dict[str, str],
    absolute: Absolute,
) -> dict[str, Any]:
    """Every field of a cable page."""
    page = cable_url(cable.reference_id)
    post = cable.origin
    return {
        "reference_id": cable.reference_id,
        "in_archive": True,
        "url": absolute(page),
        "json_url": absolute(reverse("cables:cable_json", args=[cable.reference_id])),
        "text_url": absolute(reverse("cables:cable_text", args=[cable.reference_id])),
        "graph_url": absolute(reverse("cables:cable_graph_json", args=[cable.reference_id])),
        **date_fields(cable),
        "released": iso(cable.released),
        "classification": cable.classification,
        "caveats": cable.caveat_list,
        "origin": post_dict(post, absolute),
        "serial": cable.serial,
        "precedence": cable.precedence or None,
        "sender": cable.sender or None,
        "recipients": [
            {
                "kind": r.kind,
                "name": r.name,
                "precedence": r.precedence or None,
                "routing": r.routing or None,
            }
            for r in cable.recipients.all()
        ],
        "executive_order": cable.eo or None,
        "declassify_on": iso(cable.declassify_on),
        "declassify_marking": cable.declassify_marking or None,
        "tags": [tag_dict(ct.tag.code, absolute) for ct in cable.ordered_tags],
        "subject": cable.subject,
        "subject_classification": cable.subject_classification or None,
        "classified_by": {
            "name": cable.classified_by_name or None,
            "title": cable.classified_by_title or None,
            "search_url": _absolute_or_none(
                absolute, name_search_url("by", cable.classified_by_name)
            ),
        },
        "reasons": cable.reasons or None,
        "summary": cable.summary or None,
        "signer": cable.signer or None,
        "signer_search_url": _absolute_or_none(absolute, name_search_url("signer", cable.signer)),
        "partial": cable.partial,
        "paragraphs": [
            {
                "number": p.number,
                "classification": p.classification or None,
                "anchor": p.anchor,
                "url": absolute(f"{page}#{p.anchor}"),
                "text": p.text,
                "heading": p.heading,
            }
            for p in cable.paragraphs.all()
        ],
        "references": [reference_dict(r, absolute) for r in references],
        "cited_by": cable_list(cited_by, absolute),
        "citation": citation,
        "header": cable.header,
        "body": cable.body,
        "updated": iso(cable.updated_at),
    }


def placeholder_dict(
    known: KnownCable, *, cited_by: list[Cable], absolute: Absolute
) -> dict[str, Any]:
    return {
        "reference_id": known.reference_id,
        "in_archive": False,
        "known": known.month is not None,
        "note": (
            "This cable is in the Cablegate list but not in this archive."
            if known.month is not None
            else "Cables in this archive cite this id, but it is not in the Cablegate list "
            "of released cables (not released, or a misread reference)."
        ),
        "url": absolute(cable_url(known.reference_id)),
        "graph_url": absolute(reverse("cables:cable_graph_json", args=[known.reference_id])),
        "year": known.year,
        "month": known.month,
        "cited_by": cable_list(cited_by, absolute),
    }


def graph_dict(graph: Graph, absolute: Absolute) -> dict[str, Any]:
    nodes = []
    for node in graph.nodes.values():
        linked = node.status in {"loaded", "known"}
        data: dict[str, Any] = {
            "id": node.id,
            "status": node.status,
            "distance": node.distance,
            "direction": node.direction,
            "url": absolute(cable_url(node.id)) if linked else None,
        }
        if node.status == "loaded":
            data.update(date_fields(node))
            data["subject"] = node.subject
        elif node.status == "known":
            data["year"], data["month"] = node.year, node.month
        nodes.append(data)
    nodes.sort(key=lambda n: (n["distance"], n["direction"], n["id"]))
    return {
        "center": graph.center,
        "url": absolute(cable_url(graph.center)),
        "nodes": nodes,
        "edges": [{"source": s, "target": t, "relation": "cites"} for s, t in graph.edges],
        "truncated": graph.truncated,
    }


def post_dict(post: Post, absolute: Absolute) -> dict[str, Any]:
    return {
        "code": post.code,
        "name": post.name or post.code,
        "country": post.country or None,
        "url": absolute(reverse("cables:post_detail", args=[post.code])),
    }


def groups_dict(groups: list[Group], row: Callable[[Any], dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"key": g.key, "label": g.label, "items": [row(r) for r in g.rows]} for g in groups]


def years_list(years: list[tuple[int, int]], absolute: Absolute) -> list[dict[str, Any]]:
    return [
        {"year": y, "count": n, "url": absolute(reverse("cables:date_year", args=[y]))}
        for y, n in years
    ]


def summary_dict(summary: Summary, absolute: Absolute, search_url: str | None) -> dict[str, Any]:
    return {
        "count": summary.count,
        "years": years_list(summary.years, absolute),
        "top_tags": [tag_dict(t.code, absolute, t.count) for t in summary.top_tags],
        "latest": cable_list(summary.latest, absolute),
        "search_url": absolute(search_url) if search_url else None,
    }
