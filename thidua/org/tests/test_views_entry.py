"""People and employment entry pages: add a person with their first employment, hire,
transfer, end. Permission matrix (a refusal changes nothing), dates typed dd/mm/yyyy,
and the entry controls shown only to those who may write."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from thidua.audit.models import AuditEntry
from thidua.org.models import Employment, Person
from thidua.org.tests.factories import EmploymentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def vi(text, **params) -> str:
    with translation.override("vi"):
        return translation.gettext(text) % params if params else translation.gettext(text)


@pytest.fixture
def an(tree):
    person = PersonFactory(code="P-AN", family_name="Nguyễn", middle_name="Văn", given_name="An")
    EmploymentFactory(person=person, unit=tree["commune"], start=datetime.date(2015, 1, 1))
    return person


def new_person(tree, **extra):
    return {
        "p-family_name": "Lê",
        "p-middle_name": "Thị",
        "p-given_name": "Hoa",
        "p-birth_date": "05/04/1990",
        "p-gender": "F",
        "p-citizen_id": "",
        "e-unit": str(tree["commune"].pk),
        "e-position": "Công chức văn hoá",
        "e-start": "01/02/2026",
        **extra,
    }


DENIED = {"anonymous": 302, "no_role": 403, "other_unit": 400, "viewer": 403}


@pytest.mark.parametrize("who", list(DENIED))
def test_only_an_officer_may_add_a_person(client, tree, users, who):
    if who != "anonymous":
        client.force_login(users[who])
    url = reverse("org:add_person")
    # The other district's officer may add people, but not into our commune: the unit
    # is not among their choices.
    assert client.post(url, new_person(tree)).status_code == DENIED[who]
    assert (
        not Person.objects.exists()
        and not AuditEntry.objects.exclude(action__startswith="accounts.log").exists()
    )


def test_officer_adds_a_person_with_their_first_employment(client, tree, users):
    client.force_login(users["officer"])
    response = client.post(reverse("org:add_person"), new_person(tree))
    person = Person.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("org:person_detail", args=[person.code])
    assert person.full_name == "Lê Thị Hoa" and person.birth_date == datetime.date(1990, 4, 5)
    job = person.employments.get()
    assert (job.unit, job.start, job.position) == (
        tree["commune"],
        datetime.date(2026, 2, 1),
        "Công chức văn hoá",
    )
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"org.person.create", "org.employment.create"} <= actions


def test_a_missing_name_and_bad_date_are_named_and_nothing_is_written(client, tree, users):
    client.force_login(users["officer"])
    data = new_person(tree, **{"p-given_name": "", "e-start": "32/01/2026"})
    response = client.post(reverse("org:add_person"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_p-given_name_error"' in html and 'id="id_e-start_error"' in html
    assert vi("Enter a date as dd/mm/yyyy, e.g. 31/12/2025.") in html
    assert not Person.objects.exists()


PERSON_DENIED = {"anonymous": 302, "no_role": 404, "other_unit": 404, "viewer": 403}


@pytest.mark.parametrize("who", list(PERSON_DENIED))
def test_only_an_officer_may_transfer_or_end(client, tree, users, an, who):
    if who != "anonymous":
        client.force_login(users[who])
    transfer = reverse("org:transfer", args=[an.code])
    end = reverse("org:end_employment", args=[an.code])
    hire = reverse("org:hire", args=[an.code])
    for url in (transfer, end, hire):
        assert client.get(url).status_code == PERSON_DENIED[who]
    data = {"to_unit": str(tree["commune2"].pk), "day": "01/03/2026", "end": "01/03/2026"}
    assert client.post(transfer, data).status_code == PERSON_DENIED[who]
    assert client.post(end, data).status_code == PERSON_DENIED[who]
    assert (
        Employment.objects.get().end is None
        and not AuditEntry.objects.exclude(action__startswith="accounts.log").exists()
    )


def test_transfer_ends_one_employment_and_starts_the_next(client, tree, users, an):
    client.force_login(users["officer"])
    data = {"to_unit": str(tree["commune2"].pk), "position": "Phó chủ tịch", "day": "01/03/2026"}
    response = client.post(reverse("org:transfer", args=[an.code]), data)
    assert response.status_code == 302
    old, new = an.employments.order_by("start")
    assert old.end == datetime.date(2026, 3, 1) and new.unit == tree["commune2"]


def test_end_employment_then_hire_again(client, tree, users, an):
    client.force_login(users["officer"])
    url = reverse("org:end_employment", args=[an.code])
    assert client.post(url, {"end": "01/07/2025"}).status_code == 302
    assert an.employments.get().end == datetime.date(2025, 7, 1)
    assert AuditEntry.objects.filter(action="org.employment.end").count() == 1
    again = client.post(url, {"end": "01/08/2025"})
    assert again.status_code == 400
    assert vi("This person has no employment still running.") in again.content.decode()

    hire = reverse("org:hire", args=[an.code])
    data = {"unit": str(tree["commune2"].pk), "position": "", "start": "01/06/2025"}
    overlap = client.post(hire, data)  # overlaps the ended employment
    assert overlap.status_code == 400 and an.employments.count() == 1
    data["start"] = "01/01/2026"
    assert client.post(hire, data).status_code == 302 and an.employments.count() == 2


def test_end_before_the_start_is_refused_on_the_field(client, tree, users, an):
    client.force_login(users["officer"])
    response = client.post(reverse("org:end_employment", args=[an.code]), {"end": "01/01/2010"})
    assert response.status_code == 400
    assert 'id="id_end_error"' in response.content.decode()
    assert an.employments.get().end is None


def test_entry_controls_only_for_those_who_may_write(client, tree, users, an):
    person_url = reverse("org:person_detail", args=[an.code])
    unit_url = reverse("org:unit_detail", args=[tree["commune"].code])
    grid = reverse("records:rating_grid", args=[tree["commune"].code, 2026])
    client.force_login(users["viewer"])
    for url in (person_url, unit_url, reverse("org:person_list")):
        assert 'class="entry-actions"' not in client.get(url).content.decode()
    client.force_login(users["officer"])
    html = client.get(person_url).content.decode()
    assert reverse("org:transfer", args=[an.code]) in html
    assert reverse("records:absence", args=[an.code]) in html
    assert grid in client.get(unit_url + "?nam=2026").content.decode()
    assert reverse("org:add_person") in client.get(reverse("org:person_list")).content.decode()
