"""Issue 15 item 7: ``kill -9`` during ``rebuild_index`` must not poison the next
rebuild. The killed run leaves a generation without its completion marker; the next
writer removes it, and the generation that was live before the next swap is kept as
the previous one. The real command runs in subprocesses against a database of its own
(SQLite, and PostgreSQL when ``DATABASE_URL`` points at one)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from search.engine.api import caches_clear, search_evaluate
from search.engine.storage import (
    COMPLETE_MARKER,
    current_generation_dir,
    generation_is_complete,
    generation_mark_complete,
    generations,
    generations_prune,
    index_create,
    swap_in,
    write_lock,
)
from tests.cabletext import cable_text
from tests.test_ingest_crash import postgres_database  # noqa: F401 (a fixture)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
N = 2000


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    directory = tmp_path / "cables"
    directory.mkdir()
    for serial in range(1, N + 1):
        (directory / f"09PARIS{serial}.txt").write_text(
            cable_text(station="PARIS", serial=serial, year=2009, month=1 + serial % 12)
        )
    return directory


def _generation_names(root: Path) -> set[str]:
    return {g.name for g in generations(root)}


def _hits(root: Path, text: str) -> int:
    caches_clear()
    return int(search_evaluate(root=root, text=text).mask.sum())


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_kill_minus_nine_during_rebuild_then_rebuild_keeps_the_previous_generation(
    backend,
    corpus,
    tmp_path,
    postgres_database,  # noqa: F811
):
    if backend == "postgres":
        if postgres_database is None:
            pytest.skip("DATABASE_URL is not PostgreSQL")
        url = postgres_database
    else:
        url = f"sqlite:///{tmp_path / 'rebuild.sqlite3'}"
    root = tmp_path / "index"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SEARCH_INDEX_DIR": str(root),
        "CABLES_VAR_DIR": str(tmp_path),
    }
    manage = [sys.executable, str(BASE_DIR / "manage.py")]

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*manage, *args], env=env, capture_output=True, text=True)

    assert run("migrate", "--noinput").returncode == 0
    assert run("ingest", str(corpus), "--batch-size", "500").returncode == 0
    assert run("rebuild_index").returncode == 0
    live = current_generation_dir(root)  # the complete generation that is live now
    assert live is not None and generation_is_complete(live)
    before = _generation_names(root)

    # A second rebuild, killed while it fills its new generation.
    proc = subprocess.Popen(
        [*manage, "rebuild_index"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    partial = None
    deadline = time.monotonic() + 120
    while partial is None and time.monotonic() < deadline and proc.poll() is None:
        fresh = _generation_names(root) - before
        partial = root / fresh.pop() if fresh else None
        time.sleep(0.01)
    assert partial is not None, "the rebuild made no new generation before it ended"
    time.sleep(0.3)  # let it write into it
    assert proc.poll() is None, "the rebuild finished before it could be killed; raise N"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert partial.is_dir(), "kill -9 leaves the partial generation behind"
    assert not (partial / COMPLETE_MARKER).exists()
    assert current_generation_dir(root) == live, "the killed rebuild never went live"
    assert _hits(root, "cabinet") == N

    # The next rebuild: the partial generation is gone, the one that was live before
    # the swap is kept as the previous generation, and search works.
    result = run("rebuild_index")
    assert result.returncode == 0, result.stdout + result.stderr
    new = current_generation_dir(root)
    assert new not in {live, partial}
    assert not partial.exists()
    assert live.is_dir() and generation_is_complete(live)
    assert _generation_names(root) == {live.name, new.name}
    assert _hits(root, "cabinet") == N
    check = run("check_index")
    assert check.returncode == 0, check.stdout + check.stderr
    # The previous generation is a whole index: a searcher opened on it reads it all.
    swap_in(root, live)
    assert _hits(root, "cabinet") == N


def _generation(root: Path, name: str, *, complete: bool) -> Path:
    path = root / f"index.{name}"
    path.mkdir(parents=True)
    index_create(path)
    if complete:
        generation_mark_complete(path)
    return path


def test_prune_keeps_the_previous_complete_generation_not_a_newer_partial(tmp_path):
    root = tmp_path / "index"
    older = _generation(root, "20250101T000000-aaaaaa", complete=True)
    previous = _generation(root, "20250102T000000-bbbbbb", complete=True)
    live = _generation(root, "20250104T000000-dddddd", complete=True)
    # a killed rebuild's leftover, named as if newer than the live one's predecessor
    partial = _generation(root, "20250103T000000-cccccc", complete=False)
    swap_in(root, live)
    doomed = generations_prune(root, keep=2)
    assert set(doomed) == {older, partial}
    assert generations(root) == [previous, live]


def test_an_incomplete_generation_cannot_go_live(tmp_path):
    root = tmp_path / "index"
    partial = _generation(root, "20250103T000000-cccccc", complete=False)
    with pytest.raises(RuntimeError, match="not complete"):
        swap_in(root, partial)
    assert current_generation_dir(root) is None


def test_the_next_writer_removes_a_partial_generation(tmp_path):
    """Any writer (ingest's indexer, update_index), not only a rebuild, clears what a
    killed rebuild left, and marks a live generation made before markers existed."""
    root = tmp_path / "index"
    live = _generation(root, "20250101T000000-aaaaaa", complete=True)
    swap_in(root, live)
    (live / COMPLETE_MARKER).unlink()  # an index built before the marker existed
    partial = _generation(root, "20250102T000000-bbbbbb", complete=False)
    with write_lock(root, timeout=5):
        assert not partial.exists()
        assert generation_is_complete(live)
    assert generations(root) == [live]
