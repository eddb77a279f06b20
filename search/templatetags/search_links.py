"""``{% load search_links %}``: links into the search app from any template.

``{% search_url params sort="oldest" %}``, ``{% search_url params page=3 %}``,
``{% search_url search_params year=row.key %}`` (a cables page's own filter, plus a
year), ``{% search_url fmt="json" %}``."""

from __future__ import annotations

from django import template

from search.links import search_url as build

register = template.Library()


@register.simple_tag
def search_url(params=None, fmt: str = "html", **changes) -> str:
    return build(params or None, fmt=fmt, **changes)
