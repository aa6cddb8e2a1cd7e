"""Councils, meetings, quorum, conflicts and recusals, the secret ballot and the verdict."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from thidua.audit.models import AuditEntry
from thidua.council import services
from thidua.council.choices import BallotMode, MeetingState
from thidua.council.models import AgendaItem, Meeting, Recusal, Voted
from thidua.council.services import CouncilError
from thidua.council.tests.conftest import MEETING_DAY
from thidua.nominations.models import Nominee


def items(meeting):
    return list(meeting.items.select_related("nominee").order_by("position"))


def snapshot(meeting):
    return (
        list(AgendaItem.objects.filter(meeting=meeting).values_list("yes", "no", "abstain")),
        Voted.objects.count(),
        Meeting.objects.get(pk=meeting.pk).state,
    )


def test_the_agenda_holds_the_ready_nominees(meeting, ready):
    assert {i.nominee_id for i in items(meeting)} == set(
        ready.nominees.values_list("pk", flat=True)
    )


def test_a_conflict_is_detected_and_recorded_as_a_recusal_when_voting_opens(open_meeting, members):
    recusals = Recusal.objects.filter(item__meeting=open_meeting)
    assert recusals.count() == 3
    assert {r.member_id for r in recusals} == {members[4].pk}
    assert all(r.detected and "Kim Bảng" in r.reason for r in recusals)


def test_voting_cannot_open_without_quorum(meeting, members, users):
    services.set_attendance(meeting, members[:3], actor=users["province"])  # 60 % < 80 %
    with pytest.raises(CouncilError, match="Quorum not reached: 3 of 5 members present, 80%"):
        services.open_voting(meeting, actor=users["province"])
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.DRAFT
    assert AuditEntry.objects.filter(action="council.meeting.refused").count() == 1


def test_quorum_is_a_setting(meeting, members, users):
    services.set_attendance(meeting, members[:3], actor=users["province"])
    with override_settings(THIDUA_COUNCIL_QUORUM_PERCENT=60):
        services.open_voting(meeting, actor=users["province"])
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.OPEN


def test_a_vote_counts_once_and_says_only_that_it_was_cast(open_meeting, members):
    first = items(open_meeting)[0]
    services.cast_votes(open_meeting, {first.pk: "yes"}, actor=members[0].user)
    before = snapshot(open_meeting)
    with pytest.raises(CouncilError, match="already voted"):
        services.cast_votes(open_meeting, {first.pk: "no"}, actor=members[0].user)
    assert snapshot(open_meeting) == before
    cast = AuditEntry.objects.get(action="council.vote.cast")
    assert "yes" not in str(cast.before) + str(cast.after) + cast.message
    refused = AuditEntry.objects.get(action="council.vote.refused")
    assert refused.after == {"items": [first.pk]} and "already voted" in refused.message


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("outsider", "not a member of this council"),
        ("recused", "recused yourself"),
    ],
)
def test_votes_refused(open_meeting, members, outsider, who, message):
    user = outsider if who == "outsider" else members[4].user
    first = items(open_meeting)[0]
    before = snapshot(open_meeting)
    with pytest.raises(CouncilError, match=message):
        services.cast_votes(open_meeting, {first.pk: "yes"}, actor=user)
    assert snapshot(open_meeting) == before
    assert AuditEntry.objects.filter(action="council.vote.refused").count() == 1


def test_absent_member_cannot_vote(meeting, members, users):
    present = [m for i, m in enumerate(members) if i != 3]
    services.set_attendance(meeting, present, actor=users["province"])
    services.open_voting(meeting, actor=users["province"])
    first = items(meeting)[0]
    with pytest.raises(CouncilError, match="not entitled"):
        services.cast_votes(meeting, {first.pk: "yes"}, actor=members[3].user)


def test_no_vote_before_opening_or_after_closing(meeting, members, users):
    first = items(meeting)[0]
    with pytest.raises(CouncilError, match="not opened yet"):
        services.cast_votes(meeting, {first.pk: "yes"}, actor=members[0].user)
    services.set_attendance(meeting, members, actor=users["province"])
    services.open_voting(meeting, actor=users["province"])
    services.close_voting(meeting, actor=users["province"])
    meeting.refresh_from_db()
    with pytest.raises(CouncilError, match="Voting is closed"):
        services.cast_votes(meeting, {first.pk: "yes"}, actor=members[0].user)
    assert AuditEntry.objects.filter(action="council.vote.refused").count() == 2
    assert Voted.objects.count() == 0


def test_a_ballot_for_several_nominees_is_all_or_none(open_meeting, members):
    a, b, _c = items(open_meeting)
    services.cast_votes(open_meeting, {a.pk: "yes"}, actor=members[0].user)
    with pytest.raises(CouncilError, match="already voted"):
        services.cast_votes(open_meeting, {b.pk: "yes", a.pk: "yes"}, actor=members[0].user)
    assert AgendaItem.objects.get(pk=b.pk).yes == 0


def test_the_verdict_counts_yes_over_all_members(open_meeting, members, users):
    """Four may vote (the fifth is recused) out of five members: BK_TINH needs more than
    half of all members; TTLDXS too (no threshold set); 3 yes of 5 passes, 2 does not."""
    a, b, c = items(open_meeting)
    votes = {
        0: {a.pk: "yes", b.pk: "yes", c.pk: "yes"},
        1: {a.pk: "yes", b.pk: "yes", c.pk: "no"},
        2: {a.pk: "yes", b.pk: "abstain", c.pk: "no"},
        3: {a.pk: "no", b.pk: "no", c.pk: "abstain"},
    }
    for index, ballot in votes.items():
        services.cast_votes(open_meeting, ballot, actor=members[index].user)
    services.close_voting(open_meeting, actor=users["province"])
    a, b, c = items(open_meeting)
    assert (a.yes, a.no, a.abstain, a.electorate) == (3, 1, 0, 4)
    assert [i.outcome for i in (a, b, c)] == ["passed", "not_passed", "not_passed"]
    outcomes = dict(Nominee.objects.values_list("pk", "council_outcome"))
    assert outcomes[a.nominee_id] == "passed" and outcomes[b.nominee_id] == "not_passed"
    assert Nominee.objects.filter(council_outcome_at__isnull=True).count() == 0


def test_thresholds():
    assert services.threshold_for("CSTD_TINH") == (Decimal(90), True)
    assert services.threshold_for("CSTDCS") == (Decimal(80), True)
    assert services.threshold_for("BK_TINH") == (Decimal(50), False)
    assert services.passes(9, 10, Decimal(90), True)
    assert not services.passes(8, 10, Decimal(90), True)
    assert not services.passes(5, 10, Decimal(50), False)  # a tie is not a majority
    assert services.passes(6, 10, Decimal(50), False)
    with override_settings(THIDUA_COUNCIL_THRESHOLDS={"v2:BK_TINH": 75}):
        assert services.threshold_for("BK_TINH", "v2") == (Decimal(75), True)


def test_paper_counts_entered_twice_mismatch_blocks(council, ready, members, users):
    meeting = services.create_meeting(
        council,
        title="Phiên giấy",
        year=2020,
        held_on=MEETING_DAY,
        mode=BallotMode.PAPER,
        actor=users["province"],
    )
    services.set_attendance(meeting, members, actor=users["province"])
    services.set_counters(meeting, members[:2], actor=users["province"])
    services.open_voting(meeting, actor=users["province"])
    for item in items(meeting):
        services.enter_paper_count(item, yes=4, no=0, abstain=0, actor=members[0].user)
        services.enter_paper_count(item, yes=3, no=1, abstain=0, actor=members[1].user)
    with pytest.raises(CouncilError, match="differ for 3 nominee"):
        services.close_voting(meeting, actor=users["province"])
    assert Nominee.objects.exclude(council_outcome="").count() == 0
    with pytest.raises(CouncilError, match="Only the counting committee"):
        services.enter_paper_count(items(meeting)[0], yes=4, no=0, abstain=0, actor=members[3].user)
    for item in items(meeting):
        services.enter_paper_count(item, yes=4, no=0, abstain=0, actor=members[1].user)
    services.close_voting(meeting, actor=users["province"])
    assert [i.outcome for i in items(meeting)] == ["passed"] * 3


def test_only_officers_of_the_unit_manage(meeting, users, members):
    with pytest.raises(PermissionDenied):
        services.open_voting(meeting, actor=users["kb"])
    with pytest.raises(PermissionDenied):
        services.set_attendance(meeting, members, actor=members[0].user)
