"""The organisation's own settings of the approval: its chains of positions and its acting appointments.

A memo copies its chain's positions when it is submitted (Memo.levels), so changing a chain here
never moves a memo already on its way. Appointments are never deleted: a decision taken by an
acting person is explained by the appointment that allowed it, so one is only ever ended.
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from itaportal.accounts.models import Membership, Organisation, Position, User
from itaportal.audit.services import audit
from itaportal.onboarding.registry import NewOffice, setup_step
from itaportal.thai import thai_date

from ..models import ApprovalChain, ChainLevel, Delegation, MemoKind
from .memos import MemoError


def _foreign(position: Position) -> MemoError:
    return MemoError(_("%(position)s is not a position of this organisation.") % {"position": position.title})


def _lock(organisation: Organisation) -> None:
    # One change of an organisation's chains or appointments at a time: two admins saving together
    # would otherwise both create the same chain, or both appoint someone to act for one position.
    Organisation.objects.select_for_update().only("pk").get(pk=organisation.pk)


def _own_position(user: User, organisation: Organisation) -> str:
    membership = (
        Membership.objects.filter(user=user, organisation=organisation, is_active=True)
        .select_related("position__organisation")
        .first()
    )
    return membership.position.full_title if membership and membership.position_id else ""


@transaction.atomic
def chain_set(
    *, organisation: Organisation, kind: str, positions: list[Position], address_via: bool, user: User
) -> ApprovalChain:
    """Replace the levels of the general chain (kind "") or of a kind's own chain, in the order given."""
    if kind != "" and kind not in MemoKind.values:
        raise MemoError(_("Unknown kind of memo."))
    if not positions:
        raise MemoError(_("A chain has at least one level."))
    seen = set()
    for position in positions:
        if position.organisation_id != organisation.pk:
            raise _foreign(position)
        if position.pk in seen:
            raise MemoError(_("%(position)s appears twice in the chain.") % {"position": position.full_title})
        seen.add(position.pk)
    _lock(organisation)
    chain, _created = ApprovalChain.objects.get_or_create(organisation=organisation, kind=kind)
    chain.address_via = address_via
    chain.save(update_fields=["address_via"])
    chain.levels.all().delete()
    ChainLevel.objects.bulk_create(
        ChainLevel(chain=chain, order=order, position=position)
        for order, position in enumerate(positions, start=1)
    )
    audit(
        organisation=organisation,
        action="ita.chain.changed",
        target=chain,
        actor=user,
        actor_position=_own_position(user, organisation),
        data={
            "kind": kind,
            "positions": [p.full_title for p in positions],
            "position_ids": [p.pk for p in positions],
            "address_via": address_via,
        },
    )
    return chain


@transaction.atomic
def chain_remove(*, organisation: Organisation, kind: str, user: User) -> None:
    """Drop a kind's own chain, so that memos of that kind follow the general chain again."""
    if kind not in MemoKind.values:
        raise MemoError(
            _("Only the chain of a kind of memo can be removed; the general chain can only be changed.")
        )
    _lock(organisation)
    chain = ApprovalChain.objects.filter(organisation=organisation, kind=kind).first()
    if chain is None:
        raise MemoError(_("This kind of memo has no chain of its own."))
    # Written before the delete, while the chain still has the id the entry refers to.
    audit(
        organisation=organisation,
        action="ita.chain.removed",
        target=chain,
        actor=user,
        actor_position=_own_position(user, organisation),
        data={"kind": kind},
    )
    chain.delete()


def _overlapping(organisation: Organisation, position: Position, start: date, end: date):
    return Delegation.objects.filter(
        organisation=organisation, position=position, start__lte=end, end__gte=start
    ).select_related("person")


def _appointment_data(delegation: Delegation) -> dict:
    return {
        "person": delegation.person.display_name,
        "position": delegation.position.full_title,
        "kind": delegation.kind,
        "start": thai_date(delegation.start),
        "end": thai_date(delegation.end),
    }


@transaction.atomic
def delegation_create(
    *,
    organisation: Organisation,
    position: Position,
    person: User,
    kind: str,
    start: date,
    end: date,
    note: str,
    user: User,
) -> Delegation:
    if position.organisation_id != organisation.pk:
        raise _foreign(position)
    membership = Membership.objects.filter(user=person, organisation=organisation, is_active=True).first()
    if membership is None:
        raise MemoError(
            _("%(person)s is not an active member of this organisation.") % {"person": person.display_name}
        )
    if membership.position_id == position.pk:
        raise MemoError(_("%(person)s already holds this position.") % {"person": person.display_name})
    if kind not in Delegation.Kind.values:
        raise MemoError(_("Unknown kind of appointment."))
    if end < start:
        raise MemoError(_("The appointment cannot end before it starts."))
    _lock(organisation)
    overlapping = _overlapping(organisation, position, start, end)
    if overlapping.filter(person=person).exists():
        raise MemoError(
            _("%(person)s is already appointed for this position during part of this period.")
            % {"person": person.display_name}
        )
    # Only one person at a time acts for a vacant or absent holder; delegated authority may be shared.
    if kind == Delegation.Kind.ACTING:
        other = overlapping.filter(kind=Delegation.Kind.ACTING).first()
        if other is not None:
            raise MemoError(
                _(
                    "%(person)s already acts for this position from %(start)s to %(end)s; "
                    "end that appointment first."
                )
                % {
                    "person": other.person.display_name,
                    "start": thai_date(other.start),
                    "end": thai_date(other.end),
                }
            )
    delegation = Delegation.objects.create(
        organisation=organisation, position=position, person=person, kind=kind, start=start, end=end,
        note=note.strip(),
    )
    audit(
        organisation=organisation,
        action="ita.delegation.created",
        target=delegation,
        actor=user,
        actor_position=_own_position(user, organisation),
        data=dict(_appointment_data(delegation), note=delegation.note),
    )
    return delegation


@transaction.atomic
def delegation_end(*, delegation: Delegation, user: User, on: date) -> Delegation:
    """End the appointment after `on`, its new last day: from the next day it no longer counts."""
    delegation = (
        Delegation.objects.select_for_update()
        .select_related("organisation", "person", "position__organisation")
        .get(pk=delegation.pk)
    )
    if on < delegation.start:
        raise MemoError(
            _("The appointment starts on %(start)s; it cannot end before that.")
            % {"start": thai_date(delegation.start)}
        )
    if on >= delegation.end:
        raise MemoError(_("The appointment already ends on %(end)s.") % {"end": thai_date(delegation.end)})
    previous_end = delegation.end
    delegation.end = on
    delegation.save(update_fields=["end"])
    audit(
        organisation=delegation.organisation,
        action="ita.delegation.ended",
        target=delegation,
        actor=user,
        actor_position=_own_position(user, delegation.organisation),
        data=dict(_appointment_data(delegation), previous_end=thai_date(previous_end)),
    )
    return delegation


@setup_step("approval_chain")
def _standard_chain(office: NewOffice) -> None:
    """A registered office can submit memos at once: its general chain is its kind's standard one."""
    if office.chain:
        chain_set(organisation=office.organisation, kind="", positions=office.chain, address_via=False,
                  user=office.user)
