"""Reads scoped to what a person may see. Every organisation page goes through these."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from itaportal.audit.models import AuditEntry
from itaportal.audit.registry import describe

from .models import Department, Membership, Organisation, Position, User


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


def organisation_departments(organisation: Organisation) -> QuerySet[Department]:
    return Department.objects.filter(organisation=organisation).annotate(
        member_count=Count("memberships", filter=Q(memberships__is_active=True), distinct=True),
        position_count=Count("positions", distinct=True),
    ).order_by("order", "name")


def organisation_positions(organisation: Organisation) -> QuerySet[Position]:
    return (
        Position.objects.filter(organisation=organisation)
        .select_related("organisation", "department")
        .annotate(holder_count=Count("memberships", filter=Q(memberships__is_active=True)))
        .order_by("order", "title")
    )


def administration_history(organisation: Organisation, *prefixes: str, limit: int = 30) -> list:
    """The newest audit entries of the office whose action starts with one of `prefixes`
    ("ita.member.", "ita.invitation."…), each with the sentence it reads as, for a history panel."""
    condition = Q()
    for prefix in prefixes:
        condition |= Q(action__startswith=prefix)
    entries = AuditEntry.objects.filter(condition, organisation=organisation).order_by("-created_at", "-pk")[:limit]
    return [(entry, describe(entry)) for entry in entries]


def object_history(target, limit: int = 30) -> list:
    """The newest audit entries about one record (a membership), with their sentences."""
    entries = AuditEntry.objects.filter(
        object_type=target._meta.label_lower, object_id=target.pk
    ).order_by("-created_at", "-pk")[:limit]
    return [(entry, describe(entry)) for entry in entries]
