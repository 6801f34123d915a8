"""Django's password validators speak through gettext, but Django's own Thai catalogue leaves their texts in
English: every person sets a password on our pages (invitations, reset), so they are listed here, exactly
as Django writes them, for makemessages to carry into our catalogue, which Django reads first."""

from django.utils.translation import gettext_noop, ngettext_lazy

VALIDATOR_TEXTS = (
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("This password is entirely numeric."),
)
