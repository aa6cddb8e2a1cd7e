"""The emulation and commendation council (hội đồng thi đua – khen thưởng): a council per
unit (the awarding level) and term, its members, its meetings with their agenda,
attendance and recusals, and the secret ballot.

The ballot keeps WHO voted apart from HOW (docs/adr/0006-ballot-secrecy.md): `Voted` says
only that a member has voted on an agenda item, with no choice and no time; the choices
exist only as the counters of `AgendaItem` (yes / no / abstain), incremented with F() in
the transaction that inserts the `Voted` row. No ballot row is ever stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thidua.council.choices import BallotMode, Function, MeetingState
from thidua.nominations.choices import CouncilOutcome
from thidua.nominations.models import Nominee
from thidua.org.models import Unit


class Council(models.Model):
    """The council of a unit (the awarding level) for a term of years."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="councils"
    )
    name = models.CharField(_("name"), max_length=255)
    term_start = models.PositiveSmallIntegerField(_("term from (year)"))
    term_end = models.PositiveSmallIntegerField(_("term to (year)"))

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["-term_start", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "term_start"], name="council_one_per_term"),
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")), name="council_term_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Member(models.Model):
    """A member of a council, linked to a user account; `unit` is the member's own unit
    (the one they work in or represent), read to detect conflicts of interest."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.PROTECT,
        related_name="council_seats",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    function = models.CharField(_("function"), max_length=20, choices=Function.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("own unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    position = models.CharField(_("position"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["council_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="member_once_per_council")
        ]

    def __str__(self):
        return self.full_name


class Meeting(models.Model):
    """A meeting of a council over the nominees of one achievement year. Its state moves
    draft → open (voting) → closed; attendance and recusals are fixed when voting opens,
    the electorate when it closes. Dates only: no time finer than the meeting's day is
    kept in any row that touches the ballot."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=255)
    year = models.PositiveSmallIntegerField(_("achievement year"))
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    mode = models.CharField(
        _("ballot"), max_length=20, choices=BallotMode.choices, default=BallotMode.ELECTRONIC
    )
    state = models.CharField(
        _("state"), max_length=20, choices=MeetingState.choices, default=MeetingState.DRAFT
    )
    member_count = models.PositiveSmallIntegerField(_("members of the council"), default=0)
    present_count = models.PositiveSmallIntegerField(_("members present"), default=0)
    counters = models.ManyToManyField(
        Member, verbose_name=_("counting committee"), blank=True, related_name="counting_in"
    )

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        ordering = ["-held_on", "id"]

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    """One nominee on a meeting's agenda, with the running tally (counts only) and, after
    the close, the electorate, the share of yes over all members and the outcome."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="council_items")
    position = models.PositiveIntegerField(_("order"), default=0)
    yes = models.PositiveIntegerField(pgettext_lazy("ballot", "Yes"), default=0)
    no = models.PositiveIntegerField(pgettext_lazy("ballot", "No"), default=0)
    abstain = models.PositiveIntegerField(pgettext_lazy("ballot", "Abstain"), default=0)
    electorate = models.PositiveIntegerField(_("entitled to vote"), null=True, blank=True)
    threshold = models.DecimalField(
        _("threshold (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=CouncilOutcome.choices, blank=True
    )
    # Paper ballots: the counting committee's two entries, as {"yes", "no", "abstain", "by"}.
    paper_first = models.JSONField(_("first count"), null=True, blank=True)
    paper_second = models.JSONField(_("second count"), null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "nominee"], name="agenda_nominee_once")
        ]

    def __str__(self):
        return str(self.nominee)


class Attendance(models.Model):
    """A member present at a meeting (absent members have no row)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.meeting_id}: {self.member_id}"


class Recusal(models.Model):
    """A member who does not vote on an agenda item: a conflict of interest detected (the
    member's own unit, or a unit under it, proposes or is the nominee) or declared."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=255)
    detected = models.BooleanField(_("detected by the system"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="recusal_once")]

    def __str__(self):
        return f"{self.item_id}: {self.member_id}"


class Voted(models.Model):
    """That a member has voted on an agenda item: no choice, no time. The unique
    constraint stops a second vote, also under concurrent attempts. At the close the rows
    are rewritten in a shuffled order with random ids (see the ADR)."""

    id = models.BigIntegerField(primary_key=True)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="voted")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="vote_once")]

    def __str__(self):
        return f"{self.item_id}: {self.member_id}"
