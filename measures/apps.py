from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Measures and progress")

    def ready(self):
        # The trail's sentences must be known wherever an entry is read, not only where one is written.
        from . import audit_actions  # noqa: F401
