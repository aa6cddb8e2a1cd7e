"""A province council of five over Kim Bảng's dossier, ready for the council, with three
nominees (two people of the district office, the office as a collective)."""

import datetime

import pytest

from thidua.accounts.choices import Role
from thidua.council import services
from thidua.council.choices import Function
from thidua.nominations import services as nominations
from thidua.nominations.tests import conftest as proposals
from thidua.nominations.tests.conftest import DAY, attach_minutes, spec
from thidua.org.tests.factories import UserFactory, user_with_role

MEETING_DAY = datetime.date(2021, 1, 10)

# The proposals' world (a province, Kim Bảng, people, officers), shared.
world, users, round_, dossier = (
    proposals.world,
    proposals.users,
    proposals.round_,
    proposals.dossier,
)


@pytest.fixture
def ready(dossier, world, users):
    nominations.add_nominees(
        dossier,
        [
            spec(person=world["an"]),
            spec(person=world["binh"]),
            spec("TTLDXS", unit=world["office"]),
        ],
        actor=users["kb"],
    )
    attach_minutes(dossier, users["kb"])
    nominations.submit_dossier(dossier, actor=users["kb"], today=DAY)
    for verb in ("receive", "appraise", "publish"):
        nominations.move(dossier, verb, actor=users["province"], today=DAY)
    # after the public comment period (no objection was made)
    nominations.move(dossier, "to_council", actor=users["province"], today=MEETING_DAY)
    return dossier


@pytest.fixture
def council(world, users):
    council = services.create_council(
        world["province"],
        name="Hội đồng TĐKT tỉnh Hà Nam",
        term_start=2020,
        term_end=2025,
        actor=users["province"],
    )
    functions = [
        Function.CHAIR,
        Function.DEPUTY,
        Function.STANDING,
        Function.SECRETARY,
        Function.MEMBER,
    ]
    for n, function in enumerate(functions, start=1):
        user = user_with_role(Role.COUNCIL, world["province"], username=f"tv{n}")
        services.add_member(
            council,
            user=user,
            full_name=f"Thành viên {n}",
            function=function,
            # the fifth member works in Kim Bảng: a conflict on all of its nominees
            unit=world["kb"] if n == 5 else None,
            actor=users["province"],
        )
    return council


@pytest.fixture
def members(council):
    return list(council.members.order_by("id"))


@pytest.fixture
def meeting(council, ready, users):
    return services.create_meeting(
        council,
        title="Phiên họp xét khen thưởng năm 2020",
        year=2020,
        held_on=MEETING_DAY,
        actor=users["province"],
    )


@pytest.fixture
def open_meeting(meeting, members, users):
    services.set_attendance(meeting, members, actor=users["province"])
    services.open_voting(meeting, actor=users["province"])
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English, the source language."""
    from django.utils import translation

    with translation.override("en"):
        yield
