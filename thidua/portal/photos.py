"""An article's photo: the editor uploads one JPEG, PNG or WebP image (at most
`PHOTO_MAX_BYTES`, at most `PHOTO_MAX_PIXELS`), checked by decoding it with Pillow, not by
its name. It is stored under the data directory (MEDIA_ROOT/portal/<year>/<uuid>.<ext>)
and served by `views.article_photo`: to everyone once the article is published, to its
editors before. Replacing or removing it is audited; the old file is deleted after the
change is committed."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from thidua.accounts.choices import Action
from thidua.accounts.scope import require
from thidua.audit.services import log
from thidua.portal.models import Article
from thidua.portal.services import EDITABLE

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


def _image_type(upload) -> tuple[str, str]:
    """(extension, content type) of an uploaded image, or a ValidationError on `photo`."""
    name = getattr(upload, "name", "") or _("the file")
    size = getattr(upload, "size", 0) or 0
    params = {"name": name, "size": filesizeformat(size), "limit": filesizeformat(PHOTO_MAX_BYTES)}
    if not size:
        raise ValidationError({"photo": _("%(name)s is empty.") % params})
    if size > PHOTO_MAX_BYTES:
        raise ValidationError(
            {
                "photo": _(
                    "%(name)s is too large (%(size)s); the largest photo accepted is %(limit)s."
                )
                % params
            }
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
    finally:
        upload.seek(0)
    if kind not in FORMATS:
        raise ValidationError({"photo": _("%(name)s is not a JPEG, PNG or WebP photo.") % params})
    if width * height > PHOTO_MAX_PIXELS:
        raise ValidationError(
            {"photo": _("%(name)s has too many pixels; resize it first.") % params}
        )
    return FORMATS[kind]


def set_photo(article: Article, upload, *, actor) -> Article:
    """Attach `upload` as the article's photo (replacing the one before), while the article
    is a draft or withdrawn. Nothing is written when the image is refused."""
    require(actor, Action.CHANGE, article.unit)
    if article.status not in EDITABLE:
        raise ValidationError(_("A published article is withdrawn before it is corrected."))
    ext, content_type = _image_type(upload)
    old = article.photo.name
    article.photo.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
    try:
        with transaction.atomic():
            Article.objects.filter(pk=article.pk).update(
                photo=article.photo.name, photo_type=content_type
            )
            article.photo_type = content_type
            log(
                "portal.article.photo",
                article,
                actor=actor,
                before={"photo": old},
                after={"photo": article.photo.name, "type": content_type},
            )
    except Exception:
        article.photo.storage.delete(article.photo.name)
        raise
    if old:
        article.photo.storage.delete(old)
    return article


@transaction.atomic
def remove_photo(article: Article, *, actor) -> Article:
    require(actor, Action.CHANGE, article.unit)
    if article.status not in EDITABLE:
        raise ValidationError(_("A published article is withdrawn before it is corrected."))
    old = article.photo.name
    if not old:
        return article
    Article.objects.filter(pk=article.pk).update(photo="", photo_type="")
    log("portal.article.photo", article, actor=actor, before={"photo": old}, after={"photo": ""})
    storage = article.photo.storage
    transaction.on_commit(lambda: storage.delete(old))
    article.photo, article.photo_type = "", ""
    return article
