from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "thidua.emulation"
    verbose_name = _("Emulation")

    def ready(self):
        # The eligibility engine asks its fact sources for "leads its block" (Law 06/2022
        # Điều 26, the provincial flag); from here on the answer comes from the recorded
        # results of the blocks.
        from thidua.emulation.selectors import leads_block_source
        from thidua.rules import sources

        sources.register("leads_block", leads_block_source)
