"""The verbs: who may do what, bad input refused with nothing changed, the lock and its
audited reopen, registrations and their deadline, members that follow a merger."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.emulation import selectors, services
from thidua.emulation.choices import (
    BlockRoleKind,
    CovenantStatus,
    ReviewKind,
    ScoreKind,
    ScoringMethod,
)
from thidua.emulation.models import (
    BlockLead,
    BlockMembership,
    Covenant,
    Registration,
    Score,
    Signature,
)
from thidua.emulation.services import ScoringLocked
from thidua.emulation.tests.factories import (
    AFTER,
    DURING,
    cross_score_all,
    full,
    make_block,
    make_covenant,
    make_movement,
    score,
)
from thidua.org import services as org_services
from thidua.org.choices import UnitKind
from thidua.org.tests.factories import EmploymentFactory, PersonFactory

D = datetime.date


def audit_count(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def sheet(covenant, scorer, target, kind=ScoreKind.PEER):
    return dict(
        Score.objects.filter(covenant=covenant, scorer=scorer, target=target, kind=kind)
        .values_list("criterion__code", "points")
        .order_by("criterion__code")
    )


# --------------------------------------------------------------------------- scoring


def test_a_member_scores_itself_and_the_others_and_it_is_audited(world, people, covenant):
    kb, tl = world["KB"], world["TL"]
    score(covenant, kb, kb, {"A1": ("9,5", "Thu 235 % dự toán"), "B1": 28}, actor=people["kb"])
    score(covenant, kb, tl, {"A1": 7, "D1": -1}, actor=people["kb"])

    own = Score.objects.get(covenant=covenant, scorer=kb, target=kb, criterion__code="A1")
    assert own.kind == ScoreKind.SELF
    assert own.points == Decimal("9.50") and own.evidence == "Thu 235 % dự toán"
    assert own.updated_by == people["kb"]
    assert sheet(covenant, kb, tl) == {"A1": Decimal("7.00"), "D1": Decimal("-1.00")}
    entry = AuditEntry.objects.filter(action="emulation.score.save").first()
    assert entry.actor == people["kb"]
    assert entry.after["scores"] == {"A1": ["7.00", ""], "D1": ["-1.00", ""]}


def test_saving_again_updates_and_an_empty_value_clears(world, covenant):
    kb, tl = world["KB"], world["TL"]
    score(covenant, kb, tl, {"A1": 7, "A2": 15})
    score(covenant, kb, tl, {"A1": 8, "A2": ""})
    assert sheet(covenant, kb, tl) == {"A1": Decimal("8.00")}
    before = audit_count("emulation.score.save")
    assert score(covenant, kb, tl, {"A1": 8}) == []  # unchanged: nothing written
    assert audit_count("emulation.score.save") == before


@pytest.mark.parametrize(
    "points, message",
    [
        ({"A1": 11}, "Criterion A1: 11 is above the maximum of 10."),
        ({"A1": "12,5"}, "Criterion A1: 12,5 is above the maximum of 10."),
        ({"A1": -1}, "Criterion A1: -1 is below 0."),
        ({"D2": -5}, "Criterion D2: -5 is below the penalty cap of −4."),
        ({"D1": 1}, "Criterion D1: a penalty is entered as a negative number or 0, not 1."),
        ({"A1": "nhiều"}, "Criterion A1: “nhiều” is not a number."),
        ({"A1": "7.555"}, "Criterion A1: points have at most two decimals."),
        ({"Z9": 1}, "Criterion Z9 is not in this covenant."),
    ],
)
def test_bad_points_are_refused_naming_the_criterion_and_nothing_changes(
    world, covenant, points, message
):
    kb, tl = world["KB"], world["TL"]
    score(covenant, kb, tl, {"A2": 10})
    with pytest.raises(ValidationError) as excinfo:
        score(covenant, kb, tl, {"A2": 12, "B1": 20, **points})
    assert message in excinfo.value.messages
    assert sheet(covenant, kb, tl) == {"A2": Decimal("10.00")}  # the good rows neither


def test_a_criterion_of_another_covenant_is_refused(world, members, covenant):
    other_block = make_block(world["province"], members, year=2021)
    make_covenant(
        other_block,
        groups=[
            services.GroupSpec(
                "E", "Khác", criteria=[services.CriterionSpec("E1", "Tiêu chí khác", 5)]
            )
        ],
    )
    with pytest.raises(ValidationError, match="Criterion E1 is not in this covenant"):
        score(covenant, world["KB"], world["TL"], {"E1": 1})
    assert not Score.objects.exists()


def test_several_problems_are_reported_together(world, covenant):
    with pytest.raises(ValidationError) as excinfo:
        score(covenant, world["KB"], world["TL"], {"A1": 50, "B1": 40})
    assert len(excinfo.value.messages) == 2


def test_a_unit_never_cross_scores_itself(world, covenant):
    kb = world["KB"]
    with pytest.raises(ValidationError, match="does not score itself"):
        score(covenant, kb, kb, {"A1": 10}, kind=ScoreKind.PEER)
    assert not Score.objects.exists()


def test_a_unit_outside_the_block_neither_scores_nor_is_scored(world, covenant):
    outsider = world["commune"]
    with pytest.raises(ValidationError, match="not scored in this block"):
        score(covenant, world["KB"], outsider, {"A1": 1})
    with pytest.raises(ValidationError, match="not a member"):
        score(covenant, outsider, world["KB"], {"A1": 1})
    assert not Score.objects.exists()


def test_an_officer_scores_only_for_their_own_unit(world, people, covenant):
    kb, tl = world["KB"], world["TL"]
    for user in (people["tl"], people["kb_viewer"], people["other_unit"], people["no_role"]):
        with pytest.raises(PermissionDenied):
            score(covenant, kb, tl, {"A1": 5}, actor=user)
    assert not Score.objects.exists()
    score(covenant, kb, tl, {"A1": 5}, actor=people["kb"])
    score(covenant, kb, tl, {"A1": 6}, actor=people["province"])  # above KB in the tree
    assert sheet(covenant, kb, tl) == {"A1": Decimal("6.00")}


def test_the_leaders_review_by_the_leader_and_of_the_leader_by_the_deputy(world, block):
    covenant = make_covenant(block, method=ScoringMethod.LEADER)
    kb, tl, pl = world["KB"], world["TL"], world["PL"]
    services.name_block_roles(
        block,
        leader=kb,
        deputies=[tl],
        decision_number="12/QĐ-UBND",
        decision_date=D(2020, 1, 8),
        actor=SYSTEM,
    )
    score(covenant, kb, pl, {"A1": 8}, kind=ScoreKind.REVIEW)
    score(covenant, tl, kb, {"A1": 9}, kind=ScoreKind.REVIEW)
    with pytest.raises(ValidationError, match="does not review"):
        score(covenant, tl, pl, {"A1": 8}, kind=ScoreKind.REVIEW)
    with pytest.raises(ValidationError, match="no cross-scoring"):
        score(covenant, pl, tl, {"A1": 8}, kind=ScoreKind.PEER)
    assert Score.objects.filter(kind=ScoreKind.REVIEW).count() == 2


# --------------------------------------------------------------------------- lock


def test_an_edit_after_the_deadline_is_refused_audited_and_changes_nothing(world, people, covenant):
    kb, tl = world["KB"], world["TL"]
    score(covenant, kb, tl, {"A1": 7})
    with pytest.raises(ScoringLocked, match="deadline 15/12/2020 has passed"):
        score(covenant, kb, tl, {"A1": 10}, actor=people["kb"], today=AFTER)
    assert sheet(covenant, kb, tl) == {"A1": Decimal("7.00")}
    attempt = AuditEntry.objects.get(action="emulation.score.refused")
    assert attempt.actor == people["kb"]
    assert attempt.after["entries"] == {"A1": ["10", ""]}
    assert attempt.after["target"] == "TL"


def test_locking_refuses_edits_and_reopening_is_audited(world, people, covenant):
    kb, tl = world["KB"], world["TL"]
    services.lock_scoring(covenant, actor=people["province"])
    with pytest.raises(ScoringLocked, match="Scoring is locked"):
        score(covenant, kb, tl, {"A1": 7})
    assert audit_count("emulation.score.refused") == 1

    with pytest.raises(ValidationError, match="reason"):
        services.reopen_scoring(
            covenant, reason=" ", new_deadline=D(2020, 7, 1), today=DURING, actor=SYSTEM
        )
    with pytest.raises(PermissionDenied):
        services.reopen_scoring(
            covenant, reason="x", new_deadline=D(2020, 7, 1), actor=people["kb"], today=DURING
        )
    services.reopen_scoring(
        covenant,
        reason="Bổ sung minh chứng",
        new_deadline=D(2020, 7, 1),
        actor=people["province"],
        today=DURING,
    )
    covenant.refresh_from_db()
    assert covenant.status == CovenantStatus.OPEN and covenant.scoring_deadline == D(2020, 7, 1)
    entry = AuditEntry.objects.get(action="emulation.covenant.open", message="Bổ sung minh chứng")
    assert entry.before == {"status": "locked", "scoring_deadline": "2020-12-15"}
    assert entry.actor == people["province"]
    score(covenant, kb, tl, {"A1": 7})
    assert sheet(covenant, kb, tl) == {"A1": Decimal("7.00")}


def test_scoring_past_its_deadline_can_be_reopened_too(world, covenant):
    services.reopen_scoring(
        covenant, reason="Gia hạn", new_deadline=D(2020, 12, 31), today=AFTER, actor=SYSTEM
    )
    score(covenant, world["KB"], world["TL"], {"A1": 7}, today=AFTER)
    with pytest.raises(ValidationError, match="open already"):
        services.reopen_scoring(
            covenant, reason="x", new_deadline=D(2021, 1, 5), today=AFTER, actor=SYSTEM
        )


def test_published_results_record_the_leader_and_cannot_be_reopened(world, members, covenant):
    quality = {u.code: full(8, 16, 25) for u in members}
    quality["KB"] = full(10, 19, 28, c1=2)
    cross_score_all(covenant, members, quality)
    with pytest.raises(ValidationError, match="still open"):
        services.publish_results(covenant, today=DURING, actor=SYSTEM)
    leads = services.publish_results(covenant, today=AFTER, actor=SYSTEM)
    assert [(lead.unit.code, lead.rank, lead.score) for lead in leads] == [
        ("KB", 1, Decimal("59.00"))
    ]
    covenant.refresh_from_db()
    assert covenant.status == CovenantStatus.PUBLISHED and covenant.published_on == AFTER
    with pytest.raises(ValidationError, match="cannot become"):
        services.reopen_scoring(
            covenant, reason="x", new_deadline=D(2021, 1, 5), today=AFTER, actor=SYSTEM
        )
    with pytest.raises(ScoringLocked):
        score(covenant, world["KB"], world["TL"], {"A1": 1}, today=AFTER)


def test_nothing_to_publish_without_scores(covenant):
    with pytest.raises(ValidationError, match="nothing to publish"):
        services.publish_results(covenant, today=AFTER, actor=SYSTEM)
    assert not BlockLead.objects.exists()


# --------------------------------------------------------------------------- covenant


def test_signing_records_who_and_when_once_per_member(world, people, covenant):
    signature = services.sign_covenant(
        covenant,
        world["KB"],
        signer_name="Nguyễn Văn A",
        signer_position="Chủ tịch UBND huyện",
        signed_on=D(2020, 2, 20),
        actor=people["kb"],
    )
    assert (signature.signer_name, signature.signed_on, signature.recorded_by) == (
        "Nguyễn Văn A",
        D(2020, 2, 20),
        people["kb"],
    )
    with pytest.raises(ValidationError, match="already signed"):
        services.sign_covenant(covenant, world["KB"], signer_name="X", actor=people["kb"])
    with pytest.raises(PermissionDenied):
        services.sign_covenant(covenant, world["TL"], signer_name="X", actor=people["kb"])
    with pytest.raises(ValidationError, match="not a member"):
        services.sign_covenant(covenant, world["commune"], signer_name="X", actor=SYSTEM)
    assert Signature.objects.count() == 1
    assert audit_count("emulation.covenant.sign") == 1


def test_a_draft_is_neither_signed_nor_scored_and_its_criteria_can_change(world, block):
    covenant = make_covenant(block, open_it=False)
    with pytest.raises(ValidationError, match="not open for signing"):
        services.sign_covenant(covenant, world["KB"], signer_name="X", actor=SYSTEM)
    with pytest.raises(ScoringLocked):
        score(covenant, world["KB"], world["TL"], {"A1": 1})
    services.define_criteria(
        covenant,
        [
            services.GroupSpec(
                "A", "Nhiệm vụ", criteria=[services.CriterionSpec("A1", "Thu ngân sách", 50)]
            )
        ],
        actor=SYSTEM,
    )
    assert list(covenant.criteria.values_list("code", "max_points")) == [("A1", Decimal("50.00"))]
    services.open_covenant(covenant, actor=SYSTEM)
    with pytest.raises(ValidationError, match="fixed"):
        services.define_criteria(covenant, [], actor=SYSTEM)


@pytest.mark.parametrize(
    "groups, message",
    [
        ([], "at least one criteria group"),
        (
            [services.GroupSpec("A", "x", criteria=[services.CriterionSpec("A1", "y", 0)])],
            "Criterion A1: the maximum is above 0.",
        ),
        (
            [
                services.GroupSpec("A", "x", criteria=[services.CriterionSpec("A1", "y", 5)]),
                services.GroupSpec("B", "x", criteria=[services.CriterionSpec("A1", "z", 5)]),
            ],
            "Criterion A1: a criterion needs a code of its own.",
        ),
        (
            [
                services.GroupSpec(
                    "C", "x", kind="bonus", criteria=[services.CriterionSpec("C1", "y", 5)]
                )
            ],
            "at least one group of criteria that score points",
        ),
        (
            [services.GroupSpec("A/1", "x", criteria=[services.CriterionSpec("A1", "y", 5)])],
            "Group A/1: a code holds only letters without diacritics",
        ),
        (
            [services.GroupSpec("A", "x", criteria=[services.CriterionSpec("=A1", "y", 5)])],
            "Criterion =A1: a code holds only letters without diacritics",
        ),
    ],
)
def test_a_bad_criteria_tree_is_refused(block, groups, message):
    with pytest.raises(ValidationError, match=message):
        services.create_covenant(
            block, title="x", scoring_deadline=D(2020, 12, 15), groups=groups, actor=SYSTEM
        )
    assert not Covenant.objects.exists()


def test_unknown_tie_break_rules_are_refused(block):
    with pytest.raises(ValidationError, match="Unknown tie-break rule “group:Z”"):
        make_covenant(block, tie_breaks=["base", "group:Z"])
    make_covenant(block, tie_breaks=["group:B", "penalty"])


def test_only_the_organiser_manages_the_block(world, people, members, block):
    for user in (people["kb"], people["no_role"], people["other_unit"]):
        with pytest.raises(PermissionDenied):
            make_covenant(block, actor=user)
        with pytest.raises(PermissionDenied):
            services.name_block_roles(
                block, leader=world["KB"], decision_number="1", decision_date=DURING, actor=user
            )
        with pytest.raises(PermissionDenied):
            make_block(world["province"], members, year=2021, actor=user)
    assert not Covenant.objects.exists()
    make_covenant(block, actor=people["province"])


# --------------------------------------------------------------------------- blocks


def test_block_roles_are_named_by_decision_among_members(world, block):
    kb, tl = world["KB"], world["TL"]
    with pytest.raises(ValidationError, match="not a member"):
        services.name_block_roles(
            block,
            leader=world["commune"],
            decision_number="5/QĐ",
            decision_date=DURING,
            actor=SYSTEM,
        )
    with pytest.raises(ValidationError, match="one role"):
        services.name_block_roles(
            block,
            leader=kb,
            deputies=[kb],
            decision_number="5/QĐ",
            decision_date=DURING,
            actor=SYSTEM,
        )
    services.name_block_roles(
        block,
        leader=kb,
        deputies=[tl],
        decision_number="5/QĐ-UBND",
        decision_date=DURING,
        actor=SYSTEM,
    )
    services.name_block_roles(
        block,
        leader=tl,
        deputies=[kb],
        decision_number="6/QĐ-UBND",
        decision_date=DURING,
        actor=SYSTEM,
    )
    assert sorted(block.roles.values_list("unit__code", "role", "decision_number")) == [
        ("KB", BlockRoleKind.DEPUTY, "6/QĐ-UBND"),
        ("TL", BlockRoleKind.LEADER, "6/QĐ-UBND"),
    ]


def test_a_member_merged_mid_year_is_followed_by_its_successor(world, members, block):
    bl, ln = world["BL"], world["LN"]
    new, _event = org_services.merge_into_new_unit(
        [bl, ln],
        D(2020, 7, 1),
        code="BLN",
        kind=UnitKind.DISTRICT,
        name="Huyện Bình Lục Lý Nhân",
        parent=world["province"],
        actor=SYSTEM,
    )
    added = services.follow_reorganisation(block, actor=SYSTEM)
    assert [(m.unit.code, m.joined_on) for m in added] == [("BLN", D(2020, 7, 1))]
    ended = BlockMembership.objects.filter(block=block, unit__in=[bl, ln])
    assert {m.left_on for m in ended} == {D(2020, 7, 1)}
    assert services.follow_reorganisation(block, actor=SYSTEM) == []  # nothing left to follow
    scored = {m.unit.code for m in services.scoring_members(block)}
    assert scored == {"PL", "DT", "KB", "TL", "BLN"}


def test_a_block_member_must_exist_in_the_year(world):
    gone = world["commune"]
    org_services.dissolve_unit(gone, D(2019, 1, 1), actor=SYSTEM)
    with pytest.raises(ValidationError, match="did not exist in 2020"):
        make_block(world["province"], [world["KB"], gone])


# --------------------------------------------------------------------------- movements


def movement(world, **kwargs):
    return make_movement(world["province"], **kwargs)


def test_registration_by_the_deadline_and_refused_after(world, people):
    m = movement(world)
    kb = world["KB"]
    services.register_title(
        m, unit=kb, award_code="CO_TD_TINH", actor=people["kb"], today=D(2020, 3, 31)
    )
    with pytest.raises(ValidationError, match="Registration closed on 31/03/2020"):
        services.register_title(
            m, unit=kb, award_code="TTLDXS", actor=people["kb"], today=D(2020, 4, 1)
        )
    with pytest.raises(ValidationError, match="already registered"):
        services.register_title(
            m, unit=kb, award_code="CO_TD_TINH", today=D(2020, 3, 1), actor=SYSTEM
        )
    with pytest.raises(ValidationError, match="Unknown award code"):
        services.register_title(m, unit=kb, award_code="NOPE", today=D(2020, 3, 1), actor=SYSTEM)
    with pytest.raises(ValidationError, match="not conferred on collectives"):
        services.register_title(m, unit=kb, award_code="LDTT", today=D(2020, 3, 1), actor=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.register_title(
            m, unit=kb, award_code="TTLDXS", actor=people["tl"], today=D(2020, 3, 1)
        )
    assert list(Registration.objects.values_list("unit__code", "award_code")) == [
        ("KB", "CO_TD_TINH")
    ]
    # What the eligibility engine's "registered" check can read, per title.
    facts = selectors.registered_units_source([kb.pk, world["TL"].pk], 2020)
    assert list(facts) == [kb.pk] and list(facts[kb.pk]) == ["CO_TD_TINH"]
    assert facts[kb.pk]["CO_TD_TINH"].value is True
    assert "registered on 31/03/2020" in facts[kb.pk]["CO_TD_TINH"].evidence
    assert selectors.registered_units_source([kb.pk], 2021) == {}


def test_a_person_registers_through_the_unit_they_work_in(world, people):
    m = movement(world)
    an = PersonFactory(code="P-AN")
    EmploymentFactory(person=an, unit=world["KB"], start=D(2015, 1, 1))
    stranger = PersonFactory(code="P-X")
    EmploymentFactory(person=stranger, unit=world["TL"], start=D(2015, 1, 1))
    services.register_title(
        m, unit=world["KB"], person=an, award_code="CSTDCS", actor=people["kb"], today=D(2020, 2, 1)
    )
    with pytest.raises(ValidationError, match="does not work in KB"):
        services.register_title(
            m,
            unit=world["KB"],
            person=stranger,
            award_code="LDTT",
            actor=people["kb"],
            today=D(2020, 2, 1),
        )
    with pytest.raises(ValidationError, match="not conferred on individuals"):
        services.register_title(
            m, unit=world["KB"], person=an, award_code="TTLDXS", today=D(2020, 2, 1), actor=SYSTEM
        )
    registration = Registration.objects.get()
    assert (registration.subject, registration.award_code) == (an, "CSTDCS")
    assert list(selectors.registered_people_source([an.pk, stranger.pk], 2020)) == [an.pk]


def test_withdrawing_before_the_deadline_only(world):
    m = movement(world)
    r = services.register_title(
        m, unit=world["KB"], award_code="TTLDXS", today=D(2020, 2, 1), actor=SYSTEM
    )
    with pytest.raises(ValidationError, match="closed"):
        services.withdraw_registration(r, today=D(2020, 4, 1), actor=SYSTEM)
    services.withdraw_registration(r, today=D(2020, 3, 1), actor=SYSTEM)
    assert not Registration.objects.exists()
    assert audit_count("emulation.registration.withdraw") == 1


def test_a_movement_is_launched_by_decision_and_reviewed(world, people):
    with pytest.raises(PermissionDenied):
        movement(world, actor=people["kb"])
    m = movement(world, actor=people["province"])
    services.record_movement_review(
        m, kind=ReviewKind.INTERIM, held_on=D(2020, 7, 15), actor=SYSTEM
    )
    services.record_movement_review(m, kind=ReviewKind.FINAL, held_on=D(2021, 1, 12), actor=SYSTEM)
    with pytest.raises(ValidationError, match="already has its final review"):
        services.record_movement_review(
            m, kind=ReviewKind.FINAL, held_on=D(2021, 1, 13), actor=SYSTEM
        )
    assert audit_count("emulation.movement.launch") == 1
    assert audit_count("emulation.movement.review") == 2
    with pytest.raises(ValidationError):
        movement(world, code="BAD", period_start=D(2020, 5, 1), period_end=D(2020, 4, 1))
