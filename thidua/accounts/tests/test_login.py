"""Logging in as an attacker meets it: weak passwords refused, failed logins throttled then
locked out (in Vietnamese), and every login, failed login and logout audited with the
client's address."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from thidua.audit.models import AuditEntry
from thidua.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # UserFactory's


@pytest.mark.parametrize("password", ["12345678", "password", "thidua", "87654321123"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, UserFactory.build(username="thidua"))


def test_a_strong_password_passes():
    validate_password("Hoa-sen-nở-2026", UserFactory.build(username="lan"))


def _login(client, username, password, address="10.1.2.3"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_a_login_and_a_logout_are_audited_with_the_address(client):
    user = UserFactory(username="lan")
    assert _login(client, "lan", PASSWORD).status_code == 302
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")

    login, logout = AuditEntry.objects.order_by("id")
    assert (login.action, login.actor, login.client_address) == ("accounts.login", user, "10.1.2.3")
    assert (logout.action, logout.actor, logout.client_address) == (
        "accounts.logout",
        user,
        "10.1.2.3",
    )


def test_a_failed_login_is_audited_with_the_name_typed_and_the_address(client):
    UserFactory(username="lan")
    _login(client, "lan", "wrong", address="192.0.2.9")
    _login(client, "nobody", "wrong", address="192.0.2.9")

    entries = AuditEntry.objects.filter(action="accounts.login_failed").order_by("id")
    assert [(e.target_label, e.client_address) for e in entries] == [
        ("lan", "192.0.2.9"),
        ("nobody", "192.0.2.9"),
    ]
    assert all(e.actor is None for e in entries)


def test_repeated_failures_lock_the_account_out_for_that_address(client, settings):
    UserFactory(username="lan")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "lan", "wrong").status_code == 200
    assert _login(client, "lan", "wrong").status_code == 429  # the limit-th failure

    locked = _login(client, "lan", PASSWORD)
    assert locked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked out by these failures.
    assert _login(client, "lan", PASSWORD, address="10.9.9.9").status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, settings):
    UserFactory(username="lan")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "lan", "wrong")
    assert _login(client, "lan", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "lan", "wrong")
    assert _login(client, "lan", PASSWORD).status_code == 302
