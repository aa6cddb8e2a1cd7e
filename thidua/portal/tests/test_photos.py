"""Publishing asks for confirmation; an article's photo is uploaded (type and size checked
by decoding it), stored under the data directory, served through a view (public once
published, to the editors before) and audited; a refused file stores nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from thidua.audit.models import AuditEntry
from thidua.portal import photos, services
from thidua.portal.choices import ArticleStatus
from thidua.portal.models import Article


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def image(fmt="PNG", size=(40, 30), name="anh.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_publishing_asks_first_and_nothing_is_public_until_confirmed(client, draft, users):
    client.force_login(users["officer"])
    url = reverse("portal:article_publish", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="confirm"' in page.content.decode()
    client.post(url)  # no confirmation: the question again, nothing published
    assert Article.objects.get(pk=draft.pk).status == ArticleStatus.DRAFT
    client.post(url, {"confirm": "1"})
    assert Article.objects.get(pk=draft.pk).status == ArticleStatus.PUBLISHED


def test_the_editor_uploads_a_photo_that_the_public_sees_once_published(
    client,
    draft,
    users,
    media,
):
    client.force_login(users["officer"])
    response = client.post(
        reverse("portal:article_photo_upload", args=[draft.pk]), {"photo": image()}
    )
    assert response.status_code == 302
    article = Article.objects.get(pk=draft.pk)
    assert article.photo_type == "image/png"
    files = stored(media)
    assert len(files) == 1 and files[0].suffix == ".png"
    assert AuditEntry.objects.filter(action="portal.article.photo").count() == 1
    photo_url = reverse("portal:article_photo", args=[draft.pk])
    assert client.get(photo_url).status_code == 200  # the editor, before publishing
    client.logout()
    assert client.get(photo_url).status_code == 404  # the public, not yet
    services.publish_article(article, actor=users["officer"])
    response = client.get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    page = client.get(reverse("portal:news_detail", args=[article.category.slug, article.slug]))
    assert photo_url in page.content.decode()


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("anh.png", b"<script>alert(1)</script>"), "is not a JPEG, PNG or WebP"),
        (SimpleUploadedFile("anh.jpg", b""), "The submitted file is empty."),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(
    client, settings, draft, users, media, upload, message
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(users["officer"])
    response = client.post(
        reverse("portal:article_photo_upload", args=[draft.pk]), {"photo": upload}
    )
    assert response.status_code == 400
    errors = " ".join(response.context["photo_form"].errors.get("photo", []))
    assert message in errors
    assert stored(media) == []
    assert Article.objects.get(pk=draft.pk).photo == ""


def test_a_photo_over_the_limit_is_refused(draft, users, media, monkeypatch):
    monkeypatch.setattr(photos, "PHOTO_MAX_BYTES", 100)
    with pytest.raises(Exception) as excinfo:
        photos.set_photo(draft, image(size=(200, 200)), actor=users["officer"])
    assert "too large" in " ".join(excinfo.value.messages)
    assert stored(media) == []


def test_a_viewer_cannot_upload(client, draft, users, media):
    client.force_login(users["viewer"])
    response = client.post(
        reverse("portal:article_photo_upload", args=[draft.pk]), {"photo": image()}
    )
    assert response.status_code == 404
    assert stored(media) == []


def test_replacing_the_photo_deletes_the_old_file(draft, users, media):
    photos.set_photo(draft, image(), actor=users["officer"])
    photos.set_photo(draft, image("JPEG", name="anh.jpg"), actor=users["officer"])
    files = stored(media)
    assert len(files) == 1 and files[0].suffix == ".jpg"


def test_the_editor_page_opens_clean_with_the_photo_form(client, draft, users):
    client.force_login(users["officer"])
    html = client.get(reverse("portal:article_edit", args=[draft.pk])).content.decode()
    assert "field-error" not in html and 'enctype="multipart/form-data"' in html
    assert reverse("portal:article_publish", args=[draft.pk]) in html
