"""Nothing stored tells how a member voted (docs/adr/0006-ballot-secrecy.md).

Two worlds: in the first, member A votes yes and member B no on a nominee; in the second
the other way round. Everything else is the same. After the close, every row of every
table (SQLite's rowid included) is dumped: the dumps are identical, except the "has voted"
rows, which carry only who voted (no choice, no time) and whose ids are random. So no
table, no audit row, no id and no insertion order can tell A's vote from B's."""

import datetime

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from thidua.council import services
from thidua.council.models import Voted

CLOSED_AT = timezone.make_aware(datetime.datetime(2021, 1, 10, 16, 0))


def dump() -> dict[str, list]:
    """Every row of every table, in storage order; times blanked (they follow the steps,
    which are the same in both worlds, not the choices)."""
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(include_views=False):
            rowid = "rowid, " if connection.vendor == "sqlite" else ""
            try:
                cursor.execute(f'SELECT {rowid}* FROM "{table}"')
            except Exception:  # a WITHOUT ROWID table
                cursor.execute(f'SELECT * FROM "{table}"')
            rows = [
                tuple("<time>" if isinstance(v, datetime.datetime) else v for v in row)
                for row in cursor.fetchall()
            ]
            out[table] = rows if connection.vendor == "sqlite" else sorted(rows, key=repr)
    return out


def reset_sequences():
    """PostgreSQL's sequences are not rolled back with a savepoint: set each back to its
    table's largest id, so both worlds number their new rows alike (SQLite's are)."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)


def world(meeting, members, users, first: str, second: str):
    reset_sequences()
    sid = transaction.savepoint()
    a, b, c = meeting.items.order_by("position")
    services.cast_votes(meeting, {a.pk: first, b.pk: "yes"}, actor=members[0].user)
    services.cast_votes(meeting, {a.pk: second, b.pk: "yes"}, actor=members[1].user)
    services.cast_votes(meeting, {a.pk: "yes", c.pk: "abstain"}, actor=members[2].user)
    services.close_voting(meeting, actor=users["province"], now=CLOSED_AT)
    rows = dump()
    voted = sorted(Voted.objects.values_list("item_id", "member_id"))
    transaction.savepoint_rollback(sid)
    return rows, voted


def test_swapping_two_members_votes_changes_nothing_stored(open_meeting, members, users):
    one, voted_one = world(open_meeting, members, users, "yes", "no")
    two, voted_two = world(open_meeting, members, users, "no", "yes")
    voted_table = Voted._meta.db_table
    assert one[voted_table] != []
    # The "has voted" rows: the same who, random ids (so different rows), no choice.
    assert voted_one == voted_two
    assert [f.name for f in Voted._meta.concrete_fields] == ["id", "item", "member"]
    one.pop(voted_table), two.pop(voted_table)
    assert one == two


def test_no_ballot_related_row_keeps_a_time():
    for model in apps.get_app_config("council").get_models():
        times = [f.name for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]
        assert times == [], model


def test_the_running_tally_is_the_only_trace_of_choices_and_votes_leave_no_row(
    open_meeting, members
):
    a = open_meeting.items.order_by("position").first()
    counts = {m: m.objects.count() for m in apps.get_app_config("council").get_models()}
    services.cast_votes(open_meeting, {a.pk: "no"}, actor=members[0].user)
    after = {m: m.objects.count() for m in apps.get_app_config("council").get_models()}
    grown = {m.__name__ for m in after if after[m] != counts[m]}
    assert grown == {"Voted"}
