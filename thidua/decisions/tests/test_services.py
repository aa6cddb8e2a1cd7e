import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.audit.models import AuditEntry
from thidua.decisions import services
from thidua.decisions.models import Decision, ImmutableError, NumberCounter, Recipient
from thidua.decisions.tests.conftest import DECIDED, header, ready
from thidua.nominations import services as nominations
from thidua.nominations.choices import CouncilOutcome, RoundKind
from thidua.records.choices import AwardStatus
from thidua.records.models import Award
from thidua.rules import engine
from thidua.rules.tests.factories import make_person


def test_issue_numbers_records_and_money(world, users, passed):
    decision = services.issue_decision(
        world["province"], passed, actor=users["province"], **header()
    )
    assert decision.number == "1/QĐ-UBND"
    recipients = list(decision.recipients.select_related("award"))
    # Collectives first, then individuals (the order of the annex).
    assert [r.name for r in recipients] == [str(world["office"]), str(world["an"])]
    # Bằng khen at 1,490,000 (decision of 8/1/2021): no amount before 01/07/2025 (money.md).
    for r in recipients:
        assert r.award.decision_number == "1/QĐ-UBND"
        assert r.award.decision_date == DECIDED
        assert r.award.authority == world["province"]
        assert r.award.amount == r.amount
        assert r.serial.startswith("2021-")
    assert AuditEntry.objects.filter(action="decisions.decision.issue").count() == 1


def test_money_on_the_decision_date(world, users, passed):
    decision = services.issue_decision(
        world["province"],
        passed,
        actor=users["province"],
        **header(decided_on=datetime.date(2026, 1, 8)),
    )
    amounts = {r.subject_kind: r.amount for r in decision.recipients.all()}
    # 1.5 × 2,340,000 and 3.0 × 2,340,000, rounded up to 10,000 VND.
    assert amounts == {"individual": 3_510_000, "collective": 7_020_000}
    totals = services.totals(Decision.objects.all())
    assert totals["decision"][decision.pk] == 10_530_000
    assert totals["fund"][decision.fund] == 10_530_000


def test_numbers_follow_per_authority_and_year(world, users, passed):
    first = services.issue_decision(
        world["province"], passed[:1], actor=users["province"], **header()
    )
    second = services.issue_decision(
        world["province"], passed[1:], actor=users["province"], **header()
    )
    assert (first.sequence, second.sequence) == (1, 2)
    assert NumberCounter.objects.get(authority=world["province"], year=2021).last == 2


def test_not_passed_refused_and_audited(world, users, dossier):
    made = nominations.add_nominees(
        dossier,
        [nominations.NomineeSpec(award_code="BK_TINH", person=world["binh"], summary="x")],
        actor=users["kb"],
    )
    ready(dossier, made, CouncilOutcome.NOT_PASSED)
    with pytest.raises(ValidationError, match="council has not passed"):
        services.issue_decision(world["province"], made, actor=users["province"], **header())
    assert (
        not Decision.objects.exists()
        and not Award.objects.filter(decision_number__contains="QĐ-UBND").exists()
    )
    assert not NumberCounter.objects.filter(last__gt=0).exists()
    assert AuditEntry.objects.filter(action="decisions.decision.refused").count() == 1


def test_not_ready_refused(world, users, dossier):
    made = nominations.add_nominees(
        dossier,
        [nominations.NomineeSpec(award_code="BK_TINH", person=world["an"], summary="x")],
        actor=users["kb"],
    )
    made[0].council_outcome = CouncilOutcome.PASSED
    made[0].save()
    with pytest.raises(ValidationError, match="not ready for the council"):
        services.issue_decision(world["province"], made, actor=users["province"], **header())


def test_decided_twice_refused(world, users, passed):
    services.issue_decision(world["province"], passed, actor=users["province"], **header())
    with pytest.raises(ValidationError, match="already been decided"):
        services.issue_decision(world["province"], passed, actor=users["province"], **header())
    assert Decision.objects.count() == 1


@pytest.mark.parametrize("who", ["kb", "tl", "kb_viewer", "no_role"])
def test_only_officers_of_the_authority_issue(world, users, passed, who):
    with pytest.raises(PermissionDenied):
        services.issue_decision(world["province"], passed, actor=users[who], **header())
    assert not Decision.objects.exists()


def test_issued_decision_is_immutable(world, users, passed):
    decision = services.issue_decision(
        world["province"], passed, actor=users["province"], **header()
    )
    decision.title = "Sửa"
    with pytest.raises(ImmutableError):
        decision.save()
    with pytest.raises(ImmutableError):
        decision.delete()
    recipient = decision.recipients.first()
    recipient.amount = 1
    with pytest.raises(ImmutableError):
        recipient.save()
    assert Recipient.objects.get(pk=recipient.pk).amount != 1


def _bk_tinh_2021(person):
    """Everything the engine says about the person's Bằng khen for 2021 (it needs
    CSTĐCS in 2020 and 2021)."""
    result = engine.run(2021, people=[person], award_codes=["BK_TINH"])
    return [[c.as_dict() for c in r.criteria] for r in result.results]


def test_annulment_is_a_new_decision_and_changes_next_year(world, users):
    cuong = make_person(
        world["office"],
        {"ratings": {2019: "HTXS", 2020: "HTXS", 2021: "HTXS"}, "awards": [("CSTDCS", 2021)]},
    )
    round_ = nominations.open_round(
        world["kb"],
        year=2020,
        kind=RoundKind.ANNUAL,
        name="Khen thưởng 2020",
        deadline=datetime.date(2020, 12, 10),
        actor=users["kb"],
        today=datetime.date(2020, 11, 2),
    )
    dossier = nominations.start_dossier(
        round_, world["office"], actor=users["kb"], today=datetime.date(2020, 11, 3)
    )
    made = nominations.add_nominees(
        dossier,
        [nominations.NomineeSpec(award_code="CSTDCS", person=cuong, summary="x")],
        actor=users["kb"],
    )
    ready(dossier, made)
    without = _bk_tinh_2021(cuong)
    decision = services.issue_decision(world["kb"], made, actor=users["kb"], **header())
    assert decision.number == "1/QĐ-UBND" and decision.authority == world["kb"]
    award = decision.recipients.get().award
    assert (award.person, award.award_code, award.period_end.year) == (cuong, "CSTDCS", 2020)
    decided = _bk_tinh_2021(cuong)
    assert decided != without  # the decided award counts in the next year's streak

    annulment = services.annul_decision(
        decision,
        reason="Khai man thành tích",
        decided_on=datetime.date(2021, 3, 1),
        signer_name="Nguyễn Văn Hải",
        signer_position="Chủ tịch",
        actor=users["kb"],
    )
    assert annulment.number == "2/QĐ-UBND" and annulment.refers_to == decision
    award.refresh_from_db()
    assert award.status == AwardStatus.ANNULLED
    line = annulment.recipients.get()
    assert line.award == award and line.to_recover == decision.recipients.get().amount
    assert _bk_tinh_2021(cuong) == without  # annulled: it counts no more
    with pytest.raises(ValidationError):
        services.annul_decision(
            decision,
            reason="lần nữa",
            decided_on=datetime.date(2021, 3, 2),
            signer_name="A",
            signer_position="B",
            actor=users["kb"],
        )


def test_annulment_needs_a_reason(world, users, passed):
    decision = services.issue_decision(
        world["province"], passed, actor=users["province"], **header()
    )
    with pytest.raises(ValidationError, match="reason"):
        services.annul_decision(decision, reason=" ", actor=users["province"], **header())
    assert Decision.objects.count() == 1


def test_correction(world, users, passed):
    decision = services.issue_decision(
        world["province"], passed, actor=users["province"], **header()
    )
    fixed = services.correct_decision(
        decision, reason="Sai tên", correction="Đọc là …", actor=users["province"], **header()
    )
    assert fixed.refers_to == decision and fixed.sequence == 2
