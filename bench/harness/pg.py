"""Throwaway PostgreSQL databases for a run, and their size on disk."""

from __future__ import annotations

import re

import psycopg


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` (query string kept)."""
    base, sep, query = url.partition("?")
    base = re.sub(r"^(\w+://[^/]*)(/[^/]*)?$", lambda m: f"{m.group(1)}/{name}", base)
    return base + sep + query


def admin_url(url: str) -> str:
    return with_database(url, "postgres")


def create(url: str, name: str) -> str:
    """Create database ``name`` on ``url``'s server; returns its URL."""
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(url, name)


def drop(url: str, name: str) -> None:
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_version(url: str) -> str:
    with psycopg.connect(admin_url(url)) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def database_bytes(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]


def relation_bytes(url: str, names: list[str]) -> dict[str, int]:
    """Total size (heap, TOAST, indexes) of each named table that exists."""
    sizes = {}
    with psycopg.connect(url) as conn:
        for name in names:
            row = conn.execute("SELECT pg_total_relation_size(to_regclass(%s))", (name,)).fetchone()
            if row and row[0] is not None:
                sizes[name] = row[0]
    return sizes
