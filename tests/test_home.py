"""The start page: what needs doing this year for the user's own unit, the working year,
the home unit, and a constant query count."""

import datetime

import pytest
from django.urls import reverse

from thidua.accounts import home, scope
from thidua.accounts.choices import Role
from thidua.accounts.models import UserRole
from thidua.accounts.system import SYSTEM
from thidua.emulation.tests.factories import make_block, make_covenant
from thidua.org.tests.factories import EmploymentFactory, PersonFactory, UserFactory
from thidua.plans import services as plans
from thidua.records.models import PersonRating

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world(tree):
    """Three people in the district's communes (one rated for 2020), one elsewhere; an open
    block of 2020 with the district; a task of 2020 past its deadline."""
    people = [
        EmploymentFactory(person=PersonFactory(code=f"KB-{n}"), unit=tree["commune"]).person
        for n in range(3)
    ]
    EmploymentFactory(person=PersonFactory(code="TL-1"), unit=tree["other"])
    PersonRating.objects.create(person=people[0], year=2020, level="HTT")
    block = make_block(tree["province"], [tree["district"], tree["other"]], year=2020)
    make_covenant(block)
    plans.assign_task(
        assigned_by=tree["province"],
        year=2020,
        title="Báo cáo tổng kết",
        source_number="05/CT-UBND",
        source_date=D(2020, 3, 2),
        source_issuer="UBND tỉnh",
        deadline=D(2020, 6, 30),
        units=[tree["district"]],
        actor=SYSTEM,
    )
    return people


def card(response, key):
    return next((c for c in response.context["cards"] if c.key == key), None)


def test_the_officer_sees_what_needs_doing_for_the_working_year(client, users, world):
    client.force_login(users["officer"])

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert response.context["year"] == 2020  # the latest year with data, not this one
    assert response.context["unit"].code == "KB"
    assert card(response, "records.unrated").count == 2
    scoring = card(response, "emulation.scoring")
    assert scoring.count == 1 and "15/12/2020" in scoring.lines[0][1]
    assert card(response, "plans.overdue").count == 1
    assert card(response, "interchange.import") is not None
    text = response.content.decode()
    assert "Khối thi đua các huyện, thành phố" in text


def test_a_viewer_gets_no_import_card(client, users, world):
    client.force_login(users["viewer"])

    response = client.get(reverse("home"))

    assert card(response, "records.unrated").count == 2
    assert card(response, "interchange.import") is None


def test_a_user_without_a_role_gets_no_cards(client, users, world):
    client.force_login(users["no_role"])

    response = client.get(reverse("home"))

    assert response.context["cards"] == []


def test_another_year_can_be_chosen(client, users, world):
    client.force_login(users["officer"])

    response = client.get(reverse("home"), {"nam": 2019})

    assert response.context["year"] == 2019
    assert card(response, "emulation.scoring") is None


def test_the_working_year_is_last_year_before_the_configured_month(db, settings):
    settings.THIDUA_WORKING_YEAR_FROM_MONTH = 3

    assert home.working_year(D(2026, 2, 10)) == 2025
    assert home.working_year(D(2026, 3, 1)) == 2026


def test_the_working_year_does_not_go_past_the_latest_year_with_data(world):
    assert home.working_year(D(2026, 12, 3)) == 2020
    assert home.working_year(D(2019, 12, 3)) == 2019  # nothing up to 2019: the calendar


def test_the_home_unit_is_the_widest_role(tree):
    user = UserFactory(username="two-roles")
    UserRole.objects.create(user=user, unit=tree["commune"], role=Role.OFFICER)
    UserRole.objects.create(user=user, unit=tree["district"], role=Role.OFFICER)
    UserRole.objects.create(user=user, unit=tree["province"], role=Role.VIEWER)

    assert scope.home_unit(user, "change").code == "KB"
    assert scope.home_unit(user).code == "HN"


def _grow(tree, n):
    for i in range(n):
        EmploymentFactory(person=PersonFactory(code=f"G-{n}-{i}"), unit=tree["commune2"])
        plans.assign_task(
            assigned_by=tree["province"],
            year=2020,
            title=f"Nhiệm vụ {n}-{i}",
            source_number=f"{i}/CT",
            source_date=D(2020, 3, 2),
            source_issuer="UBND tỉnh",
            deadline=D(2020, 6, 30),
            units=[tree["commune"], tree["commune2"]],
            actor=SYSTEM,
        )


@pytest.mark.parametrize("size", [5, 50])
def test_the_home_page_keeps_a_constant_query_count(
    client, users, world, tree, size, django_assert_max_num_queries
):
    _grow(tree, size)
    client.force_login(users["officer"])

    with django_assert_max_num_queries(18):
        response = client.get(reverse("home"))

    assert card(response, "plans.overdue").count == 1 + 2 * size


def test_the_home_benchmark_runs_at_a_small_size():
    from benchmarks.bench_home import build, run

    figures = run(build(people=40, tasks=5), repeat=3)

    assert figures.queries <= 18
    assert figures.median_ms < 1500


def test_the_report_picker_preselects_the_own_unit_and_the_working_year(client, users, world):
    client.force_login(users["viewer"])

    form = client.get(reverse("reports:index")).context["form"]

    assert form.fields["don_vi"].initial == "KB"
    assert form.fields["nam"].initial == 2020


def test_a_large_subtree_counts_its_unrated_people_once_a_minute(client, users, world, monkeypatch):
    """A province's counts are kept for a minute (counting 100,000 people on every visit
    of the start page is too slow): the card says when it counted, and a rating made
    meanwhile shows after the minute."""
    from django.core.cache import cache

    from thidua.records import cards

    monkeypatch.setattr(cards, "LARGE_SUBTREE", 1)  # the district's subtree counts as large
    cache.clear()
    client.force_login(users["officer"])

    first = card(client.get(reverse("home")), "records.unrated")
    PersonRating.objects.create(person=world[1], year=2020, level="HTT")
    kept = card(client.get(reverse("home")), "records.unrated")
    cache.clear()  # the minute has passed
    recounted = card(client.get(reverse("home")), "records.unrated")

    assert (first.count, kept.count, recounted.count) == (2, 2, 1)
    assert first.note.startswith("Counted at") or first.note.startswith("Số liệu tính lúc")
    cache.clear()
