"""`StagedRows`: the checked rows of a large section kept in a temporary table of the load's
database connection rather than in memory.

A national dataset holds about eight rating rows per person (eight million for a country);
as Python tuples they take gigabytes. The validator appends them here instead: they are
written in batches (`bulk.insert_into`: COPY on PostgreSQL, `executemany` elsewhere) to a
TEMP table, which only this connection sees and which goes with it; the few checks that
need the rows again read them back in the file's order, and the writer copies them into
their real table with one INSERT … SELECT that resolves the codes by a join.

The rows keep their row number, so every problem still names the file's row and field.
Temporary tables are outside the load's transaction: `drop()` removes the table once the
load is over (written or refused).
"""

import datetime
import itertools
from decimal import Decimal

from django.db import connection

from thidua.interchange.dataset.bulk import insert_into

BATCH = 20_000  # rows kept in memory before they are written to the table
_serial = itertools.count(1)

# A schema field kind → (SQLite column type, PostgreSQL column type)
_TYPES = {
    "date": ("text", "date"),
    "integer": ("integer", "integer"),
    "number": ("text", "numeric"),
    "boolean": ("bool", "boolean"),
    "string": ("text", "text"),
    "enum": ("text", "text"),
}


def can_stage(spec) -> bool:
    """Whether `spec`'s rows can be kept in a table (no list fields)."""
    return all(f.kind in _TYPES for f in spec.fields)


class StagedRows:
    """The rows of one section (`spec.row_type` tuples) in a temporary table: `append` them,
    then iterate them (in row order), `len` them, or `values(...)` some of their fields."""

    def __init__(self, spec, batch: int = BATCH):
        self.spec = spec
        self.batch = batch
        self.table = f"thidua_load_{spec.name}_{next(_serial)}"
        self.columns = ("row", *spec.field_names)
        self.kinds = ("integer", *(f.kind for f in spec.fields))
        self._buffer: list = []
        self._written = 0
        self._created = False

    # -- writing ----------------------------------------------------------------------------

    def append(self, row) -> None:
        self._buffer.append(row)
        if len(self._buffer) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        if not self._created:
            self._create()
        rows, self._buffer = self._buffer, []
        quote = connection.ops.quote_name
        insert_into(self.quoted, [quote(c) for c in self.columns], self._pg_types(), rows)
        self._written += len(rows)

    def _create(self) -> None:
        pg = connection.vendor == "postgresql"
        quote = connection.ops.quote_name
        columns = []
        for name, kind in zip(self.columns, self.kinds, strict=True):
            sql_type = _TYPES[kind][1 if pg else 0]
            if name == "row" and not pg:
                sql_type = "integer primary key"  # the rowid: reading in row order is free
            columns.append(f"{quote(name)} {sql_type}")
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE {self.quoted} ({', '.join(columns)})")
        self._created = True

    def _pg_types(self) -> list[str]:
        pg_names = {"integer": "int4", "date": "date", "number": "numeric", "boolean": "bool"}
        return [pg_names.get(kind, "text") for kind in self.kinds]

    def drop(self) -> None:
        """Remove the table: the rows are gone, their count (`len`) stays."""
        self._written += len(self._buffer)
        self._buffer = []
        if self._created:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.quoted}")
            self._created = False

    @property
    def quoted(self) -> str:
        return connection.ops.quote_name(self.table)

    @property
    def column_list(self) -> str:
        quote = connection.ops.quote_name
        return ", ".join(quote(c) for c in self.columns)

    # -- reading ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._written + len(self._buffer)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self):
        return self._rows("")

    def __reversed__(self):
        return self._rows(" DESC")

    def _rows(self, order: str):
        make = self.spec.row_type._make
        convert = self._converters()
        for values in self._select(self.column_list, order):
            yield make(
                [
                    value if fix is None else fix(value)
                    for fix, value in zip(convert, values, strict=True)
                ]
            )

    def values(self, *fields):
        """Tuples of `fields` of every row, in row order, as the database gives them (no
        conversion: for integers and text)."""
        quote = connection.ops.quote_name
        return self._select(", ".join(quote(f) for f in fields), "")

    def _select(self, columns: str, order: str):
        self.flush()
        if not self._created:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {self.quoted} ORDER BY {quote_row()}{order}")
            while True:
                chunk = cursor.fetchmany(10_000)
                if not chunk:
                    break
                yield from chunk

    def _converters(self):
        """Per column, the function making the database's value the Python one (or None)."""
        if connection.vendor == "postgresql":
            return [None] * len(self.columns)
        days: dict[str, datetime.date] = {}

        def day(text):
            if text is None:
                return None
            found = days.get(text)
            if found is None:
                found = days[text] = datetime.date.fromisoformat(text)
            return found

        def number(text):
            return None if text is None else Decimal(text)

        def boolean(value):
            return None if value is None else bool(value)

        return [
            {"date": day, "number": number, "boolean": boolean}.get(kind) for kind in self.kinds
        ]


def quote_row() -> str:
    return connection.ops.quote_name("row")
