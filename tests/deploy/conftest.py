"""Production settings in subprocesses: the environment a deployment gives the app."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import subprocess
import sys
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DEMO = BASE_DIR / "demo"
# What a deployment may set; scrubbed from the parent's environment so only the test's
# own values reach the subprocess.
DEPLOY_VARS = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CABLES_VAR_DIR",
    "SEARCH_INDEX_DIR",
    "STATIC_ROOT",
    "SECURE_SSL_REDIRECT",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def secret_key() -> str:
    return secrets.token_urlsafe(64)


def production_env(data_dir: Path, database_url: str | None = None, **extra: str) -> dict:
    """DEBUG=0 with a random key, local hosts, and every file under ``data_dir``."""
    env = {k: v for k, v in os.environ.items() if k not in DEPLOY_VARS}
    env.update(
        DEBUG="0",
        SECRET_KEY=secret_key(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CABLES_VAR_DIR=str(data_dir),
        SEARCH_INDEX_DIR=str(data_dir / "index"),
        STATIC_ROOT=str(data_dir / "staticfiles"),
        DATABASE_URL=database_url or f"sqlite:///{data_dir / 'cables.sqlite3'}",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """``manage.py ARGS`` in a subprocess; fails the test with its output if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, (
        f"manage.py {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    )
    return result


@contextlib.contextmanager
def throwaway_database(directory: Path) -> Iterator[str]:
    """PostgreSQL (a database of its own, dropped afterwards) when the suite runs on
    PostgreSQL, else a SQLite file in ``directory``: a subprocess cannot see
    pytest-django's test database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{directory / 'deploy.sqlite3'}"
        return
    import psycopg

    name = f"cable_deploy_{uuid.uuid4().hex[:8]}"
    admin = re.sub(r"/[^/?]*(\?|$)", r"/postgres\1", url, count=1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield re.sub(r"/[^/?]*(\?|$)", rf"/{name}\1", url, count=1)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def index_dir(settings, tmp_path) -> Iterator[Path]:
    from search.services import caches_clear

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    caches_clear()
    yield settings.SEARCH_INDEX_DIR
    caches_clear()


@pytest.fixture
def demo_archive(db, index_dir) -> Path:
    """The demo corpus in the test database, indexed for real in a temporary directory."""
    out = StringIO()
    call_command("load_cable_ids", str(DEMO / "cable-ids.csv"), stdout=out)
    call_command("ingest", str(DEMO / "cables"), stdout=out, stderr=out)
    return index_dir
