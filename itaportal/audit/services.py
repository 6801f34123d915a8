from django.db import models

from itaportal.accounts.models import Organisation, User

from .models import AuditEntry
from .registry import ACTIONS


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
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    return AuditEntry.objects.create(
        organisation=organisation,
        action=action,
        object_type=target._meta.label_lower,
        object_id=target.pk,
        actor=actor,
        actor_name=actor_name or (actor.display_name if actor else ""),
        actor_position=actor_position,
        capacity=capacity,
        data=data or {},
    )
