"""Build the peer from the ingested database: ``peer_cable`` beside ``cables_cable``.

One row per cable with the columns the facets group by and ``document``, a
``tsvector`` of subject (weight A) and body (english configuration), GIN-indexed.
Tags are read through the application's own ``cables_cabletag`` join. Every statement
is timed; their sum is the peer's "index build".
"""

# SQL is assembled from this module's constants only; values are always parameters.
# ruff: noqa: S608

from __future__ import annotations

import time

import psycopg

TABLE = "peer_cable"

STATEMENTS: list[tuple[str, str]] = [
    ("drop", f"DROP TABLE IF EXISTS {TABLE}"),
    (
        "tsvector table",
        f"""
        CREATE TABLE {TABLE} AS
        SELECT c.id, c.reference_id, c.subject, c.created, c.origin_id, c.classification,
               string_to_array(nullif(c.caveats, ''), ' ') AS caveats,
               extract(year FROM c.created AT TIME ZONE 'UTC')::int AS year,
               extract(month FROM c.created AT TIME ZONE 'UTC')::int AS month,
               setweight(to_tsvector('english', coalesce(c.subject, '')), 'A')
                 || to_tsvector('english', coalesce(c.body, '')) AS document
        FROM cables_cable c
        """,
    ),
    ("primary key", f"ALTER TABLE {TABLE} ADD PRIMARY KEY (id)"),
    ("GIN index", f"CREATE INDEX {TABLE}_document ON {TABLE} USING gin (document)"),
    (
        "btree indexes",
        f"CREATE INDEX {TABLE}_created ON {TABLE} (created);"
        f"CREATE INDEX {TABLE}_origin ON {TABLE} (origin_id, created);"
        f"CREATE INDEX {TABLE}_class ON {TABLE} (classification, created);"
        f"CREATE INDEX {TABLE}_year ON {TABLE} (year, month)",
    ),
    ("analyze", f"ANALYZE {TABLE}; ANALYZE cables_cabletag; ANALYZE cables_tag"),
]


def build(url: str) -> dict:
    """Run every statement; returns seconds per step, total, rows and table size."""
    steps = {}
    with psycopg.connect(url, autocommit=True) as conn:
        for label, sql in STATEMENTS:
            started = time.perf_counter()
            for statement in sql.split(";"):
                if statement.strip():
                    conn.execute(statement)
            steps[label] = time.perf_counter() - started
        rows = conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
        size = conn.execute("SELECT pg_total_relation_size(%s)", (TABLE,)).fetchone()[0]
        gin = conn.execute("SELECT pg_relation_size(%s)", (f"{TABLE}_document",)).fetchone()[0]
        settings = dict(
            conn.execute(
                "SELECT name, setting || coalesce(unit, '') FROM pg_settings "
                "WHERE name IN ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather',"
                " 'effective_cache_size', 'jit')"
            ).fetchall()
        )
    return {
        "steps": steps,
        "seconds": sum(v for k, v in steps.items() if k != "drop"),
        "rows": rows,
        "table_bytes": size,
        "gin_bytes": gin,
        "settings": settings,
    }
