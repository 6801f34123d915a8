from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from itaportal.accounts.access import ALL_ROLES, EDITORS, organisation_view

from ..selectors.year_start import year_start
from ..services.carry import oit_checklist_carry_forward


@organisation_view(roles=ALL_ROLES)
def year_start_page(request, year: int):
    """One page that walks an office into a new fiscal year, each step one click from its form."""
    return render(
        request,
        "measures/year_start.html",
        {
            "year": year,
            "start": year_start(request.organisation, year),
            "can_edit": request.membership.role in EDITORS,
        },
    )


@organisation_view(roles=EDITORS, methods=("POST",))
def year_carry_oit(request, year: int):
    result = oit_checklist_carry_forward(organisation=request.organisation, from_year=year - 1, user=request.user)
    messages.success(
        request,
        _(
            "OIT checklist carried into fiscal year %(year)s: %(copied)s entries started, %(kept)s already there, "
            "%(dropped)s without a successor item, %(undecided)s waiting for the crosswalk."
        )
        % {"year": year, "copied": result.copied, "kept": result.kept, "dropped": result.dropped,
           "undecided": result.undecided},
    )
    return redirect("year_start", org_slug=request.organisation.slug, year=year)
