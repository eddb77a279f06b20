"""Small presentation helpers for the reading pages."""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from cables.dates import date_of
from search.engine.highlight import text_marks

register = template.Library()


@register.filter
def cable_date(obj) -> SafeString:
    """A cable's date as a ``<time>`` at the precision known ("Feb 2003" for a month
    from the id list, "24 Feb 2010" otherwise), or a muted "undated". Takes a cable, a
    result row or a :class:`~cables.dates.KnownDate`."""
    known = date_of(obj)
    if not known:
        return mark_safe('<span class="muted">undated</span>')
    return format_html('<time datetime="{}">{}</time>', known.iso(), known.short())


@register.filter
def badge_class(classification: str) -> str:
    """``SECRET//NOFORN`` -> ``badge-secret``; the classes live in site.css."""
    value = (classification or "").upper()
    if "SECRET" in value:
        return "badge-secret"
    if "CONFIDENTIAL" in value:
        return "badge-confidential"
    return "badge-unclassified"


@register.filter
def bars(rows) -> list[dict]:
    """``[(label, count), ...]`` -> rows with the bar length in percent of the largest."""
    rows = list(rows)
    top = max((row[-1] for row in rows), default=0) or 1
    return [
        {
            "key": row[0],
            "label": row[-2],
            "count": row[-1],
            "percent": round(100 * row[-1] / top, 1),
        }
        for row in rows
    ]


_LIST_START = re.compile(r"^\s*(?:[-*o]\s|\(?[0-9A-Za-z]{1,3}[.)]\s|--)")


def _marker(terms):
    """Escape a line, marking each word that is one of ``terms`` (index terms)."""

    def mark(line: str) -> str:
        return "".join(
            f"<mark>{conditional_escape(text)}</mark>" if hit else str(conditional_escape(text))
            for text, hit in text_marks(line, terms)
        )

    return mark


@register.filter(needs_autoescape=True)
def reflow(text: str, terms=None, autoescape: bool = True) -> SafeString:
    """Cable paragraphs are hard-wrapped at ~70 columns: join the wrapped lines so the
    text reads as prose, keep blank lines and lines that start a list item. Escaped;
    ``{{ p.text|reflow:terms }}`` marks the words whose index term is in ``terms``
    (the cable opened from a search)."""
    escape = _marker(terms) if terms else (conditional_escape if autoescape else str)
    blocks = re.split(r"\n\s*\n", (text or "").strip())
    html = []
    for block in blocks:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        out = [escape(lines[0])]
        for line in lines[1:]:
            out.append(mark_safe("<br>") if _LIST_START.match(line) else " ")
            out.append(escape(line))
        html.append("".join(str(part) for part in out))
    return mark_safe("<br><br>".join(html))  # noqa: S308 - every part escaped above
