"""The second factor, when the deployment requires it: administrators and council members
set up an authenticator app, then give its code after every password login; viewers and
officers do not; the API answers 403 to a session that still owes the code."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.accounts.choices import Role
from thidua.audit.models import AuditEntry
from thidua.org.tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


@pytest.fixture
def required(settings, client):
    settings.THIDUA_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code does not delay the next one here
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _login(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client.get(response["Location"])


def _code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_an_administrator_sets_up_then_gives_the_code_at_every_login(client, tree, required):
    admin = user_with_role(Role.ADMIN, tree["province"], username="quantri")
    first = _login(client, "quantri")
    assert first.status_code == 302 and reverse("second_factor") in first["Location"]
    setup = client.get(first["Location"], follow=True)
    assert setup.redirect_chain[-1][0].startswith(reverse("second_factor_setup"))
    key = re.search(r'<code id="key">([A-Z2-7 ]+)</code>', setup.content.decode()).group(1)
    assert len(key.replace(" ", "")) >= 32
    assert client.get(reverse("org:unit_tree")).status_code == 302  # still owed

    wrong = client.post(reverse("second_factor_setup"), {"code": "000000", "next": "/"})
    assert "The code is wrong" in wrong.content.decode()
    done = client.post(reverse("second_factor_setup"), {"code": _code(admin), "next": "/"})
    assert done.status_code == 302
    assert client.get(reverse("org:unit_tree")).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.second_factor.enrol", actor=admin).exists()

    client.post(reverse("logout"))
    again = _login(client, "quantri")
    assert again.status_code == 302 and reverse("second_factor") in again["Location"]
    assert client.get("/api/org/units").status_code == 403
    TOTPDevice.objects.filter(user=admin).update(last_t=-1)  # the same code, a new login
    verified = client.post(reverse("second_factor"), {"code": _code(admin), "next": "/"})
    assert verified.status_code == 302
    assert client.get("/api/org/units").status_code == 200


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OFFICER, Role.LEADER])
def test_other_roles_are_not_asked(client, tree, required, role):
    user_with_role(role, tree["district"], username="canbo")
    assert _login(client, "canbo").status_code == 200


def test_a_council_member_is_asked(client, tree, required):
    user_with_role(Role.COUNCIL, tree["district"], username="hoidong")
    response = _login(client, "hoidong")
    assert response.status_code == 302 and reverse("second_factor") in response["Location"]


def test_nobody_is_asked_when_the_setting_is_off(client, tree):
    user_with_role(Role.ADMIN, tree["province"], username="quantri")
    assert _login(client, "quantri").status_code == 200
