"""Who sees which articles: the public sees the published ones; an editor sees every
article of the units it may change (drafts included)."""

from django.db.models import QuerySet

from thidua.accounts.choices import Action
from thidua.accounts.scope import restrict
from thidua.portal.choices import ArticleStatus
from thidua.portal.models import Article


def published() -> QuerySet[Article]:
    return Article.objects.filter(status=ArticleStatus.PUBLISHED).select_related("category")


def editable(user) -> QuerySet[Article]:
    return restrict(Article.objects.all(), user, Action.CHANGE).select_related("category", "unit")
