from datetime import date
from decimal import Decimal

from django.db import models

from itaportal.accounts.models import Organisation, User

from .models import AuditEntry
from .registry import ACTIONS


def _checked(action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    return action


def audit(
    *,
    organisation: Organisation | None,
    action: str,
    target: models.Model,
    actor: User | None,
    actor_name: str = "",
    actor_position: str = "",
    capacity: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Write one entry of the trail, inside the caller's transaction so it stands or falls with the change.
    `organisation` is None for a platform action that concerns no office (see AuditEntry)."""
    return AuditEntry.objects.create(
        organisation=organisation,
        action=_checked(action),
        object_type=target._meta.label_lower,
        object_id=target.pk,
        actor=actor,
        actor_name=actor_name or (actor.display_name if actor else ""),
        actor_position=actor_position,
        capacity=capacity,
        data=data or {},
    )


def audit_each(
    *, action: str, actor: User | None, entries: list[tuple[Organisation | None, models.Model, dict]]
) -> list[AuditEntry]:
    """One entry per (organisation, target, data), written in one statement: a change of thousands of
    records at once (a national score import) keeps one entry per record without a query per record."""
    _checked(action)
    name = actor.display_name if actor else ""
    return AuditEntry.objects.bulk_create(
        AuditEntry(organisation=organisation, action=action, object_type=target._meta.label_lower,
                   object_id=target.pk, actor=actor, actor_name=name, data=data)
        for organisation, target, data in entries
    )


def shown(value):
    """A value as an entry's JSON keeps it and the history panel prints it: figures and days as text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def money(value: Decimal | None) -> str | None:
    """An amount in baht as the trail keeps it, so that 1000 typed and 1000.00 stored are the same."""
    return None if value is None else f"{value:.2f}"


def changes(before: dict, after: dict) -> dict[str, list]:
    """{field: [before, after]} of the fields whose value differs, in the order of `after`."""
    return {
        field: [shown(before.get(field)), shown(value)]
        for field, value in after.items()
        if before.get(field) != value
    }
