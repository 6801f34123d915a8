"""The memo's life: composed, edited, submitted with a number, decided level by level, frozen when approved.

Every transition locks the memo row, checks its state, writes an append-only audit entry, and
leaves side effects (notifications, the PDF task) to run after the transaction commits.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal.accounts.models import Department, Membership, Organisation, Role, User
from itaportal.audit.services import audit
from itaportal.thai import fiscal_year

from ..consistency import Mismatch, check_memo
from ..models import Decision, Memo, MemoCounter
from ..selectors.chain import capacity_for, chain_positions
from .freeze import freeze_and_render
from .notify import notify_author, notify_level


class MemoError(Exception):
    """A refused transition, with a message fit for the person who asked for it."""


class NotAllowed(MemoError):
    """The person may not take this step (the view answers 403)."""


class InconsistentMemo(MemoError):
    def __init__(self, mismatches: list[Mismatch]):
        super().__init__(_("The memo contradicts the records."))
        self.mismatches = mismatches


# --- numbers ----------------------------------------------------------------------------------


def allocate_number(*, organisation: Organisation, department: Department, fiscal_year: int) -> int:
    """The next running number of the unit and year. The counter row is locked for the rest of the
    caller's transaction, so two submissions never get the same number and none is skipped."""
    try:
        with transaction.atomic():
            MemoCounter.objects.get_or_create(organisation=organisation, department=department, fiscal_year=fiscal_year)
    except IntegrityError:
        pass  # created by a concurrent submission a moment ago: lock it below
    counter = MemoCounter.objects.select_for_update().get(
        organisation=organisation, department=department, fiscal_year=fiscal_year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


# --- transitions ------------------------------------------------------------------------------


def _locked(memo: Memo) -> Memo:
    return Memo.objects.select_for_update().select_related("organisation", "department").get(pk=memo.pk)


def _author_membership(memo: Memo, user: User) -> Membership:
    membership = Membership.objects.filter(user=user, organisation=memo.organisation, is_active=True).first()
    if membership is None or (user.pk != memo.author_id and membership.role != Role.ADMIN):
        raise NotAllowed(_("Only the author or the organisation's admin can do this."))
    return membership


@transaction.atomic
def memo_update_text(
    *, memo: Memo, user: User, subject: str, background: str, facts: str, considerations: str, proposal: str,
    closing: str,
) -> Memo:
    memo = _locked(memo)
    _author_membership(memo, user)
    if not memo.is_editable:
        raise MemoError(_("Only a draft or a returned memo can be edited."))
    memo.subject, memo.background, memo.facts = subject.strip(), background.strip(), facts.strip()
    memo.considerations, memo.proposal, memo.closing = considerations.strip(), proposal.strip(), closing
    memo.save(update_fields=["subject", "background", "facts", "considerations", "proposal", "closing", "updated_at"])
    audit(organisation=memo.organisation, action="ita.memo.edited", target=memo, actor=user)
    return memo


@transaction.atomic
def memo_submit(*, memo: Memo, user: User, override_reason: str = "") -> Memo:
    memo = _locked(memo)
    _author_membership(memo, user)
    if not memo.is_editable:
        raise MemoError(_("This memo has already been submitted."))
    mismatches = check_memo(memo)
    if mismatches and not override_reason.strip():
        raise InconsistentMemo(mismatches)
    positions, _via = chain_positions(memo.organisation, memo.kind)
    author_positions = set(
        Membership.objects.filter(user=memo.author, organisation=memo.organisation, is_active=True)
        .exclude(position=None)
        .values_list("position_id", flat=True)
    )
    # A level the author holds is signed by the author's own signature (002: the head of
    # สำนักปลัด writes, and the comments start with รองปลัด).
    levels = [p for p in positions if p.pk not in author_positions]
    if not levels:
        raise MemoError(_("The organisation has no approval chain for this kind of memo yet."))
    first_submission = memo.number is None
    if first_submission:
        # The running number is per unit and the fiscal year in which the memo is issued (001 is
        # numbered ๑๑๗/๒๕๖๗ though it reports on 2566), not the year it is about.
        memo.number_year = fiscal_year(timezone.localdate())
        memo.number = allocate_number(
            organisation=memo.organisation, department=memo.department, fiscal_year=memo.number_year
        )
        memo.date = timezone.localdate()
    memo.levels = [{"position_id": p.pk, "title": p.full_title} for p in levels]
    memo.current_level = 1
    memo.review += 1
    memo.state = Memo.State.IN_REVIEW
    memo.override_reason = override_reason.strip() if mismatches else ""
    memo.save()
    audit(
        organisation=memo.organisation,
        action="ita.memo.submitted",
        target=memo,
        actor=user,
        data={
            "number": memo.number,
            "review": memo.review,
            "override_reason": memo.override_reason,
            "mismatches": [m.phrase for m in mismatches],
        },
    )
    transaction.on_commit(lambda: notify_level(memo.pk))
    return memo


@transaction.atomic
def memo_decide(*, memo: Memo, user: User, level: int, action: str, comment: str = "") -> Memo:
    """Decide the current level. `level` is the level the person saw: if someone decided it a
    moment earlier, this decision is refused instead of landing on the next level."""
    memo = _locked(memo)
    if memo.state != Memo.State.IN_REVIEW or memo.current_level != level:
        raise MemoError(_("This step has already been decided; the page shows the memo as it is now."))
    if action not in Decision.Action.values:
        raise MemoError(_("Unknown decision."))
    if action != Decision.Action.APPROVE and not comment.strip():
        raise MemoError(_("Say why the memo is returned or rejected."))
    today = timezone.localdate()
    step = memo.levels[level - 1]
    capacity = capacity_for(user, memo.organisation, step["position_id"], today)
    if capacity is None:
        raise NotAllowed(_("Only the holder of this level's position, or the person acting for it, can decide."))
    Decision.objects.create(
        memo=memo,
        review=memo.review,
        level=level,
        level_position=step["title"],
        actor=user,
        actor_name=user.display_name,
        actor_position=capacity.position_title,
        capacity=capacity.kind,
        action=action,
        comment=comment.strip(),
    )
    final = level == len(memo.levels)
    if action == Decision.Action.APPROVE and not final:
        memo.current_level += 1
        audit_action = "ita.memo.forwarded"
        transaction.on_commit(lambda: notify_level(memo.pk))
    elif action == Decision.Action.APPROVE:
        memo.state = Memo.State.APPROVED
        audit_action = "ita.memo.approved"
    elif action == Decision.Action.RETURN:
        memo.state, memo.current_level = Memo.State.RETURNED, 0
        audit_action = "ita.memo.returned"
    else:
        memo.state = Memo.State.REJECTED
        audit_action = "ita.memo.rejected"
    memo.save(update_fields=["state", "current_level", "updated_at"])
    audit(
        organisation=memo.organisation,
        action=audit_action,
        target=memo,
        actor=user,
        actor_position=capacity.position_title,
        capacity=capacity.kind,
        data={"level": level, "review": memo.review, "comment": comment.strip()},
    )
    if memo.state == Memo.State.APPROVED:
        freeze_and_render(memo=memo, user=user)
    if memo.state in (Memo.State.APPROVED, Memo.State.RETURNED, Memo.State.REJECTED):
        transaction.on_commit(lambda: notify_author(memo.pk))
    return memo


@transaction.atomic
def memo_cancel(*, memo: Memo, user: User) -> Memo:
    memo = _locked(memo)
    _author_membership(memo, user)
    if memo.state in (Memo.State.APPROVED, Memo.State.REJECTED, Memo.State.CANCELLED):
        raise MemoError(_("An approved, rejected or cancelled memo cannot be cancelled."))
    memo.state, memo.current_level = Memo.State.CANCELLED, 0
    memo.save(update_fields=["state", "current_level", "updated_at"])
    audit(organisation=memo.organisation, action="ita.memo.cancelled", target=memo, actor=user,
          data={"number": memo.number})
    return memo
