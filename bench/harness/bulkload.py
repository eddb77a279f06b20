"""Ingest and index: the project's documented bulk-load procedure, timed per step.

>>> THE COMMAND SEQUENCE IS ``bulk_load_steps`` BELOW: edit it there, and only there,
>>> when the documented procedure changes (README "Ingesting the full archive": one
>>> ``ingest``, which indexes in a background process as it goes).

Each step is ``manage.py <command> ...`` run as its own subprocess with
``DATABASE_URL`` pointing at the throwaway database, timed end to end (process start
included) with its own peak RSS.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import procs
from .corpus import id_list_of

ROOT = Path(__file__).resolve().parent.parent.parent
MANAGE = ROOT / "manage.py"


# Whoosh writer processes of ``rebuild_index``; the raw-Whoosh baseline uses the same.
INDEX_PROCS = 2


def bulk_load_steps(corpus_dir: Path) -> list[tuple[str, list[str]]]:
    """``(label, manage.py arguments)`` in order: the bulk load of ``corpus_dir``.
    ``ingest`` alone loads the database and the index: a background indexer picks up
    committed cables as it goes and finishes with two workers when ingest ends."""
    steps: list[tuple[str, list[str]]] = [("migrate", ["migrate", "--noinput"])]
    ids = id_list_of(corpus_dir)
    if ids is not None:  # bench/generate may emit the generated ids; skipped otherwise
        steps.append(("load_cable_ids", ["load_cable_ids", str(ids)]))
    steps.append(("ingest", ["ingest", str(corpus_dir / "cables.csv"), "--batch-size", "1000"]))
    return steps


# Which steps count as "index build" in the report: none on their own any more, since
# ingest indexes as it goes (the report gives ingest + index end to end).
INDEX_STEPS: set[str] = set()


def environment(database_url: str, index_dir: Path, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SEARCH_INDEX_DIR=str(index_dir),
        CABLES_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="config.settings",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def run(corpus_dir: Path, env: dict[str, str], python: str = sys.executable) -> list[procs.Step]:
    """Every step in order; stops at the first that fails (the caller reports it).
    ``ingest`` exits non-zero when some inputs failed but everything else went in:
    that is recorded, not fatal."""
    done = []
    # as a production load runs: DEBUG off (Django's debug cursor wraps every query)
    env = {**env, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1"}
    env.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
    for label, args in bulk_load_steps(corpus_dir):
        step = procs.run(label, [python, str(MANAGE), *args], env=env, cwd=ROOT)
        done.append(step)
        fatal = step.returncode != 0 and not (
            label.startswith("ingest") and "input(s) failed" in step.stderr
        )
        if fatal:
            break
    return done
