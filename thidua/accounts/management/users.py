"""What the accounts commands share."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def user_named(username: str):
    """The user with this username, or a CommandError naming it."""
    User = get_user_model()
    try:
        return User.objects.get(**{User.USERNAME_FIELD: username})
    except User.DoesNotExist:
        raise CommandError(_("No user named %(username)s.") % {"username": username}) from None
