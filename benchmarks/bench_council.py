"""The council (issue 9, "Numbers"): the meeting page and the tally.

    python -m benchmarks.bench_council [--nominees 500] [--members 30] [--repeat 10]

Builds a fresh SQLite database in a temporary directory: a province, a dossier ready for
the council with `nominees` nominees, a council of `members` members, a meeting with all of
them on the agenda, everyone present; then

- 20 threads try to cast the same member's vote on one nominee at once (exactly one must
  count: the others are refused);
- every member votes on every nominee through `services.cast_votes`;
- closing the poll (the tally: electorate, threshold, verdict, each nominee's outcome,
  the "has voted" rows rewritten) is timed (target ≤ 1 s);
- the meeting page with its results is fetched as the province's officer (target: median
  ≤ 300 ms), and its queries are counted against a 5-nominee meeting.

The fixture is inserted with bulk_create; the verbs and the page run the application's code.
"""

import argparse
import datetime
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import migrate

TALLY_TARGET_S = 1.0
PAGE_TARGET_MS = 300
D = datetime.date


def build(nominees: int, members: int, *, code: str = "T"):
    """A province with a ready dossier of `nominees` and a council of `members`; returns
    (officer, meeting, member users)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from thidua.accounts.choices import Role
    from thidua.accounts.models import UserRole
    from thidua.council import services
    from thidua.council.models import Council, Member
    from thidua.nominations.models import Dossier, Nominee, Round
    from thidua.org.choices import UnitKind
    from thidua.org.models import Person, Unit, UnitVersion

    epoch = D(2000, 1, 1)
    user_model = get_user_model()
    with transaction.atomic():
        province = Unit(
            code=code, kind=UnitKind.PROVINCE, name=f"Tỉnh {code}", established_on=epoch
        )
        district = Unit(code=f"{code}-H", kind=UnitKind.DISTRICT, name=f"Huyện {code}",
                        established_on=epoch)  # fmt: skip
        for unit in (province, district):
            unit.fill_derived()
        Unit.objects.bulk_create([province, district])
        UnitVersion.objects.bulk_create([
            UnitVersion(unit=province, name=province.name, valid_from=epoch),
            UnitVersion(unit=district, name=district.name, parent=province, valid_from=epoch),
        ])  # fmt: skip
        people = []
        for n in range(nominees):
            person = Person(code=f"{code}P{n:06d}", family_name="Trần", middle_name="Thị",
                            given_name=f"Bình{n}", gender="F", birth_date=D(1980, 1, 1))  # fmt: skip
            person.fill_derived()
            people.append(person)
        Person.objects.bulk_create(people)
        round_ = Round.objects.create(
            unit=province, year=2020, kind="annual", name="Khen thưởng năm 2020",
            opened_on=D(2020, 11, 1), deadline=D(2020, 12, 10),
        )  # fmt: skip
        dossier = Dossier.objects.create(
            round=round_, unit=district, state="ready", state_since=D(2020, 12, 28)
        )
        Nominee.objects.bulk_create(
            Nominee(
                dossier=dossier,
                subject_kind="individual",
                person=p,
                award_code="CSTD_TINH" if k % 5 == 0 else "BK_TINH",
                period_start=D(2020, 1, 1),
                period_end=D(2020, 12, 31),
                source="register",
                verdict="eligible",
            )  # fmt: skip
            for k, p in enumerate(people)
        )
        officer = user_model.objects.create(username=f"officer{code}")
        UserRole.objects.create(user=officer, unit=province, role=Role.OFFICER)
        users = user_model.objects.bulk_create(
            user_model(username=f"{code}m{n}") for n in range(members)
        )
        council = Council.objects.create(
            unit=province, name=f"Hội đồng {code}", term_start=2020, term_end=2025
        )
        Member.objects.bulk_create(
            Member(council=council, user=u, full_name=f"Thành viên {n}", function="member")
            for n, u in enumerate(users)
        )
        meeting = services.create_meeting(
            council, title="Phiên họp", year=2020, held_on=D(2021, 1, 5), actor=officer
        )
        services.set_attendance(meeting, list(council.members.all()), actor=officer)
        services.open_voting(meeting, actor=officer)
    return officer, meeting, users


def race(meeting, user, attempts: int = 20) -> tuple[int, int, list[str]]:
    """`attempts` threads cast the same member's vote on the first nominee at once:
    (counted, refused, unexpected errors)."""
    from django.db import connection

    from thidua.council import services
    from thidua.council.services import CouncilError

    item = meeting.items.order_by("position").first()
    barrier, results = threading.Barrier(attempts), []

    def vote(n):
        from django.utils import translation

        translation.activate("en")  # the refusal is recognised by its source text
        try:
            barrier.wait()
            services.cast_votes(meeting, {item.pk: "yes" if n % 2 else "no"}, actor=user)
            results.append("ok")
        except CouncilError as exc:
            results.append("refused" if "already voted" in " ".join(exc.messages) else str(exc))
        except Exception as exc:  # reported, not hidden
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(n,)) for n in range(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other = [r for r in results if r not in ("ok", "refused")]
    return results.count("ok"), results.count("refused"), other


def vote_all(meeting, users, skip_first_of=None):
    from thidua.council import services

    items = list(meeting.items.order_by("position").values_list("pk", flat=True))
    choices = ("yes", "yes", "yes", "no", "abstain")
    for n, user in enumerate(users):
        ballot = {pk: choices[(n + k) % len(choices)] for k, pk in enumerate(items)}
        if user == skip_first_of:
            ballot.pop(items[0])
        services.cast_votes(meeting, ballot, actor=user)


def measure(officer, meeting, small, small_officer, *, repeat: int = 10) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from thidua.council import services

    began, cpu = time.perf_counter(), time.thread_time()
    services.close_voting(meeting, actor=officer)
    tally_s, tally_cpu_s = time.perf_counter() - began, time.thread_time() - cpu
    services.close_voting(small, actor=small_officer)
    counts = {}
    for m, user in ((small, small_officer), (meeting, officer)):
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        path = reverse("council:meeting", args=[m.pk])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, response.status_code
        counts[m.pk] = len(queries)
    path = reverse("council:meeting", args=[meeting.pk])
    timings, cpu_timings = [], []
    for _ in range(repeat):
        began, cpu = time.perf_counter(), time.thread_time()
        client.get(path)
        timings.append((time.perf_counter() - began) * 1000)
        cpu_timings.append((time.thread_time() - cpu) * 1000)
    return {
        "tally_s": tally_s,
        "tally_cpu_s": tally_cpu_s,
        "page_cpu_median_ms": statistics.median(cpu_timings),
        "page_median_ms": statistics.median(timings),
        "page_max_ms": max(timings),
        "queries": counts[meeting.pk],
        "small_queries": counts[small.pk],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nominees", type=int, default=500)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="thidua-bench-")
    from benchmarks.common import configure

    configure(Path(tmp.name))
    from django.conf import settings

    settings.THIDUA_COUNCIL_VACUUM_AFTER_CLOSE = False  # measured apart from the tally
    migrate()
    began = time.perf_counter()
    officer, meeting, users = build(args.nominees, args.members)
    small_officer, small, small_users = build(5, args.members, code="S")
    print(f"built the meetings in {time.perf_counter() - began:.1f} s")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs\n")
    counted, refused, other = race(meeting, users[0])
    print(
        f"20 concurrent votes by one member on one nominee: {counted} counted, {refused} "
        f"refused{', other errors: ' + '; '.join(other) if other else ''} (target: 1 counted)"
    )
    began = time.perf_counter()
    vote_all(meeting, users, skip_first_of=users[0])
    vote_all(small, small_users)
    votes_s = time.perf_counter() - began
    print(f"{args.members} members voted on {args.nominees} nominees in {votes_s:.1f} s")
    f = measure(officer, meeting, small, small_officer, repeat=args.repeat)
    print(
        f"tally of {args.nominees} nominees × {args.members} members (close the poll): "
        f"{f['tally_s']:.2f} s, CPU {f['tally_cpu_s']:.2f} s (target ≤ {TALLY_TARGET_S:.0f} s)"
    )
    print(
        f"meeting page ({args.nominees} nominees, results): median {f['page_median_ms']:.0f} ms, "
        f"CPU {f['page_cpu_median_ms']:.0f} ms, max {f['page_max_ms']:.0f} ms "
        f"(target ≤ {PAGE_TARGET_MS} ms); queries "
        f"{f['queries']} (5 nominees: {f['small_queries']})"
    )
    ok = (
        counted == 1
        and not other
        and f["tally_s"] <= TALLY_TARGET_S
        and f["page_median_ms"] <= PAGE_TARGET_MS
        and f["queries"] <= f["small_queries"]  # no query per nominee
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print("\nOK" if ok else "\nABOVE TARGET")
    tmp.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
