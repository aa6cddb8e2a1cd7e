"""Yearly facts about people and units that ratings, eligibility and reports read.

Each kind is written through a verb in `records.services`, which audits the change.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.org.models import Household, Person, Unit
from thidua.records.choices import (
    AbsenceKind,
    AttestationOutcome,
    AttestingBody,
    AwardStatus,
    CommendationType,
    DisciplineMeasure,
    RatingLevel,
    ReviewKind,
    Scope,
    WorkKind,
)

YEAR_VALIDATORS = [MinValueValidator(1945), MaxValueValidator(2100)]

# Exactly one recipient: a person, a unit (collective) or a household.
ONE_OF_THREE = (
    Q(person__isnull=False, unit__isnull=True, household__isnull=True)
    | Q(person__isnull=True, unit__isnull=False, household__isnull=True)
    | Q(person__isnull=True, unit__isnull=True, household__isnull=False)
)


class Rating(models.Model):
    """The level of task completion for one year, with the 100-point score where the rating
    regime uses one (Decree 335/2025 for civil servants from 2026, 233/2026 for public
    employees). `regime` names the rule text the rating was made under."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    level = models.CharField(_("level"), max_length=4, choices=RatingLevel.choices)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    regime = models.CharField(_("rating regime"), max_length=40, blank=True)

    class Meta:
        abstract = True


class PersonRating(Rating):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="ratings"
    )

    class Meta:
        verbose_name = _("person rating")
        verbose_name_plural = _("person ratings")
        ordering = ["person_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="personrating_unique_year")
        ]
        indexes = [models.Index(fields=["year", "level"])]

    def __str__(self):
        return f"{self.person} {self.year}: {self.level}"


class UnitRating(Rating):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="ratings"
    )

    class Meta:
        verbose_name = _("unit rating")
        verbose_name_plural = _("unit ratings")
        ordering = ["unit_id", "year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="unitrating_unique_year")
        ]

    def __str__(self):
        return f"{self.unit} {self.year}: {self.level}"


class Discipline(models.Model):
    """A disciplinary measure on a person, in force from `effective_from` to
    `effective_to` (exclusive; None while in force)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="disciplines"
    )
    measure = models.CharField(_("measure"), max_length=20, choices=DisciplineMeasure.choices)
    duty_related = models.BooleanField(_("duty-related violation"), default=True)
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["person_id", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
                name="discipline_period_valid",
            )
        ]

    def __str__(self):
        return f"{self.person}: {self.get_measure_display()}"


class PendingReview(models.Model):
    """A review, inspection, complaint or investigation that defers awards to its subject
    (a person or a unit) while open (Decree 152/2025 Điều 4(4))."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="pending_reviews"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="pending_reviews"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("pending review")
        verbose_name_plural = _("pending reviews")
        ordering = ["started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True)
                | Q(person__isnull=True, unit__isnull=False),
                name="pendingreview_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pendingreview_period_valid",
            ),
        ]

    def __str__(self):
        return f"{self.person or self.unit}: {self.get_kind_display()}"


class Initiative(models.Model):
    """An initiative (sáng kiến) or research work, recognised at a scope by a decision."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=WorkKind.choices)
    title = models.CharField(_("title"), max_length=500)
    scope = models.CharField(_("recognised scope"), max_length=20, choices=Scope.choices)
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    recognised_on = models.DateField(_("recognised on"))
    applied = models.BooleanField(_("applied effectively"), default=False)
    replicable = models.BooleanField(_("replicable"), default=False)
    authors = models.ManyToManyField(
        Person, verbose_name=_("authors"), through="InitiativeAuthor", related_name="initiatives"
    )

    class Meta:
        verbose_name = _("initiative or research")
        verbose_name_plural = _("initiatives and research")
        ordering = ["recognised_on", "code"]

    def __str__(self):
        return self.title


class InitiativeAuthor(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT)
    person = models.ForeignKey(Person, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["initiative", "person"], name="initiativeauthor_unique")
        ]

    def __str__(self):
        return f"{self.person_id} – {self.initiative_id}"


class Award(models.Model):
    """A title or commendation conferred on a person, a unit or a household by a decision.

    The achievement period (năm thành tích) is what later criteria count, not the decision
    date. `award_code` is a code of the catalog in `thidua/rules/data/awards/`. The deciding
    authority is a unit of the tree, so the decision stays meaningful after that unit is
    merged away.
    """

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    award_code = models.CharField(_("award"), max_length=40, db_index=True)
    commendation_type = models.CharField(
        _("commendation type"), max_length=20, choices=CommendationType.choices
    )
    period_start = models.DateField(_("achievement period start"))
    period_end = models.DateField(_("achievement period end"))
    decision_number = models.CharField(_("decision number"), max_length=80)
    decision_date = models.DateField(_("decision date"))
    authority = models.ForeignKey(
        Unit,
        verbose_name=_("deciding authority"),
        on_delete=models.PROTECT,
        related_name="awards_decided",
    )
    signer = models.CharField(_("signer"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AwardStatus.choices, default=AwardStatus.VALID
    )
    annulled_reason = models.CharField(_("reason for annulment"), max_length=500, blank=True)
    amount = models.PositiveBigIntegerField(_("bonus amount (VND)"), null=True, blank=True)
    initiatives = models.ManyToManyField(
        "Initiative",
        verbose_name=_("initiatives relied on"),
        through="AwardInitiative",
        related_name="awards",
        blank=True,
    )

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["decision_date", "id"]
        constraints = [
            models.CheckConstraint(condition=ONE_OF_THREE, name="award_one_recipient"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="award_period_valid",
            ),
        ]
        indexes = [models.Index(fields=["award_code", "period_end"])]

    def __str__(self):
        return f"{self.award_code} – {self.recipient} ({self.decision_number})"

    @property
    def recipient(self):
        return self.person or self.unit or self.household


class Absence(models.Model):
    """Maternity leave or a long absence: maternity counts as working time for titles
    (Decree 152/2025 Điều 4(5)); 3–<6 months absent caps the rating below HTT."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="absences"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AbsenceKind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["person_id", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="absence_valid")
        ]

    def __str__(self):
        return f"{self.person}: {self.get_kind_display()}"


class Attestation(models.Model):
    """A judgement on a qualitative criterion ("tự lực, tự cường, đoàn kết…", "tiêu biểu xuất
    sắc"): criterion `criterion` of award `award_code` for a person, a unit or a household
    for achievement
    `year` was attested or refused by the competent council or leader on `decided_on`,
    resting on minutes (number, date, what they say). The eligibility engine reads it as a
    fact: the criterion is met once attested, not met once refused (docs/eligibility.md).
    Written by `records.attestations.attest` / `refuse_attestation`, audited; one per
    subject, award, criterion and year (a later judgement replaces it, the audit keeps the
    earlier one)."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attestations",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attestations",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attestations",
    )
    year = models.PositiveSmallIntegerField(_("achievement year"), validators=YEAR_VALIDATORS)
    award_code = models.CharField(_("award"), max_length=40)
    criterion = models.CharField(_("criterion"), max_length=60)
    outcome = models.CharField(_("outcome"), max_length=10, choices=AttestationOutcome.choices)
    body = models.CharField(_("attested by"), max_length=10, choices=AttestingBody.choices)
    body_name = models.CharField(_("name of the council or leader"), max_length=255)
    decided_on = models.DateField(_("decided on"))
    minutes_number = models.CharField(_("minutes number"), max_length=80)
    minutes_date = models.DateField(_("minutes date"))
    minutes_text = models.TextField(_("what the minutes say"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        ordering = ["year", "award_code", "criterion", "id"]
        constraints = [
            models.CheckConstraint(condition=ONE_OF_THREE, name="attestation_one_subject"),
            models.UniqueConstraint(
                fields=["person", "year", "award_code", "criterion"],
                condition=Q(person__isnull=False),
                name="attestation_unique_person",
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "award_code", "criterion"],
                condition=Q(unit__isnull=False),
                name="attestation_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["household", "year", "award_code", "criterion"],
                condition=Q(household__isnull=False),
                name="attestation_unique_household",
            ),
        ]
        indexes = [models.Index(fields=["year", "award_code"])]

    def __str__(self):
        return f"{self.subject} {self.year} {self.award_code}.{self.criterion}: {self.outcome}"

    @property
    def subject(self):
        return self.person or self.unit or self.household


class AwardInitiative(models.Model):
    """An initiative or research work an award relied on as a criterion: "one initiative,
    one award" (an initiative counts once for a commendation form, and one used for an
    emulation title cannot serve a form, nor the reverse; Official letter 5007/BNV-TĐKT,
    docs/legal/titles.md). Written by `records.services.link_initiatives`, which refuses a
    second use; the eligibility engine reads it."""

    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.CASCADE, related_name="initiative_links"
    )
    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="award_links",
    )

    class Meta:
        verbose_name = _("initiative relied on by an award")
        verbose_name_plural = _("initiatives relied on by awards")
        constraints = [
            models.UniqueConstraint(fields=["award", "initiative"], name="awardinitiative_unique")
        ]

    def __str__(self):
        return f"{self.award_id} ← {self.initiative_id}"
