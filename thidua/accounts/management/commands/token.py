"""`thidua token create USERNAME [--name NAME]` / `list USERNAME` / `revoke ID`: API tokens
for scripts. The raw token is printed once, on its own on stdout, so that a script can
capture it; only its hash is kept."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts.api import issue_token, revoke_token
from thidua.accounts.management.users import user_named
from thidua.accounts.models import ApiToken
from thidua.accounts.system import SYSTEM


class Command(BaseCommand):
    @property
    def help(self):  # argparse needs a str, so translate when asked, not at import
        return _("Create, list and revoke API tokens.")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help=_("Issue a token; it is shown only once."))
        create.add_argument("username")
        create.add_argument("--name", default="", help=_("What the token is for."))
        listing = actions.add_parser("list", help=_("A user's tokens (never their values)."))
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help=_("Delete a token by its id."))
        revoke.add_argument("id", type=int)

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def _user(self, username):
        return user_named(username)

    def handle_create(self, *, username, name, **options):
        user = self._user(username)
        if not user.is_active:
            raise CommandError(_("User %(username)s is not active.") % {"username": username})
        token, raw = issue_token(user, name, actor=SYSTEM)
        self.stderr.write(
            _("Token %(id)s for %(username)s. Store it now: it will not be shown again.")
            % {"id": token.pk, "username": username}
        )
        self.stdout.write(raw)

    def handle_list(self, *, username, **options):
        user = self._user(username)
        tokens = ApiToken.objects.filter(user=user).order_by("created_at", "id")
        if not tokens:
            self.stderr.write(_("%(username)s has no API token.") % {"username": username})
            return
        never = _("never")
        self.stdout.write("\t".join([_("ID"), _("Name"), _("Created"), _("Last used")]))
        for token in tokens:
            self.stdout.write(
                "\t".join(
                    [str(token.pk), token.name or "-", _when(token.created_at)]
                    + [_when(token.last_used_at) if token.last_used_at else never]
                )
            )

    def handle_revoke(self, *, id, **options):
        token = ApiToken.objects.select_related("user").filter(pk=id).first()
        if token is None:
            raise CommandError(_("No API token with id %(id)s.") % {"id": id})
        username = token.user.get_username()
        revoke_token(token, actor=SYSTEM)
        self.stdout.write(
            _("Token %(id)s of %(username)s revoked.") % {"id": id, "username": username}
        )


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}"
