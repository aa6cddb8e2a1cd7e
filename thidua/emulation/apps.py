from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "thidua.emulation"
    verbose_name = _("Emulation")

    def ready(self):
        from thidua.emulation import cards

        cards.register()  # its section of the home page (thidua.accounts.home)
        # The eligibility engine asks its fact sources for "leads its block" (Law 06/2022
        # Điều 26, the provincial flag) and, where the deployment requires registration
        # (parameter registration_required), for the titles each subject registered for;
        # from here on the answers come from the blocks' results and the registrations.
        from thidua.emulation.selectors import (
            leads_block_source,
            registered_people_source,
            registered_units_source,
        )
        from thidua.rules import sources

        sources.register("leads_block", leads_block_source)
        sources.register("registered_units", registered_units_source)
        sources.register("registered_people", registered_people_source)
