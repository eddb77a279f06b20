"""Snippets: a cable's best paragraph for the query's terms, highlighted by Whoosh,
as ``[(text, is_match), ...]`` so the template escapes everything itself.

The work is linear in the text, whatever the number of terms (a wildcard may bring
thousands): each paragraph is split into words once (one regular expression, the
index's own tokenizer), each distinct word is turned into its index term once (the
index's own analysis, memoised), and a set lookup says whether it is one of the
query's terms. Only the terms a paragraph actually holds go to Whoosh's highlighter,
over a window around the first of them."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from whoosh.highlight import ContextFragmenter, Formatter, highlight

from search.engine.analysis import TOKEN, text_terms
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


@lru_cache(maxsize=65536)
def _term_of(token: str) -> str:
    """The index term of one word as the tokenizer cut it ("" for a stop word)."""
    for term in text_terms(token):
        return term.decode("utf-8")
    return ""


def _occurrences(text: str, terms: set[str]) -> tuple[int, frozenset[str]]:
    """How many words of ``text`` are one of ``terms``, and which terms they are."""
    hits, found = 0, set()
    for token, count in Counter(TOKEN.findall(text)).items():
        term = _term_of(token)
        if term in terms:
            hits += count
            found.add(term)
    return hits, frozenset(found)


def _highlight(text: str, found: frozenset[str], fragmenter) -> list:
    """Whoosh's highlighter over a window around the first word of ``found`` (the
    terms ``text`` holds): analysing a whole long paragraph costs milliseconds per
    row."""
    start = 0
    if len(text) > WINDOW:
        for match in TOKEN.finditer(text):
            if _term_of(match.group()) in found:
                start = max(0, match.start() - WINDOW // 3)
                break
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    window = text[start : start + WINDOW]
    segments = highlight(window, found, ANALYZER, fragmenter, _SegmentFormatter(), top=1)
    if segments and start > 0 and segments[0] != ("… ", False):
        segments = [("… ", False), *segments]
    if segments and start + WINDOW < len(text) and segments[-1] != (" …", False):
        segments = [*segments, (" …", False)]
    return segments


def paragraph_snippet(
    paragraphs: list[tuple[int, int | None, str]], terms: set[str]
) -> tuple[list[tuple[str, bool]], str]:
    """The snippet of a cable from its paragraphs ``[(position, number, text)]``: the
    best of the (up to three) paragraphs with most words that are the query's terms,
    highlighted, or the first paragraph's opening; and that paragraph's anchor
    (``p3`` for a numbered paragraph, ``t0`` for the others)."""
    ranked = []
    if terms:
        for para in paragraphs:
            hits, found = _occurrences(para[2], terms)
            if hits:
                ranked.append((-hits, para[0], para, found))
        ranked.sort(key=lambda r: r[:2])
    segments, chosen = [], paragraphs[0]
    for _, _, para, found in ranked[:3]:
        segments = _highlight(para[2], found, _FRAGMENTER)
        if segments:
            chosen = para
            break
    position, number, text = chosen
    anchor = f"p{number}" if number is not None else f"t{position}"
    return segments or _plain_snippet(text), anchor


def text_marks(text: str, terms: set[str] | frozenset[str]) -> list[tuple[str, bool]]:
    """``text`` as ``[(text, is_match), ...]``: every word whose index term is one of
    ``terms`` marked (the cable page opened from a search marks the query's words all
    through the text). Linear in the text: one pass of the index's tokenizer."""
    if not text:
        return []
    if not terms:
        return [(text, False)]
    segments, index = [], 0
    for match in TOKEN.finditer(text):
        if _term_of(match.group()) in terms:
            if match.start() > index:
                segments.append((text[index : match.start()], False))
            segments.append((match.group(), True))
            index = match.end()
    if index < len(text):
        segments.append((text[index:], False))
    return segments
