"""The engine package stands alone: no Django, imports that only point down, and Whoosh's
private attributes read in one module only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "search" / "engine"
ORDER = [
    "limits",
    "schema",
    "common",
    "storage",
    "hot",
    "analysis",
    "postings",
    "columns",
    "writing",
    "scoring",
    "evaluate",
    "ranking",
    "similar",
    "highlight",
    "query",
    "api",
]


def _imports(path: Path) -> list[tuple[str, bool]]:
    """``(module, at top level)`` of every ``search.engine`` import in a file."""
    tree = ast.parse(path.read_text())
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("search.engine"):
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                module = name.split(".")[2] if name.count(".") >= 2 else ""
                if module in ORDER:
                    found.append((module, id(node) in top))
    return found


def test_every_engine_module_is_in_the_order():
    assert {p.stem for p in ENGINE.glob("*.py")} - {"__init__"} == set(ORDER)


def test_imports_only_point_down_and_are_not_hidden_in_functions():
    for name in ORDER:
        for module, at_top in _imports(ENGINE / f"{name}.py"):
            if module == name:
                continue
            assert at_top, f"{name} imports {module} inside a function"
            assert ORDER.index(module) < ORDER.index(name), f"{name} imports {module}: upwards"


def test_whoosh_internals_only_in_postings():
    for path in ENGINE.glob("*.py"):
        if path.stem == "postings":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
                base = node.value
                own = isinstance(base, ast.Name) and base.id in {"self", "cls"}
                assert own or node.attr.startswith("__"), (
                    f"{path.name}:{node.lineno} reads .{node.attr}"
                )


def test_the_engine_imports_without_django():
    code = (
        "import sys; import search.engine.api, search.engine.writing; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ENGINE.parents[1],
        env={"PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == "[]"
