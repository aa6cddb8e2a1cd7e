"""Verbs of the news portal: draft (by hand or from a year-end summary), edit, publish,
withdraw. Each checks the change right on the article's unit (`thidua.accounts.scope`),
writes in one transaction, and audits; a refused change writes nothing.

An article moves only along `choices.ARTICLE_TRANSITIONS`. A published article is not
edited in place: it is withdrawn, corrected and published again, so what the public read
is always on record.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from thidua.accounts.choices import Action
from thidua.accounts.scope import require
from thidua.audit.services import log, snapshot
from thidua.portal.choices import ARTICLE_TRANSITIONS, ArticleStatus
from thidua.portal.models import Article, Category
from thidua.reports.news import draft_news
from thidua.reports.summary import build_summary
from thidua.vietnamese import fold

DEFAULT_CATEGORY = "kinh-te-chinh-tri"
EDITABLE = (ArticleStatus.DRAFT, ArticleStatus.WITHDRAWN)
FIELDS = ("title", "lead", "body", "photo_caption", "credit", "category")


def _slug(title: str) -> str:
    """An ASCII address from the headline ('Huyện Kim Bảng …' → 'huyen-kim-bang-…'),
    made unique with a number when taken."""
    limit = Article._meta.get_field("slug").max_length - 6
    base = slugify(fold(title))[:limit].strip("-") or "tin"
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def default_category() -> Category:
    """The section news drafted from a summary goes to; created by migration 0002, and
    again here if an operator removed it."""
    category, _created = Category.objects.get_or_create(
        slug=DEFAULT_CATEGORY, defaults={"name": "Tin tức - Sự kiện / Kinh tế - Chính trị"}
    )
    return category


def _check(article: Article) -> None:
    for field in ("title", "lead", "body", "credit"):
        if not (getattr(article, field) or "").strip():
            raise ValidationError({field: _("This field cannot be empty.")})
    article.full_clean(exclude=["unit", "category"])


@transaction.atomic
def draft_article(
    *, unit, title, lead, body, credit, category=None, photo_caption="", source="", actor
) -> Article:
    """A new draft of `unit`'s news, not public until published."""
    require(actor, Action.CHANGE, unit)
    category = category or default_category()
    article = Article(
        unit=unit,
        category=category,
        title=title.strip(),
        lead=lead.strip(),
        body=body.strip(),
        photo_caption=photo_caption.strip(),
        credit=credit.strip(),
        source=source,
        slug=_slug(title),
    )
    _check(article)
    article.save()
    log("portal.article.draft", article, actor=actor, after=snapshot(article))
    return article


def draft_from_summary(unit, year: int, *, held_on: datetime.date, credit: str, actor):
    """A draft about `unit`'s summary conference of `year` (held on `held_on`), written
    from the summary computed now (`reports.news`). The editor reviews it."""
    require(actor, Action.CHANGE, unit)
    news = draft_news(build_summary(unit, year, user=actor, today=held_on), held_on=held_on)
    return draft_article(
        unit=unit,
        title=news.title,
        lead=news.lead,
        body=news.body,
        photo_caption=news.photo_caption,
        credit=credit,
        source=f"summary:{unit.code}:{year}",
        actor=actor,
    )


@transaction.atomic
def edit_article(article: Article, *, actor, **changes) -> Article:
    """Change a draft's (or a withdrawn article's) text, caption, credit or category."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    require(actor, Action.CHANGE, article.unit)
    if article.status not in EDITABLE:
        raise ValidationError(_("A published article is withdrawn before it is corrected."))
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(", ".join(sorted(unknown)))
    before = snapshot(article)
    for field, value in changes.items():
        setattr(article, field, value.strip() if isinstance(value, str) else value)
    _check(article)
    article.save()
    log("portal.article.edit", article, actor=actor, before=before, after=snapshot(article))
    return article


@transaction.atomic
def _move(article: Article, status: str, action: str, actor, now=None) -> Article:
    article = Article.objects.select_for_update().get(pk=article.pk)
    require(actor, Action.CHANGE, article.unit)
    if status not in ARTICLE_TRANSITIONS[article.status]:
        raise ValidationError(
            _("An article that is %(from)s cannot become %(to)s.")
            % {"from": article.get_status_display(), "to": ArticleStatus(status).label}
        )
    before = snapshot(article)
    article.status = status
    if status == ArticleStatus.PUBLISHED:
        article.published_at = now or timezone.now()
    article.save(update_fields=["status", "published_at", "updated_at"])
    log(action, article, actor=actor, before=before, after=snapshot(article))
    return article


def publish_article(article: Article, *, actor, now=None) -> Article:
    """Make the article public on the portal and in its RSS feed."""
    return _move(article, ArticleStatus.PUBLISHED, "portal.article.publish", actor, now)


def withdraw_article(article: Article, *, actor) -> Article:
    """Take a published article off the portal (it stays on record)."""
    return _move(article, ArticleStatus.WITHDRAWN, "portal.article.withdraw", actor)
