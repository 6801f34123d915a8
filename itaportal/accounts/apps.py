from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "itaportal.accounts"
    label = "accounts"
    verbose_name = _("Organisations and people")

    def ready(self):
        # Registers the audit sentences of the office's administration for every page and worker.
        from . import services  # noqa: F401
