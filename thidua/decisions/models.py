"""Award decisions (quyết định khen thưởng): an authority issues a numbered decision that
confers awards on the nominees its council passed; each recipient becomes a
`records.Award` (the history next year's eligibility reads) with a certificate serial.

An issued decision never changes: `Decision.save()` and `delete()` refuse once it is
stored, and nothing in the application edits it. A correction or an annulment is a new
decision referencing it (`refers_to`). Numbers come from `NumberCounter`, one row per
authority and year, locked in the issuing transaction (docs/adr/0005-decision-numbers.md).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from thidua.decisions.choices import DecisionKind
from thidua.nominations.models import Nominee
from thidua.org.models import Unit
from thidua.records.models import Award


class NumberCounter(models.Model):
    """The last number an authority gave its decisions in a year."""

    authority = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="numbercounter_unique")
        ]

    def __str__(self):
        return f"{self.authority_id}/{self.year}: {self.last}"


class ImmutableError(ValidationError):
    pass


class Decision(models.Model):
    authority = models.ForeignKey(
        Unit,
        verbose_name=_("issuing authority"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("decision number"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=DecisionKind.choices)
    decided_on = models.DateField(_("decision date"))
    title = models.CharField(_("about"), max_length=500)
    signer_name = models.CharField(_("signer"), max_length=120)
    signer_position = models.CharField(_("signer's position"), max_length=120)
    fund = models.CharField(_("paid from"), max_length=255, blank=True)
    refers_to = models.ForeignKey(
        "self",
        verbose_name=_("decision referred to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_by",
    )
    reason = models.TextField(_("reason"), blank=True)
    correction = models.TextField(_("what is corrected"), blank=True)
    # Recorded from before Thidua, with the number it bore (the demo's history).
    recorded = models.BooleanField(_("recorded from paper"), default=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        ordering = ["-decided_on", "-sequence", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "year", "sequence"], name="decision_number_once"
            ),
            models.CheckConstraint(
                condition=Q(kind="confer") | Q(refers_to__isnull=False),
                name="decision_change_refers",
            ),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError(_g("An issued decision cannot be changed: issue a correction."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(_g("An issued decision cannot be deleted: issue an annulment."))


class Recipient(models.Model):
    """One line of a decision's annex: who, which award, the bonus and how it was
    computed; for a conferring decision the award written into the records and the
    certificate's serial; for an annulment the money to recover."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="recipients")
    position = models.PositiveIntegerField(_("no."))
    nominee = models.ForeignKey(
        Nominee, null=True, blank=True, on_delete=models.PROTECT, related_name="decided"
    )
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="decided")
    name = models.CharField(_("name"), max_length=255)
    subject_kind = models.CharField(_("recipient kind"), max_length=20)
    award_code = models.CharField(_("award"), max_length=40)
    amount = models.PositiveBigIntegerField(_("bonus (VND)"), null=True, blank=True)
    coefficient = models.DecimalField(
        _("coefficient"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    base_salary = models.PositiveBigIntegerField(_("base salary"), null=True, blank=True)
    to_recover = models.PositiveBigIntegerField(_("money to recover (VND)"), null=True, blank=True)
    serial = models.CharField(_("certificate serial"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("decision recipient")
        verbose_name_plural = _("decision recipients")
        ordering = ["decision_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["serial"], condition=~Q(serial=""), name="recipient_serial_unique"
            ),
            models.UniqueConstraint(
                fields=["decision", "position"], name="recipient_position_unique"
            ),
        ]

    def __str__(self):
        return f"{self.decision} – {self.name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError(_g("An issued decision cannot be changed: issue a correction."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(_g("An issued decision cannot be deleted: issue an annulment."))


class PrinterOffset(models.Model):
    """Where a printer puts the text on pre-printed blanks: shift in millimetres."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("printer"), max_length=120)
    dx_mm = models.DecimalField(_("shift right (mm)"), max_digits=5, decimal_places=1, default=0)
    dy_mm = models.DecimalField(_("shift down (mm)"), max_digits=5, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("printer offset")
        verbose_name_plural = _("printer offsets")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="printeroffset_unique")
        ]

    def __str__(self):
        return self.name
