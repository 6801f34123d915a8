"""Reads of notifications: a person only ever sees their own, in the organisation they act in."""

from django.db.models import QuerySet
from django.http import Http404

from itaportal.accounts.models import Organisation, User

from .models import Notification


def notifications_of(user: User, organisation: Organisation) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, organisation=organisation).order_by(
        "-created_at", "-pk"
    )


def get_notification_for_member(user: User, organisation: Organisation, pk: int) -> Notification:
    notification = notifications_of(user, organisation).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification


def unread_count(user: User, organisation: Organisation) -> int:
    return notifications_of(user, organisation).filter(read_at__isnull=True).count()
