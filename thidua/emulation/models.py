"""Emulation work of a year: movements, blocks and clusters of peer units, registrations,
covenants with their criteria, scores, and the leading units.

Every change goes through a verb of `thidua.emulation.services`, which checks the scope,
writes in one transaction and audits. Rankings are never stored: they are computed from
the scores by `thidua.emulation.ranking`; what is stored is the result a block meeting
records from them (`BlockLead`), which the eligibility engine reads.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thidua.emulation.choices import (
    DEFAULT_TIE_BREAKS,
    BlockKind,
    BlockRoleKind,
    CovenantStatus,
    GroupKind,
    MovementKind,
    ReviewKind,
    ScoreKind,
    ScoringMethod,
)
from thidua.org.models import Person, Unit

YEAR_VALIDATORS = [MinValueValidator(1945), MaxValueValidator(2100)]


def _tie_breaks_default():
    return list(DEFAULT_TIE_BREAKS)


class Movement(models.Model):
    """An emulation movement (phong trào thi đua) launched by a unit's decision, with its
    content (Law 06/2022 Điều 16–18): goals, scope, subjects, criteria, period.

    `year` is the emulation year of a regular movement, the launch year of a thematic one.
    Registrations of titles are made against a movement, by `registration_deadline`.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=MovementKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    launched_by = models.ForeignKey(
        Unit,
        verbose_name=_("launched by"),
        on_delete=models.PROTECT,
        related_name="movements_launched",
    )
    decision_number = models.CharField(_("launching decision number"), max_length=80)
    decision_date = models.DateField(_("launching decision date"))
    signer = models.CharField(_("signer"), max_length=120, blank=True)
    scope = models.TextField(_("scope"), blank=True)
    subjects = models.TextField(_("target subjects"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    criteria = models.TextField(_("content and criteria"), blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    registration_deadline = models.DateField(_("registration deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("emulation movement")
        verbose_name_plural = _("emulation movements")
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="movement_period_valid"
            )
        ]

    def __str__(self):
        return self.name


class MovementReview(models.Model):
    """An interim (sơ kết) or final (tổng kết) review of a movement, on a date."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("kind"), max_length=10, choices=ReviewKind.choices)
    held_on = models.DateField(_("held on"))
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("movement review")
        verbose_name_plural = _("movement reviews")
        ordering = ["movement_id", "held_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"


def attachment_path(instance: "MovementAttachment", filename: str) -> str:
    """Where an attachment is stored: `emulation/<movement id>/<uuid>.<ext>` under
    MEDIA_ROOT. The user's file name is kept in the row only (`original_name`), never in
    the path, so that no name a user types reaches the file system."""
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"emulation/{instance.movement_id}/{uuid.uuid4().hex}.{ext}"


class MovementAttachment(models.Model):
    """A file attached to a movement (the launching decision, a plan, a review report, a
    photo), uploaded by an officer of the launching unit through
    `services.attach_to_movement`. It is not served by URL: the download view checks that
    the user may see the movement and sends it under its original name."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("movement attachment")
        verbose_name_plural = _("movement attachments")
        ordering = ["movement_id", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class Block(models.Model):
    """An emulation block or cluster (khối, cụm thi đua) for one year, organised by a
    unit's emulation council (Law 06/2022 Điều 16(2)(c)).

    The same `code` over the years is the same block, which is how the rotation of its
    leader is suggested from past years.
    """

    code = models.CharField(_("code"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    kind = models.CharField(
        _("kind"), max_length=10, choices=BlockKind.choices, default=BlockKind.BLOCK
    )
    name = models.CharField(_("name"), max_length=255)
    organiser = models.ForeignKey(
        Unit,
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="blocks_organised",
    )
    movement = models.ForeignKey(
        Movement,
        verbose_name=_("movement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="blocks",
    )
    decision_number = models.CharField(_("decision number"), max_length=80, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)

    class Meta:
        verbose_name = _("emulation block")
        verbose_name_plural = _("emulation blocks")
        ordering = ["-year", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="block_code_year")]

    def __str__(self):
        return f"{self.name} ({self.year})"


class BlockMembership(models.Model):
    """A unit is a member of a block from `joined_on` to `left_on` (exclusive; None: to
    the end of the year). A member merged away mid-year leaves on the merger date and its
    successor joins that day (`services.follow_reorganisation`)."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="block_memberships"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("block membership")
        verbose_name_plural = _("block memberships")
        ordering = ["block_id", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["block", "unit", "joined_on"], name="blockmembership_unique"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=F("joined_on")),
                name="blockmembership_period_valid",
            ),
        ]
        indexes = [models.Index(fields=["unit", "block"])]

    def __str__(self):
        return f"{self.unit} ∈ {self.block}"


class BlockRole(models.Model):
    """The block leader (trưởng khối) or a deputy (phó trưởng khối), named by a decision."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="roles")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=10, choices=BlockRoleKind.choices)
    decision_number = models.CharField(_("decision number"), max_length=80)
    decision_date = models.DateField(_("decision date"))

    class Meta:
        verbose_name = _("block leader or deputy")
        verbose_name_plural = _("block leaders and deputies")
        ordering = ["block_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["block", "unit"], name="blockrole_one_per_unit"),
            models.UniqueConstraint(
                fields=["block"], condition=Q(role="leader"), name="blockrole_one_leader"
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.unit}"


class Covenant(models.Model):
    """The emulation covenant (giao ước thi đua) of a block for its year: the criteria
    tree, the scoring method, the declared tie-break rules and the scoring deadline.

    The status moves only along `choices.COVENANT_TRANSITIONS`; scores can be written
    while it is open and the deadline has not passed.
    """

    block = models.OneToOneField(Block, on_delete=models.CASCADE, related_name="covenant")
    title = models.CharField(_("title"), max_length=255)
    number = models.CharField(_("number"), max_length=80, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    signing_date = models.DateField(_("signing date"), null=True, blank=True)
    method = models.CharField(
        _("scoring method"),
        max_length=15,
        choices=ScoringMethod.choices,
        default=ScoringMethod.CROSS,
    )
    trim_extremes = models.BooleanField(
        _("drop the highest and lowest cross-score"),
        default=False,
        help_text=_("Applied per criterion when at least four members scored it."),
    )
    tie_breaks = models.JSONField(_("tie-break rules"), default=_tie_breaks_default)
    scoring_deadline = models.DateField(_("scoring deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=CovenantStatus.choices, default=CovenantStatus.DRAFT
    )
    published_on = models.DateField(_("results published on"), null=True, blank=True)

    class Meta:
        verbose_name = _("emulation covenant")
        verbose_name_plural = _("emulation covenants")

    def __str__(self):
        return self.title

    def is_locked(self, today) -> bool:
        """Scores can no longer be written: locked, published, or past the deadline."""
        return self.status != CovenantStatus.OPEN or today > self.scoring_deadline


class CriterionGroup(models.Model):
    """A group of criteria (e.g. "Thực hiện nhiệm vụ chính trị"). `cap` limits the
    group's total: for a bonus group the most it adds, for a penalty group the most it
    deducts, for a criteria group (optional) the most it counts."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="groups")
    position = models.PositiveSmallIntegerField(pgettext_lazy("display order", "position"))
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=GroupKind.choices)
    cap = models.DecimalField(_("cap"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("criteria group")
        verbose_name_plural = _("criteria groups")
        ordering = ["covenant_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "code"], name="criteriongroup_code")
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Criterion(models.Model):
    """A criterion with its maximum points and scoring guidance. A penalty item's points
    run from −`max_points` to 0, any other item's from 0 to `max_points`."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="criteria")
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(pgettext_lazy("display order", "position"))
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=500)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    guidance = models.TextField(_("scoring guidance"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["covenant_id", "group__position", "position"]
        constraints = [models.UniqueConstraint(fields=["covenant", "code"], name="criterion_code")]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Signature(models.Model):
    """A member unit signed the covenant: who signed for it, when, and which user
    recorded it."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="signatures")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("signed by"), max_length=120)
    signer_position = models.CharField(_("position"), max_length=120, blank=True)
    signed_on = models.DateField(_("signed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("covenant signature")
        verbose_name_plural = _("covenant signatures")
        ordering = ["covenant_id", "signed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "unit"], name="signature_one_per_unit")
        ]

    def __str__(self):
        return f"{self.unit} – {self.signer_name}"


class Score(models.Model):
    """Points that `scorer` gives `target` on one criterion: its self-score (scorer is the
    target), a cross-score (scorer is another member) or the leader's review."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    target = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    scorer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=ScoreKind.choices)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    evidence = models.TextField(_("evidence"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "target", "scorer", "kind"], name="score_unique"
            ),
            # Never one's own unit in cross-scoring or review; always in a self-score.
            models.CheckConstraint(
                condition=(Q(kind="self") & Q(scorer=F("target")))
                | (~Q(kind="self") & ~Q(scorer=F("target"))),
                name="score_self_iff_own_unit",
            ),
        ]
        indexes = [
            # Recounting the tallies of a sheet's cells (`services.save_scores`).
            models.Index(fields=["covenant", "target", "kind", "criterion"], name="score_cell"),
            models.Index(fields=["covenant", "scorer", "target"], name="score_sheet"),
        ]

    def __str__(self):
        return f"{self.scorer_id}→{self.target_id} {self.criterion_id}: {self.points}"


class ScoreTally(models.Model):
    """What one member received on one criterion, summed up: the count, sum, lowest and
    highest of the cross-scores, the count and sum of the leader's reviews, and its
    self-score. The ranking reads these (a province-sized year has 1.5 million scores
    but 60,000 tallies), in hundredths of a point: exact integers, read without decimal
    conversion.

    Derived from `Score`, never entered: `services.save_scores` recounts the cells it
    touched in the transaction that writes the scores, under the covenant's row lock;
    `services.rebuild_tallies` recounts a whole covenant.
    """

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="tallies")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    peer_count = models.PositiveIntegerField(default=0)
    peer_sum = models.BigIntegerField(default=0)
    peer_min = models.IntegerField(default=0)
    peer_max = models.IntegerField(default=0)
    review_count = models.PositiveIntegerField(default=0)
    review_sum = models.BigIntegerField(default=0)
    self_points = models.IntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("score tally")
        verbose_name_plural = _("score tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "target", "criterion"], name="scoretally_unique"
            )
        ]

    def __str__(self):
        return f"{self.target_id} {self.criterion_id}: {self.peer_count}"

    # The fields a tally is made of, in the order the ranking reads them.
    COUNTS = (
        "peer_count",
        "peer_sum",
        "peer_min",
        "peer_max",
        "review_count",
        "review_sum",
        "self_points",
    )


class Registration(models.Model):
    """A unit, or a person through their unit, registers a title it aims for in a
    movement (đăng ký thi đua). Whether a title without registration is refused is the
    eligibility engine's deployment setting; this only records the registration."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="registrations")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="registrations"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    award_code = models.CharField(pgettext_lazy("emulation title", "title"), max_length=40)
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["movement_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["movement", "unit", "award_code"],
                condition=Q(person__isnull=True),
                name="registration_unit_unique",
            ),
            models.UniqueConstraint(
                fields=["movement", "person", "award_code"],
                condition=Q(person__isnull=False),
                name="registration_person_unique",
            ),
        ]

    def __str__(self):
        return f"{self.person or self.unit}: {self.award_code}"

    @property
    def subject(self):
        return self.person or self.unit


class BlockLead(models.Model):
    """A unit leads its block for the year (đơn vị dẫn đầu khối): recorded when the
    results are published, from the computed ranking (`rank` 1; several units when tied
    after every declared tie-break rule)."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="leads")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="block_leads"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.DecimalField(_("final score"), max_digits=8, decimal_places=2)
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("leading unit")
        verbose_name_plural = _("leading units")
        ordering = ["block_id", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["block", "unit"], name="blocklead_unique")]

    def __str__(self):
        return f"{self.unit} – {self.block}"
