"""Demo measures and progress of the reference documents (measures.yaml).

Idempotent: rounds are configured only for a year that has none, measures created only for a year
that has none, and a progress entry saved only where none exists, so that a second run, or a run
after someone edited the demo in the portal, changes nothing.
"""

from datetime import date

from django.db import transaction

from assessments.models import AnalysisIssue, Indicator, Item
from itaportal import dates
from itaportal.accounts.models import Department, Organisation, Position, User
from measures.models import Measure, ProgressEntry, ReportingRound
from measures.services.plan import MeasureData, measure_create, rounds_configure
from measures.services.progress import ActivityData, progress_save

from .data import read


def parse_thai_date(text: str) -> date:
    """A date of the demo files as the documents print it ("๔ มกราคม ๒๕๖๖", "๑๕ ก.พ. ๖๖"), read as
    every date box reads it."""
    try:
        return dates.parse_thai_date(str(text))
    except dates.DateInputError:
        raise ValueError(f"not a date: {text!r}") from None


def _get(model, description: str, **lookup):
    try:
        return model.objects.get(**lookup)
    except model.DoesNotExist:
        raise LookupError(f"measures.yaml names a {description} that does not exist: {lookup}") from None


def _measure_data(organisation: Organisation, year: int, spec: dict) -> MeasureData:
    return MeasureData(
        kind=spec.get("kind", Measure.Kind.MEASURE),
        title=spec["title"],
        steps=list(spec.get("steps") or []),
        start_date=parse_thai_date(spec["start"]) if "start" in spec else None,
        end_date=parse_thai_date(spec["end"]) if "end" in spec else None,
        all_units=spec.get("all_units", False),
        departments=[
            _get(Department, "department", organisation=organisation, name=name)
            for name in spec.get("departments", [])
        ],
        positions=[
            _get(Position, "position", organisation=organisation, title=title)
            for title in spec.get("positions", [])
        ],
        # Measures answer the analysis of the previous year's results.
        issues=[
            _get(
                AnalysisIssue,
                "issue",
                assessment__organisation=organisation,
                assessment__framework__fiscal_year=year - 1,
                order=order,
            )
            for order in spec.get("issues", [])
        ],
        indicators=[
            _get(Indicator, "indicator", framework__fiscal_year=year, number=str(number))
            for number in spec.get("indicators", [])
        ],
        oit_items=[
            _get(Item, "OIT item", framework__fiscal_year=year, code=code)
            for code in spec.get("oit_items", [])
        ],
        monitoring=spec.get("monitoring", ""),
        target=spec.get("target", ""),
    )


def _load_progress(measure: Measure, specs: list[dict], user: User) -> None:
    for spec in specs:
        round = _get(
            ReportingRound,
            "round",
            organisation=measure.organisation,
            fiscal_year=measure.fiscal_year,
            number=spec["round"],
        )
        # An approved round is closed for good, even to the demo loader.
        if round.is_locked or ProgressEntry.objects.filter(measure=measure, round=round).exists():
            continue
        progress_save(
            measure=measure,
            round=round,
            user=user,
            status=spec["status"],
            outcome=spec.get("outcome", ""),
            suggestions=spec.get("suggestions", ""),
            budget_used=None,
            activities=[
                ActivityData(parse_thai_date(a["date"]), a["text"]) for a in spec.get("activities", [])
            ],
        )


@transaction.atomic
def load() -> None:
    for plan in read("measures.yaml")["organisations"]:
        organisation = Organisation.objects.get(slug=plan["organisation"])
        year = plan["fiscal_year"]
        if not ReportingRound.objects.filter(organisation=organisation, fiscal_year=year).exists():
            rounds_configure(organisation=organisation, fiscal_year=year, scheme="half")
        measures = Measure.objects.filter(organisation=organisation, fiscal_year=year)
        if not measures.exists():
            for spec in plan["measures"]:
                measure_create(
                    organisation=organisation, fiscal_year=year, data=_measure_data(organisation, year, spec)
                )
        user = User.objects.get(username=f"staff.{organisation.slug}")
        # Measures are numbered in the order of the file; one removed in the portal keeps its gap.
        by_number = {m.number: m for m in measures.select_related("organisation")}
        for number, spec in enumerate(plan["measures"], start=1):
            if number in by_number and spec.get("progress"):
                _load_progress(by_number[number], spec["progress"], user)
