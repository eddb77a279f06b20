"""Snippets: a cable's best paragraph for the query's terms, highlighted by Whoosh,
as ``[(text, is_match), ...]`` so the template escapes everything itself."""

from __future__ import annotations

import re

from whoosh.highlight import ContextFragmenter, Formatter, highlight

from search.engine.schema import ANALYZER


class _SegmentFormatter(Formatter):
    """Whoosh's highlighter, returning ``[(text, is_match), ...]`` instead of markup,
    so the template escapes everything itself."""

    between = " … "

    def format_fragment(self, fragment, replace=False):
        text = fragment.text
        out, index = [], fragment.startchar
        for t in fragment.matches:
            if t.startchar > index:
                out.append((text[index : t.startchar], False))
            out.append((text[t.startchar : t.endchar], True))
            index = t.endchar
        out.append((text[index : fragment.endchar], False))
        prefix = [("… ", False)] if fragment.startchar > 0 else []
        suffix = [(" …", False)] if fragment.endchar < len(text) else []
        return [*prefix, *out, *suffix]

    def format(self, fragments, replace=False):
        segments = []
        for fragment in fragments:
            segments.extend(self.format_fragment(fragment, replace=replace))
        return segments


def _plain_snippet(text: str, length: int = 240) -> list[tuple[str, bool]]:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= length:
        return [(text, False)] if text else []
    cut = text[:length].rsplit(" ", 1)[0]
    return [(cut + " …", False)]


WINDOW = 900
_FRAGMENTER = ContextFragmenter(maxchars=260, surround=70)


def _highlight(text: str, terms: set[str], probes: list[str], fragmenter) -> list:
    """Whoosh's highlighter over a window around the first likely match: analysing a
    whole long paragraph costs milliseconds per row."""
    low = text.lower()
    hits = [i for i in (low.find(p) for p in probes) if i >= 0]
    start = 0
    if hits and len(text) > WINDOW:
        start = max(0, min(hits) - WINDOW // 3)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    window = text[start : start + WINDOW]
    segments = highlight(window, frozenset(terms), ANALYZER, fragmenter, _SegmentFormatter(), top=1)
    if segments and start > 0 and segments[0] != ("… ", False):
        segments = [("… ", False), *segments]
    if segments and start + WINDOW < len(text) and segments[-1] != (" …", False):
        segments = [*segments, (" …", False)]
    return segments


def paragraph_snippet(
    paragraphs: list[tuple[int, int | None, str]], terms: set[str]
) -> tuple[list[tuple[str, bool]], str]:
    """The snippet of a cable from its paragraphs ``[(position, number, text)]``: the
    best of the (up to three) paragraphs with most hits of the query's terms,
    highlighted, or the first paragraph's opening; and that paragraph's anchor
    (``p3`` for a numbered paragraph, ``t0`` for the others)."""
    # Stems are not always substrings of their words ("embassi" in "embassy"), so
    # paragraphs are ranked by a shortened stem, then highlighted for real.
    probes = [t.lower()[: max(3, len(t) - 1)] for t in terms if t]
    ranked = []
    if probes:
        for para in paragraphs:
            low = para[2].lower()
            hits = sum(low.count(p) for p in probes)
            if hits:
                ranked.append((-hits, para[0], para))
        ranked.sort(key=lambda r: r[:2])
    segments, chosen = [], paragraphs[0]
    for _, _, para in ranked[:3]:
        segments = _highlight(para[2], terms, probes, _FRAGMENTER)
        if segments:
            chosen = para
            break
    position, number, text = chosen
    anchor = f"p{number}" if number is not None else f"t{position}"
    return segments or _plain_snippet(text), anchor
