from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "thidua.rules"
    verbose_name = _("Rules")

    def ready(self):
        from thidua.rules import cards

        cards.register()  # its section of the home page (thidua.accounts.home)
        # Load and validate the catalog, the criteria, the rule sets and the deployment
        # parameters at start: a malformed file or setting fails loudly, naming it.
        from thidua.rules import panels, parameters
        from thidua.rules.definitions import get_definitions
        from thidua.rules.money import base_salaries

        get_definitions()
        base_salaries()
        parameters.resolve()
        # The person and unit pages (org) show eligibility through panels.
        panels.register()
        from thidua.jobs.services import register

        # The results XLSX of a unit's subtree runs in the background (rules.jobs).
        register("rules.results_xlsx", _("Eligibility XLSX"), "thidua.rules.jobs.run_results_xlsx")
