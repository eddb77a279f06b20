"""``{% load search_links %}``: links into the search app from any template.

``{% search_url params sort="oldest" %}``, ``{% search_url params page=3 %}``,
``{% search_url search_params year=row.key %}`` (a cables page's own filter, plus a
year), ``{% search_url fmt="json" %}``; ``{% facet_items facet result.total %}``, the
values of one facet."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.histogram import Chart, histogram_chart, histogram_entries, year_periods
from search.links import search_url as build

register = template.Library()


@register.simple_tag
def search_url(params=None, fmt: str = "html", **changes) -> str:
    return build(params or None, fmt=fmt, **changes)


@register.simple_tag
def year_chart(rows, search_params=None, url_name: str = "") -> Chart | None:
    """A per-year series ``[(year, count)]`` (a tag's, a post's, a person's, the
    archive's) as the search's date histogram (:mod:`search.histogram`), empty years
    included; each bar links the search ``search_params`` narrowed to its year, or
    the page ``url_name`` of the year. ``{% year_chart summary.years search_params
    as chart %}``, then ``{% include "search/_histogram.html" with histogram=chart %}``."""
    if search_params is not None:
        state = search_params

        def url(year, month):
            return build(state, year=year, month=None)
    elif url_name:

        def url(year, month):
            return reverse(url_name, args=[year])
    else:

        def url(year, month):
            return None

    return histogram_chart(histogram_entries(year_periods(rows or []), url))


@register.simple_tag
def facet_items(facet: dict, total: int) -> SafeString:
    """The ``<li>`` rows of one facet (the years are the search's date histogram,
    ``templates/search/_histogram.html``, not a list).

    Built here rather than with template tags: a page shows hundreds of facet values,
    and a dozen template lookups per value made the list a third of the page's render
    time. Every value comes from :mod:`search.facets` (``label``, ``count``,
    ``selected``, ``toggle_url``, ``exclude_url``, a tag's ``meaning``) and is
    escaped."""
    rows = []
    for item in facet["results"]:
        url = escape(item["toggle_url"])
        label = escape(item["label"])
        count = int(item["count"])
        selected = item["selected"]
        meaning = escape(item.get("meaning") or "")
        current = ' aria-current="true"' if selected else ""
        title = f' title="{meaning}"' if meaning else ""
        if selected:
            title = f' title="{meaning + ": " if meaning else ""}Remove this filter"'
        opening = '<li class="selected">' if selected else "<li>"
        parts = [f'<a href="{url}"{current}{title}>{label}</a> <span class="count">{count}</span>']
        if selected:
            parts.append(f' <a class="remove" href="{url}" aria-label="Remove {label}">×</a>')
        if item.get("exclude_url"):
            parts.append(
                f' <a class="exclude" href="{escape(item["exclude_url"])}" '
                f'title="Exclude {label}" aria-label="Exclude tag {label}">−</a>'
            )
        if meaning:  # seen, and read after the link's name (which stays the code)
            parts.append(f'<span class="facet-meaning">{meaning}</span>')
        rows.append(f"{opening}{''.join(parts)}</li>")
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped above
