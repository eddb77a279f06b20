"""The reference graph: neighbourhood, layout, the SVG in the page and graph.json."""

from __future__ import annotations

import pytest

from cables.graph import (
    CITED,
    CITING,
    COLUMN_WIDTH,
    PAD,
    ROW_HEIGHT,
    Graph,
    GraphNode,
    layout,
    neighbourhood,
)
from tests.cables.factories import cable_make, known_make


def test_neighbourhood_two_steps_each_way():
    first = [("B", "A"), ("A", "C"), ("A", "A")]
    second = [("C", "D"), ("E", "B"), ("E", "C"), ("F", "G")]
    graph = neighbourhood("A", first, second)
    where = {n.id: (n.distance, n.direction) for n in graph.nodes.values()}
    assert where == {
        "A": (0, "center"),
        "C": (1, CITED),
        "B": (1, CITING),
        "D": (2, CITED),
        "E": (2, CITING),
    }
    assert set(graph.edges) == {("B", "A"), ("A", "C"), ("C", "D"), ("E", "B"), ("E", "C")}


def test_neighbourhood_caps_second_level_by_degree():
    first = [("A", f"C{i}") for i in range(3)]
    second = [(f"C{i}", f"D{j}") for i in range(3) for j in range(i + 1)]
    graph = neighbourhood("A", first, second, max_nodes=5)
    assert graph.truncated
    assert set(graph.nodes) == {"A", "C0", "C1", "C2", "D0"}


def _chain(n_cited: int) -> Graph:
    graph = Graph(center="X")
    graph.nodes["X"] = GraphNode("X", 0, "center", status="loaded")
    for i in range(n_cited):
        graph.nodes[f"08A{i}"] = GraphNode(f"08A{i}", 1, CITED, status="known")
        graph.edges.append(("X", f"08A{i}"))
    graph.nodes["09Z1"] = GraphNode("09Z1", 1, CITING, status="loaded")
    graph.edges.append(("09Z1", "X"))
    return graph


def test_layout_caps_columns_with_more_box():
    picture = layout(
        _chain(14), url_for=lambda n: f"/cable/{n.id}/", per_column=10, more_links={1: "#r"}
    )
    more = [n for n in picture.nodes if n.more]
    assert len(more) == 1 and more[0].label == "+5 more" and more[0].url == "#r"
    assert picture.shown == 1 + 9 + 1
    assert len(picture.edges) == 9 + 1
    assert [h.count for h in picture.headings] == [0, 14, 1, 1, 0]
    # the cited column: nine cables one row apart, the "+5 more" box in the tenth row
    cited = [n for n in picture.nodes if n.x == PAD + COLUMN_WIDTH]
    assert len(cited) == 10 and cited[-1] is more[0]
    assert [n.y for n in cited] == [cited[0].y + row * ROW_HEIGHT for row in range(10)]
    assert all(n.id.startswith("08A") and n.url == f"/cable/{n.id}/" for n in cited[:-1])
    center = next(n for n in picture.nodes if n.center)
    assert center.x == PAD + 2 * COLUMN_WIDTH
    assert center.url is None


@pytest.fixture
def web(db):
    known_make("07STATE1", month=3)
    cable_make("08OTTAWA1", refs=[("", "STATE 1", "07STATE1")])
    cable_make("08OTTAWA2", refs=[("A", "OTTAWA 1", "08OTTAWA1"), ("B", "X 9", "08NOWHERE9")])
    cable_make("08MEXICO3", refs=[("", "OTTAWA 2", "08OTTAWA2")])
    cable_make("08MEXICO4", refs=[("", "MEXICO 3", "08MEXICO3")])


def test_graph_json(client, web):
    data = client.get("/cable/08OTTAWA2/graph.json").json()
    assert data["center"] == "08OTTAWA2"
    nodes = {n["id"]: n for n in data["nodes"]}
    assert {k: (v["status"], v["distance"], v["direction"]) for k, v in nodes.items()} == {
        "08OTTAWA2": ("loaded", 0, "center"),
        "08OTTAWA1": ("loaded", 1, "cited"),
        "08NOWHERE9": ("unknown", 1, "cited"),
        "07STATE1": ("known", 2, "cited"),
        "08MEXICO3": ("loaded", 1, "citing"),
        "08MEXICO4": ("loaded", 2, "citing"),
    }
    assert nodes["07STATE1"]["url"] == "http://testserver/cable/07STATE1/"
    assert nodes["08NOWHERE9"]["url"] is None
    assert {(e["source"], e["target"]) for e in data["edges"]} == {
        ("08OTTAWA2", "08OTTAWA1"),
        ("08OTTAWA2", "08NOWHERE9"),
        ("08OTTAWA1", "07STATE1"),
        ("08MEXICO3", "08OTTAWA2"),
        ("08MEXICO4", "08MEXICO3"),
    }
    assert data["truncated"] is False


def test_graph_json_for_a_placeholder(client, web):
    data = client.get("/cable/07STATE1/graph.json").json()
    assert {n["id"]: n["distance"] for n in data["nodes"]} == {
        "07STATE1": 0,
        "08OTTAWA1": 1,
        "08OTTAWA2": 2,
    }


def test_graph_svg_in_the_page(client, web):
    html = client.get("/cable/08OTTAWA2/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert '<a href="/cable/08OTTAWA1/" class="g-link">' in svg
    assert '<a href="/cable/07STATE1/" class="g-link">' in svg
    assert '<a href="/cable/08MEXICO4/" class="g-link">' in svg
    assert "/cable/08NOWHERE9/" not in svg and ">08NOWHERE9<" in svg
    assert 'class="g-node g-loaded g-center"' in svg
    assert svg.count('class="g-edge"') == 5
    assert 'href="/cable/08OTTAWA2/graph.json"' in html
