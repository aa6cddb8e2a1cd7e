from django.db import models
from django.utils.translation import pgettext_lazy


class DecisionKind(models.TextChoices):
    """What a decision does: confer awards, or correct or annul an earlier decision (a
    correction and an annulment are new decisions referencing the one they change)."""

    CONFER = "confer", pgettext_lazy("decision kind", "Conferring awards")
    CORRECT = "correct", pgettext_lazy("decision kind", "Correction")
    ANNUL = "annul", pgettext_lazy("decision kind", "Annulment")
