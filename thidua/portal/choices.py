from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("news status", "Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Declared moves; the verbs refuse any other. A withdrawn article may be published again
# (after a correction); a published one is edited only by withdrawing it first.
ARTICLE_TRANSITIONS = {
    ArticleStatus.DRAFT: {ArticleStatus.PUBLISHED},
    ArticleStatus.PUBLISHED: {ArticleStatus.WITHDRAWN},
    ArticleStatus.WITHDRAWN: {ArticleStatus.PUBLISHED, ArticleStatus.DRAFT},
}
