from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TaskStatus(models.TextChoices):
    """Where an assignee stands on a task assigned to it."""

    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the assigning level")


# Declared moves of an assignment; `services.set_status` refuses any other. A completed
# task may be reopened (its report was sent back); a withdrawn one is final.
TASK_TRANSITIONS = {
    TaskStatus.ASSIGNED: {TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED, TaskStatus.WITHDRAWN},
    TaskStatus.IN_PROGRESS: {TaskStatus.COMPLETED, TaskStatus.WITHDRAWN},
    TaskStatus.COMPLETED: {TaskStatus.IN_PROGRESS},
    TaskStatus.WITHDRAWN: set(),
}
OPEN_STATUSES = frozenset({TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS})


class Measure(models.TextChoices):
    """What an indicator's value counts. Values are stored as numbers in this measure."""

    BILLION_VND = "billion_vnd", _("billion VND")
    MILLION_VND = "million_vnd", _("million VND")
    PERCENT = "percent", _("percent")
    COUNT = "count", _("count")
    PEOPLE = "people", pgettext_lazy("measure", "people")
    HOUSEHOLDS = "households", _("households")
    HECTARE = "ha", _("hectares")
    TONNE = "tonne", _("tonnes")
    KM = "km", _("kilometres")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class TargetKind(models.TextChoices):
    """How an actual is held against a reference value: reach at least it (revenue), stay
    at most at it (the poverty rate), or hit it exactly (a number of communes to merge)."""

    AT_LEAST = "at_least", _("At least the reference value")
    AT_MOST = "at_most", _("At most the reference value")
    EXACTLY = "exactly", _("Exactly the reference value")


# The target kind an indicator takes from its direction unless it says otherwise.
TARGET_OF_DIRECTION = {Direction.HIGHER: TargetKind.AT_LEAST, Direction.LOWER: TargetKind.AT_MOST}


class Aggregation(models.TextChoices):
    """How the value of a unit without its own figure follows from the units beneath it."""

    SUM = "sum", _("Sum of the units beneath")
    MEAN = "mean", _("Mean of the units beneath")
    NONE = "none", _("Not aggregated (only the unit's own figure)")


class ReferenceKind(models.TextChoices):
    """The values an actual is measured against (Law 83/2015 on the State Budget for the
    two estimates; the council's resolution for the target)."""

    PROVINCE_ESTIMATE = "province_estimate", _("Estimate assigned by the level above")
    LOCAL_ESTIMATE = "local_estimate", _("Local estimate")
    COUNCIL_TARGET = "council_target", _("Council resolution target")
    LAST_YEAR_ACTUAL = "last_year_actual", _("Last year's actual")


class Period(models.TextChoices):
    YEAR = "year", _("Whole year")
    H1 = "h1", _("First half")
    Q1 = "q1", _("First quarter")
    Q2 = "q2", _("Second quarter")
    Q3 = "q3", _("Third quarter")
    Q4 = "q4", _("Fourth quarter")
    M9 = "m9", _("First nine months")


class Version(models.TextChoices):
    """How final a figure is. The report is written before the year closes, so it reads
    the most final version there is (`VERSION_RANK`)."""

    ESTIMATE = "estimate", _("Estimate")
    PRELIMINARY = "preliminary", _("Preliminary")
    FINAL = "final", _("Final")


VERSION_RANK = {Version.ESTIMATE: 0, Version.PRELIMINARY: 1, Version.FINAL: 2}
