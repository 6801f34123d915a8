from django.db.models import Prefetch, QuerySet
from django.http import Http404

from assessments.selectors import frameworks
from itaportal.accounts.models import Membership, Organisation, Role
from itaportal.years import WORK, picker_years

from ..models import Measure, MeasureStep, ReportingRound


def measures_of(organisation: Organisation, year: int) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(organisation=organisation, fiscal_year=year)
        .prefetch_related(
            Prefetch("steps", queryset=MeasureStep.objects.order_by("order")),
            "departments",
            "positions__organisation",
            "issues__assessment__framework",
            "indicators",
            "oit_items",
        )
        .order_by("number")
    )


def get_measure_for_member(organisation: Organisation, pk: int) -> Measure:
    measure = measures_of_any_year(organisation).filter(pk=pk).first()
    if measure is None:
        raise Http404
    return measure


def measures_of_any_year(organisation: Organisation) -> QuerySet[Measure]:
    return Measure.objects.filter(organisation=organisation).select_related("organisation")


def rounds_of(organisation: Organisation, year: int) -> QuerySet[ReportingRound]:
    return ReportingRound.objects.filter(organisation=organisation, fiscal_year=year).order_by("number")


def get_round_for_member(organisation: Organisation, pk: int) -> ReportingRound:
    found = ReportingRound.objects.filter(organisation=organisation, pk=pk).first()
    if found is None:
        raise Http404
    return found


def work_years(organisation: Organisation) -> set[int]:
    """The years in which this office has measures or reporting rounds."""
    years = set(Measure.objects.filter(organisation=organisation).values_list("fiscal_year", flat=True))
    return years | set(ReportingRound.objects.filter(organisation=organisation).values_list("fiscal_year", flat=True))


def plan_years(organisation: Organisation, today) -> list[int]:
    """The years the measures pages offer: every year with a published framework or with this office's
    measures or rounds, and the year being worked in."""
    return picker_years(WORK, today, work_years(organisation), frameworks().values_list("fiscal_year", flat=True))


def can_report(membership: Membership, measure: Measure) -> bool:
    """The organisation's admin reports on every measure; staff on those of their unit or position."""
    if membership.organisation_id != measure.organisation_id:
        return False
    if membership.role == Role.ADMIN:
        return True
    if membership.role != Role.STAFF:
        return False
    if measure.all_units:
        return True
    return any(d.pk == membership.department_id for d in measure.departments.all()) or any(
        p.pk == membership.position_id for p in measure.positions.all()
    )
