"""The reference graph of one cable, two steps out in both directions, and its picture.

Pure Python, no Django: :func:`neighbourhood` turns citation edges into nodes with a
distance and a direction; :func:`layout` places them in five columns (cited cables two
steps out, cited, the cable, citing, citing two steps out) for a server-side SVG.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from cables.dates import known_date
from cables.parsing.ids import year_of

CENTER, CITED, CITING = "center", "cited", "citing"
LOADED, KNOWN, UNKNOWN = "loaded", "known", "unknown"


@dataclass
class GraphNode:
    id: str
    distance: int
    direction: str  # center, cited (to the left), citing (to the right)
    status: str = UNKNOWN  # loaded, known (in the Cablegate list), unknown
    created: datetime | None = None
    subject: str = ""
    year: int | None = None
    month: int | None = None
    date_precision: str = ""  # of ``created`` (cables.dates)

    @property
    def sort_key(self) -> tuple:
        if self.created is not None:
            return (self.created.year, self.created.month, self.created.day, self.id)
        year = self.year or year_of(self.id) or 0
        return (year, self.month or 0, 0, self.id)


@dataclass
class Graph:
    center: str
    nodes: dict[str, GraphNode] = field(default_factory=dict)
    edges: list[tuple[str, str]] = field(default_factory=list)  # (citing, cited)
    truncated: bool = False

    def degree(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for source, target in self.edges:
            counts[source] += 1
            counts[target] += 1
        return counts


def neighbourhood(
    center: str,
    first: Iterable[tuple[str, str]],
    second: Iterable[tuple[str, str]],
    *,
    max_nodes: int = 500,
) -> Graph:
    """Nodes and edges around ``center``. ``first`` holds the (citing, cited) pairs that
    touch ``center``; ``second`` the pairs leaving its cited cables and reaching its
    citing cables. A node keeps its shortest distance; a cable both cited and citing
    (it happens) counts as cited."""
    graph = Graph(center=center)
    graph.nodes[center] = GraphNode(center, 0, CENTER)
    edges: dict[tuple[str, str], None] = {}
    for source, target in first:
        if source == target:
            continue
        if source == center:
            graph.nodes.setdefault(target, GraphNode(target, 1, CITED))
        elif target == center:
            graph.nodes.setdefault(source, GraphNode(source, 1, CITING))
        else:
            continue
        edges[(source, target)] = None
    level_one = dict(graph.nodes)
    candidates: dict[str, GraphNode] = {}
    later: list[tuple[str, str]] = []
    for source, target in second:
        if source == target:
            continue
        src, tgt = level_one.get(source), level_one.get(target)
        if src is not None and src.direction == CITED and tgt is None:
            candidates.setdefault(target, GraphNode(target, 2, CITED))
        elif tgt is not None and tgt.direction == CITING and src is None:
            candidates.setdefault(source, GraphNode(source, 2, CITING))
        later.append((source, target))
    for source, target in later:
        edges[(source, target)] = None
    room = max_nodes - len(graph.nodes)
    if len(candidates) > room:
        graph.truncated = True
        degree: dict[str, int] = defaultdict(int)
        for source, target in later:
            degree[source] += 1
            degree[target] += 1
        keep = sorted(candidates, key=lambda n: (-degree[n], n))[: max(room, 0)]
        candidates = {n: candidates[n] for n in keep}
    graph.nodes.update(candidates)
    graph.edges = [e for e in edges if e[0] in graph.nodes and e[1] in graph.nodes]
    return graph


# -- the picture --------------------------------------------------------------------

COLUMN_WIDTH = 172
NODE_WIDTH = 146
NODE_HEIGHT = 24
ROW_HEIGHT = 32
TOP = 48
PAD = 10
LABEL_CHARS = 20

COLUMNS = (
    (CITED, 2, "Which those cite"),
    (CITED, 1, "Cites"),
    (CENTER, 0, "This cable"),
    (CITING, 1, "Cited by"),
    (CITING, 2, "Cited by those"),
)


@dataclass(frozen=True)
class PlacedNode:
    id: str
    label: str
    title: str
    status: str
    x: int
    y: int
    url: str | None
    center: bool = False
    more: int = 0  # a "+N more" box when > 0

    @property
    def text_x(self) -> int:
        return self.x + NODE_WIDTH // 2

    @property
    def text_y(self) -> int:
        return self.y + NODE_HEIGHT // 2 + 4


@dataclass(frozen=True)
class PlacedEdge:
    source: str
    target: str
    d: str


@dataclass(frozen=True)
class Heading:
    x: int
    text: str
    count: int


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    node_width: int
    node_height: int
    headings: tuple[Heading, ...]
    nodes: tuple[PlacedNode, ...]
    edges: tuple[PlacedEdge, ...]

    @property
    def shown(self) -> int:
        return sum(1 for n in self.nodes if not n.more)


def _column_of(node: GraphNode) -> int:
    if node.direction == CENTER:
        return 2
    step = min(node.distance, 2)
    return 2 - step if node.direction == CITED else 2 + step


def _title(node: GraphNode) -> str:
    parts = [node.id]
    if node.created:
        parts.append(known_date(node.created, node.date_precision).short())
    elif node.year:
        parts.append(f"{node.year}-{node.month:02d}" if node.month else str(node.year))
    if node.subject:
        parts.append(node.subject)
    status = {LOADED: "", KNOWN: "not in this archive", UNKNOWN: "not in the Cablegate list"}
    if status[node.status]:
        parts.append(f"({status[node.status]})")
    return " · ".join(parts)


def _label(reference_id: str) -> str:
    if len(reference_id) <= LABEL_CHARS:
        return reference_id
    return reference_id[: LABEL_CHARS - 1] + "…"


def layout(
    graph: Graph,
    *,
    url_for: Callable[[GraphNode], str | None],
    per_column: int = 10,
    more_links: dict[int, str] | None = None,
) -> Layout:
    """Place the graph in five columns, at most ``per_column`` boxes in each (the last
    becomes "+N more" when there are more). Level one is ordered by date, level two by
    the mean row of its neighbours on level one, so edges cross as little as they can."""
    more_links = more_links or {}
    degree = graph.degree()
    columns: list[list[GraphNode]] = [[] for _ in COLUMNS]
    for node in graph.nodes.values():
        columns[_column_of(node)].append(node)

    rows: dict[str, int] = {graph.center: 0}
    overflow: dict[int, int] = {}

    def choose(index: int, order: Callable[[GraphNode], tuple]) -> None:
        column = columns[index]
        if len(column) > per_column:
            keep = sorted(column, key=lambda n: (-degree.get(n.id, 0), n.sort_key))
            keep = keep[: per_column - 1]
            overflow[index] = len(column) - len(keep)
            column = keep
        columns[index] = sorted(column, key=order)
        for row, node in enumerate(columns[index]):
            rows[node.id] = row

    neighbours: dict[str, list[str]] = defaultdict(list)
    for source, target in graph.edges:
        neighbours[source].append(target)
        neighbours[target].append(source)

    def barycentre(inner: int) -> Callable[[GraphNode], tuple]:
        def key(node: GraphNode) -> tuple:
            placed = [
                rows[n]
                for n in neighbours[node.id]
                if n in rows and _column_of(graph.nodes[n]) == inner
            ]
            mean = sum(placed) / len(placed) if placed else float(per_column)
            return (mean, node.sort_key)

        return key

    choose(1, lambda n: n.sort_key)
    choose(3, lambda n: n.sort_key)
    choose(0, barycentre(1))
    choose(4, barycentre(3))

    heights = [len(c) + (1 if i in overflow else 0) for i, c in enumerate(columns)]
    tallest = max(*heights, 1)
    height = TOP + tallest * ROW_HEIGHT + PAD
    width = 2 * PAD + 4 * COLUMN_WIDTH + NODE_WIDTH

    placed: dict[str, PlacedNode] = {}
    boxes: list[PlacedNode] = []
    headings = []
    for index, column in enumerate(columns):
        x = PAD + index * COLUMN_WIDTH
        count = len(column) + overflow.get(index, 0)
        headings.append(Heading(x=x + NODE_WIDTH // 2, text=COLUMNS[index][2], count=count))
        offset = TOP + (tallest - heights[index]) * ROW_HEIGHT // 2
        for row, node in enumerate(column):
            box = PlacedNode(
                id=node.id,
                label=_label(node.id),
                title=_title(node),
                status=node.status,
                x=x,
                y=offset + row * ROW_HEIGHT,
                url=None if node.id == graph.center else url_for(node),
                center=node.id == graph.center,
            )
            placed[node.id] = box
            boxes.append(box)
        if index in overflow:
            boxes.append(
                PlacedNode(
                    id="",
                    label=f"+{overflow[index]} more",
                    title=f"{overflow[index]} more not drawn",
                    status="more",
                    x=x,
                    y=offset + len(column) * ROW_HEIGHT,
                    url=more_links.get(index),
                    more=overflow[index],
                )
            )

    edges = []
    for source, target in graph.edges:
        a, b = placed.get(source), placed.get(target)
        if a is None or b is None:
            continue
        col_a, col_b = _column_of(graph.nodes[source]), _column_of(graph.nodes[target])
        if col_a - col_b != 1:
            continue  # only edges between neighbouring columns are drawn
        x1, y1 = a.x, a.y + NODE_HEIGHT // 2
        x2, y2 = b.x + NODE_WIDTH + 6, b.y + NODE_HEIGHT // 2
        bend = (x1 - x2) // 2
        edges.append(
            PlacedEdge(source, target, f"M{x1},{y1} C{x1 - bend},{y1} {x2 + bend},{y2} {x2},{y2}")
        )
    return Layout(
        width=width,
        height=height,
        node_width=NODE_WIDTH,
        node_height=NODE_HEIGHT,
        headings=tuple(headings),
        nodes=tuple(boxes),
        edges=tuple(edges),
    )
