from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Memos and documents")

    def ready(self):
        # Registers the memo notification kinds, the sentences of the app's audit actions and the standard
        # chain of a newly registered office, so that every page, worker and test knows them.
        from . import audit_actions  # noqa: F401
        from .services import config, notify  # noqa: F401
