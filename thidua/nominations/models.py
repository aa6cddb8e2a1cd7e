"""Award proposals (hồ sơ đề nghị khen thưởng): a round organised by a level, the dossiers
units below it address to it, the nominees each dossier proposes, and the history of
every move of a dossier.

A dossier's state changes only through the verbs of `services` (the moves are declared in
`workflow.TRANSITIONS`); its frozen eligibility is written once per submission and never
updated, only compared (see `services.eligibility`).
"""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thidua.nominations.choices import (
    LEVEL_OF_KIND,
    CouncilOutcome,
    DocumentKind,
    Level,
    RoundKind,
    Source,
    State,
    SubjectKind,
)
from thidua.org.models import Household, Person, Unit
from thidua.records.models import Initiative


class Round(models.Model):
    """A proposal round: the organising unit (the awarding level) collects dossiers for
    one achievement year and kind, until `deadline`."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="rounds"
    )
    year = models.PositiveSmallIntegerField(
        _("achievement year"), validators=[MinValueValidator(1945), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RoundKind.choices)
    name = models.CharField(_("name"), max_length=255)
    opened_on = models.DateField(_("opened on"))
    deadline = models.DateField(_("submission deadline"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("proposal round")
        verbose_name_plural = _("proposal rounds")
        ordering = ["-year", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opened_on")), name="round_deadline_after_open"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def level(self) -> str | None:
        return LEVEL_OF_KIND.get(self.unit.kind)

    @property
    def level_label(self) -> str:
        return Level(self.level).label if self.level else "—"


class Dossier(models.Model):
    """One proposing unit's list of nominees for a round, addressed to the round's unit."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="dossiers"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("proposing unit"), on_delete=models.PROTECT, related_name="dossiers"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    state_since = models.DateField(_("in this state since"))
    state_deadline = models.DateField(_("deadline of this step"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    return_fields = models.JSONField(_("fields to fix"), default=list, blank=True)
    # Frozen eligibility (written at each submission, never updated).
    frozen_at = models.DateTimeField(_("eligibility frozen at"), null=True, blank=True)
    frozen_as_of = models.DateField(_("rules in force on"), null=True, blank=True)
    frozen_rule_set = models.CharField(_("rule set"), max_length=40, blank=True)
    frozen_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    # The last comparison of the frozen eligibility with the records.
    needs_recheck = models.BooleanField(_("needs re-checking"), default=False)
    checked_at = models.DateTimeField(_("last compared at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal dossier")
        verbose_name_plural = _("proposal dossiers")
        ordering = ["round_id", "unit__sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="dossier_one_per_unit_round")
        ]

    def __str__(self):
        return f"{self.round} – {self.unit}"

    def is_overdue(self, today: datetime.date) -> bool:
        return self.state_deadline is not None and self.state_deadline < today


class Nominee(models.Model):
    """A person, a collective or a household proposed for an award, with the achievement it rewards.

    `frozen` holds the verdict, the criteria and the facts they read, as evaluated when
    the dossier was submitted; `frozen_hash` is the SHA-256 of its canonical JSON."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="nominees"
    )
    subject_kind = models.CharField(_("recipient kind"), max_length=20, choices=SubjectKind.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    award_code = models.CharField(_("award"), max_length=40)
    period_start = models.DateField(_("achievement period start"))
    period_end = models.DateField(_("achievement period end"))
    summary = models.TextField(_("achievement summary"), blank=True)
    initiatives = models.ManyToManyField(
        Initiative, verbose_name=_("initiatives relied on"), blank=True, related_name="nominees"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    frozen = models.JSONField(_("frozen eligibility"), null=True, blank=True)
    frozen_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    # The frozen verdict again, as a column: lists show it without reading `frozen`.
    verdict = models.CharField(_("verdict at submission"), max_length=20, blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    # Written by the council's tally (issue 9); read by decisions.
    council_outcome = models.CharField(
        _("council outcome"), max_length=20, choices=CouncilOutcome.choices, blank=True
    )
    council_outcome_at = models.DateTimeField(_("council outcome at"), null=True, blank=True)

    class Meta:
        verbose_name = _("nominee")
        verbose_name_plural = _("nominees")
        ordering = ["dossier_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    subject_kind="individual",
                    person__isnull=False,
                    unit__isnull=True,
                    household__isnull=True,
                )
                | Q(
                    subject_kind="collective",
                    person__isnull=True,
                    unit__isnull=False,
                    household__isnull=True,
                )
                | Q(
                    subject_kind="household",
                    person__isnull=True,
                    unit__isnull=True,
                    household__isnull=False,
                ),
                name="nominee_one_recipient",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="nominee_period_valid",
            ),
            models.UniqueConstraint(
                fields=["dossier", "person", "award_code"],
                condition=Q(person__isnull=False),
                name="nominee_person_award_once",
            ),
            models.UniqueConstraint(
                fields=["dossier", "unit", "award_code"],
                condition=Q(unit__isnull=False),
                name="nominee_unit_award_once",
            ),
            models.UniqueConstraint(
                fields=["dossier", "household", "award_code"],
                condition=Q(household__isnull=False),
                name="nominee_household_award_once",
            ),
        ]

    def __str__(self):
        return f"{self.award_code} – {self.person or self.unit}"

    @property
    def recipient(self):
        return self.person or self.unit or self.household

    @property
    def subject_id(self) -> int:
        return self.person_id or self.unit_id or self.household_id


class Transition(models.Model):
    """One move of a dossier: who, when, from which state to which, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="transitions")
    verb = models.CharField(_("action"), max_length=20)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("by"), max_length=150)
    at = models.DateTimeField(_("at"))
    on = models.DateField(_("on"))
    reason = models.TextField(_("reason"), blank=True)
    fields = models.JSONField(_("fields to fix"), default=list, blank=True)

    class Meta:
        verbose_name = _("dossier transition")
        verbose_name_plural = _("dossier transitions")
        ordering = ["dossier_id", "at", "id"]

    def __str__(self):
        return f"{self.dossier_id}: {self.from_state} → {self.to_state}"


def document_path(instance: "Document", filename: str) -> str:
    """`nominations/<dossier id>/<uuid>.<ext>` under MEDIA_ROOT (the data dir): the user's
    file name is kept in the row only, never in the path."""
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"nominations/{instance.dossier_id}/{uuid.uuid4().hex}.{ext}"


class Document(models.Model):
    """A file uploaded to a dossier (for one nominee, or the whole dossier), through
    `services.attach_document`; stored under the data dir, never in the database, served
    only by a view that checks the user may see the dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    nominee = models.ForeignKey(
        Nominee, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")
        ordering = ["dossier_id", "kind", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class Publication(models.Model):
    """A dossier's nominee list published on the portal for public comment (công khai):
    the period, and the list as published (`content`) with its SHA-256 (`list_hash`), kept
    as proof. Written by the `publish` move, never updated."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="publications"
    )
    starts_on = models.DateField(_("comment from"))
    ends_on = models.DateField(_("comment until"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.JSONField(_("list as published"))
    list_hash = models.CharField(_("hash of the published list"), max_length=64)

    class Meta:
        verbose_name = _("publication for comment")
        verbose_name_plural = _("publications for comment")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="publication_period_valid"
            )
        ]

    def __str__(self):
        return f"{self.dossier} ({self.starts_on}–{self.ends_on})"

    def is_open(self, today: datetime.date) -> bool:
        return self.starts_on <= today <= self.ends_on


class Comment(models.Model):
    """A public comment on a published nominee: anyone may write one (name and contact
    optional); hidden from the public until an officer of the receiving unit approves it.
    An objection needs a recorded outcome before the dossier may go to the council."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        HIDDEN = "hidden", _("Hidden")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Upheld: the nominee is withdrawn")
        DISMISSED = "dismissed", _("Dismissed")

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="comments")
    nominee = models.ForeignKey(
        Nominee, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    # The nominee as published (kept when an upheld objection withdraws the nominee).
    nominee_label = models.CharField(_("nominee"), max_length=400)
    author_name = models.CharField(_("name"), max_length=150, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    text = models.TextField(_("comment"))
    is_objection = models.BooleanField(_("objection"), default=False)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), db_index=True)
    status = models.CharField(
        _("moderation"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reason of the outcome"), blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_on = models.DateField(_("outcome recorded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")
        ordering = ["publication_id", "created_at", "id"]
        indexes = [models.Index(fields=["client_address", "created_at"])]

    def __str__(self):
        return f"{self.nominee_label}: {self.text[:40]}"

    @property
    def awaits_outcome(self) -> bool:
        return self.is_objection and self.status != self.Status.HIDDEN and not self.outcome
