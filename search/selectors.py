"""Reads: one search, with facets, a page of rows and their snippets.

The engine gives the matching documents (:func:`search.engine.api.search_evaluate`);
its column store gives every filter, facet count (:mod:`search.facets`) and date
sort; the database gives the 20 rows shown and their paragraphs.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, Paginator
from django.urls import reverse
from django.utils.html import escape

from cables.dates import date_of
from cables.glossary import classify
from cables.models import Cable, CableTag, KnownCable, Paragraph, Reference
from cables.selectors import archive_generation
from search.engine.api import search_evaluate
from search.engine.highlight import paragraph_snippet
from search.engine.query import ParsedQuery, cable_id_in_query, query_parse
from search.engine.ranking import Ordered
from search.facets import FacetContext, date_histogram, facets_count, filter_masks
from search.filters import SearchParams
from search.index import IndexMissing, index_root, open_searcher

PER_PAGE = 20
ORPHANS = 3
FEED_SIZE = 50


def cable_url(reference_id: str) -> str:
    return reverse("cables:cable_detail", args=[reference_id])


def _snippets(
    pks: list[int], terms: set[str], phrases: tuple[tuple[str, ...], ...] = ()
) -> dict[int, tuple[list, str]]:
    rows = Paragraph.objects.filter(cable_id__in=pks)
    if not terms:
        rows = rows.filter(position__lt=2)
    by_cable: dict[int, list] = {}
    for cable_id, position, number, text in rows.order_by("cable_id", "position").values_list(
        "cable_id", "position", "number", "text"
    ):
        by_cable.setdefault(cable_id, []).append((position, number, text))
    return {
        pk: paragraph_snippet(paragraphs, terms, phrases) for pk, paragraphs in by_cable.items()
    }


@dataclass(frozen=True)
class PageInfo:
    """What the results page shows of its paginator page (plain data, so a result
    can be cached)."""

    number: int
    start_index: int
    has_previous: bool
    has_next: bool
    previous_page_number: int | None
    next_page_number: int | None

    @classmethod
    def of(cls, page: Page) -> PageInfo:
        return cls(
            number=page.number,
            start_index=page.start_index(),
            has_previous=page.has_previous(),
            has_next=page.has_next(),
            previous_page_number=page.previous_page_number() if page.has_previous() else None,
            next_page_number=page.next_page_number() if page.has_next() else None,
        )


@dataclass
class SearchResult:
    params: SearchParams
    parsed: ParsedQuery
    total: int = 0
    archive_total: int = 0
    page: PageInfo | None = None
    page_number: int = 1
    pages: int = 0
    rows: list[dict] = field(default_factory=list)
    facets: list[dict] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    out_of_range: bool = False
    index_missing: bool = False
    elapsed_ms: float = 0.0
    # Every matching id in result order (``all_ids``): the index's id column, bytes,
    # decoded a chunk at a time by the CSV twin.
    ordered_ids: np.ndarray | None = None
    # Cables per month or year (search.facets.date_histogram). A plain default, not a
    # factory: a result cached by the previous release unpickles with it.
    histogram: tuple[dict, ...] = ()
    # The query was over a limit (search.engine.limits) and not run: the pages answer
    # 400 with ``messages``. A plain default, like ``histogram``.
    refused: bool = False

    @property
    def sort(self) -> str:
        return self.params.effective_sort


def _rows(
    reference_ids: list[str], terms: set[str], phrases: tuple[tuple[str, ...], ...] = ()
) -> list[dict]:
    cables = {
        c.reference_id: c
        for c in Cable.objects.filter(reference_id__in=reference_ids)
        .select_related("origin")
        .only(
            "reference_id",
            "subject",
            "created",
            "date_precision",
            "classification",
            "caveats",
            "origin__code",
            "origin__name",
        )
    }
    snippets = _snippets([c.pk for c in cables.values()], terms, phrases)
    tags = _tags_of(list(cables))
    rows = []
    for rid in reference_ids:
        cable = cables.get(rid)
        if cable is None:  # in the index, gone from the database: check_index reports it
            continue
        segments, anchor = snippets.get(cable.pk, ([], ""))
        url = cable_url(rid)
        rows.append(
            {
                "reference_id": rid,
                "subject": cable.subject,
                "created": cable.created,
                "date_precision": cable.date_precision,
                "post": cable.origin.code,
                "post_name": cable.origin.name,
                "classification": cable.classification,
                "caveats": cable.caveat_list,
                "url": url,
                "snippet_url": f"{url}#{anchor}" if anchor else url,
                "snippet_paragraph": anchor[1:] if anchor.startswith("p") else "",
                "tags": [
                    {"code": code, "meaning": classify(code).meaning} for code in tags.get(rid, [])
                ],
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
    fmt: str = "html",
) -> SearchResult:
    """Run one search: parse ``params.q``, count every facet (linked to the page or
    its ``fmt`` twin), and (``with_rows``) fetch the page's rows with snippets;
    ``all_ids`` returns every matching id in order instead of facets (the CSV twin).
    Never raises on user input: a query over a limit of :mod:`search.engine.limits`
    gives a ``refused`` result, with the reason in ``messages`` and nothing else.

    Searches without a query (browsing everything, or by filters alone: a tag, a
    post, a year) are what every visitor's first clicks ask again and again: their
    result is cached per archive generation and validated parameters."""
    if params.q or all_ids:
        return _search_run(params, page, per_page, with_rows, all_ids, fmt)
    started = time.perf_counter()
    key = _result_key(params, page, per_page, with_rows, fmt)
    result = cache.get(key)
    if result is None:
        result = _search_run(params, page, per_page, with_rows, all_ids, fmt)
        if not result.index_missing:
            cache.set(key, result)
        return result
    return replace(result, elapsed_ms=(time.perf_counter() - started) * 1000)


def _result_key(params: SearchParams, *parts) -> str:
    state = hashlib.sha256(repr((params, params.messages, parts)).encode()).hexdigest()[:32]
    return f"search:{archive_generation().token}:{state}"


def _search_run(
    params: SearchParams,
    page: int | None,
    per_page: int,
    with_rows: bool,
    all_ids: bool,
    fmt: str,
) -> SearchResult:
    started = time.perf_counter()
    try:
        hits = search_evaluate(root=index_root(), text=params.q)
    except IndexMissing:
        result = SearchResult(params=params, parsed=query_parse(params.q), index_missing=True)
        result.refused = bool(result.parsed.refusal)
        result.messages = [
            *params.messages,
            *result.parsed.messages,
            *([result.parsed.refusal] if result.parsed.refusal else []),
            "The search index has not been built yet: run “manage.py rebuild_index”.",
        ]
        result.elapsed_ms = (time.perf_counter() - started) * 1000
        return result
    result = SearchResult(params=params, parsed=hits.parsed)
    result.messages = [*params.messages, *hits.parsed.messages, *hits.notes]
    if hits.refusal:
        result.refused = True
        result.messages.append(hits.refusal)
        result.archive_total = hits.columns.live_count
        result.elapsed_ms = (time.perf_counter() - started) * 1000
        return result
    columns = hits.columns
    masks = filter_masks(columns, params)
    final = hits.mask.copy()
    for mask in masks.values():
        final &= mask
    docs = np.flatnonzero(final)
    result.total = len(docs)
    result.archive_total = columns.live_count
    if not all_ids:
        context = FacetContext(columns, hits.mask, masks, params, fmt)
        result.facets = facets_count(context)
        result.histogram = tuple(date_histogram(context))
    ordered = Ordered(docs, columns, hits.scores, params.effective_sort)
    paginator = Paginator(ordered, per_page, orphans=ORPHANS, allow_empty_first_page=True)
    result.pages = paginator.num_pages
    number = page or 1
    result.page_number = number
    try:
        paginated = paginator.page(number)
    except EmptyPage:
        paginated = None
        result.out_of_range = True
        result.messages.append(
            f"There is no page {number:,}: this search has {paginator.num_pages:,} "
            f"page{'s' if paginator.num_pages != 1 else ''}."
        )
    if all_ids:
        result.ordered_ids = columns.ref[ordered.all()]
    if paginated is not None:
        result.page = PageInfo.of(paginated)
        if with_rows:
            page_ids = columns.reference_ids(np.asarray(paginated.object_list))
            result.rows = _rows(page_ids, hits.terms, hits.phrases)
    result.elapsed_ms = (time.perf_counter() - started) * 1000
    return result


@dataclass(frozen=True)
class Neighbour:
    reference_id: str
    subject: str
    position: int


@dataclass(frozen=True)
class ResultContext:
    """A cable as one result of a search (the cable page opened from the results):
    its ``position`` in the result set (None when the cable is not, or no longer, in
    it), the ``total``, the ``previous`` and ``next`` results, and the query's index
    ``terms`` to mark in the text. Read from the query string alone: no session."""

    params: SearchParams
    total: int
    terms: frozenset[str]
    position: int | None = None
    previous: Neighbour | None = None
    next: Neighbour | None = None


def search_result_context(
    *, params: SearchParams, reference_id: str, position: int | None
) -> ResultContext | None:
    """The search ``params`` around the cable ``reference_id``, which the results page
    listed at ``position`` (1-based); when the archive changed since and the cable
    moved, its position now. None when the search cannot be run (no index, a query
    over a limit)."""
    try:
        hits = search_evaluate(root=index_root(), text=params.q)
    except IndexMissing:
        return None
    if hits.refusal:
        return None
    columns = hits.columns
    final = hits.mask.copy()
    for mask in filter_masks(columns, params).values():
        final &= mask
    ordered = Ordered(np.flatnonzero(final), columns, hits.scores, params.effective_sort)
    total = len(ordered)
    terms = frozenset(hits.terms)
    found = None
    if (
        position is not None
        and 1 <= position <= total
        and columns.reference_ids(ordered[position - 1 : position])[0] == reference_id
    ):
        found = position
    if found is None:
        docnum = columns.docnum_of(reference_id)
        if docnum is not None and final[docnum]:
            found = int(np.flatnonzero(ordered.all() == docnum)[0]) + 1
    if found is None:
        return ResultContext(params=params, total=total, terms=terms)
    start = max(found - 2, 0)
    around = columns.reference_ids(ordered[start : found + 1])
    wanted = {
        found - 1: around[0] if found > 1 else None,
        found + 1: around[-1] if found < total else None,
    }
    subjects = dict(
        Cable.objects.filter(reference_id__in=[r for r in wanted.values() if r]).values_list(
            "reference_id", "subject"
        )
    )
    neighbours = {
        pos: Neighbour(rid, subjects.get(rid, ""), pos)
        for pos, rid in wanted.items()
        if rid and rid in subjects
    }
    return ResultContext(
        params=params,
        total=total,
        terms=terms,
        position=found,
        previous=neighbours.get(found - 1),
        next=neighbours.get(found + 1),
    )


def _tags_of(reference_ids: list[str]) -> dict[str, list[str]]:
    """The tag codes of these cables, each cable's in its own order."""
    tags: dict[str, list[str]] = {}
    for rid, code in (
        CableTag.objects.filter(cable__reference_id__in=reference_ids)
        .order_by("cable_id", "position")
        .values_list("cable__reference_id", "tag__code")
    ):
        tags.setdefault(rid, []).append(code)
    return tags


def search_feed_run(*, params: SearchParams, size: int = FEED_SIZE) -> SearchResult:
    """The newest ``size`` cables matching ``params``, whatever its sort (a feed of the
    search): result rows with, besides, each cable's ``tags``, ``summary``, ``signer``
    and ``ingested_at``. ``params.q`` empty: cached per generation like any browse."""
    result = search_run(params=replace(params, sort="newest", more=""), page=1, per_page=size)
    result.rows = rows = [dict(row) for row in result.rows[:size]]
    ids = [row["reference_id"] for row in rows]
    extra = {
        c["reference_id"]: c
        for c in Cable.objects.filter(reference_id__in=ids).values(
            "reference_id", "summary", "signer", "ingested_at"
        )
    }
    tags = _tags_of(ids)
    for row in rows:
        found = extra.get(row["reference_id"], {})
        row["tags"] = tags.get(row["reference_id"], [])
        row["summary"] = found.get("summary", "")
        row["signer"] = found.get("signer", "")
        row["ingested_at"] = found.get("ingested_at")
    return result


CSV_COLUMNS = [
    "reference_id",
    "created",
    "released",
    "post",
    "classification",
    "caveats",
    "tags",
    "subject",
    "summary",
    "url",
]
# Cables read from the database per query while the CSV twin streams.
CSV_CHUNK = 500


def search_csv_rows(
    reference_ids: Sequence[str] | np.ndarray,
    *,
    absolute: Callable[[str], str] = str,
    chunk: int | None = None,
) -> Iterator[list[str]]:
    """Rows for the CSV twin, header first, in result order: each cable's dates, post,
    classification, tags (``;``-separated, in the cable's order), subject, summary and
    absolute URL. Lazy: the database is read ``chunk`` cables at a time as the rows
    are consumed, so the whole archive streams at constant memory. ``reference_ids``
    may be the index's id column (bytes), decoded a chunk at a time."""
    size = chunk or CSV_CHUNK
    yield list(CSV_COLUMNS)
    for start in range(0, len(reference_ids), size):
        ids = [
            rid.decode() if isinstance(rid, bytes) else str(rid)
            for rid in reference_ids[start : start + size]
        ]
        cables = {
            c["reference_id"]: c
            for c in Cable.objects.filter(reference_id__in=ids).values(
                "reference_id",
                "created",
                "date_precision",
                "released",
                "origin__code",
                "classification",
                "caveats",
                "subject",
                "summary",
            )
        }
        tags = _tags_of(list(cables))
        for rid in ids:
            c = cables.get(rid)
            if c is None:  # in the index, gone from the database
                continue
            yield [
                rid,
                date_of(c).iso(),
                c["released"].isoformat() if c["released"] else "",
                c["origin__code"],
                c["classification"],
                c["caveats"],
                ";".join(tags.get(rid, [])),
                c["subject"],
                c["summary"],
                absolute(cable_url(rid)),
            ]


def cable_id_lookup(text: str) -> str | None:
    """The id of the cable a query names exactly (``03 OTTAWA 492``), when that id has a
    page: a loaded cable, or one the archive knows without holding it (in the
    Cablegate id list, or cited by a loaded cable), whose page is its placeholder."""
    candidate = cable_id_in_query(text)
    if not candidate:
        return None
    loaded = (
        Cable.objects.filter(reference_id__iexact=candidate)
        .values_list("reference_id", flat=True)
        .first()
    )
    if loaded:
        return loaded
    if KnownCable.objects.filter(reference_id=candidate).exists():
        return candidate
    if Reference.objects.filter(target_reference_id=candidate).exists():
        return candidate
    return None


def cables_citing_count(*, reference_id: str) -> int:
    """How many cables in the index cite ``reference_id`` (their REF names it); the
    search for them is ``search_url(q=f"ref:{reference_id}")``."""
    return search_run(params=SearchParams(q=f"ref:{reference_id}"), with_rows=False).total


def index_document_count() -> int:
    """How many documents the live index holds (raises :class:`IndexMissing`)."""
    with open_searcher() as searcher:
        return searcher.doc_count()
