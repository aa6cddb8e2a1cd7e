from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    OFFICER = "officer", _("Emulation officer")
    LEADER = "leader", _("Leader")
    COUNCIL = "council", _("Council member")
    VIEWER = "viewer", _("Viewer")


class Action(models.TextChoices):
    VIEW = "view", _("View")
    CHANGE = "change", _("Change")


# Which roles may do what, within the subtree of the unit they hold the role on.
ROLE_ACTIONS = {
    Role.ADMIN: {Action.VIEW, Action.CHANGE},
    Role.OFFICER: {Action.VIEW, Action.CHANGE},
    Role.LEADER: {Action.VIEW},
    Role.COUNCIL: {Action.VIEW},
    Role.VIEWER: {Action.VIEW},
}
