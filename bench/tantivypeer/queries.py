"""One search of the mix on the peer, with our facet semantics.

The text goes through tantivy's own query parser over ``subject`` (boost 2, as ours)
and ``text``, every word required (ours: Whoosh's ``MultifieldParser`` with an AND
group); quoted words are a phrase. Filters are term and range queries, wrapped as
constant-score clauses so they narrow without changing the ranking.

Facets: tantivy's Python bindings expose no ``FacetCollector`` (a ``Facet`` field can
only be filtered on from Python), so every facet is counted by tantivy's aggregation
framework, a ``terms`` aggregation over a fast (columnar) field, run inside the engine
over the matching documents (``Searcher.aggregate``). As ours and the PostgreSQL peer:
tags and paragraph markings within all filters; post, classification, caveat and
classified-by within all filters but their own; years within all but year and month;
months (a year chosen) within all but month. Facets that share a filter set are one
aggregation request (one pass over the matches). Bucket sizes are ours (top 12 tags +
the chosen ones + 1, ...); tantivy's terms aggregation is exact when one segment holds
the index and may undercount the tail across segments (its ``shard_size``).

The page: the top 20 by BM25 (text) or newest first (``created``, a fast field), read
from tantivy's document store, with a snippet of ``text`` from tantivy's
``SnippetGenerator`` (text queries) or the first 240 characters.
"""

from __future__ import annotations

import time
from datetime import date

import tantivy

PER_PAGE = 20
SNIPPET_CHARS = 240
DAY0 = date(1970, 1, 1)
# ours: search.selectors.FACET_SIZE + 1 (the "more" link's probe)
FACET_SIZE = {"tag": 13, "pclass": 11, "post": 11, "classification": 9, "caveat": 9, "by": 11}
# facet -> the filter groups its counts ignore
FACET_WITHOUT = {
    "tag": (),
    "pclass": (),
    "post": ("post",),
    "classification": ("classification",),
    "caveat": ("caveat",),
    "by": ("by",),
    "year": ("year", "month"),
    "month": ("month",),
}


def _day(value: str) -> int:
    return (date.fromisoformat(value) - DAY0).days


def clauses(index: tantivy.Index, query: dict) -> list[tuple[str, tantivy.Query]]:
    """``(filter group, query)`` for the text and every filter of a mix query."""
    schema = index.schema
    found: list[tuple[str, tantivy.Query]] = []
    if query.get("q"):
        text = index.parse_query(
            query["q"],
            ["subject", "text"],
            field_boosts={"subject": 2.0},
            conjunction_by_default=True,
        )
        found.append(("", text))

    def term(group: str, field: str, value) -> None:
        found.append((group, tantivy.Query.term_query(schema, field, value)))

    for code in query.get("tag") or []:
        term("tag", "tag", " ".join(code.upper().split()))
    for marking in query.get("pclass") or []:
        term("pclass", "pclass", marking.upper())
    for group in ("post", "classification", "caveat", "by"):
        if query.get(group):
            value = query[group] if group == "by" else query[group].upper()
            term(group, group, value)
    if query.get("from") or query.get("to"):
        lower = _day(query["from"]) if query.get("from") else None
        upper = _day(query["to"]) if query.get("to") else None
        found.append(
            (
                "range",
                tantivy.Query.range_query(schema, "day", tantivy.FieldType.Integer, lower, upper),
            )
        )
    if query.get("year"):
        term("year", "year", int(query["year"]))
        if query.get("month"):
            term("month", "month", int(query["year"]) * 12 + int(query["month"]) - 1)
    return found


def combine(found: list[tuple[str, tantivy.Query]], without: tuple[str, ...] = ()):
    kept = []
    for group, q in found:
        if group in without:
            continue
        kept.append(q if group == "" else tantivy.Query.const_score_query(q, 0.0))
    if not kept:
        return tantivy.Query.all_query()
    if len(kept) == 1:
        return kept[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in kept])


def facet_requests(query: dict, groups: set[str]) -> dict[tuple[str, ...], dict]:
    """Aggregation requests keyed by the filter groups they leave out."""
    by_without: dict[tuple[str, ...], dict] = {}
    for name, own in FACET_WITHOUT.items():
        if name == "month" and not query.get("year"):
            continue
        size = FACET_SIZE.get(name, 1000)  # years and months: all of them
        if name in ("tag", "pclass"):
            size += len(query.get(name) or [])  # the chosen ones are listed too
        key = tuple(sorted(set(own) & groups))
        by_without.setdefault(key, {})[name] = {"terms": {"field": name, "size": size}}
    return by_without


def run(index: tantivy.Index, searcher: tantivy.Searcher, query: dict) -> dict:
    """One search: count, every facet, the first page with snippets."""
    started = time.perf_counter()
    found = clauses(index, query)
    groups = {g for g, _ in found}
    main = combine(found)
    if query.get("q"):
        result = searcher.search(main, PER_PAGE, count=True)
    else:
        result = searcher.search(
            main, PER_PAGE, count=True, order_by_field="created", order=tantivy.Order.Desc
        )
    facets: dict[str, dict] = {}
    for without, aggs in facet_requests(query, groups).items():
        q = main if not without else combine(found, without)
        answer = searcher.aggregate(q, aggs)
        for name in aggs:
            facets[name] = {str(b["key"]): b["doc_count"] for b in answer[name]["buckets"]}
    if "month" in facets:  # ours shows months as 1..12 of the chosen year
        base = int(query["year"]) * 12
        facets["month"] = {str(int(k) - base + 1): v for k, v in facets["month"].items()}
    counted = time.perf_counter()
    rows = []
    snippets = None
    if query.get("q"):
        snippets = tantivy.SnippetGenerator.create(searcher, main, index.schema, "text")
        snippets.set_max_num_chars(SNIPPET_CHARS)
    for _score, address in result.hits:
        doc = searcher.doc(address)
        if snippets is not None:
            snippet = snippets.snippet_from_doc(doc).to_html()
        else:
            snippet = (doc.get_first("text") or "")[:SNIPPET_CHARS]
        rows.append(
            (
                doc.get_first("reference_id"),
                doc.get_first("subject"),
                doc.get_first("created"),
                snippet,
            )
        )
    return {
        "hits": result.count,
        "rows": len(rows),
        "facet_values": sum(len(v) for v in facets.values()),
        "facets": facets,
        "first_row": rows[0][0] if rows else None,
        "count_facets_ms": (counted - started) * 1000,
        "page_ms": (time.perf_counter() - counted) * 1000,
    }
