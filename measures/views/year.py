from django.shortcuts import render

from itaportal.accounts.access import ALL_ROLES, EDITORS, organisation_view

from ..selectors.year_start import year_start


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
