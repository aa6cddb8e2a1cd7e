"""`InIds(field, ids)`: "the field is one of these ids", with the ids sent as one parameter.

A scope is a set of unit ids (a province: thousands). As `field__in=ids` each id is a
parameter that Django prepares and the driver splices into the SQL text one by one, which
for 3,000 ids costs tens of milliseconds of CPU a query, several times a page (issue 12).
Here the whole set is one value: an array on PostgreSQL (`= ANY(%s)`, the same plan as an
IN list), a JSON array on SQLite (`IN (SELECT value FROM json_each(%s))`, which uses the
field's index like a subquery). The SQL text stays the same whatever the set, so the
driver's and the database's caches of it work too.
"""

import json

from django.db.models import F, Lookup


class InIds(Lookup):
    lookup_name = "in_ids"
    prepare_rhs = False

    def __init__(self, lhs, ids):
        if isinstance(lhs, str):
            lhs = F(lhs)
        super().__init__(lhs, sorted(int(i) for i in ids))

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [value])

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs_sql} = ANY(%s::bigint[])", (*lhs_params, self.rhs)
        return f"{lhs_sql} IN (SELECT value FROM json_each(%s))", (
            *lhs_params,
            json.dumps(self.rhs),
        )
