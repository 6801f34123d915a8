"""Demo approval chains and memos of the reference documents (memos.yaml).

Idempotent: a chain is set only where the organisation has none for that kind, an appointment only
where it does not exist, a history memo only where its number is free, and a waiting memo only where
its author has no memo of that kind, year and round besides the history: a second run, or a run
after someone decided the waiting memos in the portal, changes nothing.

History memos are written as records, not walked through the services: their decisions were taken
on the reference's dates (000's ปลัด level by an appointment that ended in March 2025), which the
services, deciding "today", would rightly refuse. Who could decide is still checked, with the
services' own rule on the historical day, and the approval goes through the real freezing service.
"""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from itaportal.accounts.models import Department, Membership, Organisation, Position, User
from itaportal.audit.services import audit

from .data import read
from .measures import parse_thai_date

HEAD_OFFICE = "สำนักปลัด"


def _user(organisation: Organisation, login: str) -> User:
    return User.objects.get(username=f"{login}.{organisation.slug}")


def _membership(organisation: Organisation, login: str) -> Membership:
    return Membership.objects.select_related("user", "position__organisation", "department").get(
        user__username=f"{login}.{organisation.slug}", organisation=organisation
    )


def _position(organisation: Organisation, title: str) -> Position:
    return Position.objects.select_related("organisation").get(organisation=organisation, title=title)


def _load_chains(specs: list[dict]) -> None:
    from reports.models import ApprovalChain
    from reports.services.config import chain_set

    for spec in specs:
        organisation = Organisation.objects.get(slug=spec["organisation"])
        kind = spec.get("kind", "")
        if ApprovalChain.objects.filter(organisation=organisation, kind=kind).exists():
            continue
        chain_set(
            organisation=organisation,
            kind=kind,
            positions=[_position(organisation, title) for title in spec["positions"]],
            address_via=spec.get("address_via", False),
            user=_user(organisation, "admin"),
        )


def _load_delegations(specs: list[dict]) -> None:
    from reports.models import Delegation
    from reports.services.config import delegation_create

    for spec in specs:
        organisation = Organisation.objects.get(slug=spec["organisation"])
        position = _position(organisation, spec["position"])
        person = _user(organisation, spec["person"])
        start, end = parse_thai_date(spec["start"]), parse_thai_date(spec["end"])
        appointed = Delegation.objects.filter(organisation=organisation, position=position, person=person)
        if appointed.filter(start=start).exists():
            continue
        delegation_create(
            organisation=organisation,
            position=position,
            person=person,
            kind=spec["kind"],
            start=start,
            end=end,
            note=spec.get("note", ""),
            user=_user(organisation, "admin"),
        )


def _levels(organisation: Organisation, kind: str, author: User) -> list[dict]:
    """The levels memo_submit would copy: the chain without the positions the author holds."""
    from reports.selectors.chain import chain_positions

    positions, _via = chain_positions(organisation, kind)
    own = set(
        Membership.objects.filter(user=author, organisation=organisation, is_active=True)
        .exclude(position=None)
        .values_list("position_id", flat=True)
    )
    return [{"position_id": p.pk, "title": p.full_title} for p in positions if p.pk not in own]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _records(organisation: Organisation, spec: dict):
    """The assessment and the reporting round a memo spec names by year and number, if any."""
    from assessments.models import Assessment
    from measures.models import ReportingRound

    assessment = round = None
    if "assessment" in spec:
        assessments = Assessment.objects.filter(organisation=organisation)
        assessment = assessments.get(framework__fiscal_year=spec["assessment"])
    if "round" in spec:
        rounds = ReportingRound.objects.filter(organisation=organisation, fiscal_year=spec["fiscal_year"])
        round = rounds.get(number=spec["round"])
    return assessment, round


def _load_history(spec: dict) -> None:
    from reports.models import Decision, Memo, MemoCounter
    from reports.selectors.chain import capacity_for
    from reports.services.freeze import freeze_and_render

    organisation = Organisation.objects.get(slug=spec["organisation"])
    number, number_year = spec["number"], spec["number_year"]
    if Memo.objects.filter(organisation=organisation, number=number, number_year=number_year).exists():
        return
    day = parse_thai_date(spec["date"])
    department = Department.objects.get(organisation=organisation, name=HEAD_OFFICE)
    author = _membership(organisation, spec["author"])
    levels = _levels(organisation, spec["kind"], author.user)
    decided = [_position(organisation, d["position"]).full_title for d in spec["decisions"]]
    if [level["title"] for level in levels] != decided:
        raise ValueError(f"memos.yaml: the decisions of {spec['source']} do not follow the chain {levels}")
    assessment, round = _records(organisation, spec)
    memo = Memo.objects.create(
        organisation=organisation,
        kind=spec["kind"],
        fiscal_year=spec["fiscal_year"],
        assessment=assessment,
        round=round,
        department=department,
        number=number,
        number_year=number_year,
        date=day,
        subject=spec["subject"],
        background=spec.get("background", ""),
        facts=spec.get("facts", ""),
        considerations=spec.get("considerations", ""),
        proposal=spec.get("proposal", ""),
        closing=spec["closing"],
        attachments=spec["attachments"],
        author=author.user,
        author_position=author.position.full_title,
        levels=levels,
        current_level=len(levels),
        review=1,
        state=Memo.State.APPROVED,
    )
    source = {"source": spec["source"], "date": day.isoformat()}
    audit(organisation=organisation, action="ita.memo.submitted", target=memo, actor=author.user,
          data={"number": memo.number, "review": 1, "override_reason": "", "mismatches": [], **source})
    for order, (level, decision) in enumerate(zip(levels, spec["decisions"], strict=True), start=1):
        actor = _user(organisation, decision["by"])
        # The services' rule, on the day of the memo: an appointment that has ended still counts then.
        capacity = capacity_for(actor, organisation, level["position_id"], day)
        if capacity is None:
            raise ValueError(f"memos.yaml: {actor} cannot decide {level['title']} on {day}, {spec['source']}")
        comment = decision.get("comment", "")
        Decision.objects.create(
            memo=memo, review=1, level=order, level_position=level["title"], actor=actor,
            actor_name=actor.display_name, actor_position=capacity.position_title, capacity=capacity.kind,
            action=decision.get("action", Decision.Action.APPROVE), comment=comment,
        )
        final = order == len(levels)
        audit(
            organisation=organisation,
            action="ita.memo.approved" if final else "ita.memo.forwarded",
            target=memo,
            actor=actor,
            actor_position=capacity.position_title,
            capacity=capacity.kind,
            data={"level": order, "review": 1, "comment": comment, **source},
        )
    # One hour apart on the memo's day, so that the decisions keep their order in every listing.
    for decision in memo.decisions.all():
        Decision.objects.filter(pk=decision.pk).update(decided_at=_at(day, 9 + decision.level))
    Memo.objects.filter(pk=memo.pk).update(created_at=_at(day, 8), updated_at=_at(day, 8 + len(levels)))
    counter, _created = MemoCounter.objects.get_or_create(
        organisation=organisation, department=department, fiscal_year=memo.number_year
    )
    if counter.last_number < memo.number:
        counter.last_number = memo.number
        counter.save(update_fields=["last_number"])
    # Frozen from the record as it now stands, with the historical dates.
    memo = Memo.objects.select_related("organisation", "department", "author", "round").get(pk=memo.pk)
    freeze_and_render(memo=memo, user=_user(organisation, spec["decisions"][-1]["by"]))


def _load_waiting(spec: dict, history_numbers: dict) -> None:
    from reports.services.composing import compose_memo
    from reports.models import Memo
    from reports.services.memos import memo_decide, memo_submit, memo_update_text

    organisation = Organisation.objects.get(slug=spec["organisation"])
    author = _membership(organisation, spec["author"])
    assessment, round = _records(organisation, spec)
    existing = Memo.objects.filter(
        organisation=organisation, author=author.user, kind=spec["kind"], fiscal_year=spec["fiscal_year"],
        round=round,
    )
    for number, number_year in history_numbers.get(organisation.slug, []):
        existing = existing.exclude(number=number, number_year=number_year)
    if existing.exists():
        return
    memo = compose_memo(
        organisation=organisation,
        membership=author,
        kind=spec["kind"],
        fiscal_year=spec["fiscal_year"],
        assessment=assessment,
        round=round,
    )
    if "subject" in spec:
        memo = memo_update_text(
            memo=memo,
            user=author.user,
            subject=spec["subject"],
            background=spec.get("background", ""),
            facts=spec.get("facts", ""),
            considerations=spec.get("considerations", ""),
            proposal=spec.get("proposal", ""),
            closing=spec["closing"],
        )
    # No override reason: a composed memo that fails the consistency check is a bug to fix, not to hide.
    memo = memo_submit(memo=memo, user=author.user)
    memo_decide(
        memo=memo,
        user=_user(organisation, spec["level_1"]["by"]),
        level=1,
        action="approve",
        comment=spec["level_1"].get("comment", ""),
    )


@transaction.atomic
def load() -> None:
    data = read("memos.yaml")
    _load_chains(data["chains"])
    _load_delegations(data["delegations"])
    history_numbers: dict[str, list[tuple[int, int]]] = {}
    for spec in data["history"]:
        _load_history(spec)
        history_numbers.setdefault(spec["organisation"], []).append((spec["number"], spec["number_year"]))
    for spec in data["waiting"]:
        _load_waiting(spec, history_numbers)

