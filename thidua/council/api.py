"""The council's API (read-only): meetings the caller may see, and a meeting's agenda —
during the poll only how many have voted on each nominee, the counts and outcome only
after the close. Votes are cast through the pages (the ballot form)."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from thidua.council import selectors
from thidua.council.choices import MeetingState

router = Router(tags=["council"])


class MeetingOut(Schema):
    id: int
    title: str
    council: str
    year: int
    held_on: str
    state: str


class ItemOut(Schema):
    nominee_id: int
    name: str
    award: str
    proposing_unit: str
    voted: int | None = None
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    outcome: str | None = None


def _meeting_out(m) -> dict:
    return {"id": m.pk, "title": m.title, "council": m.council.name, "year": m.year,
            "held_on": m.held_on.strftime("%d/%m/%Y"), "state": m.state}  # fmt: skip


@router.get("/meetings/", response=list[MeetingOut], summary="Meetings the caller may see")
def meetings(request):
    return [_meeting_out(m) for m in selectors.visible_meetings(request.user).order_by("-held_on")]


@router.get("/meetings/{meeting_id}/agenda/", response=list[ItemOut], summary="A meeting's agenda")
def agenda(request, meeting_id: int):
    meeting = get_object_or_404(selectors.visible_meetings(request.user), pk=meeting_id)
    closed = meeting.state == MeetingState.CLOSED
    out = []
    for row in selectors.agenda_rows(meeting):
        item = row["item"]
        data = {"nominee_id": item.nominee_id, "name": row["name"], "award": row["award"],
                "proposing_unit": row["proposer"], "voted": row["voted"]}  # fmt: skip
        if closed:
            data.update(yes=item.yes, no=item.no, abstain=item.abstain, outcome=item.outcome)
        out.append(data)
    return out
