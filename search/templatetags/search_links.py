"""``{% load search_links %}``: links into the search app from any template.

``{% search_url params sort="oldest" %}``, ``{% search_url params page=3 %}``,
``{% search_url search_params year=row.key %}`` (a cables page's own filter, plus a
year), ``{% search_url fmt="json" %}``; ``{% facet_items facet result.total %}``, the
values of one facet."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.links import search_url as build

register = template.Library()


@register.simple_tag
def search_url(params=None, fmt: str = "html", **changes) -> str:
    return build(params or None, fmt=fmt, **changes)


@register.simple_tag
def facet_items(facet: dict, total: int) -> SafeString:
    """The ``<li>`` rows of one facet (the year and month facets as a histogram).

    Built here rather than with template tags: a page shows hundreds of facet values,
    and a dozen template lookups per value made the list a third of the page's render
    time. Every value comes from :mod:`search.facets` (``label``, ``count``,
    ``selected``, ``toggle_url``, ``exclude_url``) and is escaped."""
    histogram = facet["name"] in ("year", "month")
    rows = []
    for item in facet["results"]:
        url = escape(item["toggle_url"])
        label = escape(item["label"])
        count = int(item["count"])
        selected = item["selected"]
        current = ' aria-current="true" title="Remove this filter"' if selected else ""
        opening = '<li class="selected">' if selected else "<li>"
        if histogram:
            remove = ' <span class="remove" aria-hidden="true">×</span>' if selected else ""
            inner = (
                f'<span class="h-label">{label}</span>'
                f'<span class="h-bar"><meter min="0" max="{int(total or 1)}" value="{count}">'
                f'{count}</meter></span><span class="h-count">{count}</span>{remove}'
            )
            rows.append(f'{opening}<a href="{url}"{current}>{inner}</a></li>')
            continue
        parts = [f'<a href="{url}"{current}>{label}</a> <span class="count">{count}</span>']
        if selected:
            parts.append(f' <a class="remove" href="{url}" aria-label="Remove {label}">×</a>')
        if item.get("exclude_url"):
            parts.append(
                f' <a class="exclude" href="{escape(item["exclude_url"])}" '
                f'title="Exclude {label}" aria-label="Exclude tag {label}">−</a>'
            )
        rows.append(f"{opening}{''.join(parts)}</li>")
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped above
