from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "thidua.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from thidua.accounts import signals

        signals.connect()
