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
    ATTEST = "attest", _("Attest")


# Which roles may do what, within the subtree of the unit they hold the role on.
ROLE_ACTIONS = {
    # ATTEST: record the council's or the leader's judgement on a qualitative criterion.
    Role.ADMIN: {Action.VIEW, Action.CHANGE, Action.ATTEST},
    Role.OFFICER: {Action.VIEW, Action.CHANGE, Action.ATTEST},
    Role.LEADER: {Action.VIEW, Action.ATTEST},
    Role.COUNCIL: {Action.VIEW, Action.ATTEST},
    Role.VIEWER: {Action.VIEW},
}
