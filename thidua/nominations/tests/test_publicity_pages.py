"""Public comment through the pages: the portal's list and page (no login, no personal
data, the comment form with its guards, a query budget at two sizes), and the officers'
moderation and objection outcomes on the dossier page (permission matrix)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from thidua.accounts.system import SYSTEM
from thidua.audit.models import AuditEntry
from thidua.nominations import services
from thidua.nominations.models import Comment, Nominee
from thidua.nominations.tests.conftest import DAY, attach_minutes, spec
from thidua.org.models import Employment
from thidua.org.tests.factories import PersonFactory, user_with_role

pytestmark = pytest.mark.usefixtures("pages_in_english")


@pytest.fixture(autouse=True)
def quick_forms(settings):
    settings.THIDUA_PUBLIC_COMMENT_MIN_SECONDS = 0
    settings.THIDUA_PUBLIC_COMMENT_PER_HOUR = 2


def publish(dossier, users, people=()):
    """Submit in 2020, publish today (the public page reads today's date)."""
    if people:
        services.add_nominees(dossier, [spec(person=p) for p in people], actor=SYSTEM)
    attach_minutes(dossier)
    services.submit_dossier(dossier, today=DAY, actor=SYSTEM)
    for verb in ("receive", "appraise"):
        services.move(dossier, verb, today=DAY, actor=SYSTEM)
    services.move(dossier, "publish", actor=users["province"], today=timezone.localdate())
    return services.current_publication(dossier)


@pytest.fixture
def pub(dossier, world, users):
    world["an"].citizen_id = "035080001234"
    world["an"].save()
    return publish(dossier, users, [world["an"]])


def page_url(pub):
    return reverse("portal:publication", args=[pub.pk])


def post(client, pub, **data):
    page = client.get(page_url(pub))
    form = page.context["form"]
    payload = {
        "nominee": pub.content["nominees"][0]["nominee"],
        "text": "Anh An làm việc rất tận tụy.",
        "token": form.initial["token"],
        **data,
    }
    return client.post(page_url(pub), payload, REMOTE_ADDR="203.0.113.9")


def test_the_public_pages_need_no_login_and_show_no_personal_data(client, pub, world):
    listing = client.get(reverse("portal:publications"))
    assert listing.status_code == 200
    assert page_url(pub) in listing.content.decode()
    page = client.get(page_url(pub)).content.decode()
    assert world["an"].full_name in page and "Huyện Kim Bảng" in page
    assert pub.list_hash in page
    assert "035080001234" not in page and world["an"].code not in page
    assert "<script>" not in page.replace("<script src", "")


def test_a_visitor_comments_and_sees_it_once_approved(client, pub, users):
    response = post(client, pub, is_objection="on", author_name="")
    assert response.status_code == 302
    c = Comment.objects.get()
    assert c.is_objection and c.client_address == "203.0.113.9"
    assert "tận tụy" not in client.get(page_url(pub)).content.decode()
    services.moderate_comment(c, approve=True, actor=users["province"])
    assert "tận tụy" in client.get(page_url(pub)).content.decode()


def test_the_honeypot_and_the_flood_are_refused_on_the_page(client, pub):
    response = post(client, pub, website="http://spam.example")
    assert response.status_code == 200 and "could not be accepted" in response.content.decode()
    assert post(client, pub).status_code == 302
    assert post(client, pub).status_code == 302
    response = post(client, pub)
    assert "Too many comments from your connection" in response.content.decode()
    assert Comment.objects.count() == 2
    assert AuditEntry.objects.filter(action="nominations.comment.refused").count() == 2


def test_a_comment_without_text_names_the_field(client, pub):
    response = post(client, pub, text="")
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert not Comment.objects.exists()


def test_the_public_page_query_count_is_constant(
    client, round_, world, users, django_assert_max_num_queries
):
    from thidua.org.tests.factories import UnitFactory

    def published(count):
        unit = UnitFactory(parent=world["kb"])
        people = PersonFactory.create_batch(count)
        Employment.objects.bulk_create(
            Employment(person=p, unit=unit, start=datetime.date(2015, 1, 1)) for p in people
        )
        officer = user_with_role("officer", unit)
        dossier = services.start_dossier(round_, unit, actor=officer, today=DAY)
        p = publish(dossier, users, people)
        for c in Nominee.objects.filter(dossier=dossier):
            Comment.objects.create(
                publication=p, nominee=c, nominee_label="x", text="Đồng ý",
                created_at=timezone.now(), status=Comment.Status.APPROVED,
            )  # fmt: skip
        return p

    small = published(3)
    with django_assert_max_num_queries(12) as captured:
        client.get(page_url(small))
    large = published(40)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = client.get(page_url(large))
    assert len(response.context["rows"]) == 40
    with django_assert_max_num_queries(len(captured.captured_queries)):
        client.get(reverse("portal:publications"))


def moderate_url(c, name="comment_moderate"):
    return reverse(f"nominations:{name}", args=[c.publication.dossier_id, c.pk])


@pytest.mark.parametrize(
    ("who", "status", "allowed"),
    [
        (None, 302, False),
        ("no_role", 404, False),
        ("tl", 404, False),
        ("kb_viewer", 302, False),
        ("kb", 302, False),
        ("province", 302, True),
    ],
)
def test_moderation_permission_matrix(client, pub, users, who, status, allowed):
    c = services.post_comment(
        pub,
        actor=AnonymousUser(), nominee_id=pub.content["nominees"][0]["nominee"], text="Phản đối", is_objection=True,
        token=services.comment_form_token(pub),
    )  # fmt: skip
    if who:
        client.force_login(users[who])
    response = client.post(moderate_url(c), {"decision": "approve"})
    assert response.status_code == status
    c.refresh_from_db()
    assert (c.status == Comment.Status.APPROVED) == allowed
    if not allowed:
        services.moderate_comment(c, approve=True, actor=users["province"])
    response = client.post(
        moderate_url(c, "comment_outcome"), {"outcome": "dismissed", "reason": "Không có căn cứ."}
    )
    assert response.status_code == status
    c.refresh_from_db()
    assert (c.outcome == "dismissed") == allowed
    if who in ("kb", "kb_viewer", "province"):
        page = client.get(reverse("nominations:dossier", args=[c.publication.dossier_id]))
        assert ("Phản đối" in page.content.decode()) == allowed  # comments: officers only


def test_the_dossier_page_says_why_not_yet_for_the_council(client, pub, users):
    client.force_login(users["province"])
    page = client.get(reverse("nominations:dossier", args=[pub.dossier_id])).content.decode()
    assert "Not yet ready for the council" in page and "runs until" in page
    assert page_url(pub) in page


def test_a_nominee_awaiting_judgement_links_to_its_explanation(client, pub, users, world):
    nominee = Nominee.objects.get(dossier_id=pub.dossier_id)
    client.force_login(users["province"])
    page = client.get(reverse("nominations:dossier", args=[pub.dossier_id]))
    link = reverse("rules:explanation", args=["ca-nhan", world["an"].code, nominee.award_code])
    assert nominee.verdict == "needs_attestation"
    assert f"{link}?nam=2020" in page.content.decode()


def test_a_withdrawn_nominee_is_marked_and_keeps_its_objection(client, pub, users, world):
    c = services.post_comment(
        pub,
        actor=AnonymousUser(), nominee_id=pub.content["nominees"][0]["nominee"], text="Đang bị kỷ luật",
        is_objection=True, token=services.comment_form_token(pub),
    )  # fmt: skip
    services.moderate_comment(c, approve=True, actor=users["province"])
    services.record_objection_outcome(
        c, outcome="upheld", reason="Có quyết định kỷ luật.", actor=users["province"]
    )
    page = client.get(page_url(pub))
    (row,) = page.context["rows"]
    assert row["withdrawn"] and [x.pk for x in row["comments"]] == [c.pk]
    assert "Có quyết định kỷ luật." in page.content.decode()
