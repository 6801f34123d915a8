"""The approval chain of an organisation and who may decide a level on a given day."""

from dataclasses import dataclass
from datetime import date

from itaportal.accounts.models import Membership, Organisation, Position, Role, User

from ..models import ApprovalChain, Decision, Delegation


def chain_positions(organisation: Organisation, kind: str) -> tuple[list[Position], bool]:
    """The positions of the chain for this kind of memo (its own chain, else the general one)."""
    chains = {c.kind: c for c in ApprovalChain.objects.filter(organisation=organisation, kind__in=[kind, ""])}
    chain = chains.get(kind) or chains.get("")
    if chain is None:
        return [], False
    positions = [level.position for level in chain.levels.select_related("position__organisation").order_by("order")]
    return positions, chain.address_via


@dataclass(frozen=True)
class Capacity:
    kind: str  # Decision.Capacity
    position_title: str  # what the signature block prints under the name


def capacity_for(user: User, organisation: Organisation, position_id: int, on: date) -> Capacity | None:
    """In which capacity `user` may decide for the position on that day, if at all.

    The holder decides as holder; a person appointed to act for the position (รักษาราชการแทน) or
    given its authority (ปฏิบัติราชการแทน) for a period that includes the day decides as such, and
    the signature shows their own position with that capacity, as in reference document 000.
    """
    memberships = Membership.objects.filter(
        user=user, organisation=organisation, is_active=True, role__in=[Role.EXECUTIVE, Role.ADMIN]
    ).select_related("position__organisation")
    for membership in memberships:
        if membership.position_id == position_id:
            return Capacity(Decision.Capacity.HOLDER, membership.position.full_title)
    delegation = (
        Delegation.objects.filter(
            organisation=organisation, position_id=position_id, person=user, start__lte=on, end__gte=on
        )
        .select_related("position__organisation")
        .first()
    )
    if delegation is None:
        return None
    own = next((m.position.full_title for m in memberships if m.position_id), "")
    label = "รักษาราชการแทน" if delegation.kind == Delegation.Kind.ACTING else "ปฏิบัติราชการแทน"
    return Capacity(delegation.kind, f"{own} {label} {delegation.position.full_title}".strip())


def deciders_of(organisation: Organisation, position_id: int, on: date) -> list[User]:
    holders = User.objects.filter(
        memberships__organisation=organisation,
        memberships__position_id=position_id,
        memberships__is_active=True,
        memberships__role__in=[Role.EXECUTIVE, Role.ADMIN],
    )
    acting = User.objects.filter(
        delegations__organisation=organisation,
        delegations__position_id=position_id,
        delegations__start__lte=on,
        delegations__end__gte=on,
    )
    return list((holders | acting).distinct())
