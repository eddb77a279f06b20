"""``kill -9`` in the middle of an ingest, then the same command again: it completes and
the counts are exact, and nothing of the killed run (its indexer, the indexer's
workers) outlives it. Runs the real command in a subprocess against its own
database."""

from __future__ import annotations

import fcntl
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.cabletext import cable_text
from tests.procs import depth_below, process_alive

BASE_DIR = Path(__file__).resolve().parent.parent
N = 3000


def _databases(tmp_path: Path):
    yield "sqlite", f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        yield "postgres", url


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    directory = tmp_path / "cables"
    directory.mkdir()
    for serial in range(1, N + 1):
        (directory / f"09LONDON{serial}.txt").write_text(
            cable_text(
                station="LONDON",
                serial=serial,
                year=2009,
                month=1 + serial % 12,
                day=1 + serial % 28,
            )
        )
    return directory


def _count(url: str) -> int:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            try:
                return conn.execute("select count(*) from cables_cable").fetchone()[0]
            except sqlite3.OperationalError:
                return 0
    import psycopg

    with psycopg.connect(url) as conn:
        try:
            return conn.execute("select count(*) from cables_cable").fetchone()[0]
        except psycopg.errors.UndefinedTable:
            return 0


@pytest.fixture
def postgres_database():
    """A throwaway PostgreSQL database for the subprocess (the test database is the
    pytest-django one, invisible to other processes)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    import psycopg

    name = f"cable_crash_{uuid.uuid4().hex[:8]}"
    admin = re.sub(r"/[^/]*$", "/postgres", url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield re.sub(r"/[^/]*$", f"/{name}", url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_kill_minus_nine_then_rerun(backend, corpus, tmp_path, postgres_database):
    if backend == "postgres":
        if postgres_database is None:
            pytest.skip("DATABASE_URL is not PostgreSQL")
        url = postgres_database
    else:
        url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "CABLES_VAR_DIR": str(tmp_path),
    }
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True)

    ingest = [*manage, "ingest", str(corpus), "--batch-size", "100"]
    proc = subprocess.Popen(ingest, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(url) < 300 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed; make N larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _count(url)
    assert 0 < partial < N
    assert partial % 100 == 0, "a batch was half-written"

    result = subprocess.run(ingest, env=env, capture_output=True, text=True, check=True)
    assert f"new {N - partial:,}, updated 0, unchanged {partial:,}, failed 0" in result.stdout
    assert _count(url) == N
    check = subprocess.run([*manage, "check_index"], env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    again = subprocess.run(ingest, env=env, capture_output=True, text=True, check=True)
    assert f"new 0, updated 0, unchanged {N:,}, failed 0" in again.stdout


def _processes_running(argument: str) -> set[int]:
    """Living processes whose command line holds ``argument`` (forked children keep
    their parent's)."""
    found = set()
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as handle:
                cmdline = handle.read().decode("utf-8", "replace")
        except OSError:
            continue
        if argument in cmdline.split("\0") and process_alive(int(name)):
            found.add(int(name))
    return found


def _describe(pids: set[int]) -> list[str]:
    """Each process's state and where it waits (for the failure message)."""
    found = []
    for pid in sorted(pids):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            wchan = Path(f"/proc/{pid}/wchan").read_text()
        except OSError:
            continue
        found.append(f"{pid} state {stat[stat.rindex(')') + 2]} waiting in {wchan or '-'}")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_kill_minus_nine_while_indexing_leaves_no_worker(
    backend, corpus, tmp_path, postgres_database
):
    """Killed while its indexer runs the tail with two workers, ingest takes them all
    along within a second; nobody holds the index's write lock; the same command
    again completes and the index equals the database."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc (Linux)")
    if backend == "postgres":
        if postgres_database is None:
            pytest.skip("DATABASE_URL is not PostgreSQL")
        url = postgres_database
    else:
        url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "CABLES_VAR_DIR": str(tmp_path),
    }
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True)

    ingest = [*manage, "ingest", str(corpus), "--batch-size", "500"]
    proc = subprocess.Popen(ingest, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # The database part done, the follower indexes the tail with a pool of workers:
    # ingest -> follower -> workers. Wait for the workers (grandchildren).
    deadline = time.monotonic() + 300
    tree: dict[int, int] = {}
    while time.monotonic() < deadline and proc.poll() is None:
        tree = depth_below(proc.pid)
        if 2 in tree.values():
            break
        time.sleep(0.01)
    assert proc.poll() is None, "ingest finished before its indexer's workers were seen"
    assert 2 in tree.values(), f"no indexer workers within 300 s: {tree}"
    os.kill(proc.pid, signal.SIGKILL)
    killed = time.monotonic()
    proc.wait()

    # Every process of the killed run (those seen, and any forked since) is gone
    # within a second of the kill.
    seen = set(tree)
    while True:
        seen |= _processes_running(str(corpus))
        left = {pid for pid in seen if process_alive(pid)}
        if not left or time.monotonic() - killed >= 1.0:
            break
        time.sleep(0.01)
    assert not left, f"still running 1 s after kill -9 of ingest: {_describe(left)}"
    lock = tmp_path / "index" / ".write.lock"
    if lock.exists():
        # Nobody holds the write lock within the same second: a process the scans
        # above could not name (forked between two of them) must be gone by then too.
        with lock.open("a") as handle:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() - killed >= 1.0:
                        raise AssertionError(
                            "the index's write lock is still held 1 s after kill -9 of "
                            f"ingest; running: {_describe(_processes_running(str(corpus)))}"
                        ) from None
                    time.sleep(0.01)
            fcntl.flock(handle, fcntl.LOCK_UN)

    result = subprocess.run(ingest, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"new 0, updated 0, unchanged {N:,}, failed 0" in result.stdout
    assert _count(url) == N
    check = subprocess.run([*manage, "check_index"], env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert not _processes_running(str(corpus)), "the rerun left a process behind"
