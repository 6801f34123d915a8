"""An invitation to join an office: the way every person enters the portal, the office's first admin
included. The link in the e-mail carries a random token; only its SHA-256 is stored, so a copy of the
database (a backup, a log of queries) cannot be used to join an office."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.models import Department, Membership, Organisation, Position, Role
from itaportal.thai import person_name


class Invitation(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        REVOKED = "revoked", _("revoked")
        EXPIRED = "expired", _("expired")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    email = models.EmailField(_("e-mail"))
    name_prefix = models.CharField(_("name prefix"), max_length=30, blank=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, related_name="+", null=True, blank=True,
        verbose_name=_("department"),
    )
    position = models.ForeignKey(
        Position, on_delete=models.SET_NULL, related_name="+", null=True, blank=True, verbose_name=_("position")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Moved forward by a re-send, which also replaces the token.
    sent_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, related_name="+", null=True, blank=True,
        verbose_name=_("membership"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            # One open invitation per address and office: a second one would leave two live links.
            models.UniqueConstraint(
                "organisation", Lower("email"),
                condition=models.Q(accepted_at=None, revoked_at=None),
                name="one_open_invitation_per_address",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at=None) | models.Q(revoked_at=None),
                name="invitation_accepted_or_revoked_not_both",
            ),
        ]

    @staticmethod
    def blocking_references(rows: models.QuerySet) -> models.QuerySet:
        """Only an open invitation still needs its department and position (see accounts.services)."""
        return rows.filter(accepted_at=None, revoked_at=None)

    def __str__(self) -> str:
        return f"{self.email} – {self.organisation.short_name}"

    @property
    def display_name(self) -> str:
        return person_name(self.name_prefix, self.first_name, self.last_name) or self.email

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return self.State.ACCEPTED
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)
