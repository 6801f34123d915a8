"""What the portal tells a person in one organisation: reminders now, memos waiting later."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.models import Organisation

from .registry import render


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("organisation")
    )
    # A dotted type such as ita.progress.overdue; the sentence is made from it at display time
    # (see registry.py) so that a notification reads in the language the person uses now.
    kind = models.CharField(_("kind"), max_length=100)
    data = models.JSONField(_("data"), default=dict, blank=True)
    # A path inside the portal, not a full address: URLField would refuse it.
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Says what a notification is about and for which day, so that a task run twice never
    # tells the same thing twice; the unique constraint settles two runs at the same moment.
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=models.Q(dedupe_key__isnull=False),
                name="notification_dedupe_key",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "organisation", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient", "organisation"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def text(self) -> str:
        return render(self.kind, self.data)
