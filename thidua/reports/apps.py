from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "thidua.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from thidua.jobs.services import register

        register("reports.report", _("Year-end report"), "thidua.reports.jobs.run_report")
        register("reports.statistics", _("Statistics XLSX"), "thidua.reports.jobs.run_statistics")
