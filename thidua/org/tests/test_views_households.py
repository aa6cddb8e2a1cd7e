"""Households of a commune: the officer records one with its head and other members and
finds it in the commune's list; a viewer, a user of another unit or a stranger is refused
and nothing is written; the list's query count does not grow with the households."""

import pytest
from django.urls import reverse

from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.org import services
from thidua.org.models import Household, Person
from thidua.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def form(**extra):
    return {
        "h-name": "Hộ ông Lê Văn Tám",
        "h-address": "Thôn Đông",
        "h-others": "Nguyễn Thị Hoa, nữ\nLê Văn Tú, nam\n",
        "p-family_name": "Lê",
        "p-middle_name": "Văn",
        "p-given_name": "Tám",
        "p-birth_date": "05/04/1960",
        "p-gender": "M",
        "p-citizen_id": "",
        **extra,
    }


def test_an_officer_records_a_household_and_sees_it_listed(client, tree, users):
    client.force_login(users["officer"])
    add = reverse("org:add_household", args=[tree["commune"].code])

    assert client.get(add).status_code == 200
    response = client.post(add, form())

    assert response.status_code == 302
    household = Household.objects.get()
    assert household.commune == tree["commune"]
    names = sorted(p.full_name for p in household.members.all())
    assert names == ["Lê Văn Tám", "Lê Văn Tú", "Nguyễn Thị Hoa"]
    assert household.memberships.get(is_head=True).person.full_name == "Lê Văn Tám"
    assert AuditEntry.objects.filter(action="org.household.create").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Hộ ông Lê Văn Tám" in page and "Thôn Đông" in page
    assert household.code not in page  # users see names, not codes


def test_the_communes_page_links_to_its_households_for_officers_only(client, tree, users):
    url = reverse("org:unit_detail", args=[tree["commune"].code])
    households = reverse("org:household_list", args=[tree["commune"].code])
    client.force_login(users["officer"])
    assert households in client.get(url).content.decode()
    client.force_login(users["viewer"])
    assert households not in client.get(url).content.decode()


def test_a_bad_member_line_is_named_and_nothing_is_written(client, tree, users):
    client.force_login(users["officer"])
    add = reverse("org:add_household", args=[tree["commune"].code])

    response = client.post(add, form(**{"h-others": "Nguyễn Thị Hoa\n"}))

    assert response.status_code == 400
    assert "Dòng 1" in response.content.decode()
    assert not Household.objects.exists() and not Person.objects.exists()


@pytest.mark.parametrize(
    "who, status", [("anonymous", 302), ("no_role", 404), ("other_unit", 404), ("viewer", 403)]
)
def test_others_are_refused_and_nothing_is_written(client, tree, users, who, status):
    if who != "anonymous":
        client.force_login(users[who])
    code = tree["commune"].code

    assert client.get(reverse("org:household_list", args=[code])).status_code == status
    assert client.post(reverse("org:add_household", args=[code]), form()).status_code == status
    assert not Household.objects.exists() and not Person.objects.exists()


def test_a_unit_that_is_no_commune_has_no_household_pages(client, tree, users):
    client.force_login(users["officer"])

    assert client.get(reverse("org:household_list", args=["KB"])).status_code == 404


def _households(commune, n):
    for i in range(n):
        head = PersonFactory()
        other = PersonFactory()
        services.add_household(
            code=f"H{commune.code}-{i}",
            name=f"Hộ {i}",
            commune=commune,
            members=[head, other],
            head=head,
            actor=SYSTEM,
        )


@pytest.mark.parametrize("n", [2, 20])
def test_the_list_query_count_does_not_grow(client, tree, users, n, django_assert_max_num_queries):
    _households(tree["commune"], n)
    client.force_login(users["officer"])
    url = reverse("org:household_list", args=[tree["commune"].code])

    with django_assert_max_num_queries(12):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == n + 1
