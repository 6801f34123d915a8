"""The plan: measures of a fiscal year and the reporting rounds they are reported in."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.models import AnalysisIssue, Indicator, Item
from itaportal.accounts.models import Department, Organisation, Position, User
from itaportal.audit.services import changes, money, shown
from itaportal.thai import fiscal_year_bounds

from ..models import Measure, MeasureStep, ProgressEntry, ReportingRound
from . import MeasureError, record


@dataclass
class MeasureData:
    """What a person plans for one measure; the organisation and the number come from elsewhere."""

    kind: str
    title: str
    steps: list[str]
    start_date: date | None = None
    end_date: date | None = None
    # The dates are the first day of a month and the last day of a month, and print as months.
    period_in_months: bool = False
    all_units: bool = False
    departments: list[Department] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    issues: list[AnalysisIssue] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    oit_items: list[Item] = field(default_factory=list)
    monitoring: str = ""
    planned_budget: Decimal | None = None
    target: str = ""


def _check_belongs(organisation: Organisation, data: MeasureData) -> None:
    """Never trust related objects from a form: each must be the organisation's own."""
    foreign = [
        *(d for d in data.departments if d.organisation_id != organisation.pk),
        *(p for p in data.positions if p.organisation_id != organisation.pk),
        *(i for i in data.issues if i.assessment.organisation_id != organisation.pk),
    ]
    if foreign:
        raise MeasureError(_("A unit, position or issue of another organisation cannot be chosen."))
    if not (data.all_units or data.departments or data.positions):
        raise MeasureError(_("Name at least one responsible unit or position, or choose every unit."))


def _apply(measure: Measure, data: MeasureData) -> Measure:
    start, end = fiscal_year_bounds(measure.fiscal_year)
    measure.kind = data.kind
    measure.title = data.title.strip()
    measure.start_date = data.start_date or start
    measure.end_date = data.end_date or end
    if measure.end_date < measure.start_date:
        raise MeasureError(_("The period ends before it starts."))
    # The whole fiscal year by default prints as days, as plans write it (๑ ต.ค. ๖๗ – ๓๐ ก.ย. ๖๘).
    measure.period_in_months = bool(data.period_in_months and data.start_date and data.end_date)
    if measure.period_in_months and not _whole_months(measure.start_date, measure.end_date):
        raise MeasureError(_("A period in months starts on the first day of a month and ends on the last."))
    measure.all_units = data.all_units
    measure.monitoring = data.monitoring.strip()
    measure.planned_budget = data.planned_budget
    measure.target = data.target.strip()
    measure.save()
    measure.departments.set(data.departments)
    measure.positions.set(data.positions)
    measure.issues.set(data.issues)
    measure.indicators.set(data.indicators)
    measure.oit_items.set(data.oit_items)
    measure.steps.all().delete()
    MeasureStep.objects.bulk_create(
        MeasureStep(measure=measure, order=order, text=text.strip())
        for order, text in enumerate((s for s in data.steps if s.strip()), start=1)
    )
    return measure


def _whole_months(start: date, end: date) -> bool:
    return start.day == 1 and (end + timedelta(days=1)).day == 1


# Texts the trail names as edited without copying them; the other fields keep their values before and after.
LONG_TEXTS = ("title", "steps", "monitoring", "target")


def _plan_values(measure: Measure) -> dict:
    """What the history panel tells of a measure's change, as comparable, printable values."""
    return {
        "kind": measure.kind,
        "title": measure.title,
        "steps": [step.text for step in measure.steps.order_by("order")],
        "period": [shown(measure.start_date), shown(measure.end_date)],
        "period_in_months": measure.period_in_months,
        "all_units": measure.all_units,
        "departments": sorted(d.name for d in measure.departments.all()),
        "positions": sorted(p.title for p in measure.positions.all()),
        "issues": sorted(issue.order for issue in measure.issues.all()),
        "indicators": sorted(indicator.number for indicator in measure.indicators.all()),
        "oit_items": sorted(item.code for item in measure.oit_items.all()),
        "monitoring": measure.monitoring,
        "planned_budget": money(measure.planned_budget),
        "target": measure.target,
    }


def _change_data(before: dict, after: dict) -> dict:
    changed = changes(before, after)
    return {
        "changes": {field: pair for field, pair in changed.items() if field not in LONG_TEXTS},
        "edited": [field for field in changed if field in LONG_TEXTS],
    }


def measure_create(
    *, organisation: Organisation, fiscal_year: int, data: MeasureData, user: User | None = None,
    imported: bool = False,
) -> Measure:
    """`imported`: the measure comes from a plan file (measures.excel), as its history says."""
    _check_belongs(organisation, data)
    # Two people adding a measure at once both read the same highest number: the unique
    # constraint refuses the second, which simply takes the next number.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                highest = Measure.objects.filter(organisation=organisation, fiscal_year=fiscal_year).aggregate(
                    Max("number")
                )["number__max"]
                measure = Measure(organisation=organisation, fiscal_year=fiscal_year, number=(highest or 0) + 1)
                measure = _apply(measure, data)
                record(organisation=organisation, action="ita.measure.created", target=measure, user=user,
                       data={"year": fiscal_year, "number": measure.number, "title": measure.title,
                             "imported": imported})
                return measure
        except IntegrityError:
            continue
    raise MeasureError(_("The measure could not be numbered; please try again."))


@transaction.atomic
def measure_update(*, measure: Measure, data: MeasureData, user: User | None = None) -> Measure:
    _check_belongs(measure.organisation, data)
    before = _plan_values(measure)
    measure = _apply(measure, data)
    record(organisation=measure.organisation, action="ita.measure.changed", target=measure, user=user,
           data={"year": measure.fiscal_year, "number": measure.number,
                 **_change_data(before, _plan_values(measure))})
    return measure


@transaction.atomic
def measure_delete(*, measure: Measure, user: User | None = None) -> None:
    """Only a measure nobody has reported on can go: a reported one is part of a report."""
    if measure.entries.exists():
        raise MeasureError(_("This measure already has progress reports and cannot be removed."))
    # Written before the delete, while the measure still has the id the entry refers to.
    record(organisation=measure.organisation, action="ita.measure.deleted", target=measure, user=user,
           data={"year": measure.fiscal_year, "number": measure.number, "title": measure.title})
    measure.delete()


# --- rounds -----------------------------------------------------------------------------------

SCHEMES = {"half": 6, "quarter": 3, "month": 1}


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def default_rounds(fiscal_year: int, scheme: str) -> list[dict]:
    """Rounds that split the fiscal year evenly: 6 months (to 31 March) and 12 months (to 30
    September) by default, or quarters, or months; each due on the last day of its period."""
    months = SCHEMES[scheme]
    start, end = fiscal_year_bounds(fiscal_year)
    rounds = []
    for number in range(1, 12 // months + 1):
        period_end = _add_months(start, months * number) - timedelta(days=1)
        # The name is stored and printed in the official documents, so it is Thai whoever set the rounds.
        with translation.override("th"):
            name = _("%(months)s-month round") % {"months": months * number}
        rounds.append(
            {
                "number": number,
                "name": name,
                "period_start": start,
                "period_end": min(period_end, end),
                "due_date": min(period_end, end),
            }
        )
    return rounds


@transaction.atomic
def rounds_configure(
    *, organisation: Organisation, fiscal_year: int, scheme: str, user: User | None = None
) -> list[ReportingRound]:
    if scheme not in SCHEMES:
        raise MeasureError(_("Unknown reporting scheme."))
    existing = ReportingRound.objects.filter(organisation=organisation, fiscal_year=fiscal_year)
    if ProgressEntry.objects.filter(round__in=existing).exists():
        raise MeasureError(_("Progress has already been reported in these rounds; they can no longer be replaced."))
    _total, deleted = existing.delete()
    rounds = ReportingRound.objects.bulk_create(
        ReportingRound(organisation=organisation, fiscal_year=fiscal_year, **spec)
        for spec in default_rounds(fiscal_year, scheme)
    )
    # The rounds are replaced as a set, so the entry is the office's, with the year in its data.
    record(organisation=organisation, action="ita.rounds.configured", target=organisation, user=user, data={
        "year": fiscal_year, "scheme": scheme, "rounds": [r.name for r in rounds],
        "replaced": deleted.get(ReportingRound._meta.label, 0),
    })
    return rounds


@transaction.atomic
def round_update_due_date(
    *, round: ReportingRound, due_date: date, user: User | None = None
) -> ReportingRound:
    if round.is_locked:
        raise MeasureError(_("This round's report is approved; it can no longer change."))
    before = round.due_date
    round.due_date = due_date
    round.save(update_fields=["due_date"])
    record(organisation=round.organisation, action="ita.round.due_date_changed", target=round, user=user,
           data={"year": round.fiscal_year, "round": round.name, "before": shown(before),
                 "after": shown(due_date)})
    return round
