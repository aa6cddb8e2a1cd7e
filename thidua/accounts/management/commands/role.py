"""`thidua role grant USERNAME UNIT ROLE` / `revoke USERNAME UNIT ROLE` / `list USERNAME`:
roles for the operator, through the same audited verbs as the admin (acting as the
system)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from thidua.accounts import services
from thidua.accounts.choices import Role
from thidua.accounts.management.users import user_named
from thidua.accounts.models import UserRole
from thidua.accounts.system import SYSTEM  # the operator at the console
from thidua.org.models import Unit


class Command(BaseCommand):
    @property
    def help(self):
        return _("Grant, revoke and list users' roles on units.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        roles = ", ".join(Role.values)
        for name, text in (
            ("grant", _("Give a user a role on a unit (and its subtree).")),
            ("revoke", _("Take a role back.")),
        ):
            sub = actions.add_parser(name, help=text)
            sub.add_argument("username")
            sub.add_argument("unit", help=_("The unit's code."))
            sub.add_argument("role", choices=Role.values, help=roles)
        listing = actions.add_parser("list", help=_("A user's roles."))
        listing.add_argument("username")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def _user(self, username):
        return user_named(username)

    def _unit(self, code):
        try:
            return Unit.objects.get(code=code)
        except Unit.DoesNotExist:
            raise CommandError(_("No unit has the code %(code)s.") % {"code": code}) from None

    def handle_grant(self, *, username, unit, role, **options):
        user, unit = self._user(username), self._unit(unit)
        try:
            services.grant_role(actor=SYSTEM, user=user, unit=unit, role=role)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _("%(username)s is now %(role)s of %(unit)s.")
            % {"username": username, "role": Role(role).label, "unit": unit.name}
        )

    def handle_revoke(self, *, username, unit, role, **options):
        user, unit = self._user(username), self._unit(unit)
        user_role = UserRole.objects.filter(user=user, unit=unit, role=role).first()
        if user_role is None:
            raise CommandError(
                _("%(username)s does not hold the role %(role)s on %(unit)s.")
                % {"username": username, "role": Role(role).label, "unit": unit.name}
            )
        services.revoke_role(actor=SYSTEM, user_role=user_role)
        self.stdout.write(
            _("%(username)s is no longer %(role)s of %(unit)s.")
            % {"username": username, "role": Role(role).label, "unit": unit.name}
        )

    def handle_list(self, *, username, **options):
        user = self._user(username)
        rows = user.unit_roles.select_related("unit").order_by("unit__sort_key", "role")
        for row in rows:
            self.stdout.write(f"{row.unit.code}\t{row.unit.name}\t{row.get_role_display()}")
