from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "thidua.council"
    label = "council"
    verbose_name = _("Emulation and commendation council")
    default_auto_field = "django.db.models.BigAutoField"
