from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal.accounts.access import ALL_ROLES, EDITORS, organisation_view
from itaportal.audit.selectors import about, about_kind, about_rows, history

from ..forms import DueDateForm, MeasureForm, RoundsForm
from ..models import ProgressEntry, ReportingRound
from ..selectors.plan import (
    can_report,
    get_measure_for_member,
    get_round_for_member,
    measures_of,
    plan_years,
    rounds_of,
)
from ..selectors.progress import entries_by_key
from ..services import MeasureError
from ..services.plan import measure_create, measure_delete, measure_update, round_update_due_date, rounds_configure


def _can_edit(request) -> bool:
    return request.membership.role in EDITORS


@organisation_view(roles=ALL_ROLES)
def plan(request, year: int):
    organisation = request.organisation
    return render(
        request,
        "measures/plan.html",
        {
            "year": year,
            "years": plan_years(organisation, timezone.localdate()),
            "measures": measures_of(organisation, year),
            "rounds": rounds_of(organisation, year),
            "can_edit": _can_edit(request),
        },
    )


def _measure_form_page(request, form, year, measure=None):
    return render(request, "measures/measure_form.html", {"form": form, "year": year, "measure": measure})


@organisation_view(roles=EDITORS, methods=("GET", "POST"))
def measure_new(request, year: int):
    organisation = request.organisation
    form = MeasureForm(request.POST or None, organisation=organisation, fiscal_year=year)
    if request.method == "POST" and form.is_valid():
        try:
            measure = measure_create(
                organisation=organisation, fiscal_year=year, data=form.measure_data(), user=request.user
            )
        except MeasureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Measure %(number)s was added.") % {"number": measure.number})
            return redirect("measure_plan", org_slug=organisation.slug, year=year)
    return _measure_form_page(request, form, year)


@organisation_view(roles=ALL_ROLES)
def measure_detail(request, pk: int):
    organisation = request.organisation
    measure = get_measure_for_member(organisation, pk)
    measure = measures_of(organisation, measure.fiscal_year).get(pk=pk)
    rounds = list(rounds_of(organisation, measure.fiscal_year))
    entries = entries_by_key([measure], rounds)
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": measure,
            "rounds": [(r, entries.get((measure.pk, r.pk))) for r in rounds],
            "can_edit": _can_edit(request),
            "can_report": can_report(request.membership, measure),
            # The measure's own changes, and its progress and evidence in every round.
            "history": history(about(measure), about_rows(ProgressEntry.objects.filter(measure=measure))),
        },
    )


@organisation_view(roles=EDITORS, methods=("GET", "POST"))
def measure_edit(request, pk: int):
    organisation = request.organisation
    measure = get_measure_for_member(organisation, pk)
    form = MeasureForm(
        request.POST or None,
        initial=MeasureForm.initial_for(measure),
        organisation=organisation,
        fiscal_year=measure.fiscal_year,
    )
    if request.method == "POST" and form.is_valid():
        try:
            measure_update(measure=measure, data=form.measure_data(), user=request.user)
        except MeasureError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Measure %(number)s was saved.") % {"number": measure.number})
            return redirect("measure_detail", org_slug=organisation.slug, pk=measure.pk)
    return _measure_form_page(request, form, measure.fiscal_year, measure)


@organisation_view(roles=EDITORS, methods=("POST",))
def measure_remove(request, pk: int):
    measure = get_measure_for_member(request.organisation, pk)
    try:
        measure_delete(measure=measure, user=request.user)
    except MeasureError as error:
        messages.error(request, str(error))
        return redirect("measure_detail", org_slug=request.organisation.slug, pk=pk)
    messages.success(request, _("The measure was removed."))
    return redirect("measure_plan", org_slug=request.organisation.slug, year=measure.fiscal_year)


def _rounds_page(request, year: int, failed: tuple[int, DueDateForm] | None = None):
    """`failed`: the round whose due date was refused, with its form, shown as typed next to its error."""
    rows = []
    for round in rounds_of(request.organisation, year):
        if failed is not None and failed[0] == round.pk:
            form = failed[1]
        else:
            form = DueDateForm(initial={"due_date": round.due_date}, auto_id=f"id_due_{round.pk}_%s")
        rows.append({"round": round, "due_form": form})
    organisation = request.organisation
    return render(
        request,
        "measures/rounds.html",
        {
            "year": year,
            "rows": rows,
            "form": RoundsForm(),
            "can_edit": _can_edit(request),
            # Rounds replaced since are found by the year their entries name.
            "history": history(
                about_kind(ReportingRound, organisation, year=year),
                about(organisation) & Q(action="ita.rounds.configured", data__year=year),
            ),
        },
    )


@organisation_view(roles=ALL_ROLES)
def rounds(request, year: int):
    return _rounds_page(request, year)


@organisation_view(roles=EDITORS, methods=("POST",))
def rounds_configure_view(request, year: int):
    form = RoundsForm(request.POST)
    if form.is_valid():
        try:
            rounds_configure(
                organisation=request.organisation, fiscal_year=year, scheme=form.cleaned_data["scheme"],
                user=request.user,
            )
            messages.success(request, _("The reporting rounds were set."))
        except MeasureError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Choose how often progress is reported."))
    return redirect("rounds", org_slug=request.organisation.slug, year=year)


@organisation_view(roles=EDITORS, methods=("POST",))
def round_due_date(request, year: int, round_pk: int):
    round = get_round_for_member(request.organisation, round_pk)
    form = DueDateForm(request.POST, auto_id=f"id_due_{round.pk}_%s")
    if form.is_valid():
        try:
            round_update_due_date(round=round, due_date=form.cleaned_data["due_date"], user=request.user)
            messages.success(request, _("The due date was changed."))
        except MeasureError as error:
            messages.error(request, str(error))
        return redirect("rounds", org_slug=request.organisation.slug, year=round.fiscal_year)
    # The page again, with what was typed and why it was refused next to it.
    return _rounds_page(request, round.fiscal_year, failed=(round.pk, form))
