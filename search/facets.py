"""Facets, a small family in the style of datasette's ``facets.py``: each facet knows
its column, the filter its selection makes, and how to count and link its values.

* :class:`ValueFacet`: one value per cable (post, classification, classified by);
* :class:`ArrayFacet`: several values per cable (tags, caveats, paragraph markings);
* :class:`YearFacet`, :class:`MonthFacet`: dates.

Every facet returns the one shape ``{name, title, results: [{value, label, count,
selected, toggle_url}], truncated, more_url, less_url}``. A single-choice facet counts
over the results filtered by everything but itself (each count is what choosing that
value would give); a facet whose choices combine (two tags: both) counts over the
current results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from cables.glossary import classify
from cables.models import Classification, Post
from cables.parsing.months import MONTH_NAMES
from search.engine.columns import NO_DATE, Columns
from search.engine.schema import day_number
from search.filters import SearchParams
from search.histogram import histogram_entries, histogram_periods
from search.links import search_url_builder

# "More ..." lists every value a facet has over the results, up to this many (the
# archive's 695 tags among them); past it the list says it is truncated and how many
# values it left out.
FACET_MORE = 2000
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


def post_labels(codes: list[str]) -> dict[str, str]:
    return {
        code: f"{name} ({code})" if name else code
        for code, name in Post.objects.filter(code__in=codes).values_list("code", "name")
    }


@dataclass
class FacetContext:
    """One search's state, shared by its facets."""

    columns: Columns
    base: np.ndarray  # what the query matches
    masks: dict[str, np.ndarray]  # one filter mask per facet with a selection
    params: SearchParams
    fmt: str = "html"
    # How many values each facet counted over the results (set by ``counts``).
    distinct: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.url = search_url_builder(self.params, fmt=self.fmt)

    def within(self, *without: str) -> np.ndarray:
        result = self.base.copy()
        for name, mask in self.masks.items():
            if name not in without:
                result &= mask
        return result


def _top_counts(counts: np.ndarray, vocab: np.ndarray, cap: int) -> list[tuple[str, int]]:
    nonzero = np.flatnonzero(counts)
    if len(nonzero) > cap:
        nonzero = nonzero[np.argpartition(-counts[nonzero], cap - 1)[:cap]]
    order = sorted(nonzero.tolist(), key=lambda i: (-counts[i], str(vocab[i])))
    return [(str(vocab[i]), int(counts[i])) for i in order]


class Facet:
    name = ""
    title = ""
    size: int | None = None  # values shown before "more"; None: all
    param = ""  # the SearchParams field its selection lives in
    multiple = False  # choices combine (a tuple of values, all required)

    # -- selection ----------------------------------------------------------------------
    def selected(self, params: SearchParams) -> list[str]:
        value = getattr(params, self.param)
        if self.multiple:
            return list(value)
        return [str(value)] if value else []

    def toggle(self, ctx: FacetContext, value: str, on: bool) -> str:
        current = getattr(ctx.params, self.param)
        if self.multiple:
            chosen = tuple(v for v in current if v != value) if on else (*current, value)
            return ctx.url(**{self.param: chosen})
        return ctx.url(**{self.param: "" if on else value})

    def mask(self, columns: Columns, params: SearchParams) -> np.ndarray | None:
        raise NotImplementedError

    # -- counting -----------------------------------------------------------------------
    def counts(self, ctx: FacetContext, cap: int) -> list[tuple[str, str, int]]:
        """``[(value, label, count)]``, largest first, at most ``cap``."""
        raise NotImplementedError

    def label(self, value: str) -> str:
        return value

    def entry_extra(self, ctx: FacetContext, value: str) -> dict:
        return {}

    def results(self, ctx: FacetContext) -> dict:
        params = ctx.params
        expanded = params.more == self.name
        limit = None if expanded or self.size is None else self.size
        cap = FACET_MORE if expanded else (self.size or 50) + 1
        selected = self.selected(params)
        counts = self.counts(ctx, cap + (len(selected) if self.multiple else 0))
        distinct = ctx.distinct.get(self.name) if expanded else None
        seen = {value for value, _, _ in counts}
        counts = [(v, self.label(v), 0) for v in selected if v not in seen] + counts
        results = [
            {
                "value": value,
                "label": label,
                "count": int(count),
                "selected": value in selected,
                "toggle_url": self.toggle(ctx, value, value in selected),
                **self.entry_extra(ctx, value),
            }
            for value, label, count in counts
        ]
        truncated = False
        if limit is not None:
            chosen = [r for r in results if r["selected"]]
            others = [r for r in results if not r["selected"]]
            truncated = len(others) > limit
            results = chosen + others[:limit]
        if expanded:  # the whole list, unless past FACET_MORE: then it says so
            listed = sum(1 for r in results if r["count"])
            truncated = distinct is not None and listed < distinct
        return {
            "name": self.name,
            "title": self.title,
            "results": results,
            "truncated": truncated,
            "distinct": distinct,
            "more_url": ctx.url(more=self.name) if truncated and not expanded else None,
            "less_url": ctx.url(more="") if expanded else None,
        }


class ValueFacet(Facet):
    """One value per cable: ``column`` codes into ``vocab`` (Columns attribute names)."""

    def __init__(self, name, title, param, column, vocab, *, size, labels=None, blank=True):
        self.name, self.title, self.param, self.size = name, title, param, size
        self.column, self.vocab, self.labels, self.blank = column, vocab, labels, blank

    def mask(self, columns, params):
        value = getattr(params, self.param)
        if not value:
            return None
        return columns.value_mask(
            getattr(columns, self.column), getattr(columns, self.vocab), value
        )

    def counts(self, ctx, cap):
        columns = ctx.columns
        vocab = getattr(columns, self.vocab)
        values = getattr(columns, self.column)[ctx.within(self.name)]
        counts = np.bincount(values, minlength=len(vocab)) if len(vocab) else np.zeros(0, int)
        if not self.blank:  # cables with no value are left out of the list
            nobody = columns.code(vocab, "")
            if nobody is not None:
                counts[nobody] = 0
        ctx.distinct[self.name] = int(np.count_nonzero(counts))
        top = _top_counts(counts, vocab, cap)
        labels = self.labels([v for v, _ in top]) if self.labels else {}
        return [(v, labels.get(v, v), c) for v, c in top]


class ArrayFacet(Facet):
    """Several values per cable: parallel ``docs``/``values`` pair arrays."""

    def __init__(self, name, title, param, docs, values, vocab, *, size, multiple, label=None):
        self.name, self.title, self.param, self.size = name, title, param, size
        self.docs, self.values, self.vocab = docs, values, vocab
        self.multiple, self._label = multiple, label

    def label(self, value):
        return self._label(value) if self._label else value

    def _pairs(self, columns, value):
        return columns.pairs_mask(
            getattr(columns, self.docs),
            getattr(columns, self.values),
            getattr(columns, self.vocab),
            value,
        )

    def mask(self, columns, params):
        chosen = self.selected(params)
        if not chosen:
            return None
        mask = np.ones(columns.n, dtype=bool)
        for value in chosen:
            mask &= self._pairs(columns, value)
        return mask

    def counts(self, ctx, cap):
        columns = ctx.columns
        within = ctx.within() if self.multiple else ctx.within(self.name)
        docs, values = getattr(columns, self.docs), getattr(columns, self.values)
        vocab = getattr(columns, self.vocab)
        counts = np.bincount(values[within[docs]], minlength=len(vocab))
        ctx.distinct[self.name] = int(np.count_nonzero(counts))
        return [(v, self.label(v), c) for v, c in _top_counts(counts, vocab, cap)]


class TagFacet(ArrayFacet):
    """Tags: several required at once, and each can be excluded (``xtag``)."""

    def mask(self, columns, params):
        if not (params.tags or params.xtags):
            return None
        mask = super().mask(columns, params)
        mask = np.ones(columns.n, dtype=bool) if mask is None else mask
        for value in params.xtags:
            mask &= ~self._pairs(columns, value)
        return mask

    def toggle(self, ctx, value, on):
        if on:
            return super().toggle(ctx, value, on)
        tags, xtags = ctx.params.tags, ctx.params.xtags
        return ctx.url(tags=(*tags, value), xtags=tuple(t for t in xtags if t != value))

    def entry_extra(self, ctx, value):
        meaning = classify(value).meaning  # the TAGS glossary's (cables.glossary)
        if value in ctx.params.tags:
            return {"exclude_url": None, "meaning": meaning}
        return {"exclude_url": ctx.url(xtags=(*ctx.params.xtags, value)), "meaning": meaning}


class YearFacet(Facet):
    name, title, param = "year", "Year", "year"

    def mask(self, columns, params):
        return columns.year == params.year if params.year else None

    def toggle(self, ctx, value, on):
        return ctx.url(year=None if on else int(value), month=None)

    def counts(self, ctx, cap):
        years = ctx.columns.year[ctx.within("year", "month")]
        values, counts = np.unique(years[years >= 0], return_counts=True)
        return [(str(y), str(y), int(c)) for y, c in zip(values, counts, strict=True)]


class MonthFacet(Facet):
    """The months of the chosen year (shown only once a year is chosen)."""

    name, title, param = "month", "Month", "month"

    def mask(self, columns, params):
        if not (params.year and params.month):
            return None
        return columns.month == params.year * 12 + params.month - 1

    def toggle(self, ctx, value, on):
        return ctx.url(month=None if on else int(value))

    def counts(self, ctx, cap):
        year = ctx.params.year
        months = ctx.columns.month[ctx.within("month")] - year * 12
        counts = np.bincount(months[(months >= 0) & (months < 12)], minlength=12)
        return [(str(m + 1), f"{MONTH_NAMES[m][:3]} {year}", int(counts[m])) for m in range(12)]


FACETS: tuple[Facet, ...] = (
    TagFacet("tag", "Tags", "tags", "tag_doc", "tag", "tag_vocab", size=12, multiple=True),
    ValueFacet("post", "Post", "post", "post", "post_vocab", size=10, labels=post_labels),
    ValueFacet(
        "classification",
        "Classification",
        "classification",
        "classification",
        "class_vocab",
        size=8,
        labels=lambda vs: {v: CLASSIFICATION_LABELS.get(v, v) for v in vs},
    ),
    ArrayFacet(
        "pclass",
        "Paragraph marking",
        "pclasses",
        "pcl_doc",
        "pcl",
        "pcl_vocab",
        size=10,
        multiple=True,
        label=marking_label,
    ),
    ArrayFacet("caveat", "Caveat", "caveat", "cav_doc", "cav", "cav_vocab", size=8, multiple=False),
    ValueFacet("by", "Classified by", "by", "by", "by_vocab", size=10, blank=False),
    YearFacet(),
    MonthFacet(),
)
FACET_TITLES = {facet.name: facet.title for facet in FACETS}


def _days(d: date) -> int:
    return int(day_number(d))


def filter_masks(columns: Columns, params: SearchParams) -> dict[str, np.ndarray]:
    """One mask per facet with a selection (and ``range`` for from/to dates)."""
    masks: dict[str, np.ndarray] = {}
    for facet in FACETS:
        mask = facet.mask(columns, params)
        if mask is not None:
            masks[facet.name] = mask
    if params.date_from or params.date_to:
        mask = columns.days != NO_DATE
        if params.date_from:
            mask &= columns.days >= _days(params.date_from)
        if params.date_to:
            mask &= columns.days <= _days(params.date_to)
        masks["range"] = mask
    return masks


def facets_count(ctx: FacetContext) -> list[dict]:
    """Every facet's results (the months only once a year is chosen)."""
    return [facet.results(ctx) for facet in FACETS if facet.name != "month" or ctx.params.year]


def date_histogram(ctx: FacetContext) -> list[dict]:
    """Cables per month (per year over a long span) across the current results' dates,
    empty periods included: ``[{period, label, count, url}]``, each ``url`` narrowing
    the search to its month (``year`` and ``month``) or year, the rest of the query
    kept (see :mod:`search.histogram`). Undated cables are not counted."""
    months = ctx.columns.month[ctx.within()]
    months = months[months >= 0]
    if not len(months):
        return []
    first = int(months.min())
    counts = np.bincount(months - first)
    by_month = {first + int(i): int(counts[i]) for i in np.flatnonzero(counts)}
    return histogram_entries(
        histogram_periods(by_month), lambda year, month: ctx.url(year=year, month=month)
    )
