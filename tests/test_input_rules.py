"""Codes and names on their way in through the services and the admin: a code is
restricted to a safe pattern (a `/` in a unit code broke every page that links to the
unit), names are stored in NFC without zero-width or bidi controls."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from thidua.accounts.choices import Role
from thidua.org import services
from thidua.org.choices import UnitKind
from thidua.org.models import Person, Unit
from thidua.org.tests.factories import UserFactory, user_with_role
from thidua.text import normalize_name

D2020 = datetime.date(2020, 1, 1)


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages in the source language, in services and on pages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.mark.parametrize("code", ["KB/TS", "KB TS", "../x", "-x", "Quế", "a\n", ""])
def test_a_unit_code_outside_the_safe_pattern_is_refused(tree, code):
    admin = UserFactory(is_superuser=True)
    with pytest.raises(ValidationError) as caught:
        services.create_unit(
            code=code,
            kind=UnitKind.COMMUNE,
            name="Xã Mới",
            parent=tree["district"],
            established_on=D2020,
            actor=admin,
        )
    assert "is not a valid code" in caught.value.message_dict["code"][0]
    assert "no '/'" in caught.value.message_dict["code"][0]
    assert not Unit.objects.filter(name="Xã Mới").exists()


def test_names_are_normalised_by_the_services(tree):
    admin = UserFactory(is_superuser=True)
    unit = services.create_unit(
        code="KB-MOI",
        kind=UnitKind.COMMUNE,
        name="\u200bXa\u0303 Mới\u202e ",
        parent=tree["district"],
        established_on=D2020,
        actor=admin,
    )
    person = services.add_person(
        actor=admin, code="P-1", family_name="Nguye\u0302\u0303n", given_name="An\u200d", gender="M"
    )
    services.rename_unit(
        unit, "Phu\u031bo\u031b\u0300ng Mới\ufeff", D2020.replace(year=2021), actor=admin
    )
    unit.refresh_from_db()
    assert unit.versions.order_by("valid_from").first().name == "Xã Mới"
    assert unit.name == "Phường Mới"
    person.refresh_from_db()
    assert (person.family_name, person.given_name) == ("Nguyễn", "An")
    with pytest.raises(ValidationError):
        services.add_person(
            actor=admin, code="P/2", family_name="Lê", given_name="Bình", gender="M"
        )


def test_normalize_name():
    assert normalize_name(" Nguye\u0302\u0303n\u200b\u2066 ") == "Nguyễn"
    assert normalize_name(None) is None


def test_the_admin_refuses_a_person_code_with_a_slash(client, tree):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:org_person_add"),
        {
            "code": "P/1",
            "family_name": "Lê\u200b",
            "given_name": "Bình",
            "gender": "M",
            "employments-TOTAL_FORMS": "0",
            "employments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "is not a valid code" in response.content.decode()
    assert not Person.objects.exists()


def test_an_officer_cannot_create_a_unit_with_a_slash_in_its_code(tree):
    officer = user_with_role(Role.OFFICER, tree["district"])
    with pytest.raises(ValidationError):
        services.create_unit(
            code="KB/X",
            kind=UnitKind.COMMUNE,
            name="Xã X",
            parent=tree["district"],
            established_on=D2020,
            actor=officer,
        )
