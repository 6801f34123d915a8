"""Writes of notifications: create one (with its e-mail after commit), mark read."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from itaportal.accounts.models import Organisation, User

from .models import Notification
from .registry import KINDS

logger = logging.getLogger(__name__)

# People have no language of their own yet: mail goes out in the portal's default language.
MAIL_LANGUAGE = "th"


def notify(
    *,
    recipient: User,
    organisation: Organisation,
    kind: str,
    data: dict,
    url: str,
    dedupe_key: str | None = None,
    email: bool = True,
) -> Notification | None:
    """Tell `recipient` something in the portal and, when they have an address, by e-mail.

    Returns None, and sends nothing, when a notification with the same `dedupe_key` exists.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}: register it in notifications.registry")
    try:
        # A savepoint, so that a duplicate refused by the constraint leaves the caller's transaction usable.
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                organisation=organisation,
                kind=kind,
                data=data,
                url=url,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        if dedupe_key is None or not Notification.objects.filter(dedupe_key=dedupe_key).exists():
            raise
        return None
    if email and recipient.email:
        # robust: a mail server that is down must not undo or break what the caller committed.
        transaction.on_commit(lambda: send_notification_email(notification_id=notification.pk), robust=True)
    return notification


def send_notification_email(*, notification_id: int) -> None:
    notification = (
        Notification.objects.select_related("recipient", "organisation").filter(pk=notification_id).first()
    )
    if notification is None or not notification.recipient.email:
        return
    with translation.override(MAIL_LANGUAGE):
        context = {
            "notification": notification,
            "recipient": notification.recipient,
            "organisation": notification.organisation,
            "text": notification.text,
            "link": f"{settings.PORTAL_URL}{notification.url}",
        }
        subject = " ".join(render_to_string("notifications/email_subject.txt", context).split())
        body = render_to_string("notifications/email_body.txt", context)
    send_mail(subject, body, None, [notification.recipient.email])


def mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user: User, organisation: Organisation) -> int:
    return Notification.objects.filter(
        recipient=user, organisation=organisation, read_at__isnull=True
    ).update(read_at=timezone.now())
