"""Carrying an organisation's records into the next fiscal year along the crosswalk between the two
years' frameworks (assessments.models.ItemSuccession, read through assessments.selectors): the OIT
checklist, and a measure with its links to items. Item codes are renumbered every year, so nothing
here matches items by their code."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from assessments.models import Framework, Indicator
from assessments.selectors import item_successors
from itaportal.accounts.models import Organisation, User
from itaportal.thai import fiscal_year_bounds

from ..models import Measure, OitEntry
from . import record
from .oit import oit_year_items
from .plan import MeasureData, measure_create


@dataclass
class CarryResult:
    copied: int = 0  # entries started in the new year
    kept: int = 0  # the new year had its entry already: left as it is
    dropped: int = 0  # the item has no successor in the new year
    undecided: int = 0  # the crosswalk has no line for the item yet


@transaction.atomic
def oit_checklist_carry_forward(*, organisation: Organisation, from_year: int, user: User | None) -> CarryResult:
    """Start the organisation's checklist of `from_year` + 1 from its checklist of `from_year`, along the
    crosswalk (assessments.models.ItemSuccession): each entry's owner unit, URL and note go to the item
    that succeeds it. The status starts again, since the new year's disclosure is judged anew; an entry
    the new year has already is kept as it is; two items merged into one give one entry with both notes."""
    successors = item_successors(from_year)
    targets = set(oit_year_items(from_year + 1).values_list("pk", flat=True))
    started: dict[int, OitEntry] = {}
    existing = set(
        OitEntry.objects.filter(organisation=organisation, item_id__in=targets).values_list("item_id", flat=True)
    )
    result = CarryResult()
    for entry in (
        OitEntry.objects.filter(organisation=organisation, item__in=oit_year_items(from_year))
        .select_related("item")
        .order_by("item__order")
    ):
        if entry.item_id not in successors:
            result.undecided += 1
            continue
        successor = successors[entry.item_id]
        if successor is None or successor not in targets:
            result.dropped += 1
        elif successor in existing:
            result.kept += 1
        elif successor in started:
            merged = started[successor]
            if entry.note and entry.note not in merged.note:
                merged.note = f"{merged.note}\n{entry.note}".strip()
                merged.save(update_fields=["note", "updated_at"])
        else:
            started[successor] = OitEntry.objects.create(
                organisation=organisation, item_id=successor, owner=entry.owner, url=entry.url, note=entry.note,
                status=OitEntry.Status.NOT_STARTED, updated_by=user,
            )
            result.copied += 1
    if result.copied:
        record(organisation=organisation, action="ita.oit.carried_forward", target=organisation, user=user,
               data={"from": from_year, "to": from_year + 1, "copied": result.copied})
    return result


def _next_year(day: date) -> date:
    # 29 February has no twin in the year after.
    return day.replace(year=day.year + 1) if (day.month, day.day) != (2, 29) else date(day.year + 1, 2, 28)


def measure_carry_forward(*, measure: Measure, user: User | None = None) -> Measure:
    """A copy of the measure in the next fiscal year, as a start for its plan: the text, steps, units,
    positions, monitoring, target and budget; the OIT items along the crosswalk (an item without a
    decided successor is left out, never guessed by its code); the indicators by number; the period one
    year later (the whole fiscal year stays the whole fiscal year). The issues are left for the new
    year's analysis, which the measure will answer."""
    year = measure.fiscal_year + 1
    successors = item_successors(measure.fiscal_year)
    targets = {item.pk: item for item in oit_year_items(year)}
    items = [targets[successors[item.pk]] for item in measure.oit_items.all() if successors.get(item.pk) in targets]
    numbers = [indicator.number for indicator in measure.indicators.all()]
    whole_year = (measure.start_date, measure.end_date) == fiscal_year_bounds(measure.fiscal_year)
    data = MeasureData(
        kind=measure.kind,
        title=measure.title,
        steps=[step.text for step in measure.steps.order_by("order")],
        start_date=None if whole_year else _next_year(measure.start_date),
        end_date=None if whole_year else _next_year(measure.end_date),
        all_units=measure.all_units,
        departments=list(measure.departments.all()),
        positions=list(measure.positions.all()),
        indicators=list(
            Indicator.objects.filter(framework__fiscal_year=year, framework__state=Framework.State.PUBLISHED,
                                     number__in=numbers).order_by("order")
        ),
        oit_items=list(dict.fromkeys(items)),
        monitoring=measure.monitoring,
        planned_budget=measure.planned_budget,
        target=measure.target,
    )
    with transaction.atomic():
        new = measure_create(organisation=measure.organisation, fiscal_year=year, data=data, user=user)
        record(organisation=measure.organisation, action="ita.measure.carried_forward", target=new, user=user,
               data={"number": measure.number, "from": measure.fiscal_year, "new": new.number, "to": year})
    return new
