from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "thidua.plans"
    label = "plans"
    verbose_name = _("Tasks and indicators")

    def ready(self):
        from thidua.plans import cards

        cards.register()  # its section of the home page (thidua.accounts.home)
