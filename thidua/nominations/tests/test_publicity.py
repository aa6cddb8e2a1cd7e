"""Public comment: the publication (period, list as published, its hash), comments
(moderated, rate-limited, spam-guarded), objections and their outcomes, and the
`to_council` move refused until the period has ended and every objection has one."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from thidua.audit.models import AuditEntry
from thidua.nominations import services
from thidua.nominations.choices import State
from thidua.nominations.models import Comment, Dossier, Nominee, Publication
from thidua.nominations.services.eligibility import content_hash
from thidua.nominations.tests.conftest import DAY, attach_minutes, spec
from thidua.nominations.workflow import add_working_days

AFTER = add_working_days(DAY, 6)


@pytest.fixture(autouse=True)
def quick_forms(settings):
    settings.THIDUA_PUBLIC_COMMENT_MIN_SECONDS = 0
    settings.THIDUA_PUBLIC_COMMENT_DAYS = 5
    settings.THIDUA_PUBLIC_COMMENT_PER_HOUR = 3


@pytest.fixture
def published(dossier, world, users):
    services.add_nominees(
        dossier,
        [spec(person=world["an"]), spec("TTLDXS", unit=world["office"])],
        actor=users["kb"],
    )
    attach_minutes(dossier, users["kb"])
    services.submit_dossier(dossier, actor=users["kb"], today=DAY)
    for verb in ("receive", "appraise", "publish"):
        services.move(dossier, verb, actor=users["province"], today=DAY)
    return Dossier.objects.get(pk=dossier.pk)


def publication(dossier):
    return services.current_publication(dossier)


def comment(pub, nominee=None, *, address="203.0.113.7", objection=False, **kwargs):
    nominee = nominee or Nominee.objects.filter(dossier=pub.dossier).order_by("pk").first()
    return services.post_comment(
        pub,
        actor=AnonymousUser(),
        nominee_id=nominee.pk,
        text=kwargs.pop("text", "Tôi xác nhận thành tích."),
        is_objection=objection,
        client_address=address,
        token=kwargs.pop("token", services.comment_form_token(pub)),
        today=kwargs.pop("today", DAY),
        **kwargs,
    )


def test_publishing_keeps_the_period_the_list_and_its_hash(dossier, world, users):
    world["an"].birth_date = datetime.date(1980, 5, 17)
    world["an"].citizen_id = "035080001234"
    world["an"].save()
    services.add_nominee(dossier, spec(person=world["an"]), actor=users["kb"])
    services.add_nominee(dossier, spec("TTLDXS", unit=world["office"]), actor=users["kb"])
    attach_minutes(dossier, users["kb"])
    services.submit_dossier(dossier, actor=users["kb"], today=DAY)
    for verb in ("receive", "appraise", "publish"):
        services.move(dossier, verb, actor=users["province"], today=DAY)
    published = Dossier.objects.get(pk=dossier.pk)
    pub = publication(published)
    assert pub.starts_on == DAY and pub.ends_on == add_working_days(DAY, 5)
    assert pub.list_hash == content_hash(pub.content)
    rows = pub.content["nominees"]
    assert {r["name"] for r in rows} == {world["an"].full_name, world["office"].name}
    # No personal data: nothing but names, units, awards, period and summary.
    assert set(rows[0]) == {"nominee", "kind", "name", "unit", "award", "period", "summary"}
    assert "BK_TINH" not in {r["award"] for r in rows}  # names, not codes
    assert "035080001234" not in str(pub.content) and "1980" not in str(pub.content)
    assert published.state_deadline == add_working_days(pub.ends_on, 1)


def test_the_period_setting_is_read(dossier, world, users, settings):
    settings.THIDUA_PUBLIC_COMMENT_DAYS = 10
    services.add_nominee(dossier, spec(person=world["an"]), actor=users["kb"])
    attach_minutes(dossier, users["kb"])
    services.submit_dossier(dossier, actor=users["kb"], today=DAY)
    for verb in ("receive", "appraise", "publish"):
        services.move(dossier, verb, actor=users["province"], today=DAY)
    assert publication(dossier).ends_on == add_working_days(DAY, 10)


def test_a_comment_waits_for_moderation_and_is_audited(published):
    pub = publication(published)
    c = comment(pub, author_name="Trần Thị Hoa", contact="0912 345 678")
    assert c.status == Comment.Status.PENDING and c.client_address == "203.0.113.7"
    assert c.nominee_label.endswith(c.nominee_label.split(" – ")[-1])
    assert AuditEntry.objects.filter(action="nominations.comment.post").count() == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": "   "}, "Write your comment."),
        ({"honeypot": "http://spam.example"}, "could not be accepted"),
        ({"token": "forged"}, "form has expired"),
        ({"today": AFTER}, "were accepted from"),
    ],
)
def test_bad_comments_are_refused_audited_and_nothing_written(published, kwargs, message):
    pub = publication(published)
    with pytest.raises(ValidationError, match=message):
        comment(pub, **kwargs)
    assert not Comment.objects.exists()
    assert AuditEntry.objects.filter(action="nominations.comment.refused").count() == 1


def test_a_form_sent_too_fast_is_refused(published, settings):
    settings.THIDUA_PUBLIC_COMMENT_MIN_SECONDS = 3600
    with pytest.raises(ValidationError, match="too quickly"):
        comment(publication(published))
    assert not Comment.objects.exists()


def test_a_nominee_of_another_dossier_is_refused(published, round_, world, users):
    other = services.start_dossier(round_, world["tl"], actor=users["tl"], today=DAY)
    stranger = services.add_nominee(other, spec(person=world["elsewhere"]), actor=users["tl"])
    with pytest.raises(ValidationError, match="published list"):
        comment(publication(published), stranger)


def test_a_flood_from_one_address_is_refused(published):
    pub = publication(published)
    for _ in range(3):
        comment(pub)
    with pytest.raises(ValidationError, match="Too many comments from your connection"):
        comment(pub)
    assert Comment.objects.count() == 3
    refused = AuditEntry.objects.get(action="nominations.comment.refused")
    assert refused.after["client_address"] == "203.0.113.7"
    comment(pub, address="198.51.100.1")  # another address is not held back
    assert Comment.objects.count() == 4


def test_only_the_receiving_officer_moderates(published, users):
    c = comment(publication(published))
    for who in ("kb", "kb_viewer", "tl", "no_role"):
        with pytest.raises(PermissionDenied):
            services.moderate_comment(c, approve=True, actor=users[who])
    assert Comment.objects.get(pk=c.pk).status == Comment.Status.PENDING
    services.moderate_comment(c, approve=True, actor=users["province"])
    assert Comment.objects.get(pk=c.pk).status == Comment.Status.APPROVED


def test_to_council_waits_for_the_period_and_every_objection(published, users):
    province = users["province"]
    objection = comment(publication(published), objection=True, text="Không đúng thành tích.")
    with pytest.raises(ValidationError) as refused:
        services.send_to_council(published, actor=province, today=DAY)
    text = " ".join(refused.value.messages)
    assert "runs until" in text and "no recorded outcome" in text
    with pytest.raises(ValidationError, match="no recorded outcome") as refused:
        services.send_to_council(published, actor=province, today=AFTER)
    assert "runs until" not in " ".join(refused.value.messages)
    assert Dossier.objects.get(pk=published.pk).state == State.PUBLIC_COMMENT
    with pytest.raises(ValidationError, match="Approve the objection"):
        services.record_objection_outcome(
            objection, outcome="dismissed", reason="x", actor=province
        )
    services.moderate_comment(objection, approve=True, actor=province)
    with pytest.raises(ValidationError, match="Give the reason"):
        services.record_objection_outcome(
            objection, outcome="dismissed", reason=" ", actor=province
        )
    with pytest.raises(PermissionDenied):
        services.record_objection_outcome(
            objection, outcome="dismissed", reason="Đã xác minh", actor=users["kb"]
        )
    services.record_objection_outcome(
        objection, outcome="dismissed", reason="Đã xác minh: thành tích đúng.", actor=province,
        today=AFTER,
    )  # fmt: skip
    assert Nominee.objects.filter(dossier=published).count() == 2
    d = services.send_to_council(published, actor=province, today=AFTER)
    assert d.state == State.READY_FOR_COUNCIL


def test_a_hidden_objection_needs_no_outcome(published, users):
    objection = comment(publication(published), objection=True, text="quảng cáo")
    services.moderate_comment(objection, approve=False, actor=users["province"])
    d = services.send_to_council(published, actor=users["province"], today=AFTER)
    assert d.state == State.READY_FOR_COUNCIL


def test_an_upheld_objection_withdraws_the_nominee(published, users, world):
    pub = publication(published)
    an = Nominee.objects.get(dossier=published, person=world["an"])
    objection = comment(pub, an, objection=True, text="Đang bị xem xét kỷ luật.")
    services.moderate_comment(objection, approve=True, actor=users["province"])
    services.record_objection_outcome(
        objection, outcome="upheld", reason="Có quyết định kỷ luật.", actor=users["province"]
    )
    assert not Nominee.objects.filter(pk=an.pk).exists()
    objection.refresh_from_db()
    assert objection.outcome == "upheld" and objection.nominee is None
    assert world["an"].full_name in objection.nominee_label
    audit = AuditEntry.objects.get(action="nominations.dossier.objection")
    assert audit.after["withdrawn"]["nominee"] == an.pk
    # The published list is proof: it does not change.
    assert Publication.objects.get(pk=pub.pk).list_hash == content_hash(pub.content)
