"""Granting and revoking roles: the one scoped, audited way (pages, the admin and
`thidua role` all call these verbs).

A user may grant (or revoke) a role on a unit only when they hold, on that unit or on a unit
above it (across history, as `scope` reads subtrees), a role that may change records
(administrator or emulation officer) and that ranks at least as high as the role granted:
nobody grants above their own role. Superusers may grant anything; the system actor
(`SYSTEM`, a CLI command run by the operator) too.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thidua.accounts import scope
from thidua.accounts.choices import ROLE_ACTIONS, Action, Role
from thidua.accounts.models import UserRole
from thidua.accounts.system import is_system
from thidua.audit.services import log, snapshot

# Higher grants more. View-only roles grant nothing (they administer no unit).
ROLE_RANK = {Role.ADMIN: 3, Role.OFFICER: 2, Role.LEADER: 1, Role.COUNCIL: 1, Role.VIEWER: 0}


def may_grant(actor, role: str, unit) -> bool:
    """Whether `actor` may grant or revoke `role` on `unit`."""
    if is_system(actor):
        return True
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    rank = ROLE_RANK[Role(role)]
    roots = [
        unit_id
        for unit_id, held in actor.unit_roles.values_list("unit_id", "role")
        if Action.CHANGE in ROLE_ACTIONS.get(held, ()) and ROLE_RANK[Role(held)] >= rank
    ]
    return bool(roots) and unit.pk in scope.subtree_ids(roots)


def _require_grant(actor, role, unit) -> None:
    if not may_grant(actor, role, unit):
        raise PermissionDenied(
            _("You may not grant or revoke the role %(role)s on %(unit)s.")
            % {"role": Role(role).label, "unit": unit.name}
        )


@transaction.atomic
def grant_role(*, actor, user, unit, role: str) -> UserRole:
    """Give `user` the `role` on `unit` (and so on its subtree). Refused when the actor may
    not (PermissionDenied) or the user already holds it (ValidationError)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role %(role)s.") % {"role": role}})
    _require_grant(actor, role, unit)
    if UserRole.objects.filter(user=user, unit=unit, role=role).exists():
        raise ValidationError(
            _("%(user)s already holds the role %(role)s on %(unit)s.")
            % {"user": user, "role": Role(role).label, "unit": unit.name}
        )
    user_role = UserRole.objects.create(user=user, unit=unit, role=role)
    log("accounts.role.grant", user_role, actor=actor, after=snapshot(user_role))
    scope.forget(user)
    return user_role


@transaction.atomic
def revoke_role(*, actor, user_role: UserRole) -> None:
    """Take back a role; refused (PermissionDenied) when the actor could not grant it."""
    _require_grant(actor, user_role.role, user_role.unit)
    before = snapshot(user_role)
    log("accounts.role.revoke", user_role, actor=actor, before=before)
    user_role.delete()
    scope.forget(user_role.user)
