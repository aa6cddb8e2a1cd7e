"""The council's verbs: set up a council and its members, prepare a meeting (agenda,
attendance, recusals), open the poll, vote in secret, enter paper counts, close the poll
with the verdict. Each takes its `actor`, checks it, writes in one transaction and audits;
a refused attempt changes nothing and is audited on its own (`council.*.refused`).

The ballot's secrecy (docs/adr/0006-ballot-secrecy.md): a vote inserts a `Voted` row (who,
no choice, no time) and increments one counter of the agenda item with F(), in one
transaction; no row ever holds a member's choice, and the audit says only "voted".
"""

import logging
import random
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.audit.services import log
from thidua.council.choices import BallotMode, Choice, MeetingState
from thidua.council.models import (
    AgendaItem,
    Attendance,
    Council,
    Meeting,
    Member,
    Recusal,
    Voted,
)
from thidua.nominations.choices import CouncilOutcome, State
from thidua.nominations.models import Nominee
from thidua.nominations.services.common import refuse
from thidua.org.models import Employment
from thidua.org.tree import subtree_ids


class CouncilError(ValidationError):
    """A council verb refused: the message says why, in the user's language."""


def _require_officer(council: Council, actor) -> None:
    scope.require(actor, Action.CHANGE, council.unit)


def _refuse(message: str, target, *, actor, action: str, attempt: dict | None = None):
    refuse(CouncilError(message), target, actor=actor, action=action, attempt=attempt or {})


# --- councils and members -------------------------------------------------------------


def create_council(unit, *, name: str, term_start: int, term_end: int, actor) -> Council:
    scope.require(actor, Action.CHANGE, unit)
    if term_end < term_start:
        raise CouncilError({"term_end": _("The term must end in or after the year it starts.")})
    if Council.objects.filter(unit=unit, term_start=term_start).exists():
        raise CouncilError(
            {"term_start": _("This unit already has a council for the term starting that year.")}
        )
    with transaction.atomic():
        council = Council.objects.create(
            unit=unit, name=name, term_start=term_start, term_end=term_end
        )
        log("council.council.create", council, actor=actor, after={"unit": unit.code})
    return council


def add_member(
    council: Council, *, user, full_name: str, function: str, unit=None, position: str = "", actor
) -> Member:
    _require_officer(council, actor)
    if council.meetings.exclude(state=MeetingState.DRAFT).exists():
        raise CouncilError(_("Members cannot change once a meeting of the council has voted."))
    if council.members.filter(user=user).exists():
        raise CouncilError({"user": _("This user is already a member of the council.")})
    with transaction.atomic():
        member = Member.objects.create(
            council=council,
            user=user,
            full_name=full_name,
            function=function,
            unit=unit,
            position=position,
        )
        log(
            "council.member.add",
            member,
            actor=actor,
            after={"council": council.pk, "user": user.username, "function": function},
        )
    return member


def remove_member(member: Member, *, actor) -> None:
    _require_officer(member.council, actor)
    if member.council.meetings.exclude(state=MeetingState.DRAFT).exists():
        raise CouncilError(_("Members cannot change once a meeting of the council has voted."))
    with transaction.atomic():
        log("council.member.remove", member, actor=actor, before={"user": member.user_id})
        member.delete()


# --- meetings -------------------------------------------------------------------------


def ready_nominees(council: Council, year: int):
    """Nominees of the dossiers ready for the council, addressed to the council's unit
    for `year`, not yet decided by a council."""
    return Nominee.objects.filter(
        dossier__state=State.READY_FOR_COUNCIL,
        dossier__round__unit=council.unit,
        dossier__round__year=year,
        council_outcome="",
    )


def create_meeting(
    council: Council,
    *,
    title: str,
    year: int,
    held_on,
    place: str = "",
    mode: str = BallotMode.ELECTRONIC,
    actor,
) -> Meeting:
    """A meeting in preparation, its agenda every ready nominee not on another meeting."""
    _require_officer(council, actor)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            council=council, title=title, year=year, held_on=held_on, place=place, mode=mode
        )
        refresh_agenda(meeting, actor=actor)
        log(
            "council.meeting.create",
            meeting,
            actor=actor,
            after={"year": year, "held_on": held_on.isoformat(), "mode": mode},
        )
    return meeting


def refresh_agenda(meeting: Meeting, *, actor) -> int:
    """Add to a meeting in preparation the ready nominees it does not hold yet (and that
    no other unclosed meeting holds); returns how many were added."""
    _require_officer(meeting.council, actor)
    if meeting.state != MeetingState.DRAFT:
        raise CouncilError(_("The agenda is fixed once voting has opened."))
    taken = AgendaItem.objects.exclude(meeting__state=MeetingState.CLOSED)
    nominees = (
        ready_nominees(meeting.council, meeting.year)
        .exclude(pk__in=taken.values("nominee_id"))
        .order_by("dossier__unit__sort_key", "award_code", "id")
    )
    start = meeting.items.count()
    items = [
        AgendaItem(meeting=meeting, nominee=n, position=start + i) for i, n in enumerate(nominees)
    ]
    with transaction.atomic():
        AgendaItem.objects.bulk_create(items)
    return len(items)


def set_attendance(meeting: Meeting, present: list[Member], *, actor) -> None:
    """Record who is present (replacing the earlier record), before voting opens."""
    _require_officer(meeting.council, actor)
    if meeting.state != MeetingState.DRAFT:
        _refuse(
            _("Attendance is fixed once voting has opened."),
            meeting,
            actor=actor,
            action="council.attendance.refused",
        )
    members = {m.pk for m in meeting.council.members.all()}
    if any(m.pk not in members for m in present):
        raise CouncilError({"present": _("Only members of the council can be present.")})
    with transaction.atomic():
        meeting.attendance.all().delete()
        Attendance.objects.bulk_create(Attendance(meeting=meeting, member=m) for m in present)
        meeting.present_count = len(present)
        meeting.member_count = len(members)
        meeting.save(update_fields=["present_count", "member_count"])
        log(
            "council.attendance.set",
            meeting,
            actor=actor,
            after={"present": sorted(m.pk for m in present)},
        )


def set_counters(meeting: Meeting, counters: list[Member], *, actor) -> None:
    """Name the counting committee (ban kiểm phiếu) of a paper ballot."""
    _require_officer(meeting.council, actor)
    with transaction.atomic():
        meeting.counters.set(counters)
        log(
            "council.counters.set",
            meeting,
            actor=actor,
            after={"counters": sorted(m.pk for m in counters)},
        )


def quorum(meeting: Meeting) -> tuple[int, int, bool]:
    """(present, members, met): the quorum of a meeting that considers titles and forms,
    a provincial rule kept as THIDUA_COUNCIL_QUORUM_PERCENT (default 80 %)."""
    members = meeting.council.members.count()
    present = meeting.attendance.count()
    percent = settings.THIDUA_COUNCIL_QUORUM_PERCENT
    return present, members, members > 0 and present * 100 >= percent * members


def conflicts(meeting: Meeting) -> dict[tuple[int, int], str]:
    """{(item id, member id): reason} for every member whose own unit, or a unit under
    it, proposes an item's nominee or is the nominee (a collective, or a person's unit)."""
    found = {}
    members = [m for m in meeting.council.members.select_related("unit") if m.unit_id]
    if not members:
        return found
    items = list(meeting.items.select_related("nominee__dossier__unit", "nominee__unit"))
    person_units = {}
    for person_id, unit_id in Employment.objects.filter(
        person_id__in={i.nominee.person_id for i in items if i.nominee.person_id}
    ).values_list("person_id", "unit_id"):
        person_units.setdefault(person_id, set()).add(unit_id)
    for member in members:
        inside = subtree_ids([member.unit_id])
        for item in items:
            nominee = item.nominee
            if nominee.dossier.unit_id in inside:
                reason = _("own unit %(unit)s proposes") % {"unit": nominee.dossier.unit.name}
            elif nominee.unit_id in inside or person_units.get(nominee.person_id, set()) & inside:
                reason = _("the nominee belongs to own unit %(unit)s") % {"unit": member.unit.name}
            else:
                continue
            found[(item.pk, member.pk)] = reason
    return found


def recuse(meeting: Meeting, member: Member, item: AgendaItem, *, reason: str, actor) -> Recusal:
    """Record that `member` does not vote on `item` (declared; detected conflicts are
    recorded when voting opens)."""
    _require_officer(meeting.council, actor)
    if meeting.state != MeetingState.DRAFT:
        _refuse(
            _("Recusals are fixed once voting has opened."),
            meeting,
            actor=actor,
            action="council.recusal.refused",
        )
    if not reason.strip():
        raise CouncilError({"reason": _("Give the reason for the recusal.")})
    with transaction.atomic():
        recusal, _created = Recusal.objects.update_or_create(
            item=item, member=member, defaults={"reason": reason.strip()}
        )
        log(
            "council.recusal.record",
            meeting,
            actor=actor,
            after={"member": member.pk, "item": item.pk, "reason": reason.strip()},
        )
    return recusal


def open_voting(meeting: Meeting, *, actor) -> None:
    """Open the poll: the agenda must not be empty and the quorum met; attendance and
    recusals are fixed, detected conflicts recorded as recusals."""
    _require_officer(meeting.council, actor)
    meeting = Meeting.objects.get(pk=meeting.pk)
    if meeting.state != MeetingState.DRAFT:
        _refuse(
            _("Voting has already been opened for this meeting."),
            meeting,
            actor=actor,
            action="council.meeting.refused",
        )
    if not meeting.items.exists():
        _refuse(
            _("The agenda is empty: no nominee is ready for the council."),
            meeting,
            actor=actor,
            action="council.meeting.refused",
        )
    present, members, met = quorum(meeting)
    if not met:
        _refuse(
            _(
                "Quorum not reached: %(present)s of %(members)s members present, "
                "%(percent)s%% required."
            )
            % {
                "present": present,
                "members": members,
                "percent": settings.THIDUA_COUNCIL_QUORUM_PERCENT,
            },
            meeting,
            actor=actor,
            action="council.meeting.refused",
        )
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.state != MeetingState.DRAFT:
            raise CouncilError(_("Voting has already been opened for this meeting."))
        existing = set(
            Recusal.objects.filter(item__meeting=meeting).values_list("item_id", "member_id")
        )
        Recusal.objects.bulk_create(
            Recusal(item_id=i, member_id=m, reason=reason, detected=True)
            for (i, m), reason in conflicts(meeting).items()
            if (i, m) not in existing
        )
        meeting.state = MeetingState.OPEN
        meeting.present_count, meeting.member_count = present, members
        meeting.save(update_fields=["state", "present_count", "member_count"])
        log(
            "council.meeting.open",
            meeting,
            actor=actor,
            after={"present": present, "members": members},
        )


# --- the ballot -----------------------------------------------------------------------


def entitled_items(meeting: Meeting, member: Member | None):
    """The agenda items `member` may vote on: present, not recused (none if absent)."""
    if member is None or not meeting.attendance.filter(member=member).exists():
        return meeting.items.none()
    return meeting.items.exclude(recusals__member=member)


def seat(meeting: Meeting, user) -> Member | None:
    if not user.is_authenticated:
        return None
    return meeting.council.members.filter(user=user).first()


def cast_votes(meeting: Meeting, choices: dict[int, str], *, actor) -> int:
    """Cast `actor`'s secret votes {agenda item id: yes/no/abstain}, all or none. Each
    vote inserts a `Voted` row (who, no choice) and increments one counter of the item,
    in one transaction; the unique constraint on `Voted` refuses a second vote, also
    under concurrent attempts. Returns the number of votes cast."""
    attempt = {"items": sorted(choices)}  # which items, never how
    refused = "council.vote.refused"
    meeting = Meeting.objects.select_related("council").get(pk=meeting.pk)
    member = seat(meeting, actor)
    if member is None:
        _refuse(
            _("You are not a member of this council and cannot vote."),
            meeting,
            actor=actor,
            action=refused,
            attempt=attempt,
        )
    if meeting.mode != BallotMode.ELECTRONIC:
        _refuse(
            _("This meeting votes on paper; the counting committee enters the counts."),
            meeting,
            actor=actor,
            action=refused,
            attempt=attempt,
        )
    if meeting.state == MeetingState.DRAFT:
        _refuse(
            _("Voting has not opened yet (the quorum is checked first)."),
            meeting,
            actor=actor,
            action=refused,
            attempt=attempt,
        )
    if meeting.state == MeetingState.CLOSED:
        _refuse(
            _("Voting is closed for this meeting."),
            meeting,
            actor=actor,
            action=refused,
            attempt=attempt,
        )
    if not choices:
        raise CouncilError(_("Choose yes, no or abstain for at least one nominee."))
    if any(c not in Choice.values for c in choices.values()):
        raise CouncilError(_("A vote must be yes, no or abstain."))
    entitled = set(entitled_items(meeting, member).values_list("pk", flat=True))
    for item_id in choices:
        if item_id not in entitled:
            recused = Recusal.objects.filter(item_id=item_id, member=member).exists()
            message = (
                _("You have recused yourself from this nominee and cannot vote on it.")
                if recused
                else _(
                    "You are not entitled to vote on this nominee (absent, or not on the agenda)."
                )
            )
            _refuse(message, meeting, actor=actor, action=refused, attempt=attempt)
    try:
        with transaction.atomic():
            # Lock the meeting row: a close cannot interleave with a vote.
            state = (
                Meeting.objects.select_for_update()
                .values_list("state", flat=True)
                .get(pk=meeting.pk)
            )
            if state != MeetingState.OPEN:
                raise CouncilError(_("Voting is closed for this meeting."))
            # Insert every "has voted" row first; a second vote fails here, before any
            # counter moves.
            Voted.objects.bulk_create(
                Voted(id=_random_id(), item_id=item_id, member=member) for item_id in choices
            )
            for item_id, choice in choices.items():
                AgendaItem.objects.filter(pk=item_id).update(**{choice: F(choice) + 1})
            log(
                "council.vote.cast",
                meeting,
                actor=actor,
                message=_("Voted in meeting %(meeting)s") % {"meeting": meeting.pk},
            )
    except IntegrityError:
        _refuse(
            _("You have already voted on this nominee; a vote cannot be changed."),
            meeting,
            actor=actor,
            action=refused,
            attempt=attempt,
        )
    except CouncilError as exc:
        refuse(exc, meeting, actor=actor, action=refused, attempt=attempt)
    return len(choices)


def _random_id() -> int:
    return secrets.randbelow(2**62) + 1


def enter_paper_count(item: AgendaItem, *, yes: int, no: int, abstain: int, actor) -> str:
    """One of the counting committee's two entries of an item's paper count; returns
    "first" or "second". The second must come from another member of the committee; a
    mismatch is kept and blocks the close until an entry is corrected."""
    meeting = Meeting.objects.select_related("council").get(pk=item.meeting_id)
    refused = "council.paper.refused"
    member = seat(meeting, actor)
    if member is None or not meeting.counters.filter(pk=member.pk).exists():
        _refuse(
            _("Only the counting committee enters paper counts."),
            meeting,
            actor=actor,
            action=refused,
        )
    if meeting.mode != BallotMode.PAPER or meeting.state != MeetingState.OPEN:
        _refuse(
            _("Paper counts are entered for an open paper ballot only."),
            meeting,
            actor=actor,
            action=refused,
        )
    counts = {"yes": yes, "no": no, "abstain": abstain}
    if any(v < 0 for v in counts.values()):
        raise CouncilError({"yes": _("Counts cannot be negative.")})
    if yes + no + abstain > meeting.present_count:
        raise CouncilError(
            _("%(total)s ballots counted but only %(present)s members were present.")
            % {"total": yes + no + abstain, "present": meeting.present_count}
        )
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if item.paper_first is None or item.paper_first.get("by") == member.pk:
            which, item.paper_first = "first", {**counts, "by": member.pk}
        else:
            which, item.paper_second = "second", {**counts, "by": member.pk}
        item.save(update_fields=["paper_first", "paper_second"])
        log("council.paper.enter", meeting, actor=actor, after={"item": item.pk, "entry": which})
    return which


def paper_mismatches(meeting: Meeting) -> list[AgendaItem]:
    """Items whose two entries are missing or differ."""
    keys = ("yes", "no", "abstain")
    bad = []
    for item in meeting.items.select_related("nominee"):
        a, b = item.paper_first, item.paper_second
        if a is None or b is None or any(a[k] != b[k] for k in keys):
            bad.append(item)
    return bad


# --- the verdict ----------------------------------------------------------------------


def threshold_for(award_code: str, rule_set: str = "") -> tuple[Decimal, bool]:
    """(percent, at_least) for an award: the configured threshold ("at least" that share
    of all members), else the simple majority ("more than" the default share)."""
    table = settings.THIDUA_COUNCIL_THRESHOLDS
    for key in (f"{rule_set}:{award_code}", award_code):
        if key in table:
            return Decimal(str(table[key])), True
    return Decimal(settings.THIDUA_COUNCIL_DEFAULT_THRESHOLD), False


def passes(yes: int, members: int, percent: Decimal, at_least: bool) -> bool:
    """Yes over ALL members of the council (absent and recused members, abstentions and
    noes all count against). Exact integer arithmetic, no float rounding."""
    if members <= 0:
        return False
    left, right = Decimal(yes) * 100, percent * members
    return left >= right if at_least else left > right


def close_voting(meeting: Meeting, *, actor, now=None) -> None:
    """Close the poll: the electorate of each item is frozen, the verdict computed, each
    nominee's `council_outcome` written — all in one transaction. A paper ballot needs its
    two matching entries per item. The "has voted" rows are rewritten in a shuffled order
    with new random ids, so neither ids nor insertion order keep the order of voting."""
    _require_officer(meeting.council, actor)
    refused = "council.meeting.refused"
    now = now or timezone.now()
    meeting = Meeting.objects.select_related("council").get(pk=meeting.pk)
    if meeting.state != MeetingState.OPEN:
        _refuse(
            _("Only a meeting whose voting is open can be closed."),
            meeting,
            actor=actor,
            action=refused,
        )
    if meeting.mode == BallotMode.PAPER:
        bad = paper_mismatches(meeting)
        if bad:
            _refuse(
                _(
                    "The two paper counts are missing or differ for %(count)s nominee(s), "
                    "first %(name)s: the result is blocked."
                )
                % {"count": len(bad), "name": bad[0].nominee.recipient},
                meeting,
                actor=actor,
                action=refused,
            )
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)
        if meeting.state != MeetingState.OPEN:
            raise CouncilError(_("Only a meeting whose voting is open can be closed."))
        _tally(meeting, now)
        voted = list(
            Voted.objects.filter(item__meeting=meeting).values_list("item_id", "member_id")
        )
        Voted.objects.filter(item__meeting=meeting).delete()
        random.SystemRandom().shuffle(voted)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {Voted._meta.db_table} (id, item_id, member_id) VALUES (%s, %s, %s)",
                [(_random_id(), i, m) for i, m in voted],
            )
        meeting.state = MeetingState.CLOSED
        meeting.save(update_fields=["state"])
        log("council.meeting.close", meeting, actor=actor, after={"items": meeting.items.count()})
    if settings.THIDUA_COUNCIL_VACUUM_AFTER_CLOSE:
        transaction.on_commit(_vacuum)


def _tally(meeting: Meeting, now) -> None:
    members = meeting.member_count
    items = list(meeting.items.select_related("nominee__dossier"))
    present = set(meeting.attendance.values_list("member_id", flat=True))
    recused = {}
    for item_id, member_id in Recusal.objects.filter(item__meeting=meeting).values_list(
        "item_id", "member_id"
    ):
        recused.setdefault(item_id, set()).add(member_id)
    passed, failed = [], []
    for item in items:
        if meeting.mode == BallotMode.PAPER:
            item.yes, item.no, item.abstain = (
                item.paper_first["yes"],
                item.paper_first["no"],
                item.paper_first["abstain"],
            )
        item.electorate = len(present - recused.get(item.pk, set()))
        percent, at_least = threshold_for(
            item.nominee.award_code, item.nominee.dossier.frozen_rule_set
        )
        item.threshold = percent
        ok = passes(item.yes, members, percent, at_least)
        item.outcome = CouncilOutcome.PASSED if ok else CouncilOutcome.NOT_PASSED
        (passed if ok else failed).append(item.nominee_id)
    # One UPDATE per distinct result (a handful), not a CASE over every item.
    groups = {}
    for item in items:
        key = (item.yes, item.no, item.abstain, item.electorate, item.threshold, item.outcome)
        groups.setdefault(key, []).append(item.pk)
    for (yes, no, abstain, electorate, threshold, outcome), pks in groups.items():
        AgendaItem.objects.filter(pk__in=pks).update(
            yes=yes, no=no, abstain=abstain, electorate=electorate, threshold=threshold,
            outcome=outcome,
        )  # fmt: skip
    Nominee.objects.filter(pk__in=passed).update(
        council_outcome=CouncilOutcome.PASSED, council_outcome_at=now
    )
    Nominee.objects.filter(pk__in=failed).update(
        council_outcome=CouncilOutcome.NOT_PASSED, council_outcome_at=now
    )


def _vacuum() -> None:
    """Clear what the database keeps of earlier row versions (PostgreSQL's dead tuples of
    the counters and the "has voted" rows; SQLite's WAL frames and free pages)."""
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"VACUUM {AgendaItem._meta.db_table}, {Voted._meta.db_table}")
            elif connection.vendor == "sqlite":
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception:  # best effort; the ADR says what remains
        logging.getLogger(__name__).warning("council: vacuum after close failed", exc_info=True)


def may_manage(user, council: Council) -> bool:
    return scope.can(user, Action.CHANGE, council.unit)


def require_manage(user, council: Council) -> None:
    if not may_manage(user, council):
        raise PermissionDenied(_("Only officers of the council's unit may do this."))
