"""The memo register (ทะเบียนบันทึกข้อความ): every memo of an office with whose desk it is on now.

The page and its XLSX export read the same rows, in a fixed number of queries whatever the number
of memos: the time a memo reached its current desk is annotated in SQL, and the people who may
decide the waiting levels are read once for all the rows shown.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from itaportal.accounts.models import Membership, Organisation, Role
from itaportal.audit.models import AuditEntry

from ..models import Decision, Delegation, Memo
from ..snapshots import number_text


def register_memos(organisation: Organisation) -> QuerySet[Memo]:
    """The office's memos, newest number first (drafts, which have none, first of all), with the time
    of their last submission and of the last decision of their current review."""
    submitted = AuditEntry.objects.filter(
        object_type=Memo._meta.label_lower, object_id=OuterRef("pk"), action="ita.memo.submitted"
    ).order_by("-created_at", "-pk")
    decided = Decision.objects.filter(memo=OuterRef("pk"), review=OuterRef("review")).order_by("-decided_at", "-pk")
    return (
        Memo.objects.filter(organisation=organisation)
        .select_related("organisation", "author")
        .annotate(
            submitted_at=Subquery(submitted.values("created_at")[:1]),
            last_decided_at=Subquery(decided.values("decided_at")[:1]),
        )
        .order_by(
            F("date").desc(nulls_first=True), F("number_year").desc(nulls_first=True),
            F("number").desc(nulls_first=True), "-created_at", "-pk",
        )
    )


@dataclass(frozen=True)
class Holder:
    name: str
    capacity: str  # "" for the holder of the position, else รักษาราชการแทน / ปฏิบัติราชการแทน


@dataclass(frozen=True)
class Desk:
    """Where a memo in review waits: the position of its level, who may decide it, and since when."""

    position: str
    holders: list[Holder]
    since: datetime | None


@dataclass(frozen=True)
class RegisterRow:
    memo: Memo
    number: str  # as the memo prints it (พย 72401/120, Arabic digits here), "" before submission
    desk: Desk | None  # None: not waiting for anyone (a draft, returned, decided or cancelled memo)


def register_rows(memos: list[Memo], organisation: Organisation, on: date) -> list[RegisterRow]:
    """Rows for memos read through `register_memos`: two more queries, whatever their number."""
    waiting = {
        memo.pk: memo.levels[memo.current_level - 1]
        for memo in memos
        if memo.state == Memo.State.IN_REVIEW and 0 < memo.current_level <= len(memo.levels)
    }
    positions = {level["position_id"] for level in waiting.values()}
    holders: dict[int, list[Holder]] = {position: [] for position in positions}
    if positions:
        # The same people as reports.selectors.chain.deciders_of, for many positions at once.
        for membership in (
            Membership.objects.filter(
                organisation=organisation, position_id__in=positions, is_active=True,
                role__in=[Role.EXECUTIVE, Role.ADMIN],
            )
            .select_related("user")
            .order_by("user__first_name", "pk")
        ):
            holders[membership.position_id].append(Holder(membership.user.display_name, ""))
        for delegation in (
            Delegation.objects.filter(
                organisation=organisation, position_id__in=positions, start__lte=on, end__gte=on
            )
            .select_related("person")
            .order_by("start", "pk")
        ):
            holders[delegation.position_id].append(
                Holder(delegation.person.display_name, Decision.Capacity(delegation.kind).label)
            )
    rows = []
    for memo in memos:
        level = waiting.get(memo.pk)
        desk = None
        if level is not None:
            # It reached this desk with the last decision of this review, or with its submission.
            since = memo.last_decided_at or memo.submitted_at
            since = timezone.localtime(since) if since else None
            desk = Desk(level["title"], holders[level["position_id"]], since)
        rows.append(RegisterRow(memo, number_text(memo) if memo.number else "", desk))
    return rows
