"""Counting in one statement: add one to a counter row and read the new value back.

Used where many requests count at once (references, form attempts): the row is locked only
from this statement to the commit, and there is no savepoint, read or second write.
"""

from django.db import connection, models


def add_one(model: type[models.Model], field: str, **where) -> int | None:
    """Add one to `field` of the row matching `where`; its new value, or None if no row matches.

    PostgreSQL and SQLite 3.35+ both return the value from the UPDATE itself."""
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(model._meta.get_field(field).column)
    conditions = " AND ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in where)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = {column} + 1"  # noqa: S608 (names quoted, values bound)
            f" WHERE {conditions} RETURNING {column}",
            list(where.values()),
        )
        row = cursor.fetchone()
    return row[0] if row else None
