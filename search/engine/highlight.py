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


# An unnumbered block that is the cable's banner and header fields run together
# ("S E C R E T SECTION 01 OF 02 WARSAW 000953 SIPDIS ... TAGS: ..."): never a snippet
# while a paragraph of text matches (nor the plain opening while there is text).
_HEADER_MARKS_RE = re.compile(
    r"\bTAGS\s*:|\bSUBJ(?:ECT)?\s*:|\bE\.\s?O\.\s?\d{5}|\bSIPDIS\b|\bDECL\s*:"
    r"|\bSECTION\s+\d+\s+OF\s+\d+|\b(?:C O N F|S E C R|U N C L)"
)


def _header_block(number: int | None, text: str) -> bool:
    if number is not None:
        return False
    return len(set(_HEADER_MARKS_RE.findall(text[:3000]))) >= 2


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """``(term, start, end)`` of every word of ``text`` that is not a stop word, in
    order: one pass of the tokenizer, each distinct word analysed once."""
    out = []
    for match in TOKEN.finditer(text):
        term = _term_of(match.group())
        if term:
            out.append((term, match.start(), match.end()))
    return out


def _phrase_spans(
    tokens: list[tuple[str, int, int]], phrases: tuple[tuple[str, ...], ...]
) -> list[tuple[int, int, int]]:
    """``(start, end, phrase index)`` of each place a phrase's terms stand in a row
    (stop words between them do not count, as in the index). Linear in the tokens
    for each phrase: a start is only tried where its first term is."""
    spans = []
    for index, phrase in enumerate(phrases):
        k = len(phrase)
        if not k:
            continue
        for i in range(len(tokens) - k + 1):
            if tokens[i][0] == phrase[0] and all(
                tokens[i + j][0] == phrase[j] for j in range(1, k)
            ):
                spans.append((tokens[i][1], tokens[i + k - 1][2], index))
    spans.sort()
    return spans


PHRASE_BEFORE, PHRASE_AFTER = 90, 170  # characters of context around a phrase


def _space(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _phrase_snippet(
    text: str, span: tuple[int, int], tokens: list[tuple[str, int, int]], terms: set[str]
) -> list[tuple[str, bool]]:
    """A passage around ``span`` (a phrase, highlighted whole), the query's other
    words in it highlighted too."""
    start = max(0, span[0] - PHRASE_BEFORE)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = min(len(text), span[1] + PHRASE_AFTER)
    while end < len(text) and not text[end].isspace():
        end += 1
    marks = [span] + [(a, b) for term, a, b in tokens if term in terms and start <= a and b <= end]
    marks.sort(key=lambda m: (m[0], -m[1]))  # the phrase before its own first word
    segments: list[tuple[str, bool]] = [("… ", False)] if start > 0 else []
    at = start
    for a, b in marks:
        if a < at:
            continue  # inside the phrase, already highlighted
        if a > at:
            segments.append((_space(text[at:a]), False))
        segments.append((_space(text[a:b]), True))
        at = b
    if at < end:
        segments.append((_space(text[at:end]).rstrip(), False))
    if end < len(text):
        segments.append((" …", False))
    return segments


def paragraph_snippet(
    paragraphs: list[tuple[int, int | None, str]],
    terms: set[str],
    phrases: tuple[tuple[str, ...], ...] = (),
) -> tuple[list[tuple[str, bool]], str]:
    """The snippet of a cable from its paragraphs ``[(position, number, text)]`` and
    that paragraph's anchor (``p3`` for a numbered paragraph, ``t0`` for the others).

    With a phrase (``phrases``: each a tuple of index terms), the first paragraph
    where a phrase stands whole, the phrase highlighted whole in a passage around it.
    Otherwise the paragraph with the most of the query's distinct terms (then the most
    words that are one of them), highlighted; failing that, the first paragraph's
    opening (``([], "")`` when there is none). A block of banner and header fields is
    never the snippet, whatever it holds."""
    ranked = []
    if terms:
        for para in paragraphs:
            hits, found = _occurrences(para[2], terms)
            if hits and not _header_block(para[1], para[2]):
                ranked.append((-len(found), -hits, para[0], para, found))
        ranked.sort(key=lambda r: r[:3])
    if phrases:
        for *_, para, _found in ranked:
            tokens = _tokens(para[2])
            spans = _phrase_spans(tokens, phrases)
            if spans:
                snippet = _phrase_snippet(para[2], spans[0][:2], tokens, terms)
                return snippet, _anchor(para)
    segments, chosen = [], None
    for *_, para, found in ranked[:3]:
        segments = _highlight(para[2], found, _FRAGMENTER)
        if segments:
            chosen = para
            break
    if chosen is None:
        text_paragraphs = [p for p in paragraphs if not _header_block(p[1], p[2])]
        if not text_paragraphs:
            return [], ""  # nothing but banner and header fields: no snippet
        chosen = text_paragraphs[0]
    return segments or _plain_snippet(chosen[2]), _anchor(chosen)


def _anchor(para: tuple[int, int | None, str]) -> str:
    position, number, _ = para
    return f"p{number}" if number is not None else f"t{position}"


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
