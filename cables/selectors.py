"""Reads: what the pages, their JSON twins and the commands ask of the database.

Keyword-only functions named ``<thing>_<action>``. Each returns model instances or
small frozen dataclasses and issues a fixed, small number of queries (no N+1): a cable
page is seven to twelve queries whatever the cable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.db.models import Count, Max, Min, Prefetch, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from cables.glossary import kind_label
from cables.graph import (
    CENTER,
    CITED,
    CITING,
    KNOWN,
    LOADED,
    UNKNOWN,
    Graph,
    GraphNode,
    neighbourhood,
)
from cables.models import (
    NEWEST_FIRST,
    ArchiveGeneration,
    Cable,
    CableTag,
    KnownCable,
    Paragraph,
    Post,
    Recipient,
    Reference,
    Tag,
)
from cables.parsing import KnownIds
from cables.tag_info import TagRow, kind_order, tag_describe


def known_ids_get() -> KnownIds | None:
    """The known-id list loaded with ``load_cable_ids``, or None when none is loaded."""
    pairs = KnownCable.objects.values_list("reference_id", "month").iterator(chunk_size=20000)
    known = KnownIds.from_pairs(pairs)
    return known if len(known) else None


# -- the archive generation ----------------------------------------------------------

#: The cache key of the generation's copy, and how long a copy is trusted: a backstop
#: (two writers racing to publish their bumps settle within this many seconds).
GENERATION_KEY = "archive:generation"
GENERATION_TIMEOUT = 300
_NO_GENERATION = ("0", datetime(2010, 11, 28, tzinfo=UTC))  # no row yet: an empty archive


@dataclass(frozen=True)
class Generation:
    """What every cached page is keyed by: ``token`` (the ETag) and ``changed_at``
    (the Last-Modified). See :mod:`cables.services.generation`."""

    token: str
    changed_at: datetime


def archive_generation() -> Generation:
    """The current generation: the cache's copy, else the database row (one query),
    copied into the cache with ``add`` (a copy a concurrent bump has just published
    is never overwritten with the older row this request read)."""
    row = cache.get(GENERATION_KEY)
    if row is None:
        row = (
            ArchiveGeneration.objects.filter(pk=1).values_list("token", "changed_at").first()
            or _NO_GENERATION
        )
        cache.add(GENERATION_KEY, row, GENERATION_TIMEOUT)
    return Generation(*row)


# -- lists of cables -----------------------------------------------------------------

LIST_FIELDS = (
    "reference_id",
    "created",
    "date_precision",
    "classification",
    "caveats",
    "subject",
    "partial",
    "origin__code",
    "origin__name",
)


def cable_list_queryset() -> QuerySet[Cable]:
    """Cables as lists show them: no text, the post joined in."""
    return Cable.objects.select_related("origin").only(*LIST_FIELDS)


# -- one cable -----------------------------------------------------------------------


def cable_get_for_page(*, reference_id: str) -> Cable | None:
    """The cable with everything its page shows, in five queries: the cable and its
    post, then its tags (``cable.ordered_tags``), paragraphs, recipients and REF items
    (each with the cited cable when the archive holds it)."""
    references = Reference.objects.select_related("target_cable").only(
        "source_id",
        "position",
        "letter",
        "text",
        "target_reference_id",
        "target_cable__reference_id",
        "target_cable__created",
        "target_cable__date_precision",
        "target_cable__subject",
        "target_cable__classification",
    )
    queryset = (
        Cable.objects.select_related("origin")
        .prefetch_related(
            Prefetch(
                "cabletag_set",
                queryset=CableTag.objects.select_related("tag").order_by("position"),
                to_attr="ordered_tags",
            ),
            Prefetch("paragraphs", queryset=Paragraph.objects.order_by("position")),
            Prefetch("recipients", queryset=Recipient.objects.order_by("position")),
            Prefetch("references", queryset=references.order_by("position")),
        )
        .filter(reference_id=reference_id)
    )
    return next(iter(queryset), None)


@dataclass(frozen=True)
class ResolvedReference:
    """One REF item and what it points at.

    ``status``: ``loaded`` (the archive holds the cable), ``known`` (a Cablegate cable
    that is not loaded), ``unverified`` (an id that neither the archive nor the
    Cablegate list knows) or ``unresolved`` (the item names no cable)."""

    letter: str
    text: str
    target_id: str
    status: str
    created: datetime | None = None
    subject: str = ""
    year: int | None = None
    month: int | None = None
    date_precision: str = ""

    @property
    def linked(self) -> bool:
        return self.status in {"loaded", "known"}


def cable_references(*, cable: Cable) -> list[ResolvedReference]:
    """The REF items of a cable from :func:`cable_get_for_page`, resolved; one query
    (the Cablegate list) for the ids the archive does not hold."""
    references = list(cable.references.all())
    missing = {r.target_reference_id for r in references if r.target_reference_id} - {
        r.target_reference_id for r in references if r.target_cable_id
    }
    known = known_months(reference_ids=missing)
    resolved = []
    for ref in references:
        target = ref.target_reference_id
        if ref.target_cable_id and ref.target_cable:
            resolved.append(
                ResolvedReference(
                    ref.letter,
                    ref.text,
                    target,
                    "loaded",
                    created=ref.target_cable.created,
                    subject=ref.target_cable.subject,
                    date_precision=ref.target_cable.date_precision,
                )
            )
        elif target in known:
            year, month = known[target]
            resolved.append(
                ResolvedReference(ref.letter, ref.text, target, "known", None, "", year, month)
            )
        elif target:
            resolved.append(ResolvedReference(ref.letter, ref.text, target, "unverified"))
        else:
            resolved.append(ResolvedReference(ref.letter, ref.text, "", "unresolved"))
    return resolved


def known_months(*, reference_ids: set[str] | list[str]) -> dict[str, tuple[int, int]]:
    """``{id: (year, month)}`` for the ids in the Cablegate list (one query, none when
    ``reference_ids`` is empty)."""
    if not reference_ids:
        return {}
    rows = KnownCable.objects.filter(reference_id__in=list(reference_ids)).values_list(
        "reference_id", "year", "month"
    )
    return {rid: (year, month) for rid, year, month in rows}


def known_cable_get(*, reference_id: str) -> KnownCable | None:
    return KnownCable.objects.filter(reference_id=reference_id).first()


def cable_cited_by(*, reference_id: str) -> list[Cable]:
    """The loaded cables whose REF names ``reference_id``, oldest first: one query on
    the indexed ``Reference.target_reference_id`` (works for cables not loaded too)."""
    citing = Reference.objects.filter(target_reference_id=reference_id).values("source_id")
    return list(
        cable_list_queryset()
        .filter(pk__in=citing)
        .exclude(reference_id=reference_id)
        .order_by("created", "reference_id")
    )


def cable_is_cited(*, reference_id: str) -> bool:
    """Whether some loaded cable's REF names ``reference_id`` (one indexed lookup)."""
    return Reference.objects.filter(target_reference_id=reference_id).exists()


GRAPH_EXPAND = 300  # level-one cables whose own citations are followed
GRAPH_EDGES = 5000  # second-level citation rows read at most


def cable_graph(
    *,
    reference_id: str,
    max_nodes: int = 500,
    first: list[tuple[str, str]] | None = None,
    nodes: dict[str, GraphNode] | None = None,
) -> Graph:
    """The citation neighbourhood of a cable (loaded or not), two steps out in both
    directions: edges touching it (``first``, when the caller has them already), edges
    one step further (one query: two plain indexed lookups joined by UNION ALL, never
    an OR across the join, which PostgreSQL answers with a scan), then the loaded
    cables among the nodes and the Cablegate list for the rest. ``nodes`` are nodes
    the caller has already resolved (its REF items and citers: status, date,
    subject); only the others are looked up, and a query with nothing to look up is
    not made."""
    edges = Reference.objects.exclude(target_reference_id="").values_list(
        "source__reference_id", "target_reference_id"
    )
    if first is None:  # the (citing, cited) pairs touching the cable, unless known
        first = list(edges.filter(source__reference_id=reference_id)) + list(
            edges.filter(target_reference_id=reference_id)
        )
    cited = sorted({t for s, t in first if s == reference_id and t != reference_id})
    citing = sorted({s for s, t in first if t == reference_id and s != reference_id})
    truncated = len(cited) > GRAPH_EXPAND or len(citing) > GRAPH_EXPAND
    parts = []
    if cited:
        parts.append(edges.filter(source__reference_id__in=cited[:GRAPH_EXPAND]).order_by())
    if citing:
        parts.append(edges.filter(target_reference_id__in=citing[:GRAPH_EXPAND]).order_by())
    second: list[tuple[str, str]] = []
    if parts:
        union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        second = list(union[: len(parts) * (GRAPH_EDGES + 1)])
    if len(second) > GRAPH_EDGES:
        truncated = True
        second = second[:GRAPH_EDGES]
    graph = neighbourhood(reference_id, first, second, max_nodes=max_nodes)
    graph.truncated = graph.truncated or truncated
    nodes = nodes or {}
    for rid, known in nodes.items():
        node = graph.nodes.get(rid)
        if node is not None and known.status in {LOADED, KNOWN}:
            node.status, node.created, node.subject = known.status, known.created, known.subject
            node.year, node.month = known.year, known.month
            node.date_precision = known.date_precision
    ids = [rid for rid in graph.nodes if rid not in nodes]
    if ids:
        loaded = Cable.objects.filter(reference_id__in=ids).values_list(
            "reference_id", "created", "subject", "date_precision"
        )
        for rid, created, subject, precision in loaded:
            node = graph.nodes[rid]
            node.status, node.created, node.subject = LOADED, created, subject
            node.date_precision = precision
    rest = [rid for rid in ids if graph.nodes[rid].status != LOADED]
    for rid, (year, month) in known_months(reference_ids=rest).items():
        node = graph.nodes[rid]
        node.status, node.year, node.month = KNOWN, year, month
    return graph


def cable_graph_nodes(
    *, center: Cable | None, references: list[ResolvedReference], cited_by: list[Cable]
) -> dict[str, GraphNode]:
    """The graph's centre and first step as a cable page has already read them (the
    cable, its REF items resolved, its citers), for :func:`cable_graph` ``nodes``: a
    REF id neither the archive nor the list knows is resolved too (it stays unknown)."""
    found: dict[str, GraphNode] = {}
    for ref in references:
        if ref.target_id:
            status = {"loaded": LOADED, "known": KNOWN}.get(ref.status, UNKNOWN)
            found[ref.target_id] = GraphNode(
                ref.target_id,
                1,
                CITED,
                status,
                ref.created,
                ref.subject,
                ref.year,
                ref.month,
                ref.date_precision,
            )
    for cable in cited_by:
        found[cable.reference_id] = GraphNode(
            cable.reference_id,
            1,
            CITING,
            LOADED,
            cable.created,
            cable.subject,
            date_precision=cable.date_precision,
        )
    if center is not None:  # last: a cable citing itself is still the loaded centre
        found[center.reference_id] = GraphNode(
            center.reference_id,
            0,
            CENTER,
            LOADED,
            center.created,
            center.subject,
            date_precision=center.date_precision,
        )
    return found


# -- tags ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    rows: list


def tag_index() -> list[Group]:
    """Every tag some cable carries, with its count, grouped by the glossary's kinds
    (most used first within a kind). One query."""
    counted = (
        Tag.objects.annotate(n=Count("cabletag"))
        .filter(n__gt=0)
        .order_by("-n", "code")
        .values_list("code", "n")
    )
    groups: dict[str, list[TagRow]] = {kind: [] for kind in kind_order()}
    for code, n in counted:
        row = tag_describe(code, n)
        groups.setdefault(row.kind, []).append(row)
    return [
        Group(kind, kind_label(kind, plural=True), rows) for kind, rows in groups.items() if rows
    ]


def tag_get(*, code: str) -> Tag | None:
    """The tag spelled ``code``, else the one spelled so in another case."""
    return Tag.objects.filter(code=code).first() or Tag.objects.filter(code__iexact=code).first()


@dataclass(frozen=True)
class Summary:
    """What a tag or post page shows: totals, a per-year series, top companions and
    the latest cables."""

    count: int
    years: list[tuple[int, int]]
    top_tags: list[TagRow]
    latest: list[Cable]


def _years(queryset: QuerySet, field: str = "created") -> list[tuple[int, int]]:
    rows = (
        queryset.exclude(**{f"{field}__isnull": True})
        .annotate(year=ExtractYear(field))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
        .values_list("year", "n")
    )
    return list(rows)


def _top_tags(cable_ids: QuerySet, *, exclude: Tag | None = None, limit: int = 15) -> list[TagRow]:
    rows = CableTag.objects.filter(cable_id__in=cable_ids)
    if exclude is not None:
        rows = rows.exclude(tag=exclude)
    counted = rows.values("tag__code").annotate(n=Count("pk")).order_by("-n", "tag__code")[:limit]
    return [tag_describe(row["tag__code"], row["n"]) for row in counted]


def tag_summary(*, tag: Tag, latest: int = 20) -> Summary:
    """A tag's count, cables per year, the tags most often beside it and its latest
    cables: four queries."""
    tagged = CableTag.objects.filter(tag=tag)
    return Summary(
        count=tagged.count(),
        years=_years(tagged, "cable__created"),
        top_tags=_top_tags(tagged.values("cable_id"), exclude=tag),
        latest=list(
            cable_list_queryset()
            .filter(cabletag__tag=tag)
            .order_by(NEWEST_FIRST, "reference_id")[:latest]
        ),
    )


# -- posts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PostRow:
    code: str
    name: str
    country: str
    count: int


def post_index() -> list[Group]:
    """Every post with cables, with its count, grouped by country (named from the
    glossary); posts without a country (missions to organisations) come last."""
    posts = (
        Post.objects.annotate(n=Count("cables"))
        .filter(n__gt=0)
        .values_list("code", "name", "country", "n")
    )
    groups: dict[str, list[PostRow]] = {}
    for code, name, country, n in posts:
        groups.setdefault(country, []).append(PostRow(code, name or code, country, n))
    result = []
    for country, rows in groups.items():
        label = _country_name(country) if country else "Multilateral and other posts"
        result.append(Group(country, label, sorted(rows, key=lambda r: r.name.lower())))
    return sorted(result, key=lambda g: (not g.key, g.label.lower()))


def _country_name(code: str) -> str:
    row = tag_describe(code)
    return row.meaning if row.kind == "country" and row.meaning else code


def post_get(*, code: str) -> Post | None:
    return Post.objects.filter(code=code).first() or Post.objects.filter(code__iexact=code).first()


def post_summary(*, post: Post, latest: int = 20) -> Summary:
    """A post's count, cables per year, its most used tags and latest cables."""
    cables = Cable.objects.filter(origin=post)
    return Summary(
        count=cables.count(),
        years=_years(cables),
        top_tags=_top_tags(cables.values("pk")),
        latest=list(
            cable_list_queryset()
            .filter(origin=post)
            .order_by(NEWEST_FIRST, "reference_id")[:latest]
        ),
    )


# -- dates ---------------------------------------------------------------------------


def date_years() -> list[tuple[int, int]]:
    """``[(year, cables)]`` for every year with cables, oldest first."""
    return _years(Cable.objects.all())


def date_months(*, year: int) -> list[tuple[int, int]]:
    """``[(month, cables)]`` for all twelve months of ``year`` (zeros included)."""
    rows = dict(
        Cable.objects.filter(created__year=year)
        .annotate(month=ExtractMonth("created"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
        .values_list("month", "n")
    )
    return [(month, rows.get(month, 0)) for month in range(1, 13)]


def date_cables(*, year: int, month: int | None = None) -> QuerySet[Cable]:
    """The cables of a year or a month, in the order they were sent (for a Paginator)."""
    queryset = cable_list_queryset().filter(created__year=year)
    if month is not None:
        queryset = queryset.filter(created__month=month)
    return queryset.order_by("created", "reference_id")


# -- the reference report ------------------------------------------------------------


@dataclass(frozen=True)
class ReferenceRow:
    source: str
    letter: str
    text: str
    target: str
    loaded: bool


def reference_rows() -> Iterator[ReferenceRow]:
    """Every REF item in the archive, streamed."""
    rows = Reference.objects.order_by().values_list(
        "source__reference_id", "letter", "text", "target_reference_id", "target_cable_id"
    )
    for source, letter, text, target, target_cable in rows.iterator(chunk_size=5000):
        yield ReferenceRow(source, letter, text, target, target_cable is not None)


def known_id_pairs() -> Iterator[tuple[str, int, int]]:
    """Every id of the Cablegate list with its year and month, streamed."""
    rows = KnownCable.objects.order_by().values_list("reference_id", "year", "month")
    yield from rows.iterator(chunk_size=20000)


def loaded_ids() -> set[str]:
    return set(Cable.objects.values_list("reference_id", flat=True))


def archive_year_span() -> tuple[int, int] | None:
    """The first and last year the archive knows cables of: its dated cables' and the
    Cablegate id list's (whose unloaded cables have placeholder pages and months);
    None when it knows none."""
    # the first and last dated cable: two lookups on the ``created`` index, not the
    # year-by-year count of every cable (every date page asks)
    dated = Cable.objects.aggregate(first=Min("created"), last=Max("created"))
    known = KnownCable.objects.aggregate(first=Min("year"), last=Max("year"))
    year = {k: timezone.localtime(v).year for k, v in dated.items() if v is not None}
    firsts = [y for y in (year.get("first"), known["first"]) if y]
    lasts = [y for y in (year.get("last"), known["last"]) if y]
    if not firsts:
        return None
    return min(firsts), max(lasts)
