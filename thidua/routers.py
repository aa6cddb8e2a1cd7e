"""Reads for reports and eligibility on a read replica (docs/deployment/scale.md).

With THIDUA_DATABASE_REPLICA_URL set, the settings add a `replica` database alias and
this router. Writes always go to `default` (the primary). Reads go to the replica only
inside `replica_reads()` — the eligibility engine's runs and the reports' builders enter
it — and never while the primary has a transaction open in this thread (a request that
has just written reads its own writes). Everything else reads the primary: pages that
edit records must not show a replica's lag.
"""

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_READING = contextvars.ContextVar("thidua_replica_reads", default=False)


@contextmanager
def replica_reads():
    """Reads within this block may be served by the replica (usable as a decorator)."""
    token = _READING.set(True)
    try:
        yield
    finally:
        _READING.reset(token)


def reading_alias() -> str:
    """The alias reads go to here and now."""
    if (
        _READING.get()
        and REPLICA in settings.DATABASES
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    ):
        return REPLICA
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return reading_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # a replica follows the primary's schema
