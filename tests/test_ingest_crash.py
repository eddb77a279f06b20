"""``kill -9`` in the middle of an ingest, then the same command again: it completes and
the counts are exact. Runs the real command in a subprocess against its own database."""

from __future__ import annotations

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
