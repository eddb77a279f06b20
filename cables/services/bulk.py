"""Plain rows into a table, as fast as the database allows.

On PostgreSQL the rows go through ``COPY ... FROM STDIN`` (psycopg's ``cursor.copy``):
no SQL text is built from the values, and the per-value work happens in psycopg's C
code instead of Django's ``bulk_create`` (model instances, field preparation, one huge
``INSERT`` statement the server must parse). Other databases (SQLite for ``make run``)
get the same rows through ``bulk_create``. Either way the rows are written in the
caller's transaction, so a failure rolls back with the rest of the batch.

:func:`rows_update` sets columns of many rows by primary key in one statement per
batch, ``UPDATE ... FROM unnest(arrays)`` on PostgreSQL and ``UPDATE ... FROM (VALUES
...)`` elsewhere (SQLite since 3.33), where Django's ``bulk_update`` builds a ``CASE
WHEN`` expression per row and field (seconds of Python per thousand rows of several
fields).

The table and column names come from the model's metadata, never from input, and are
quoted (by psycopg, or by the backend's ``quote_name``); values are always parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection
from django.db.models import Model

MAX_PARAMETERS = 30_000  # SQLite allows 32,766 per statement


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


def rows_update(
    *,
    model: type[Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[object]],
    batch_size: int = 5000,
    use_arrays: bool | None = None,
) -> None:
    """Set ``fields`` (field names or attnames) of existing rows of ``model``: each row
    of ``rows`` is the primary key, then one value per field. On PostgreSQL the values
    travel as one array per column (``unnest``), so the statement is the same short
    text whatever the number of rows; elsewhere as a ``VALUES`` list (``use_arrays``
    forces or refuses the arrays: tests compare both paths)."""
    meta = model._meta
    targets = [meta.pk, *(meta.get_field(name) for name in fields)]
    if use_arrays is None:
        use_arrays = copy_supported()
    if not use_arrays:  # one parameter per value: stay under SQLite's limit
        batch_size = min(batch_size, MAX_PARAMETERS // (len(targets) + 1))
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(rows, batch_size)):
            if use_arrays:
                sql, params = _update_unnest(meta, targets, batch)
            else:
                sql, params = _update_values(meta, targets, batch)
            cursor.execute(sql, params)


def _update_unnest(meta, targets, batch) -> tuple[str, list]:
    quote = connection.ops.quote_name
    table, key = quote(meta.db_table), quote(meta.pk.column)
    arrays = ", ".join(f"%s::{field.cast_db_type(connection)}[]" for field in targets)
    aliases = ", ".join(f"c{i}" for i in range(len(targets)))
    assignments = ", ".join(
        f"{quote(field.column)} = v.c{i}" for i, field in enumerate(targets) if i
    )
    # The key list twice: in the join, and as a plain condition on the table, so that
    # the planner reads the rows through the key's index instead of hashing a
    # sequential scan of the whole table (which it prefers for a join alone).
    sql = (
        f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS v({aliases}) "  # noqa: S608
        f"WHERE {table}.{key} = ANY(%s::{meta.pk.cast_db_type(connection)}[]) "
        f"AND {table}.{key} = v.c0"
    )
    columns = [list(column) for column in zip(*batch, strict=True)]
    return sql, [*columns, columns[0]]


def _update_values(meta, targets, batch) -> tuple[str, list]:
    # VALUES columns are column1, column2, ...; the casts give a column of NULLs (an
    # unknown year) the target's type. The IN list as well as the join, as above.
    quote = connection.ops.quote_name
    table, key = quote(meta.db_table), quote(meta.pk.column)
    assignments = ", ".join(
        f"{quote(field.column)} = CAST(v.column{i} AS {field.cast_db_type(connection)})"
        for i, field in enumerate(targets, start=1)
        if i > 1
    )
    values = ", ".join(["(" + ", ".join(["%s"] * len(targets)) + ")"] * len(batch))
    keys = ", ".join(["%s"] * len(batch))
    sql = (
        f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v "  # noqa: S608
        f"WHERE {table}.{key} IN ({keys}) AND {table}.{key} = v.column1"
    )
    return sql, [value for row in batch for value in row] + [row[0] for row in batch]
