"""The OIT checklist page and the edit of one of its rows (a whole page, or the row alone for htmx)."""

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from itaportal.accounts.access import ALL_ROLES, EDITORS, organisation_view
from itaportal.audit.selectors import about, about_kind, history

from ..forms_oit import OitEntryForm
from ..models import OitEntry
from ..selectors.oit import get_oit_item_or_404, oit_checklist, oit_entry_of, oit_owner_choices, oit_row
from ..services.oit import OitEntryError, oit_entry_save

# Sent with an edited row so that the completion bars of the page refresh themselves.
CHANGED_EVENT = "oitChanged"


def _year_history(organisation, year: int) -> list:
    """Every entry saved on the year's checklist, and the carry-over that started it."""
    return history(
        about_kind(OitEntry, organisation, year=year),
        about(organisation) & Q(action="ita.oit.carried_forward", data__to=year),
    )


def _checklist_page(request, year: int, *, editing: int | None = None, form=None, entry=None) -> HttpResponse:
    # A year whose framework lists no OIT items yet shows an empty checklist that says so.
    _rows, completion = oit_checklist(request.organisation, year)
    return render(
        request,
        "measures/oit_checklist.html",
        {
            "year": year,
            "completion": completion,
            "website_known": bool(request.organisation.website),
            "can_edit": request.membership.role in EDITORS,
            "editing": editing,
            "form": form,
            "history": _year_history(request.organisation, year),
            "entry_history": history(about(entry)) if editing else [],
        },
    )


@organisation_view(roles=ALL_ROLES)
def checklist(request, year: int):
    return _checklist_page(request, year)


@organisation_view(roles=EDITORS, methods=("GET", "POST"))
def entry_edit(request, year: int, item_pk: int):
    organisation = request.organisation
    item = get_oit_item_or_404(year, item_pk)
    departments = oit_owner_choices(organisation)
    entry = oit_entry_of(organisation, item)
    if request.method == "POST":
        form = OitEntryForm(request.POST, departments=departments)
        if form.is_valid():
            data = form.cleaned_data
            try:
                oit_entry_save(
                    organisation=organisation,
                    item=item,
                    user=request.user,
                    owner=data["owner"],
                    status=data["status"],
                    url=data["url"],
                    note=data["note"],
                )
            except OitEntryError as error:
                form.add_error(error.field, str(error))
            else:
                if request.htmx:
                    response = _row(request, year, oit_row(organisation, item))
                    response["HX-Trigger"] = CHANGED_EVENT
                    return response
                messages.success(request, _("%(code)s was saved.") % {"code": item.code})
                url = reverse("oit_checklist", kwargs={"org_slug": organisation.slug, "year": year})
                return redirect(f"{url}#oit-{item.code}")
    else:
        initial = OitEntryForm.initial_for(entry)
        form = OitEntryForm(initial=initial, departments=departments)
    if request.htmx:
        return _row(request, year, oit_row(organisation, item), form=form)
    return _checklist_page(request, year, editing=item.pk, form=form, entry=entry)


def _row(request, year: int, row, form=None) -> HttpResponse:
    return render(
        request,
        "measures/_oit_row.html",
        # The row being edited shows its entry's history under the form.
        {"row": row, "year": year, "form": form, "can_edit": True,
         "entry_history": history(about(row.entry)) if form is not None else []},
    )
