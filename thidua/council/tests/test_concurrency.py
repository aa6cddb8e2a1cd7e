"""Twenty concurrent attempts by one member to vote on one nominee: exactly one counts,
the others are refused (on SQLite and on PostgreSQL: run with THIDUA_DATABASE_URL)."""

import threading

import pytest
from django.db import connection

from thidua.council import services
from thidua.council.models import AgendaItem, Voted
from thidua.council.services import CouncilError


def test_twenty_concurrent_votes_count_once_on_sqlite():
    """The test database of SQLite is shared in memory (table locks, not the file locks
    of a deployment): the race runs in a child process on a real SQLite file."""
    from tests.test_benchmarks import bench

    out = bench("bench_council", "--nominees", "3", "--members", "4", "--repeat", "1")
    assert "20 concurrent votes by one member on one nominee: 1 counted, 19 refused (" in out


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_votes_count_once(open_meeting, members):
    if connection.vendor == "sqlite":
        pytest.skip("in-memory SQLite: see the test above (a file database)")
    item = open_meeting.items.order_by("position").first()
    user = members[0].user
    results, barrier = [], threading.Barrier(20)

    def vote(n):
        from django.utils import translation

        translation.activate("en")  # a thread does not inherit the test's language
        try:
            barrier.wait()
            services.cast_votes(open_meeting, {item.pk: "yes" if n % 2 else "no"}, actor=user)
            results.append("ok")
        except CouncilError as exc:
            results.append(" ".join(exc.messages))
        except Exception as exc:  # anything else is a failure of the test
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert all("already voted" in r for r in results if r != "ok"), results
    item = AgendaItem.objects.get(pk=item.pk)
    assert item.yes + item.no + item.abstain == 1
    assert Voted.objects.filter(item=item).count() == 1
