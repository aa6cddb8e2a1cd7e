"""A list's pages with a bounded count (issue 12).

The people list of a province's officer holds 100,000 people: counting them exactly costs
the database a pass over all of them (on SQLite, more than half a second of CPU) on every
page. Nobody pages through 2,000 pages; they search or choose a unit. So the list counts
its rows up to a limit: below it, the count and the pages are exact; past it, the page
says "more than N" and lists the first N rows in pages, and a search narrows the rest.
"""

from functools import cached_property

from django.core.paginator import Paginator

# Rows counted at most; past this a list says "more than" (and pages through these).
COUNT_LIMIT = 1000


class BoundedPaginator(Paginator):
    """A Paginator whose `count` stops at `limit` (COUNT_LIMIT by default): `exact` says
    whether it is the whole count. Counting stops after `limit + 1` rows, unordered, so
    the database reads that many at most (one query, as Paginator's)."""

    def __init__(self, object_list, per_page, limit: int | None = None, counted=None, **kw):
        """`counted`: the same rows as a queryset better suited to counting (another plan
        for the same filter); default `object_list`."""
        super().__init__(object_list, per_page, **kw)
        self.limit = COUNT_LIMIT if limit is None else limit
        self.to_count = object_list if counted is None else counted

    @cached_property
    def counted(self) -> int:
        return self.to_count.order_by()[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.limit)

    @property
    def exact(self) -> bool:
        return self.counted <= self.limit
