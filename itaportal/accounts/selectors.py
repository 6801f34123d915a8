"""Reads scoped to what a person may see. Every organisation page goes through these."""

from django.db.models import QuerySet
from django.http import Http404

from .models import Membership, Organisation, User


def visible_organisations(user: User) -> QuerySet[Organisation]:
    """The one answer to "which organisations may this user see"."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        is_active=True, memberships__user=user, memberships__is_active=True
    ).select_related("province", "district")


def memberships_of(user: User) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation__province", "organisation__district", "department", "position")
        .order_by("organisation__name")
    )


def get_membership_or_404(user: User, org_slug: str) -> Membership:
    """The membership through which `user` acts in the organisation; 404 for anyone outside it,
    so that an outsider cannot even learn that the organisation exists."""
    membership = memberships_of(user).filter(organisation__slug=org_slug).first()
    if membership is None:
        raise Http404
    return membership


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "department", "position", "organisation")
        .order_by("-is_active", "department__order", "position__order", "user__username")
    )
