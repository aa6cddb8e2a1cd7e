"""News of the portal: drafts written from a summary, the editor's verbs (scoped,
audited, refusals write nothing), and the public pages and feed, which show published
articles only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from thidua.audit.models import AuditEntry
from thidua.portal import services
from thidua.portal.choices import ArticleStatus
from thidua.portal.models import Article

D = datetime.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_draft_is_written_from_the_summary(draft):
    assert draft.status == ArticleStatus.DRAFT and draft.published_at is None
    assert draft.title == "Huyện Kim Bảng tổng kết công tác năm 2020, triển khai nhiệm vụ năm 2021"
    assert draft.lead.startswith("Ngày 12/01/2021, UBND huyện Kim Bảng tổ chức hội nghị")
    assert "hoàn thành 1/1 nhiệm vụ (100%)" in draft.body
    assert draft.slug == "huyen-kim-bang-tong-ket-cong-tac-nam-2020-trien-khai-nhiem-vu-nam-2021"
    assert draft.source == "summary:KB:2020"
    assert AuditEntry.objects.filter(action="portal.article.draft").count() == 1


def test_a_viewer_cannot_draft_and_nothing_is_written(tree, users):
    with pytest.raises(PermissionDenied):
        services.draft_from_summary(
            tree["district"], 2020, held_on=D(2021, 1, 12), credit="X", actor=users["viewer"]
        )
    assert not Article.objects.exists() and not AuditEntry.objects.exists()


def test_publish_then_correct_by_withdrawing(draft, users):
    officer = users["officer"]
    services.edit_article(draft, title="Kim Bảng tổng kết năm 2020", actor=officer)
    article = services.publish_article(draft, actor=officer)
    assert article.status == ArticleStatus.PUBLISHED and article.published_at is not None
    with pytest.raises(ValidationError, match="withdrawn before it is corrected"):
        services.edit_article(article, title="Khác", actor=officer)
    with pytest.raises(ValidationError):
        services.publish_article(article, actor=officer)
    services.withdraw_article(article, actor=officer)
    services.edit_article(article, title="Kim Bảng tổng kết năm 2020 (sửa)", actor=officer)
    with pytest.raises(PermissionDenied):
        services.publish_article(article, actor=users["other_unit"])
    article.refresh_from_db()
    assert article.status == ArticleStatus.WITHDRAWN


def test_an_empty_headline_is_refused_by_field(draft, users):
    with pytest.raises(ValidationError) as error:
        services.edit_article(draft, title="  ", actor=users["officer"])
    assert "title" in error.value.message_dict


def test_the_public_sees_published_articles_only(client, draft, users):
    detail = reverse("portal:news_detail", args=[draft.category.slug, draft.slug])
    assert client.get(detail).status_code == 404
    assert draft.title not in client.get(reverse("portal:news_list")).content.decode()
    assert draft.title not in client.get(reverse("portal:feed")).content.decode()

    services.publish_article(draft, actor=users["officer"])
    page = client.get(detail).content.decode()
    assert draft.title in page and "Đài Truyền thanh huyện" in page
    listing = client.get(reverse("portal:news_category", args=[draft.category.slug]))
    assert draft.title in listing.content.decode()
    feed = client.get(reverse("portal:feed"))
    assert feed["Content-Type"].startswith("application/rss+xml")
    assert draft.title in feed.content.decode()


def test_the_editor_pages_are_scoped(client, draft, users):
    edit = reverse("portal:article_edit", args=[draft.pk])
    client.force_login(users["other_unit"])
    assert client.get(edit).status_code == 404
    assert draft.title not in client.get(reverse("portal:editor_list")).content.decode()
    client.force_login(users["viewer"])  # sees the unit, may not change it
    assert client.get(edit).status_code == 404
    client.force_login(users["officer"])
    response = client.post(
        edit,
        {
            "category": draft.category.pk,
            "title": "Kim Bảng: 100% nhiệm vụ tỉnh giao hoàn thành",
            "lead": draft.lead,
            "body": draft.body,
            "photo_caption": "Ảnh: Quang cảnh hội nghị",
            "credit": draft.credit,
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Kim Bảng: 100% nhiệm vụ tỉnh giao hoàn thành"
    publish = reverse("portal:article_publish", args=[draft.pk])
    assert draft.title in client.get(publish).content.decode()  # asks first
    response = client.post(publish, {"confirm": "1"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_the_draft_page_needs_the_change_right(client, tree, users):
    url = reverse("portal:draft_from_summary", args=["KB", 2020])
    client.force_login(users["viewer"])
    assert client.get(url).status_code == 404
    client.force_login(users["officer"])
    response = client.post(url, {"held_on": "2021-01-12", "credit": "Đài Truyền thanh huyện"})
    article = Article.objects.get()
    assert response["Location"] == reverse("portal:article_edit", args=[article.pk])
