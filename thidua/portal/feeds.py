"""The RSS feed of the published news (/tin-tuc/rss.xml)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from thidua.portal.selectors import published

FEED_ITEMS = 30


class NewsFeed(Feed):
    title = _("News")
    description = _("News published on the portal.")

    def link(self):
        return reverse("portal:news_list")

    def items(self):
        return published().order_by("-published_at", "-id")[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Readers render an RSS description as HTML: the plain-text lead is escaped for
        # HTML here (the XML writer then escapes it for XML), so it reads as typed.
        return escape(item.lead)

    def item_link(self, item):
        return reverse("portal:news_detail", args=[item.category.slug, item.slug])

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.credit

    def item_categories(self, item):
        return [item.category.name]
