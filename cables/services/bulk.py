"""Plain rows into a table, as fast as the database allows.

On PostgreSQL the rows go through ``COPY ... FROM STDIN`` (psycopg's ``cursor.copy``):
no SQL text is built from the values, and the per-value work happens in psycopg's C
code instead of Django's ``bulk_create`` (model instances, field preparation, one huge
``INSERT`` statement the server must parse). Other databases (SQLite for ``make run``)
get the same rows through ``bulk_create``. Either way the rows are written in the
caller's transaction, so a failure rolls back with the rest of the batch.

The table and column names come from the model's metadata, never from input, and are
quoted by psycopg.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model


def copy_supported() -> bool:
    return connection.vendor == "postgresql"


def rows_insert(
    *,
    model: type[Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[object]],
    use_copy: bool | None = None,
) -> None:
    """Insert ``rows`` (one value per name of ``fields``: field names or attnames such
    as ``cable_id``, values as Python gives them) into ``model``'s table. ``use_copy``
    forces or refuses COPY (tests compare both paths); by default COPY on PostgreSQL."""
    if use_copy is None:
        use_copy = copy_supported()
    if use_copy:
        _copy(model, fields, rows)
    else:
        attnames = [model._meta.get_field(name).attname for name in fields]
        model.objects.bulk_create(
            [model(**dict(zip(attnames, row, strict=True))) for row in rows], batch_size=1000
        )


def _copy(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    from psycopg import sql  # PostgreSQL only

    columns = [model._meta.get_field(name).column for name in fields]
    statement = sql.SQL("COPY {table} ({columns}) FROM STDIN").format(
        table=sql.Identifier(model._meta.db_table),
        columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
    )
    # Django's errors (IntegrityError, DataError: both DatabaseError), as from a query.
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for row in rows:
            copy.write_row(row)
