"""The plan of each work year: measures answering last year's issues, the rounds and their
progress; and the OIT checklist."""

from datetime import date, timedelta
from decimal import Decimal

from itaportal.thai import fiscal_year_bounds
from measures.models import Activity, Measure, MeasureStep, OitEntry, ProgressEntry, ReportingRound
from measures.services.plan import default_rounds
from reports.services.composing import HEAD_OFFICE

from .words import (
    ACTIVITIES, AUDIT_UNIT, BUDGETS, ISSUE_INDICATOR, MEASURES, MONITORING, OIT_NOTES, OUTCOMES,
    OUTCOME_UNDER_WAY, REPORTED_AFTER_DUE, STEPS, SUGGESTIONS, TARGETS,
)
from .world import AssessmentPlan, Context, EntryPlan, MeasurePlan, Rows, World, Year, choose, office_time


def build_plan(ctx: Context, world: World, rows: Rows, year: Year, answered: AssessmentPlan) -> None:
    """Five to eight measures answering last year's issues, each with steps, owners and a period."""
    rng, organisation = world.rng, world.organisation
    start, end = fiscal_year_bounds(year.year)
    count = max(len(answered.issues), rng.randint(5, 8))
    titles = {code: rng.sample(MEASURES[code], len(MEASURES[code])) for code in MEASURES}
    units = [d for name, d in world.departments.items() if name != AUDIT_UNIT]
    created = office_time(start + timedelta(days=rng.randint(20, 60)), rng)
    for number in range(1, count + 1):
        issue = answered.issues[(number - 1) % len(answered.issues)]
        code = issue.issue.tool.code
        if rng.random() < 0.7:
            begins, ends = start, end
        else:
            begins = _month_end(start, rng.randint(0, 5)) + timedelta(days=1)
            ends = min(end, _month_end(begins, rng.randint(2, 8)))
        all_units = rng.random() < 0.45
        departments = [] if all_units else rng.sample(units, rng.randint(1, 2))
        positions = [world.positions["staff"]] if not all_units and rng.random() < 0.15 else []
        indicators = []
        if year.framework:
            wanted = ISSUE_INDICATOR.get(issue.issue.title)
            indicators = [year.framework.by_number[wanted]] if wanted in year.framework.by_number else []
        oit_items = []
        if code == "OIT" and year.framework and year.framework.oit_items and rng.random() < 0.6:
            oit_items = rng.sample(year.framework.oit_items, min(len(year.framework.oit_items), rng.randint(1, 2)))
        measure = rows.add(Measure(
            organisation_id=organisation.pk, fiscal_year=year.year, number=number,
            kind=choose(rng, [(Measure.Kind.MEASURE, 0.75), (Measure.Kind.PROJECT, 0.15), (Measure.Kind.ACTIVITY, 0.1)]),
            title=titles[code].pop() if titles[code] else rng.choice(MEASURES[code]),
            start_date=begins, end_date=ends, all_units=all_units,
            monitoring=rng.choice(MONITORING) if rng.random() < 0.5 else "",
            planned_budget=rng.choice(BUDGETS) if rng.random() < 0.3 else None,
            target=rng.choice(TARGETS) if rng.random() < 0.4 else "",
            created_at=created, updated_at=created + timedelta(hours=rng.randint(0, 72)),
        ))
        steps = rng.sample(STEPS[code], rng.randint(1, 3))
        for order, text in enumerate(steps, start=1):
            rows.values(MeasureStep, measure_id=measure.pk, order=order, text=text)
        plan = MeasurePlan(measure, code, steps, [issue], indicators, oit_items, departments, positions)
        for descriptor, targets in ((Measure.issues, [issue.issue]), (Measure.indicators, indicators),
                                    (Measure.oit_items, oit_items), (Measure.departments, departments),
                                    (Measure.positions, positions)):
            for target in targets:
                rows.link(descriptor, measure, target)
        year.measures.append(plan)
    for spec in default_rounds(year.year, "half"):
        year.rounds.append(rows.add(ReportingRound(organisation_id=organisation.pk, fiscal_year=year.year, **spec)))


def _month_end(first: date, months: int) -> date:
    """The last day of the `months`-th month counted from `first`'s: (1 Oct, 2) gives 30 Nov, (1 Oct, 0) 30 Sep."""
    month = first.month - 1 + months
    return date(first.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def build_progress(ctx: Context, world: World, rows: Rows, year: Year, scenario: str) -> None:
    """One entry per measure and round where reported, a few missing (late), some with activities."""
    rng = world.rng
    for index, round in enumerate(year.rounds):
        final = index == len(year.rounds) - 1
        due_passed = round.due_date < ctx.today
        newest = due_passed and all(r.due_date >= ctx.today for r in year.rounds[index + 1:])
        # An office of the "none" scenario has reported nothing in the newest round, nor written its memo.
        silent = newest and scenario == "none"
        previous_end = year.rounds[index - 1].period_end if index else round.period_start - timedelta(days=1)
        for plan in year.measures:
            measure = plan.measure
            if measure.start_date > round.period_end:
                continue
            if silent or rng.random() < (0.05 + 0.1 * (1 - world.quality) if due_passed else 0.5):
                continue
            if not due_passed:
                status = choose(rng, [("in_progress", 0.7), ("not_started", 0.3)])
            elif final or measure.end_date <= round.period_end:
                status = choose(rng, [("done", 0.55 + 0.3 * world.quality), ("in_progress", 0.15), ("not_started", 0.03)])
            else:
                status = choose(rng, [("done", 0.2), ("in_progress", 0.62), ("not_started", 0.15)])
            # Most report in the weeks before the due date; some after it (late).
            latest = min(ctx.today - timedelta(days=1), round.due_date + timedelta(days=rng.randint(1, REPORTED_AFTER_DUE)))
            day = min(latest, round.due_date - timedelta(days=rng.randint(-5, 25)))
            updated = office_time(max(day, measure.start_date), rng)
            reported = status != ProgressEntry.Status.NOT_STARTED
            entry = rows.add(ProgressEntry(
                measure_id=measure.pk, round_id=round.pk, status=status,
                outcome=(rng.choice(OUTCOMES) if status == "done" else OUTCOME_UNDER_WAY) if reported else "",
                suggestions=rng.choice(SUGGESTIONS) if reported and rng.random() < 0.4 else "",
                budget_used=(measure.planned_budget * Decimal(rng.choice(["0.5", "0.8", "1"]))).quantize(Decimal("0.01"))
                if reported and measure.planned_budget else None,
                draft={}, updated_at=updated, updated_by_id=world.users["staff"].pk))
            activities = []
            if reported:
                first = max(measure.start_date, previous_end + timedelta(days=1))
                last = min(measure.end_date, round.period_end, updated.date())
                for order, text in enumerate(rng.sample(ACTIVITIES, rng.randint(0, 2)), start=1):
                    if first <= last:
                        day = first + timedelta(days=rng.randint(0, (last - first).days))
                        activities.append(rows.add(Activity(entry_id=entry.pk, order=order, date=day, description=text)))
            year.entries[(measure.number, round.number)] = EntryPlan(entry, activities)


def build_oit(ctx: Context, world: World, rows: Rows) -> None:
    """The OIT checklist of every year in play: published (with the URL on the office's website) as the
    assessment of that year found it, else by the office's habits."""
    rng, organisation = world.rng, world.organisation
    owners = [world.departments[HEAD_OFFICE]] * 3 + [d for n, d in world.departments.items() if n != AUDIT_UNIT]
    for year in sorted({*ctx.years, *ctx.work_years}):
        data = ctx.frameworks.get(year)
        if data is None:
            continue
        assessed = world.assessments.get(year)
        start, end = fiscal_year_bounds(year)
        for item in data.oit_items:
            if assessed and item.code in assessed.item_scores:
                published = assessed.item_scores[item.code] >= 100
            else:
                published = rng.random() < 0.3 + 0.69 * world.quality
            status = OitEntry.Status.PUBLISHED if published else choose(
                rng, [(OitEntry.Status.IN_PROGRESS, 0.6), (OitEntry.Status.NOT_STARTED, 0.4)])
            # A few offices report an item published without saying where: the checklist flags it.
            with_url = status == OitEntry.Status.PUBLISHED and rng.random() < 0.95
            day = min(ctx.today - timedelta(days=1), start + timedelta(days=rng.randint(30, (end - start).days)))
            world.oit_entries[item.pk] = rows.add(OitEntry(
                organisation_id=organisation.pk, item_id=item.pk, owner=rng.choice(owners), status=status,
                url=f"{organisation.website}/public/oit/{year}/{item.code}" if with_url else "",
                note=rng.choice(OIT_NOTES) if rng.random() < 0.3 else "",
                updated_at=office_time(day, rng), updated_by_id=world.users["staff"].pk))
