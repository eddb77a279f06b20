"""Shared fixtures: where the real corpus lives, and skipping cleanly when it doesn't.

Every test that reads the corpus is marked ``corpus`` at collection, whether it asks for
``corpus_dir`` or ``seed_text``, calls ``corpus_path`` itself, or does so through a
fixture or a module-level helper: ``pytest -m "not corpus"`` runs exactly the tests
that need no corpus. ``corpus_path`` checks it at run time: a test that reaches it
unmarked fails and says so.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CodeType

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
CORPUS_DIR = Path(os.environ.get("CABLES_CORPUS_DIR", BASE_DIR.parent / "shared" / "corpus"))

#: The names through which a test reaches the corpus.
CORPUS_NAMES = frozenset({"corpus_path", "corpus_dir", "seed_text", "CORPUS_DIR"})

_running: pytest.Item | None = None  # the test being set up, run or torn down


def corpus_path(*parts: str) -> Path:
    """A path inside the shared corpus; skips the calling test when it is absent."""
    if _running is not None and _running.get_closest_marker("corpus") is None:
        pytest.fail(
            f"{_running.nodeid} reads the shared corpus but is not marked corpus: "
            "reach it through corpus_path, corpus_dir or seed_text so that "
            "tests/conftest.py marks it"
        )
    path = CORPUS_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared corpus not available: {path}")
    return path


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return corpus_path()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return corpus_path("seed", "03OTTAWA492.txt").read_text(encoding="utf-8")


def _names(code: CodeType) -> Iterator[str]:
    """The global names a function's code uses, its nested functions' and
    comprehensions' included."""
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _names(const)


def _reads_corpus(func: Callable, seen: set[CodeType]) -> bool:
    """Whether ``func``, or a function of the test modules it calls by name, names the
    corpus."""
    func = inspect.unwrap(func)
    code = getattr(func, "__code__", None)
    if code is None or code in seen:
        return False
    seen.add(code)
    names = set(_names(code))
    if names & CORPUS_NAMES:
        return True
    module_globals = func.__globals__
    return any(
        _reads_corpus(module_globals[name], seen)
        for name in names
        if inspect.isfunction(module_globals.get(name))
        and module_globals[name].__module__.startswith("tests.")
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        seen: set[CodeType] = set()
        fixtures = [
            fixturedef.func
            for fixturedefs in item._fixtureinfo.name2fixturedefs.values()
            for fixturedef in fixturedefs
        ]
        if CORPUS_NAMES.intersection(item.fixturenames) or any(
            _reads_corpus(func, seen) for func in (item.function, *fixtures)
        ):
            item.add_marker(pytest.mark.corpus)


@pytest.fixture(scope="session", autouse=True)
def _page_cache_private(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The default file cache, in a directory of this test run's own: a second run or
    ``make run`` on the same checkout must not empty it under our feet (nor we theirs)."""
    from django.conf import settings
    from django.test import override_settings

    default = settings.CACHES["default"]
    if not default["BACKEND"].endswith("FileBasedCache"):
        yield
        return
    location = str(tmp_path_factory.mktemp("page-cache"))
    with override_settings(CACHES={"default": {**default, "LOCATION": location}}):
        yield


@pytest.fixture(autouse=True)
def _page_cache_empty(_page_cache_private: None) -> Iterator[None]:
    """Every test starts with an empty page cache: the generation row rolls back with
    the test's transaction, the cache (a directory, or Redis) does not."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    global _running
    _running = item
    try:
        return (yield)
    finally:
        _running = None
