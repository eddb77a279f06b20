"""The planner's statistics of the tables a people batch reads, kept fresh during a
load (PostgreSQL).

A batch looks rows up by lists of keys (``cable_id IN (...)``, ``pair IN (...)``).
On a table PostgreSQL has never analyzed, it guesses that such a list matches most of
the table and scans all of it: every batch would read every mention, and a load would
grow quadratic again. Autovacuum analyzes a growing table only now and then, and not
at all where it is off. So before each batch, one catalog query asks which of these
tables has no statistics yet or has more than doubled since they were taken, and
only those are analyzed (a sample of at most 30,000 rows each): a handful of times
in a whole load.
"""

from __future__ import annotations

from django.db import connection

from cables.models import CableTag
from people.models import MentionGroup, Person, PersonForm, PersonRole

#: Smaller tables are read whole in no time: their statistics do not matter.
MIN_PAGES = 64
TABLES = (PersonRole, MentionGroup, PersonForm, Person, CableTag)


def statistics_refresh() -> list[str]:
    """Analyze the tables that need it; returns their names."""
    if connection.vendor != "postgresql":
        return []
    names = [model._meta.db_table for model in TABLES]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class"
            " WHERE oid = ANY(%s::regclass[])"
            " AND pg_relation_size(oid) > %s * current_setting('block_size')::int"
            " AND (reltuples < 0 OR pg_relation_size(oid)"
            " > 2 * greatest(relpages, 1) * current_setting('block_size')::int)",
            [names, MIN_PAGES],
        )
        stale = sorted(row[0] for row in cursor.fetchall())
        if stale:
            cursor.execute("ANALYZE " + ", ".join(map(connection.ops.quote_name, stale)))
    return stale
