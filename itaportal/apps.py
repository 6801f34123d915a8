from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "itaportal"
    verbose_name = _("ITA Portal")
