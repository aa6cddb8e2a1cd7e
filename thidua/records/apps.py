from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "thidua.records"
    verbose_name = _("Records")

    def ready(self):
        # The person and unit pages (org) show the record through panels; the home page
        # (thidua.accounts.home) shows what remains to be rated through a card.
        from thidua.records import cards, panels

        panels.register()
        cards.register()
