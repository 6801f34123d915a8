"""Writes of the onboarding app: offices registered, people invited. Views call these."""

from itaportal.accounts.services import AdministrationError


class OnboardingError(AdministrationError):
    """A refused registration or invitation; like every AdministrationError it may name the field at fault."""
