from datetime import date

from django.db.models import QuerySet
from django.core.exceptions import PermissionDenied
from django.http import Http404

from itaportal.accounts.models import Membership, Role
from itaportal.audit.models import AuditEntry
from itaportal.audit.selectors import about, about_rows

from ..models import Delegation, Document, Memo


def memos_visible(membership: Membership) -> QuerySet[Memo]:
    """Auditors read approved memos only; everyone else in the organisation reads them all."""
    memos = Memo.objects.filter(organisation=membership.organisation).select_related(
        "organisation", "department", "author", "round"
    )
    if membership.role == Role.AUDITOR:
        memos = memos.filter(state=Memo.State.APPROVED)
    return memos.order_by("-created_at")


def get_memo_for_member(membership: Membership, pk: int) -> Memo:
    """404 outside the organisation; 403 for a member whose role may not read this memo yet
    (an auditor before approval): it is theirs to know the memo exists, not to read it."""
    memo = (
        Memo.objects.filter(organisation=membership.organisation, pk=pk)
        .select_related("organisation", "department", "author", "round")
        .first()
    )
    if memo is None:
        raise Http404
    if not memos_visible(membership).filter(pk=pk).exists():
        raise PermissionDenied
    return memo


def positions_decided_by(membership: Membership, on: date) -> set[int]:
    """The positions this person decides for today: their own, and any they act for."""
    positions = {membership.position_id} if membership.position_id else set()
    positions |= set(
        Delegation.objects.filter(
            organisation=membership.organisation, person=membership.user, start__lte=on, end__gte=on
        ).values_list("position_id", flat=True)
    )
    return positions


def waiting_for(membership: Membership, on: date) -> list[Memo]:
    """Memos waiting at a level this person may decide ("waiting for me")."""
    if membership.role not in (Role.EXECUTIVE, Role.ADMIN):
        return []
    positions = positions_decided_by(membership, on)
    if not positions:
        return []
    in_review = memos_visible(membership).filter(state=Memo.State.IN_REVIEW)
    return [m for m in in_review if m.levels[m.current_level - 1]["position_id"] in positions]


def history_of(memo: Memo) -> QuerySet[AuditEntry]:
    """The memo's trail, oldest first, with the making of its approved documents' PDFs."""
    return (
        AuditEntry.objects.filter(about(memo) | about_rows(documents_of(memo)))
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def documents_of(memo: Memo) -> QuerySet[Document]:
    return Document.objects.filter(version__memo=memo).order_by("kind")
