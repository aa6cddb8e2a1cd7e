"""What every page's menu needs to know about the user (thidua/templates/base.html)."""

from django.utils.functional import SimpleLazyObject

from thidua.accounts import scope
from thidua.accounts.choices import Action


class Menu:
    """Which menu items the user's roles can use: `has_role` (any role: the working
    pages), `can_change` (a role that changes records: data import, the API)."""

    def __init__(self, user):
        self.has_role = scope.may(user, Action.VIEW)
        self.can_change = scope.may(user, Action.CHANGE)


def menu(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"menu": SimpleLazyObject(lambda: Menu(user))}
