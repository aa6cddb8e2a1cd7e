from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "thidua.records"
    verbose_name = _("Records")

    def ready(self):
        from thidua.records import cards

        cards.register()  # its section of the home page (thidua.accounts.home)
