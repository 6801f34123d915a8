"""Writes of the measures app, by area: the plan, rounds and progress, evidence, the OIT checklist.

Every change leaves an entry in the audit trail (its sentences: measures/audit_actions.py), written
in the change's own transaction by `record`."""

from django.db import models

from itaportal.accounts.models import Organisation, User
from itaportal.accounts.services import own_position_title
from itaportal.audit.services import audit


class MeasureError(Exception):
    """A refused change, with a message fit for the person who asked for it."""


def record(
    *, organisation: Organisation, action: str, target: models.Model, user: User | None, data: dict
) -> None:
    """The entry of one change, with the position the person holds in the office beside their name."""
    audit(organisation=organisation, action=action, target=target, actor=user,
          actor_position=own_position_title(user, organisation), data=data)
