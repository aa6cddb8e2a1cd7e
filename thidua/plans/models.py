"""What a unit is asked to do and to reach in a year: tasks assigned by the level above
(nhiệm vụ cấp trên giao) and socio-economic indicators (chỉ tiêu) with their reference
values and actuals.

Every row is written through a verb in `plans.services`, which checks the scope and
audits the change. Figures are numbers (`Decimal`); percentages such as an achievement
rate are computed when read (`plans.selectors`), never stored.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thidua.org.models import Unit
from thidua.plans.choices import (
    Aggregation,
    Direction,
    Measure,
    Period,
    ReferenceKind,
    TargetKind,
    TaskStatus,
    Version,
)

YEAR_VALIDATORS = [MinValueValidator(1945), MaxValueValidator(2100)]
VALUE_DIGITS, VALUE_PLACES = 20, 4


class Task(models.Model):
    """A task a unit assigns to units beneath it for a year, from a source document
    (a directive, a plan, a letter), with a deadline and the evidence it expects back.

    The assignees are `TaskAssignment` rows; an assignee may pass the task on to its own
    units (a cascaded assignment).
    """

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("title"), max_length=500)
    assigned_by = models.ForeignKey(
        Unit,
        verbose_name=_("assigning unit"),
        on_delete=models.PROTECT,
        related_name="tasks_assigned",
    )
    source_number = models.CharField(_("source document number"), max_length=80)
    source_date = models.DateField(_("source document date"))
    source_issuer = models.CharField(_("issued by"), max_length=255)
    deadline = models.DateField(_("deadline"))
    evidence_required = models.CharField(_("evidence required"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("assigned task")
        verbose_name_plural = _("assigned tasks")
        ordering = ["year", "deadline", "id"]
        indexes = [models.Index(fields=["assigned_by", "year"])]

    def __str__(self):
        return self.title


class TaskAssignment(models.Model):
    """One assignee of a task and where it stands.

    `parent` is the assignment this one was cascaded from (the district passing a
    provincial task on to its communes); None for a direct assignment by the task's
    assigning unit. `completed_on` is set exactly when the status is completed.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        Unit, verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="task_assignments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cascaded from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cascaded",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    evidence = models.CharField(_("evidence given"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("task assignment")
        verbose_name_plural = _("task assignments")
        ordering = ["task_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="taskassignment_unique"),
            models.CheckConstraint(
                condition=Q(status=TaskStatus.COMPLETED, completed_on__isnull=False)
                | (~Q(status=TaskStatus.COMPLETED) & Q(completed_on__isnull=True)),
                name="taskassignment_completed_on_iff_completed",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self):
        return f"{self.task} → {self.unit}"


class Indicator(models.Model):
    """A socio-economic indicator of the catalog. `code` is the stable identifier; the
    name is a label. `decimals` is how many decimals its figures are shown with."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    measure = models.CharField(
        pgettext_lazy("unit of measure", "measure"), max_length=12, choices=Measure.choices
    )
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER
    )
    target_kind = models.CharField(
        _("target kind"), max_length=8, choices=TargetKind.choices, default=TargetKind.AT_LEAST
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=4, choices=Aggregation.choices, default=Aggregation.SUM
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimals shown"), default=0, validators=[MaxValueValidator(VALUE_PLACES)]
    )
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("display order", "position"), default=0
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name


class IndicatorReference(models.Model):
    """A value an indicator's actual is measured against for a unit and year: the
    estimate assigned from above, the local estimate, the council's target (or, where
    the previous year's actual is not on file, that figure)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="references"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="indicator_references"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("kind"), max_length=20, choices=ReferenceKind.choices)
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    source_number = models.CharField(_("source document number"), max_length=80, blank=True)
    source_date = models.DateField(_("source document date"), null=True, blank=True)
    source_issuer = models.CharField(_("issued by"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("indicator reference value")
        verbose_name_plural = _("indicator reference values")
        ordering = ["indicator_id", "unit_id", "year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year", "kind"], name="indicatorreference_unique"
            )
        ]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self):
        return f"{self.indicator.code} {self.year} {self.kind}: {self.value}"


class IndicatorActual(models.Model):
    """The figure a unit reached on an indicator over a period of a year, in one version
    (estimate, preliminary, final). Versions live side by side; readers take the most
    final one (`choices.VERSION_RANK`)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="actuals"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="indicator_actuals"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    period = models.CharField(
        _("period"), max_length=4, choices=Period.choices, default=Period.YEAR
    )
    version = models.CharField(_("version"), max_length=12, choices=Version.choices)
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    reported_on = models.DateField(_("reported on"))
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("indicator actual")
        verbose_name_plural = _("indicator actuals")
        ordering = ["indicator_id", "unit_id", "year", "period", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year", "period", "version"],
                name="indicatoractual_unique",
            )
        ]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self):
        return f"{self.indicator.code} {self.year} {self.period} {self.version}: {self.value}"


class Goal(models.Model):
    """A target set for a unit's year that is not (only) a figure: "reach the criteria
    of a grade-IV urban area before 2023". `before_year` is the year by whose start it
    must be reached (None: within the plan year); a goal may name an indicator and the
    value to reach."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="goals"
    )
    year = models.PositiveSmallIntegerField(_("plan year"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("title"), max_length=500)
    before_year = models.PositiveSmallIntegerField(
        _("to be reached before"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goals",
    )
    value = models.DecimalField(
        _("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    source_number = models.CharField(_("source document number"), max_length=80, blank=True)
    source_date = models.DateField(_("source document date"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("display order", "position"), default=0
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["unit_id", "year", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(before_year__isnull=True) | Q(before_year__gt=models.F("year")),
                name="goal_before_after_plan_year",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(indicator__isnull=False),
                name="goal_value_needs_indicator",
            ),
        ]

    def __str__(self):
        return self.title
