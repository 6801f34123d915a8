"""Reads of invitations and registered offices."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from itaportal.accounts.models import Organisation

from .models import Invitation
from .tokens import token_hash


def open_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    """Neither accepted nor revoked: waiting for an answer, or expired and waiting for a re-send."""
    return (
        Invitation.objects.filter(organisation=organisation, accepted_at=None, revoked_at=None)
        .select_related("department", "position__organisation", "invited_by")
        .order_by("-sent_at", "-pk")
    )


def get_open_invitation_or_404(organisation: Organisation, pk: int) -> Invitation:
    return get_object_or_404(open_invitations(organisation), pk=pk)


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation__province", "department", "position__organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )


def registered_offices() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("province", "district").order_by("-created_at", "-pk")
