from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    name = "thidua.nominations"
    verbose_name = _("Award proposals")

    def ready(self):
        from thidua.nominations import cards

        cards.register()  # its section of the home page (thidua.accounts.home)
