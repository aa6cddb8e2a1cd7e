from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    name = "thidua.interchange"
    verbose_name = _("Data interchange")

    def ready(self):
        from thidua.interchange import cards

        cards.register()  # its section of the home page (thidua.accounts.home)
        from thidua.jobs.services import register

        register(
            "interchange.import",
            _("Spreadsheet import"),
            "thidua.interchange.imports.run_import_job",
        )
        register("interchange.export", _("Dataset export"), "thidua.interchange.exports.run_export")
