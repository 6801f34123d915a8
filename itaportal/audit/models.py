"""The append-only trail: every state change of a memo (and later other objects) leaves an entry.

Entries are never updated or deleted: the model refuses it everywhere, and on PostgreSQL a trigger
refuses it in the database itself, so that not even a raw SQL statement can rewrite history.

An entry without an organisation is an action of the people who run the portal (a fiscal year's
framework edited or published) that belongs to no office.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.models import Organisation


class AppendOnlyError(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation"), null=True,
        blank=True,
    )
    action = models.CharField(_("action"), max_length=100, help_text=_("For example ita.memo.approved"))
    # What the entry is about: "reports.memo" and its id.
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.PositiveBigIntegerField(_("object id"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("actor"),
    )
    # The actor's name and position as they stood at that moment, and in which capacity they acted.
    actor_name = models.CharField(_("actor's name"), max_length=255, blank=True)
    actor_position = models.CharField(_("actor's position"), max_length=255, blank=True)
    capacity = models.CharField(_("capacity"), max_length=30, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")
