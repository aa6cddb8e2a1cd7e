"""What a user may see of the councils, and the rows of a meeting's page, in a fixed
number of queries whatever the agenda's size.

A council is visible to whoever may view its unit (thidua.accounts.scope) and to its own
members. During the poll nobody sees a running count: only who has voted.
"""

from django.db.models import Count, Q

from thidua.accounts import scope
from thidua.accounts.choices import Action
from thidua.awards.catalog import get_catalog
from thidua.council.choices import MeetingState
from thidua.council.models import Council, Meeting, Recusal, Voted
from thidua.org.ids import InIds
from thidua.rules.messages import VERDICT_LABELS


def visible_councils(user):
    if not user.is_authenticated:
        return Council.objects.none()
    ids = scope.unit_ids_for(user, Action.VIEW)
    qs = Council.objects.select_related("unit")
    if ids is None:
        return qs
    return qs.filter(Q(InIds("unit_id", ids)) | Q(members__user=user)).distinct()


def visible_meetings(user):
    return Meeting.objects.filter(council__in=visible_councils(user)).select_related(
        "council__unit"
    )


def award_name(code: str) -> str:
    entry = get_catalog().get(code)
    return entry.name if entry else code


def agenda_rows(meeting: Meeting) -> list[dict]:
    """One row per agenda item: the nominee's name, award name, proposing unit, frozen
    verdict, recusals, how many have voted; the counts and outcome only once closed."""
    items = meeting.items.select_related(
        "nominee__person", "nominee__unit", "nominee__household", "nominee__dossier__unit"
    )
    if meeting.state == MeetingState.OPEN:
        items = items.annotate(voted_count=Count("voted"))
    items = list(items)
    recusals = {}
    for r in Recusal.objects.filter(item__meeting=meeting).select_related("member"):
        recusals.setdefault(r.item_id, []).append(r)
    closed = meeting.state == MeetingState.CLOSED
    rows = []
    for item in items:
        nominee = item.nominee
        row = {
            "item": item,
            "name": str(nominee.recipient),
            "award": award_name(nominee.award_code),
            "proposer": nominee.dossier.unit.name,
            "verdict": VERDICT_LABELS.get(nominee.verdict, "—"),
            "recusals": recusals.get(item.pk, []),
            "voted": getattr(item, "voted_count", None),
        }
        if closed:
            members = meeting.member_count or 1
            row["share"] = round(item.yes * 100 / members, 1)
        rows.append(row)
    return rows


def voted_members(meeting: Meeting) -> dict[int, int]:
    """{member id: number of agenda items they have voted on} (no choice, ever)."""
    return dict(
        Voted.objects.filter(item__meeting=meeting)
        .values_list("member_id")
        .annotate(n=Count("id"))
        .values_list("member_id", "n")
    )
