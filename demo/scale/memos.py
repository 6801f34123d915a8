"""The memos: the text the composer writes, the timeline of their steps, the decisions and the trail,
and the frozen versions and documents of the approved ones."""

import functools
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.template import engines
from django.utils import timezone

from assessments.models import AnalysisIssue
from assessments.scoring import ToolResult
from itaportal.accounts.models import Position, User
from itaportal.audit.models import AuditEntry
from itaportal.thai import fiscal_year, fiscal_year_bounds
from measures.models import OitEntry, ReportingRound
from reports.models import (
    CODE_ALPHABET, CODE_LENGTH, Decision, Document, Memo, MemoCounter, MemoKind, MemoVersion,
)
from reports.services.composing import HEAD_OFFICE, TEXT_PARTS, render_part, report_parts
from reports.snapshots import own_year_and_round

from .documents import (
    analysis_content, content_hashes, measures_content, memo_content, oit_content, progress_content,
    shared_pdf,
)
from .words import (
    APPROVE_COMMENTS, FORWARD_COMMENTS, LAST_MOVED_DAYS, MEMO_AFTER_DUE, OLD_OUTCOMES, REJECT_COMMENT,
    RETURN_COMMENTS,
)
from .world import AssessmentPlan, Context, Event, MemoPlan, Rows, World, Year, choose, office_time


@dataclass(frozen=True)
class _Named:
    name: str


@dataclass(frozen=True)
class _Result:
    fiscal_year: int
    overall: Decimal
    overall_is_derived: bool
    level: str
    tools: tuple[ToolResult, ...]


@dataclass(frozen=True)
class _Round:
    name: str
    period_start: date
    period_end: date


@dataclass(frozen=True)
class _Tally:
    published: int
    total: int


@dataclass(frozen=True)
class _Stand:
    full_name: str


NAME_MARK = "\ue000"


def _names_used(template: str) -> str:
    """A memo text template's source with the sources of what it includes."""
    source = engines["django"].engine.get_template(template).source
    return source + "".join(_names_used(name) for name in re.findall(r'{%\s*include\s+"([^"]+)"', source))


@functools.cache
def _depends_on(kind: str, part: str, names: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The context values a part's template reads: `result.fiscal_year`, `measures`…"""
    source = _names_used(f"reports/memo_text/{kind}/{part}.txt")
    return tuple(sorted({tuple(path.split(".")) for name in names
                         for path in re.findall(rf"\b{name}(?:\.\w+)*", source)}))


def _read(context: dict, path: tuple[str, ...]) -> Any:
    value = context.get(path[0])
    for attribute in path[1:]:
        value = getattr(value, attribute, None)
    return value


def compose_text(ctx: Context, world: World, kind: str, context: dict) -> dict[str, str]:
    """The composer's own templates (reports.services.composing), each rendered once per distinct value of what
    it reads: an office's name, written in through a mark, is often all that differs."""
    texts = {}
    names = tuple(sorted(context))
    for part in TEXT_PARTS:
        key = (kind, part, *((path, _read(context, path)) for path in _depends_on(kind, part, names)))
        if key not in ctx.texts:
            if len(ctx.texts) > 20000:
                ctx.texts.clear()
            ctx.texts[key] = render_part(kind, part, {**context, "organisation": _Stand(NAME_MARK)})
        texts[part] = ctx.texts[key].replace(NAME_MARK, world.organisation.full_name)
    return texts


def _result(plan: AssessmentPlan | None) -> _Result | None:
    if plan is None or plan.board.overall is None:
        return None
    board = plan.board
    return _Result(plan.data.year, board.overall, board.overall_is_derived, board.level.name if board.level else "",
                   tuple(t for t in board.tools if t.shown is not None))


def _latest_assessment(world: World, up_to: int) -> AssessmentPlan | None:
    years = [year for year in world.assessments if year <= up_to]
    return world.assessments[max(years)] if years else None


def _new_memo(ctx: Context, world: World, kind: str, year: Year, round: ReportingRound | None) -> Memo:
    """A memo as compose_memo writes it from the records."""
    staff = world.users["staff"]
    memo = Memo(organisation=world.organisation, kind=kind, fiscal_year=year.year,
                department=world.departments[HEAD_OFFICE], author=staff,
                author_position=world.positions["staff"].full_title, closing=Memo.Closing.FOR_CONSIDERATION,
                override_reason="")
    common = {"department": _Named(HEAD_OFFICE), "fiscal_year": year.year}
    if kind == MemoKind.ANALYSIS:
        assessment = world.assessments[year.year - 1]
        kinds = [p.issue.kind for p in assessment.issues]
        context = {**common, "result": _result(assessment), "issues": len(kinds),
                   "urgent_issues": kinds.count(AnalysisIssue.Kind.URGENT),
                   "develop_issues": kinds.count(AnalysisIssue.Kind.DEVELOP), "measures": len(year.measures)}
        memo.assessment = assessment.assessment
        memo.attachments = ["analysis"] + (["measures"] if year.measures else [])
    else:
        covered = [p for p in year.measures if p.measure.start_date <= round.period_end]
        entries = [year.entries[(p.measure.number, round.number)].entry for p in covered
                   if (p.measure.number, round.number) in year.entries]
        statuses = [entry.status for entry in entries]
        assessment = _latest_assessment(world, year.year)
        oit = _Tally(*_oit_totals(world, year)) if _oit_recorded(world, year) else None
        parts = report_parts({"summary": bool(entries), "outcome": any(entry.outcome for entry in entries),
                              "suggestions": any(entry.suggestions for entry in entries)})
        context = {**common, "result": _result(assessment), "round": _Round(round.name, round.period_start, round.period_end),
                   "measures": len(covered), "done": statuses.count("done"), "in_progress": statuses.count("in_progress"),
                   "not_started": statuses.count("not_started"), "not_reported": len(covered) - len(statuses),
                   "report_parts": parts, "oit": oit if oit and oit.total else None}
        memo.assessment = assessment.assessment if assessment else None
        memo.round = round
        memo.attachments = ["progress"] + (["oit"] if context["oit"] else [])
    for part, text in compose_text(ctx, world, kind, context).items():
        setattr(memo, part, text)
    return memo


def _oit_recorded(world: World, year: Year) -> bool:
    """As reports.services.composing.oit_recorded: any entry of the year's checklist."""
    return year.framework is not None and any(item.pk in world.oit_entries for item in year.framework.oit_items)


def _oit_totals(world: World, year: Year) -> tuple[int, int]:
    if year.framework is None:
        return 0, 0
    items = year.framework.oit_items
    published = sum(1 for item in items if (e := world.oit_entries.get(item.pk)) and e.status == OitEntry.Status.PUBLISHED)
    return published, len(items)


def _script(rng: random.Random, outcome: str, levels: int) -> list[tuple[str, int]]:
    """The steps a memo goes through, as (action, level)."""
    stop = rng.randint(1, levels)
    up_to = [("approve", level) for level in range(1, stop)]
    through = [("submitted", 0)] + [("approve", level) for level in range(1, levels + 1)]
    return [("created", 0)] + {
        "approved": through,
        "returned_then_approved": [("submitted", 0), *up_to, ("return", stop), *through],
        "waiting_long": [("submitted", 0), *up_to],
        "waiting_short": [("submitted", 0), *up_to],
        "returned": [("submitted", 0), *up_to, ("return", stop)],
        "rejected": [("submitted", 0), *up_to, ("reject", stop)],
        "draft": [],
        "cancelled": [("submitted", 0), *up_to, ("cancel", 0)] if rng.random() < 0.6 else [("cancel", 0)],
    }[outcome]


def _timeline(rng: random.Random, steps: list[tuple[str, int]], start: date) -> list[Event]:
    """Office-hour moments for the steps from `start`: hours to days apart, more after a return."""
    events, day = [], start
    moment = office_time(day, rng)
    for index, (action, level) in enumerate(steps):
        if index:
            gap = rng.choice([0, 0, 1, 1, 2, 3]) if action != "submitted" or steps[index - 1][0] == "created" \
                else rng.randint(2, 7)
            if gap == 0:
                moment = moment + timedelta(minutes=rng.randint(15, 120))
            else:
                moment = office_time(timezone.localtime(moment).date() + timedelta(days=gap), rng)
        events.append(Event(moment, action, level))
    return events


def build_memo(ctx: Context, world: World, rows: Rows, kind: str, year: Year, round: ReportingRound | None,
               outcome: str, start: date, until: date | None = None) -> MemoPlan | None:
    """A memo composed on `start` (or later, so that its last step falls on `until`) and taken as far as
    its outcome, cut at now; None if it is not written yet by now."""
    rng = world.rng
    if outcome in ("rejected_then_new", "cancelled_then_new"):
        first = build_memo(ctx, world, rows, kind, year, round, outcome.split("_")[0], start)
        later = (max(e.at for e in first.events).date() if first else start) + timedelta(days=rng.randint(1, 5))
        return build_memo(ctx, world, rows, kind, year, round, "approved", later)
    steps = _script(rng, outcome, len(world.chain))
    events = _timeline(rng, steps, start)
    late = (until - timezone.localtime(events[-1].at).date()).days if until else 0
    if late > 0:
        events = [Event(e.at + timedelta(days=late), e.action, e.level) for e in events]
    events = [e for e in events if e.at <= ctx.now]
    if not events:
        return None
    memo = rows.add(_new_memo(ctx, world, kind, year, round))
    plan = MemoPlan(memo, events, list(world.chain))
    _play(ctx, world, plan)
    world.memos.append(plan)
    return plan


def _decider(world: World, position: Position, at: datetime) -> tuple[User, str, str]:
    """Who decides a level on that day: its holder, or the person acting for it (capacity_for's rule)."""
    login = next(login for login, p in world.positions.items() if p is position)
    acting = world.acting
    if acting and acting.position is position and acting.start <= timezone.localtime(at).date() <= acting.end:
        head = world.positions["head"]
        return world.users["head"], Decision.Capacity.ACTING, f"{head.full_title} รักษาราชการแทน {position.full_title}"
    return world.users[login], Decision.Capacity.HOLDER, position.full_title


def _play(ctx: Context, world: World, plan: MemoPlan) -> None:
    """The memo's fields and decisions after its events, as memo_submit and memo_decide leave them."""
    memo, rng = plan.memo, world.rng
    memo.created_at = memo.updated_at = plan.events[0].at
    memo.review, memo.current_level, memo.state, memo.levels = 0, 0, Memo.State.DRAFT, []
    levels = len(plan.level_positions)
    for event in plan.events:
        if event.action == "submitted":
            if memo.date is None:
                memo.date = timezone.localtime(event.at).date()
                memo.number_year = fiscal_year(memo.date)
            memo.review += 1
            memo.current_level, memo.state = 1, Memo.State.IN_REVIEW
            memo.levels = [{"position_id": p.pk, "title": p.full_title} for p in plan.level_positions]
        elif event.action in ("approve", "return", "reject"):
            position = plan.level_positions[event.level - 1]
            actor, capacity, held = _decider(world, position, event.at)
            final = event.level == levels
            event.comment = {
                "approve": rng.choice(APPROVE_COMMENTS) if final else rng.choice(FORWARD_COMMENTS),
                "return": rng.choice(RETURN_COMMENTS), "reject": REJECT_COMMENT,
            }[event.action]
            plan.decisions.append(Decision(
                memo_id=memo.pk, review=memo.review, level=event.level, level_position=position.full_title,
                actor_id=actor.pk,
                actor_name=actor.display_name, actor_position=held, capacity=capacity, action=event.action,
                comment=event.comment, decided_at=event.at))
            if event.action == "approve" and not final:
                memo.current_level += 1
            elif event.action == "approve":
                memo.state = Memo.State.APPROVED
            elif event.action == "return":
                memo.state, memo.current_level = Memo.State.RETURNED, 0
            else:
                memo.state = Memo.State.REJECTED
        elif event.action == "cancel":
            memo.state, memo.current_level = Memo.State.CANCELLED, 0
        memo.updated_at = event.at


def build_memos(ctx: Context, world: World, rows: Rows, scenario: str) -> None:
    """Per work year: the analysis memo early in the year, then a progress memo after each round's
    due date; the newest round's memo follows the organisation's scenario, cut at now."""
    rng = world.rng
    for year in world.years.values():
        start = fiscal_year_bounds(year.year)[0]
        build_memo(ctx, world, rows, MemoKind.ANALYSIS, year, None, choose(rng, OLD_OUTCOMES),
                   start + timedelta(days=rng.randint(45, 100)))
        for index, round in enumerate(year.rounds):
            if round.due_date >= ctx.today:
                continue
            newest = all(r.due_date >= ctx.today for r in year.rounds[index + 1:]) and year.year == max(world.years)
            if not newest:
                build_memo(ctx, world, rows, MemoKind.PROGRESS, year, round, choose(rng, OLD_OUTCOMES),
                           round.due_date + timedelta(days=rng.randint(MEMO_AFTER_DUE, 25)))
                continue
            if scenario == "none":
                continue
            # Its last step counted back from now, so that a memo waits as long as its scenario says.
            low, high = LAST_MOVED_DAYS[scenario]
            moved = ctx.today - timedelta(days=round_days(rng.uniform(low, high)))
            build_memo(ctx, world, rows, MemoKind.PROGRESS, year, round, scenario,
                       round.due_date + timedelta(days=MEMO_AFTER_DUE), until=moved)
    _number(world, rows)


def round_days(days: float) -> int:
    return int(days + 0.5)


def _number(world: World, rows: Rows) -> None:
    """Running numbers per unit and numbering year, in order of first submission; counters to match."""
    counters: dict[int, int] = defaultdict(int)
    submitted = [p for p in world.memos if p.memo.date is not None]
    for plan in sorted(submitted, key=lambda p: next(e.at for e in p.events if e.action == "submitted")):
        counters[plan.memo.number_year] += 1
        plan.memo.number = counters[plan.memo.number_year]
    for number_year, last in counters.items():
        rows.values(MemoCounter, organisation_id=world.organisation.pk,
                    department_id=world.departments[HEAD_OFFICE].pk, fiscal_year=number_year, last_number=last)


def freeze(ctx: Context, world: World, rows: Rows) -> None:
    """For each approved memo: its version (the content freeze_and_render would freeze), its documents
    (one per kind and content, as get_or_create leaves them), the round it locks, and the trail."""
    seen: set[tuple[str, str]] = set()
    for plan in world.memos:
        memo = plan.memo
        for decision in plan.decisions:
            rows.add(decision)
        _trail(world, rows, plan)
        if memo.state != Memo.State.APPROVED:
            continue
        year = world.years[memo.fiscal_year]
        documents = {}
        if "analysis" in memo.attachments:
            documents["analysis"] = analysis_content(world.assessments[memo.fiscal_year - 1])
        if "measures" in memo.attachments:
            documents["measures"] = measures_content(year)
        if "progress" in memo.attachments:
            documents["progress"] = progress_content(year, memo.round)
        if "oit" in memo.attachments:
            documents["oit"] = oit_content(world, year.framework)
        content = memo_content(world, plan, documents)
        version_hash, document_hashes = content_hashes(content)
        frozen = plan.events[-1].at
        plan.version = rows.add(MemoVersion(memo_id=memo.pk, content=content, sha256=version_hash, frozen_at=frozen))
        rows.values(
            AuditEntry, organisation_id=world.organisation.pk, action="ita.memo.frozen", object_type="reports.memo",
            object_id=memo.pk, actor_id=plan.decisions[-1].actor_id, actor_name=plan.decisions[-1].actor_name,
            data={"sha256": plan.version.sha256}, created_at=frozen)
        if memo.round is not None and memo.round.locked_at is None:
            memo.round.locked_at = frozen
        for kind in ["memo", *documents]:
            digest = document_hashes[kind]
            if (kind, digest) in seen:
                continue
            seen.add((kind, digest))
            own_year, own_round = own_year_and_round(
                kind, content if kind == "memo" else {**documents[kind], "organisation": content["organisation"]})
            document = dict(
                organisation_id=world.organisation.pk, kind=kind, version_id=plan.version.pk, content=None,
                fiscal_year=own_year, round_number=own_round,
                code=_code(ctx, world.rng), content_hash=digest, state=Document.State.READY, error="",
                attempts=1, created_at=frozen, rendered_at=frozen + timedelta(seconds=world.rng.randint(3, 90)))
            if kind not in ctx.shared_pdfs:
                ctx.shared_pdfs[kind] = shared_pdf(Document(**document, version=plan.version))
            rows.values(Document, **document, **ctx.shared_pdfs[kind])


AUDIT_ACTIONS = {"created": "ita.memo.created", "submitted": "ita.memo.submitted", "return": "ita.memo.returned",
                 "reject": "ita.memo.rejected", "cancel": "ita.memo.cancelled"}


def _trail(world: World, rows: Rows, plan: MemoPlan) -> None:
    """The audit entries the services write at each step."""
    memo, levels, review = plan.memo, len(plan.level_positions), 0
    decisions = iter(plan.decisions)
    staff = world.users["staff"]
    for event in plan.events:
        actor_id, name, position, capacity = staff.pk, staff.display_name, "", ""
        if event.action == "created":
            data = {"kind": memo.kind, "fiscal_year": memo.fiscal_year}
        elif event.action == "submitted":
            review += 1
            data = {"number": memo.number, "review": review, "override_reason": "", "mismatches": []}
        elif event.action == "cancel":
            data = {"number": memo.number}
        else:
            decision = next(decisions)
            actor_id, name, position, capacity = (
                decision.actor_id, decision.actor_name, decision.actor_position, decision.capacity)
            data = {"level": event.level, "review": review, "comment": event.comment}
        action = AUDIT_ACTIONS.get(event.action) or (
            "ita.memo.approved" if event.level == levels else "ita.memo.forwarded")
        rows.values(
            AuditEntry, organisation_id=world.organisation.pk, action=action, object_type="reports.memo",
            object_id=memo.pk, actor_id=actor_id, actor_name=name, actor_position=position, capacity=capacity,
            data=data, created_at=event.at)


def _code(ctx: Context, rng: random.Random) -> str:
    """A verification code as new_document_code makes them, from the run's random numbers, unique."""
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in ctx.codes_in_use:
            ctx.codes_in_use.add(code)
            return code
