"""Reads: one search, with facets, a page of rows and their snippets.

The index gives document numbers; the column store (numpy) gives every filter,
facet count and date sort; the database gives the 20 rows shown and their paragraphs.
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.core.paginator import EmptyPage, Page, Paginator
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from whoosh.highlight import ContextFragmenter, Formatter, highlight

from cables.models import Cable, Classification, Paragraph, Post
from search.columns import EPOCH, NO_DATE, Columns, columns_for
from search.engine import query_evaluate
from search.filters import SearchParams
from search.index import ANALYZER, IndexMissing, open_searcher
from search.query import ParsedQuery, query_parse

PER_PAGE = 20
ORPHANS = 3
FACET_SIZE = {"tag": 12, "post": 10, "caveat": 8, "classification": 8, "by": 10, "pclass": 10}
FACET_MORE = 300
FACET_TITLES = {
    "tag": "Tags",
    "post": "Post",
    "classification": "Classification",
    "caveat": "Caveat",
    "by": "Classified by",
    "pclass": "Paragraph marking",
    "year": "Year",
    "month": "Month",
}
CLASSIFICATION_LABELS = dict(Classification.choices)
MARKING_NAMES = {
    "U": "Unclassified",
    "SBU": "Sensitive but unclassified",
    "C": "Confidential",
    "S": "Secret",
    "TS": "Top secret",
}
MARKING_SUFFIXES = {"NF": "NOFORN", "REL": "releasable", "OC": "ORCON"}


def marking_label(marking: str) -> str:
    """``S/NF`` -> ``(S/NF) Secret, NOFORN``; an unknown marking is shown as written."""
    level, *rest = marking.split("/")
    name = MARKING_NAMES.get(level)
    if name is None:
        return f"({marking})"
    extras = [MARKING_SUFFIXES.get(part, part) for part in rest if part]
    return f"({marking}) " + ", ".join([name, *extras])


def cable_url(reference_id: str) -> str:
    """The cable page (``cables:cable_detail``; ``/cable/<id>/`` until that exists)."""
    try:
        return reverse("cables:cable_detail", args=[reference_id])
    except NoReverseMatch:
        return f"/cable/{reference_id}/"


def search_url(path: str = "/search/", **filters) -> str:
    """A permalink to a search: ``search_url(tag=["MARR"])``, ``search_url(post="OTTAWA")``,
    ``search_url(q="ref:03OTTAWA492")`` (cables citing it)."""
    tags = filters.pop("tag", ())
    if isinstance(tags, str):
        tags = (tags,)
    return SearchParams(tags=tuple(t.upper() for t in tags), **filters).url(path)


# -- masks --------------------------------------------------------------------------


def _pairs_mask(
    columns: Columns, docs: np.ndarray, vals: np.ndarray, vocab, code: str
) -> np.ndarray:
    mask = np.zeros(columns.n, dtype=bool)
    i = columns.code(vocab, code)
    if i is not None:
        mask[docs[vals == i]] = True
    return mask


def _value_mask(columns: Columns, values: np.ndarray, vocab, code: str) -> np.ndarray:
    i = columns.code(vocab, code)
    if i is None:
        return np.zeros(columns.n, dtype=bool)
    return values == i


def _days(d: date) -> int:
    return int((np.datetime64(d, "D") - EPOCH).astype(np.int64))


def _filter_masks(columns: Columns, params: SearchParams) -> dict[str, np.ndarray]:
    """One mask per facet group; a facet's counts use every mask but its own."""
    masks: dict[str, np.ndarray] = {}
    if params.tags or params.xtags:
        m = np.ones(columns.n, dtype=bool)
        for code in params.tags:
            m &= _pairs_mask(columns, columns.tag_doc, columns.tag, columns.tag_vocab, code)
        for code in params.xtags:
            m &= ~_pairs_mask(columns, columns.tag_doc, columns.tag, columns.tag_vocab, code)
        masks["tag"] = m
    if params.post:
        masks["post"] = _value_mask(columns, columns.post, columns.post_vocab, params.post)
    if params.classification:
        masks["classification"] = _value_mask(
            columns, columns.classification, columns.class_vocab, params.classification
        )
    if params.caveat:
        masks["caveat"] = _pairs_mask(
            columns, columns.cav_doc, columns.cav, columns.cav_vocab, params.caveat
        )
    if params.by:
        masks["by"] = _value_mask(columns, columns.by, columns.by_vocab, params.by)
    if params.pclasses:
        m = np.ones(columns.n, dtype=bool)
        for marking in params.pclasses:
            m &= _pairs_mask(columns, columns.pcl_doc, columns.pcl, columns.pcl_vocab, marking)
        masks["pclass"] = m
    if params.date_from or params.date_to:
        dated = columns.days != NO_DATE
        m = dated.copy()
        if params.date_from:
            m &= columns.days >= _days(params.date_from)
        if params.date_to:
            m &= columns.days <= _days(params.date_to)
        masks["range"] = m
    if params.year:
        masks["year"] = columns.year == params.year
        if params.month:
            masks["month"] = columns.month == params.year * 12 + params.month - 1
    return masks


def _combine(
    base: np.ndarray, masks: dict[str, np.ndarray], *, without: tuple[str, ...] = ()
) -> np.ndarray:
    result = base.copy()
    for name, m in masks.items():
        if name not in without:
            result &= m
    return result


# -- ordering -----------------------------------------------------------------------


class _Ordered:
    """The result set in display order, computed lazily: slicing a page sorts only
    as far as that page (Paginator takes ``len()`` and slices)."""

    def __init__(self, docs: np.ndarray, columns: Columns, scores: np.ndarray | None, sort: str):
        self.docs = docs
        days = columns.days[docs].astype(np.int64)
        undated = days == NO_DATE
        big = np.int64(1 << 40)
        if sort == "oldest":
            primary = np.where(undated, big, days)
        else:
            primary = np.where(undated, big, -days)
        self.date_key = primary * np.int64(columns.n + 1) + docs
        self.scores = scores[docs] if (sort == "relevance" and scores is not None) else None

    def __len__(self) -> int:
        return len(self.docs)

    def _top(self, k: int) -> np.ndarray:
        n = len(self.docs)
        k = min(k, n)
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        if self.scores is None:
            key = self.date_key
            if k < n // 4:
                part = np.argpartition(key, k - 1)[:k]
                return part[np.argsort(key[part])]
            return np.argsort(key)[:k]
        scores = self.scores
        if k < n // 4:
            threshold = np.partition(scores, n - k)[n - k]
            cand = np.flatnonzero(scores >= threshold)
        else:
            cand = np.arange(n)
        order = np.lexsort((self.date_key[cand], -scores[cand]))
        return cand[order][:k]

    def __getitem__(self, item):
        if isinstance(item, slice):
            start, stop, _ = item.indices(len(self.docs))
            return self.docs[self._top(stop)[start:stop]]
        return self.docs[self._top(item + 1)[item]]

    def all(self) -> np.ndarray:
        return self.docs[self._top(len(self.docs))]


# -- facets -------------------------------------------------------------------------


class _Linked:
    """``params`` whose ``url()`` points at one path (the page, or its JSON twin)."""

    def __init__(self, params: SearchParams, path: str):
        self._params, self._path = params, path

    def __getattr__(self, name):
        return getattr(self._params, name)

    def url(self, **changes) -> str:
        return self._params.url(self._path, **changes)


def _facet(
    name: str,
    counts: list[tuple[str, str, int]],
    selected: set[str],
    params: SearchParams,
    toggle,
    *,
    limit: int | None,
    extra=None,
    label=None,
) -> dict:
    results = []
    seen = {value for value, _, _ in counts if value in selected}
    for value in selected - seen:
        counts = [(value, label(value) if label else value, 0), *counts]
    for value, label, count in counts:
        entry = {
            "value": value,
            "label": label,
            "count": int(count),
            "selected": value in selected,
            "toggle_url": toggle(value, value in selected),
        }
        if extra:
            entry.update(extra(value))
        results.append(entry)
    truncated = False
    if limit is not None:
        chosen = [r for r in results if r["selected"]]
        others = [r for r in results if not r["selected"]]
        truncated = len(others) > limit
        results = chosen + others[:limit]
    return {
        "name": name,
        "title": FACET_TITLES[name],
        "results": results,
        "truncated": truncated,
        "more_url": params.url(more=name) if truncated else None,
        "less_url": params.url(more="") if params.more == name else None,
    }


def _counts(values: np.ndarray, mask: np.ndarray, size: int) -> np.ndarray:
    return np.bincount(values[mask], minlength=size) if size else np.zeros(0, dtype=np.int64)


def _top_counts(counts: np.ndarray, vocab: np.ndarray, cap: int) -> list[tuple[str, int]]:
    nonzero = np.flatnonzero(counts)
    if len(nonzero) > cap:
        nonzero = nonzero[np.argpartition(-counts[nonzero], cap - 1)[:cap]]
    order = sorted(nonzero.tolist(), key=lambda i: (-counts[i], str(vocab[i])))
    return [(str(vocab[i]), int(counts[i])) for i in order]


def _facets(
    columns: Columns, base: np.ndarray, masks: dict, params: SearchParams, path: str
) -> list[dict]:
    facets = []
    params = _Linked(params, path)

    def limit(name):
        return None if params.more == name else FACET_SIZE.get(name)

    def cap(name):
        return FACET_MORE if params.more == name else FACET_SIZE.get(name, 50) + 1

    # Tags: choosing two means both, so their counts are over the current results
    # (each count is what adding that tag would give).
    tag_mask = _combine(base, masks)
    tag_counts = np.bincount(
        columns.tag[tag_mask[columns.tag_doc]], minlength=len(columns.tag_vocab)
    )
    pairs = _top_counts(tag_counts, columns.tag_vocab, cap("tag") + len(params.tags))

    def tag_toggle(value, selected):
        if selected:
            return params.url(tags=tuple(t for t in params.tags if t != value))
        return params.url(
            tags=(*params.tags, value), xtags=tuple(t for t in params.xtags if t != value)
        )

    def tag_extra(value):
        if value in params.tags:
            return {"exclude_url": None}
        return {"exclude_url": params.url(xtags=(*params.xtags, value))}

    facets.append(
        _facet(
            "tag",
            [(v, v, c) for v, c in pairs],
            set(params.tags),
            params,
            tag_toggle,
            limit=limit("tag"),
            extra=tag_extra,
        )
    )

    def single(name, values, vocab, attr, labels=None):
        mask = _combine(base, masks, without=(name,))
        counts = _counts(values, mask, len(vocab))
        top = _top_counts(counts, vocab, cap(name))
        label_of = labels(v for v, _ in top) if labels else {}
        current = getattr(params, attr)

        def toggle(value, selected):
            return params.url(**{attr: "" if selected else value})

        return _facet(
            name,
            [(v, label_of.get(v, v), c) for v, c in top],
            {current} if current else set(),
            params,
            toggle,
            limit=limit(name),
        )

    def post_labels(codes):
        codes = list(codes)
        return {
            code: f"{name} ({code})" if name else code
            for code, name in Post.objects.filter(code__in=codes).values_list("code", "name")
        }

    facets.append(single("post", columns.post, columns.post_vocab, "post", post_labels))
    facets.append(
        single(
            "classification",
            columns.classification,
            columns.class_vocab,
            "classification",
            lambda vs: {v: CLASSIFICATION_LABELS.get(v, v) for v in vs},
        )
    )
    # Paragraph markings: like tags, choosing two means both (a cable with an (S) and a
    # (C) paragraph), so counts are over the current results; each distinct marking
    # of a cable counts once.
    pcl_mask = _combine(base, masks)
    pcl_counts = np.bincount(
        columns.pcl[pcl_mask[columns.pcl_doc]], minlength=len(columns.pcl_vocab)
    )
    pcl_top = _top_counts(pcl_counts, columns.pcl_vocab, cap("pclass") + len(params.pclasses))

    def pclass_toggle(value, selected):
        if selected:
            return params.url(pclasses=tuple(m for m in params.pclasses if m != value))
        return params.url(pclasses=(*params.pclasses, value))

    facets.append(
        _facet(
            "pclass",
            [(v, marking_label(v), c) for v, c in pcl_top],
            set(params.pclasses),
            params,
            pclass_toggle,
            limit=limit("pclass"),
            label=marking_label,
        )
    )
    cav_mask = _combine(base, masks, without=("caveat",))
    cav_counts = np.bincount(
        columns.cav[cav_mask[columns.cav_doc]], minlength=len(columns.cav_vocab)
    )
    cav_top = _top_counts(cav_counts, columns.cav_vocab, cap("caveat"))
    facets.append(
        _facet(
            "caveat",
            [(v, v, c) for v, c in cav_top],
            {params.caveat} if params.caveat else set(),
            params,
            lambda value, selected: params.url(caveat="" if selected else value),
            limit=limit("caveat"),
        )
    )

    # Classified by: one name per cable; cables nobody is named as classifying are
    # left out of the list.
    by_mask = _combine(base, masks, without=("by",))
    by_counts = _counts(columns.by, by_mask, len(columns.by_vocab))
    nobody = columns.code(columns.by_vocab, "")
    if nobody is not None:
        by_counts[nobody] = 0
    by_top = _top_counts(by_counts, columns.by_vocab, cap("by"))
    facets.append(
        _facet(
            "by",
            [(v, v, c) for v, c in by_top],
            {params.by} if params.by else set(),
            params,
            lambda value, selected: params.url(by="" if selected else value),
            limit=limit("by"),
        )
    )

    # Dates: a year histogram; one year chosen narrows to its months.
    year_mask = _combine(base, masks, without=("year", "month"))
    years = columns.year[year_mask]
    years = years[years >= 0]
    year_values, year_counts = np.unique(years, return_counts=True)
    facets.append(
        _facet(
            "year",
            [(str(y), str(y), int(c)) for y, c in zip(year_values, year_counts, strict=True)],
            {str(params.year)} if params.year else set(),
            params,
            lambda value, selected: params.url(year=None if selected else int(value), month=None),
            limit=None,
        )
    )
    if params.year:
        month_mask = _combine(base, masks, without=("month",))
        months = columns.month[month_mask] - params.year * 12
        counts = np.bincount(months[(months >= 0) & (months < 12)], minlength=12)
        facets.append(
            _facet(
                "month",
                [
                    (str(m + 1), f"{calendar.month_abbr[m + 1]} {params.year}", int(counts[m]))
                    for m in range(12)
                ],
                {str(params.month)} if params.month else set(),
                params,
                lambda value, selected: params.url(month=None if selected else int(value)),
                limit=None,
            )
        )
    return facets


# -- snippets -----------------------------------------------------------------------


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


def _snippets(pks: list[int], terms: set[str]) -> dict[int, tuple[list, str]]:
    rows = Paragraph.objects.filter(cable_id__in=pks)
    if not terms:
        rows = rows.filter(position__lt=2)
    by_cable: dict[int, list] = {}
    for cable_id, position, number, text in rows.order_by("cable_id", "position").values_list(
        "cable_id", "position", "number", "text"
    ):
        by_cable.setdefault(cable_id, []).append((position, number, text))
    # Stems are not always substrings of their words ("embassi" in "embassy"), so
    # paragraphs are ranked by a shortened stem, then highlighted for real.
    probes = [t.lower()[: max(3, len(t) - 1)] for t in terms if t]
    out: dict[int, tuple[list, str]] = {}
    fragmenter = ContextFragmenter(maxchars=260, surround=70)
    for pk, paragraphs in by_cable.items():
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
            segments = _highlight(para[2], terms, probes, fragmenter)
            if segments:
                chosen = para
                break
        position, number, text = chosen
        anchor = f"p{number}" if number is not None else f"t{position}"
        out[pk] = (segments or _plain_snippet(text), anchor)
    return out


# -- the search ---------------------------------------------------------------------


@dataclass
class SearchResult:
    params: SearchParams
    parsed: ParsedQuery
    total: int = 0
    archive_total: int = 0
    page: Page | None = None
    page_number: int = 1
    pages: int = 0
    rows: list[dict] = field(default_factory=list)
    facets: list[dict] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    out_of_range: bool = False
    index_missing: bool = False
    elapsed_ms: float = 0.0
    ordered_ids: list[str] | None = None

    @property
    def sort(self) -> str:
        return self.params.effective_sort


def _rows(reference_ids: list[str], terms: set[str]) -> list[dict]:
    cables = {
        c.reference_id: c
        for c in Cable.objects.filter(reference_id__in=reference_ids)
        .select_related("origin")
        .only(
            "reference_id",
            "subject",
            "created",
            "classification",
            "caveats",
            "origin__code",
            "origin__name",
        )
    }
    snippets = _snippets([c.pk for c in cables.values()], terms)
    rows = []
    for rid in reference_ids:
        cable = cables.get(rid)
        if cable is None:  # in the index, gone from the database: check_index reports it
            continue
        segments, anchor = snippets.get(cable.pk, ([], ""))
        rows.append(
            {
                "reference_id": rid,
                "subject": cable.subject,
                "created": cable.created,
                "post": cable.origin.code,
                "post_name": cable.origin.name,
                "classification": cable.classification,
                "caveats": cable.caveat_list,
                "url": cable_url(rid),
                "snippet_url": f"{cable_url(rid)}#{anchor}" if anchor else cable_url(rid),
                "segments": [{"text": t, "mark": m} for t, m in segments],
                "snippet": "".join(t for t, _ in segments),
                "snippet_html": "".join(
                    f"<mark>{escape(t)}</mark>" if m else str(escape(t)) for t, m in segments
                ),
            }
        )
    return rows


def search_run(
    *,
    params: SearchParams,
    page: int | None = 1,
    per_page: int = PER_PAGE,
    with_rows: bool = True,
    all_ids: bool = False,
    path: str = "/search/",
) -> SearchResult:
    """Run one search: parse ``params.q``, count every facet, and (``with_rows``) fetch
    the page's rows with snippets; ``all_ids`` also returns every matching id in order
    (the CSV twin). Never raises on user input."""
    started = time.perf_counter()
    parsed = query_parse(params.q)
    result = SearchResult(params=params, parsed=parsed)
    result.messages = [*params.messages, *parsed.messages]
    terms: set[str] = set()
    try:
        with open_searcher() as searcher:
            columns = columns_for(searcher)
            if parsed.query is not None:
                evaluation = query_evaluate(searcher, columns, parsed.query)
                base, scores, terms = evaluation.mask, evaluation.scores, evaluation.terms
                result.messages += evaluation.notes
            elif params.q.strip():
                base, scores = np.zeros(columns.n, dtype=bool), None
            else:
                base, scores = columns.live, None
    except IndexMissing:
        result.index_missing = True
        result.messages.append(
            "The search index has not been built yet: run “manage.py rebuild_index”."
        )
        result.elapsed_ms = (time.perf_counter() - started) * 1000
        return result

    masks = _filter_masks(columns, params)
    final = _combine(base, masks)
    docs = np.flatnonzero(final)
    result.total = len(docs)
    result.archive_total = columns.live_count
    result.facets = _facets(columns, base, masks, params, path)
    ordered = _Ordered(docs, columns, scores, params.effective_sort)
    paginator = Paginator(ordered, per_page, orphans=ORPHANS, allow_empty_first_page=True)
    result.pages = paginator.num_pages
    number = page or 1
    try:
        result.page = paginator.page(number)
        result.page_number = number
    except EmptyPage:
        result.out_of_range = True
        result.page_number = number
        result.messages.append(
            f"There is no page {number:,}: this search has {paginator.num_pages:,} "
            f"page{'s' if paginator.num_pages != 1 else ''}."
        )
    if all_ids:
        result.ordered_ids = columns.reference_ids(ordered.all())
    if with_rows and result.page is not None:
        page_ids = columns.reference_ids(np.asarray(result.page.object_list))
        result.rows = _rows(page_ids, terms)
    result.elapsed_ms = (time.perf_counter() - started) * 1000
    return result


def search_csv_rows(reference_ids: list[str], *, chunk: int = 500) -> Iterator[list[str]]:
    """Rows for the CSV twin, in result order, read from the database in chunks."""
    yield ["reference_id", "created", "post", "classification", "caveats", "subject", "url"]
    for start in range(0, len(reference_ids), chunk):
        ids = reference_ids[start : start + chunk]
        cables = {
            c["reference_id"]: c
            for c in Cable.objects.filter(reference_id__in=ids).values(
                "reference_id", "created", "origin__code", "classification", "caveats", "subject"
            )
        }
        for rid in ids:
            c = cables.get(rid)
            if c is None:
                continue
            yield [
                rid,
                c["created"].isoformat() if c["created"] else "",
                c["origin__code"],
                c["classification"],
                c["caveats"],
                c["subject"],
                cable_url(rid),
            ]


def cable_id_lookup(text: str) -> str | None:
    """The id of the cable a query names exactly (``03 OTTAWA 492``), if the archive has it."""
    from search.query import cable_id_in_query

    candidate = cable_id_in_query(text)
    if not candidate:
        return None
    return (
        Cable.objects.filter(reference_id__iexact=candidate)
        .values_list("reference_id", flat=True)
        .first()
    )


def cables_citing_count(*, reference_id: str) -> int:
    """How many cables in the index cite ``reference_id`` (their REF names it); the
    search for them is ``search_url(q=f"ref:{reference_id}")``."""
    result = search_run(params=SearchParams(q=f"ref:{reference_id}"), with_rows=False)
    return result.total
