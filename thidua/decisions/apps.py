from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "thidua.decisions"
    verbose_name = _("Award decisions")

    def ready(self):
        from thidua.decisions import panels

        panels.register()  # the person and unit pages list the decisions conferring awards
