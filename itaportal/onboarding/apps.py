from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "itaportal.onboarding"
    label = "onboarding"
    verbose_name = _("Registering offices and inviting people")

    def ready(self):
        # Registers the audit sentences of registrations and invitations for every page and worker.
        from .services import invitations, offices  # noqa: F401
