from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal.accounts.access import ALL_ROLES, EDITORS, organisation_view
from itaportal.audit.selectors import about, history

from ..forms import ProgressForm
from ..selectors.plan import can_report, get_measure_for_member, get_round_for_member, measures_of
from ..selectors.progress import entries_by_key, get_entry, late_in_round
from ..services import MeasureError
from ..services.progress import progress_save, progress_save_draft


def _measure_and_round(request, pk: int, round_pk: int):
    organisation = request.organisation
    measure = get_measure_for_member(organisation, pk)
    round = get_round_for_member(organisation, round_pk)
    if round.fiscal_year != measure.fiscal_year:
        raise Http404
    if not can_report(request.membership, measure):
        raise PermissionDenied
    return measure, round


def _initial(entry) -> dict:
    if entry is None:
        return {"status": "not_started"}
    return {
        "status": entry.status,
        "outcome": entry.outcome,
        "suggestions": entry.suggestions,
        "budget_used": "" if entry.budget_used is None else f"{entry.budget_used:.2f}",
    }


def _draft_data(entry):
    """A saved draft as form data, so that what was typed before comes back as it was typed."""
    return MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in entry.draft["data"].items()})


def _save(request, measure, round, form, autosave: bool = False) -> None:
    data = form.cleaned_data
    progress_save(
        measure=measure,
        round=round,
        user=request.user,
        status=data["status"],
        outcome=data["outcome"],
        suggestions=data["suggestions"],
        budget_used=data["budget_used"],
        activities=data["activities"],
        autosave=autosave,
    )


def _raw(post) -> dict:
    return {key: post.getlist(key) for key in post if key != "csrfmiddlewaretoken"}


@organisation_view(roles=EDITORS, methods=("GET", "POST"), object_level=True)
def progress_form(request, pk: int, round_pk: int):
    measure, round = _measure_and_round(request, pk, round_pk)
    entry = get_entry(measure, round)
    restored = False
    if request.method == "POST":
        form = ProgressForm(request.POST, measure=measure, round=round)
        if form.is_valid():
            try:
                _save(request, measure, round, form)
            except MeasureError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The progress was saved."))
                return redirect("progress_form", org_slug=request.organisation.slug, pk=pk, round_pk=round_pk)
        else:
            if not round.is_locked:
                progress_save_draft(measure=measure, round=round, user=request.user, raw=_raw(request.POST))
            messages.error(request, _("Some fields need correcting; what you typed is kept as a draft."))
    elif entry is not None and entry.draft:
        form = ProgressForm(_draft_data(entry), measure=measure, round=round)
        form.is_valid()
        restored = True
    else:
        form = ProgressForm(initial=_initial(entry), measure=measure, round=round)
        if entry is not None:
            form.set_activities(entry.activities.all())
    return render(
        request,
        "measures/progress_form.html",
        {
            "measure": measure,
            "round": round,
            "entry": entry,
            "form": form,
            "restored": restored,
            "locked": round.is_locked,
            "late": late_in_round([measure], round, timezone.localdate())[measure.pk],
            "can_edit": not round.is_locked,
            # The entry's saves and its evidence (an entry not yet written has none).
            "history": history(about(entry)),
        },
    )


@organisation_view(roles=EDITORS, methods=("POST",), object_level=True)
def progress_autosave(request, pk: int, round_pk: int):
    """Called by htmx as the person types: a valid form is saved, an invalid one kept as a draft.
    Either way only a small status line comes back; the inputs in the browser are never replaced."""
    measure, round = _measure_and_round(request, pk, round_pk)
    form = ProgressForm(request.POST)
    context = {"saved_at": None, "errors": [], "locked": round.is_locked}
    if round.is_locked:
        return render(request, "measures/_autosave_status.html", context, status=409)
    try:
        if form.is_valid():
            _save(request, measure, round, form, autosave=True)
        else:
            progress_save_draft(measure=measure, round=round, user=request.user, raw=_raw(request.POST))
            context["errors"] = [e for errors in form.errors.values() for e in errors]
        context["saved_at"] = timezone.localtime()
    except MeasureError as error:
        context["errors"] = [str(error)]
    return render(request, "measures/_autosave_status.html", context)


@organisation_view(roles=ALL_ROLES)
def round_report(request, year: int, round_pk: int):
    """The progress of every measure in one round: the table of the progress report (002)."""
    organisation = request.organisation
    round = get_round_for_member(organisation, round_pk)
    if round.fiscal_year != year:
        raise Http404
    measures = list(measures_of(organisation, year))
    entries = entries_by_key(measures, [round])
    late = late_in_round(measures, round, timezone.localdate())
    rows = []
    for measure in measures:
        rows.append(
            {
                "measure": measure,
                "entry": entries.get((measure.pk, round.pk)),
                "late": late[measure.pk],
                "can_report": can_report(request.membership, measure),
            }
        )
    return render(request, "measures/round_report.html", {"round": round, "year": year, "rows": rows})
