"""Fast inserts for large loads: PostgreSQL's COPY, `executemany` elsewhere.

A province dataset holds about a million rating rows; building a model instance per row and
letting the ORM render each batch costs tens of seconds (more with DEBUG on, when Django's
debug cursor also formats every statement it logs). These helpers write plain value tuples
through the database driver's own cursor, inside the caller's transaction: a binary COPY on
PostgreSQL (half the server time of a text COPY), `executemany` elsewhere. Callers fill the
derived columns themselves (`Person.fill_derived`, `Unit.fill_derived`).
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.db.models import Max


@contextmanager
def sqlite_load_cache():
    """On SQLite, a page cache of settings.LOAD_CACHE_MB (SQLite's default: 2 MB) while the
    load writes: a national load inserts millions of rows into tables with several indexes,
    whose pages a small cache keeps reading back. The connection's own setting is restored
    afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(settings.LOAD_CACHE_MB) * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


@contextmanager
def checked_row_by_row():
    """On PostgreSQL, check foreign keys as each row arrives rather than at commit.

    Django declares them DEFERRABLE INITIALLY DEFERRED; deferred, a million-row load queues
    a million trigger events and the commit then takes longer than the load itself. The
    writer inserts parents before children, so immediate checks never fail on order. After
    the writes the transaction's mode is set back, in case the caller's transaction goes on;
    after an error the rollback (of the transaction or of the savepoint) undoes it anyway.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def insert(model, fields: list[str], rows) -> int:
    """Insert `rows` (tuples of database-ready values for `fields`, foreign keys as ids) into
    `model`'s table and return how many were written."""
    meta = model._meta
    quote = connection.ops.quote_name
    types = None
    if connection.vendor == "postgresql":
        types = [_pg_type(meta.get_field(name)) for name in fields]
    return insert_into(
        quote(meta.db_table),
        [quote(meta.get_field(name).column) for name in fields],
        types,
        rows,
    )


def insert_into(table: str, columns: list[str], pg_types, rows) -> int:
    """Insert `rows` into the table `table` as its `columns` (both quoted); `pg_types` are
    the columns' type names for PostgreSQL's binary COPY."""
    marks = ", ".join(["%s"] * len(columns))
    columns = ", ".join(columns)
    count = 0

    def counted():
        nonlocal count
        for row in rows:
            count += 1
            yield row

    with connection.cursor() as wrapper:
        driver_cursor = wrapper.cursor  # below Django's debug wrapper
        if connection.vendor == "postgresql":
            with driver_cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(pg_types)
                for row in counted():
                    copy.write_row(row)
        else:
            driver_cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", counted()
            )
    return count


def insert_coded(model, fields: list[str], rows, ids: dict[str, int]) -> int:
    """Like `insert`, for a model with a unique `code` as the first of `fields`; adds
    code → primary key of every new row to `ids` (one query after the insert)."""
    since = model.objects.aggregate(last=Max("pk"))["last"] or 0
    codes = set()

    def tracked():
        for row in rows:
            codes.add(row[0])
            yield row

    count = insert(model, fields, tracked())
    # Keys only grow, so the new rows are among those above `since`; filtering by our codes
    # leaves out rows another transaction may have committed meanwhile.
    for code, pk in model.objects.filter(pk__gt=since).values_list("code", "pk").iterator(10_000):
        if code in codes:
            ids[code] = pk
    return count


def _pg_type(field) -> str:
    """The PostgreSQL type name psycopg needs for a binary COPY ("varchar(40)" → "varchar")."""
    target = field.target_field if field.is_relation else field
    return target.db_type(connection).split("(")[0].strip()
