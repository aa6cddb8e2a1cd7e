from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "thidua.rules"
    verbose_name = _("Rules")

    def ready(self):
        # Load and validate the catalog at start: a malformed file fails loudly.
        from thidua.rules.catalog import get_catalog

        get_catalog()
