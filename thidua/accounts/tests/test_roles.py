"""Granting and revoking roles: scoped (within the units one administers, never above
one's own role), audited with the client's address, through the same verb from the admin
and from `thidua role`."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from thidua.accounts import services
from thidua.accounts.choices import Role
from thidua.accounts.models import UserRole
from thidua.audit.models import AuditEntry
from thidua.org.tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages in the source language, in services and on pages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def roles_of(user):
    return sorted((r.unit.code, r.role) for r in UserRole.objects.filter(user=user))


def test_a_commune_officer_cannot_grant_itself_officer_on_the_province(tree):
    officer = user_with_role(Role.OFFICER, tree["commune"])
    with pytest.raises(PermissionDenied):
        services.grant_role(actor=officer, user=officer, unit=tree["province"], role=Role.OFFICER)
    assert roles_of(officer) == [("KB-TL", "officer")]
    assert not AuditEntry.objects.filter(action="accounts.role.grant").exists()


def test_an_officer_grants_within_the_subtree_and_not_above_its_role(tree):
    officer = user_with_role(Role.OFFICER, tree["district"])
    clerk = UserFactory()
    services.grant_role(actor=officer, user=clerk, unit=tree["commune"], role=Role.VIEWER)
    services.grant_role(actor=officer, user=clerk, unit=tree["district"], role=Role.OFFICER)
    with pytest.raises(PermissionDenied):
        services.grant_role(actor=officer, user=clerk, unit=tree["commune"], role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.grant_role(actor=officer, user=clerk, unit=tree["other"], role=Role.VIEWER)
    assert roles_of(clerk) == [("KB", "officer"), ("KB-TL", "viewer")]
    grants = AuditEntry.objects.filter(action="accounts.role.grant")
    assert grants.count() == 2 and {g.actor for g in grants} == {officer}


@pytest.mark.parametrize("role", [Role.VIEWER, Role.LEADER, Role.COUNCIL])
def test_view_only_roles_grant_nothing(tree, role):
    holder = user_with_role(role, tree["province"])
    with pytest.raises(PermissionDenied):
        services.grant_role(actor=holder, user=UserFactory(), unit=tree["commune"], role="viewer")


def test_revoking_follows_the_same_rule_and_is_audited(tree):
    officer = user_with_role(Role.OFFICER, tree["district"])
    outsider = user_with_role(Role.OFFICER, tree["other"])
    clerk = user_with_role(Role.VIEWER, tree["commune"])
    user_role = clerk.unit_roles.get()
    with pytest.raises(PermissionDenied):
        services.revoke_role(actor=outsider, user_role=user_role)
    services.revoke_role(actor=officer, user_role=user_role)
    assert roles_of(clerk) == []
    entry = AuditEntry.objects.get(action="accounts.role.revoke")
    assert entry.actor == officer and entry.before["role"] == "viewer"


def test_a_superuser_grants_anything(tree):
    root = UserFactory(is_superuser=True)
    clerk = UserFactory()
    services.grant_role(actor=root, user=clerk, unit=tree["province"], role=Role.ADMIN)
    assert roles_of(clerk) == [("HN", "admin")]


def _staff(tree, unit_key, role=Role.OFFICER, username="staff"):
    user = user_with_role(role, tree[unit_key], username=username, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "view_user",
                "change_user",
                "view_userrole",
                "add_userrole",
                "change_userrole",
                "delete_userrole",
            ]
        )
    )
    return user


def _inline(user_role=None, **row) -> dict:
    data = {
        "unit_roles-TOTAL_FORMS": "1",
        "unit_roles-INITIAL_FORMS": "1" if user_role else "0",
        "unit_roles-0-id": str(user_role.pk) if user_role else "",
        "unit_roles-0-unit": row.get("unit", ""),
        "unit_roles-0-role": row.get("role", ""),
    }
    if row.get("DELETE"):
        data["unit_roles-0-DELETE"] = "on"
    return data


def _user_form(user) -> dict:
    return {
        "username": user.username,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2020-01-01",
        "date_joined_1": "00:00:00",
    }


def test_in_the_admin_a_commune_staff_user_cannot_grant_itself_the_province(client, tree):
    staff = _staff(tree, "commune")
    client.force_login(staff)
    url = reverse("admin:accounts_userrole_add")
    response = client.post(url, {"user": staff.pk, "unit": tree["province"].pk, "role": "officer"})
    assert response.status_code == 200
    assert "You may not grant or revoke the role" in response.content.decode()
    # Nor through the user page's role inline.
    page = reverse("admin:auth_user_change", args=[staff.pk])
    data = _user_form(staff) | _inline(unit=tree["province"].pk, role="officer")
    response = client.post(page, data)
    assert response.status_code == 200
    assert "You may not grant or revoke the role" in response.content.decode()
    assert roles_of(staff) == [("KB-TL", "officer")]


def test_in_the_admin_a_grant_goes_through_the_verb_with_the_address(client, tree):
    staff = _staff(tree, "district")
    clerk = UserFactory(username="clerk")
    client.force_login(staff)
    page = reverse("admin:auth_user_change", args=[clerk.pk])
    data = _user_form(clerk) | _inline(unit=tree["commune"].pk, role="viewer")
    response = client.post(page, data, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert roles_of(clerk) == [("KB-TL", "viewer")]
    entry = AuditEntry.objects.get(action="accounts.role.grant")
    assert (entry.actor, entry.client_address) == (staff, "10.0.0.8")

    user_role = clerk.unit_roles.get()
    data = _user_form(clerk) | _inline(user_role, unit=tree["commune"].pk, role="viewer")
    data["unit_roles-0-DELETE"] = "on"
    assert client.post(page, data, REMOTE_ADDR="10.0.0.8").status_code == 302
    assert roles_of(clerk) == []
    assert AuditEntry.objects.filter(action="accounts.role.revoke", actor=staff).count() == 1


def test_the_role_admin_grants_and_deletes_through_the_verbs(client, tree):
    staff = _staff(tree, "district")
    clerk = UserFactory(username="clerk")
    client.force_login(staff)
    response = client.post(
        reverse("admin:accounts_userrole_add"),
        {"user": clerk.pk, "unit": tree["commune"].pk, "role": "viewer"},
    )
    assert response.status_code == 302
    user_role = clerk.unit_roles.get()
    delete = reverse("admin:accounts_userrole_delete", args=[user_role.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert roles_of(clerk) == []
    actions = AuditEntry.objects.filter(actor=staff).values_list("action", flat=True)
    assert set(actions) >= {"accounts.role.grant", "accounts.role.revoke"}


def test_a_staff_user_cannot_make_itself_superuser_nor_open_a_superuser(client, tree):
    staff = _staff(tree, "district")
    root = UserFactory(username="root", is_superuser=True)
    client.force_login(staff)
    assert client.get(reverse("admin:auth_user_change", args=[root.pk])).status_code == 302
    page = reverse("admin:auth_user_change", args=[staff.pk])
    data = _user_form(staff) | {"is_superuser": "on", "is_staff": "on"}
    data |= {"unit_roles-TOTAL_FORMS": "0", "unit_roles-INITIAL_FORMS": "1"}
    client.post(page, data)
    staff.refresh_from_db()
    assert not staff.is_superuser


def test_the_role_command_grants_lists_and_revokes(tree):
    clerk = UserFactory(username="clerk")
    out = io.StringIO()
    call_command("role", "grant", "clerk", "KB", "officer", stdout=out)
    assert roles_of(clerk) == [("KB", "officer")]
    call_command("role", "list", "clerk", stdout=out)
    assert "Huyện Kim Bảng" in out.getvalue()
    call_command("role", "revoke", "clerk", "KB", "officer", stdout=out)
    assert roles_of(clerk) == []
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor_label"))
    assert actions == [("accounts.role.grant", "hệ thống"), ("accounts.role.revoke", "hệ thống")]
    with pytest.raises(CommandError, match="No unit has the code"):
        call_command("role", "grant", "clerk", "NOPE", "viewer")
    call_command("role", "grant", "clerk", "KB", "viewer")
    with pytest.raises(CommandError, match="already holds"):
        call_command("role", "grant", "clerk", "KB", "viewer")
