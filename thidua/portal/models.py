"""News of the public portal (/tin-tuc/): articles in categories, written as drafts (by
hand or from a year-end summary) that an editor reviews and publishes. Published
articles are public; drafts and withdrawn ones are seen only by the editors of the unit.

Written only through the verbs of `portal.services`, which check the scope and audit.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thidua.org.models import Unit
from thidua.portal.choices import ArticleStatus


class Category(models.Model):
    """A section of the portal ("Kinh tế - Chính trị"); the slug is its address."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("display order", "position"), default=0
    )

    class Meta:
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Article(models.Model):
    """A news article of a unit. `credit` names the author or the source ("Đài Truyền
    thanh huyện"). `source` records what a generated draft was written from (e.g.
    "summary:KB:2020"), so the same summary is not drafted twice by accident."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="articles"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="articles"
    )
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    title = models.CharField(_("headline"), max_length=255)
    lead = models.TextField(_("lead paragraph"))
    body = models.TextField(_("body"), help_text=_("Paragraphs separated by a blank line."))
    photo = models.FileField(_("photo"), upload_to="portal/%Y/", blank=True, max_length=200)
    photo_type = models.CharField(_("photo type"), max_length=40, blank=True)
    photo_caption = models.CharField(_("photo caption"), max_length=300, blank=True)
    credit = models.CharField(_("author or source"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    source = models.CharField(_("written from"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-created_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ArticleStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="article_published_has_date",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]
