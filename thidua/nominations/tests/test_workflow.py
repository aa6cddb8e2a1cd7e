"""The dossier's moves: the table decides, the right side moves, refusals change nothing
and are audited, eligibility is frozen at submission and compared later."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.audit.models import AuditEntry
from thidua.nominations import services
from thidua.nominations.choices import State
from thidua.nominations.models import Dossier, Nominee, Transition
from thidua.nominations.tests.conftest import DAY, attach_minutes, pdf, spec
from thidua.nominations.workflow import TRANSITIONS, add_working_days, moves_from
from thidua.records.models import Award


@pytest.fixture
def filled(dossier, world, users):
    services.add_nominees(
        dossier,
        [
            spec(person=world["an"]),
            spec(person=world["binh"]),
            spec("TTLDXS", unit=world["office"]),
        ],
        actor=users["kb"],
    )
    attach_minutes(dossier, users["kb"])
    return dossier


def state(dossier):
    return Dossier.objects.get(pk=dossier.pk).state


def test_the_whole_path(filled, users):
    kb, province = users["kb"], users["province"]
    d = services.submit_dossier(filled, actor=kb, today=DAY)
    assert d.state == State.SUBMITTED
    assert d.state_deadline == add_working_days(DAY, 5)
    services.receive_dossier(d, actor=province, today=DAY)
    services.start_appraisal(d, actor=province, today=DAY)
    d = services.return_dossier(
        d, reason="Thiếu báo cáo thành tích", fields=["achievements"], actor=province, today=DAY
    )
    assert d.state == State.RETURNED and d.return_fields == ["achievements"]
    d = services.resubmit_dossier(d, actor=kb, today=DAY)
    assert d.return_reason == ""
    for verb in ("receive", "appraise", "publish"):
        d = services.move(d, verb, actor=province, today=DAY)
    after_period = add_working_days(DAY, settings.THIDUA_PUBLIC_COMMENT_DAYS + 1)
    d = services.send_to_council(d, actor=province, today=after_period)
    assert d.state == State.READY_FOR_COUNCIL
    history = list(Transition.objects.filter(dossier=d).values_list("verb", "actor_label"))
    assert [v for v, _ in history] == [
        "submit", "receive", "appraise", "return", "resubmit",
        "receive", "appraise", "publish", "to_council",
    ]  # fmt: skip
    assert history[0][1] == "kb" and history[1][1] == "province"
    assert AuditEntry.objects.filter(action="nominations.dossier.return").get().message == (
        "Thiếu báo cáo thành tích"
    )


def test_every_state_has_a_way_on_except_the_last():
    for s in State:
        assert bool(moves_from(s)) == (s != State.READY_FOR_COUNCIL), s
    assert all(t.target in State.values for t in TRANSITIONS.values())


@pytest.mark.parametrize(
    ("who", "verb"),
    [("kb", "receive"), ("tl", "receive"), ("kb_viewer", "receive"), ("no_role", "receive")],
)
def test_wrong_side_is_refused_audited_and_changes_nothing(filled, users, who, verb):
    services.submit_dossier(filled, actor=users["kb"], today=DAY)
    with pytest.raises(PermissionDenied) as exc:
        services.move(filled, verb, actor=users[who], today=DAY)
    assert "Tỉnh Hà Nam" in str(exc.value)
    assert state(filled) == State.SUBMITTED
    refused = AuditEntry.objects.get(action="nominations.dossier.refused")
    assert refused.after["verb"] == verb and refused.actor_label == users[who].username
    assert Transition.objects.filter(dossier=filled).count() == 1


def test_submit_by_someone_else_is_refused(filled, users):
    with pytest.raises(PermissionDenied, match="Huyện Kim Bảng"):
        services.submit_dossier(filled, actor=users["tl"], today=DAY)
    assert state(filled) == State.DRAFT
    assert Dossier.objects.get(pk=filled.pk).frozen_hash == ""


def test_move_not_allowed_from_the_state(filled, users):
    with pytest.raises(ValidationError, match="cannot be “publish for public comment” now"):
        services.publish_dossier(filled, actor=users["province"], today=DAY)
    assert state(filled) == State.DRAFT
    assert AuditEntry.objects.filter(action="nominations.dossier.refused").count() == 1


def test_return_needs_a_reason(filled, users):
    services.submit_dossier(filled, actor=users["kb"], today=DAY)
    with pytest.raises(ValidationError) as exc:
        services.return_dossier(filled, reason=" ", actor=users["province"], today=DAY)
    assert "reason" in exc.value.message_dict
    assert state(filled) == State.SUBMITTED


def test_empty_or_incomplete_dossier_is_not_submitted(dossier, world, users):
    with pytest.raises(ValidationError, match="no nominee"):
        services.submit_dossier(dossier, actor=users["kb"], today=DAY)
    services.add_nominee(dossier, spec(person=world["an"], summary=""), actor=users["kb"])
    with pytest.raises(ValidationError, match="no achievement summary"):
        services.submit_dossier(dossier, actor=users["kb"], today=DAY)
    Nominee.objects.update(summary="Xuất sắc")
    with pytest.raises(ValidationError, match="minutes of the unit's review"):
        services.submit_dossier(dossier, actor=users["kb"], today=DAY)
    assert state(dossier) == State.DRAFT


def test_a_nominee_relying_on_initiatives_needs_their_proof(filled, world, users):
    from thidua.records.models import Initiative, InitiativeAuthor

    initiative = Initiative.objects.create(
        code="SK-AN", kind="initiative", title="Số hóa hồ sơ", scope="co_so",
        recognised_on=datetime.date(2020, 6, 1),
    )  # fmt: skip
    InitiativeAuthor.objects.create(initiative=initiative, person=world["an"])
    an = filled.nominees.get(person=world["an"])
    an.initiatives.add(initiative)
    with pytest.raises(ValidationError, match="proof of the initiatives of"):
        services.submit_dossier(filled, actor=users["kb"], today=DAY)
    services.attach_document(
        filled, pdf("quyet-dinh-sang-kien.pdf"), kind="initiative_proof", nominee=an,
        actor=users["kb"],
    )  # fmt: skip
    assert services.submit_dossier(filled, actor=users["kb"], today=DAY).state == State.SUBMITTED


def test_submission_freezes_eligibility_with_a_hash(filled, users):
    d = services.submit_dossier(filled, actor=users["kb"], today=DAY)
    nominees = list(d.nominees.order_by("pk"))
    assert all(n.frozen and len(n.frozen_hash) == 64 for n in nominees)
    an = nominees[0].frozen
    assert an["award"] == "BK_TINH" and an["rule_set"] == "2017"
    assert an["verdict"] in ("eligible", "needs_attestation")
    assert an["criteria"] and all("facts" in c for c in an["criteria"])
    assert len(d.frozen_hash) == 64 and d.frozen_as_of == DAY
    assert services.compare(d) == []


def test_a_later_change_flags_the_dossier_and_shows_what_changed(filled, world, users):
    d = services.submit_dossier(filled, actor=users["kb"], today=DAY)
    frozen_before = {n.pk: (n.frozen_hash, n.frozen) for n in d.nominees.all()}
    # The 2020 title the certificate of merit relies on is annulled.
    Award.objects.filter(person=world["an"], award_code="CSTDCS", period_end__year=2020).update(
        status="annulled"
    )
    changes = services.compare(d)
    # An, and the office whose member no longer holds a CSTĐCS; not Bình.
    assert [c["nominee"].recipient for c in changes] == [world["an"], world["office"]]
    assert changes[0]["criteria"], changes[0]
    assert Dossier.objects.get(pk=d.pk).needs_recheck
    # The frozen content is never rewritten.
    assert {n.pk: (n.frozen_hash, n.frozen) for n in d.nominees.all()} == frozen_before


def test_overdue(filled, users):
    d = services.submit_dossier(filled, actor=users["kb"], today=DAY)
    assert not d.is_overdue(DAY)
    assert d.is_overdue(DAY + datetime.timedelta(days=10))
