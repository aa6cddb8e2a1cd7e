"""Vocabularies of the council: members' functions, a meeting's states, the ballot."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Function(models.TextChoices):
    """A member's function in the council (Law 06/2022 Điều 90; BN-86 Điều 8)."""

    CHAIR = "chair", _("Chair")
    DEPUTY = "deputy", _("Deputy chair")
    STANDING = "standing", _("Standing member")
    SECRETARY = "secretary", _("Member-secretary")
    MEMBER = "member", pgettext_lazy("council function", "Member")


class MeetingState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("meeting state", "Preparing")
    OPEN = "open", pgettext_lazy("meeting state", "Voting open")
    CLOSED = "closed", pgettext_lazy("meeting state", "Closed")


class BallotMode(models.TextChoices):
    ELECTRONIC = "electronic", _("Secret electronic ballot")
    PAPER = "paper", _("Paper ballot, counted by the counting committee")


class Choice(models.TextChoices):
    YES = "yes", pgettext_lazy("ballot", "Yes")
    NO = "no", pgettext_lazy("ballot", "No")
    ABSTAIN = "abstain", pgettext_lazy("ballot", "Abstain")
