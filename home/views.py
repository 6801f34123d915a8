"""Where a person lands: the portal's front door and each office's overview. They read every app
(assessments, oversight, and the links of measures and reports), so they live above the apps and
the foundation imports none of them."""

from django.shortcuts import redirect, render
from django.utils import timezone

from assessments.selectors import assessments_of, scoreboard_of
from itaportal.accounts.access import ADMINS, CURRENT_ORG_SESSION_KEY, EDITORS, authenticated_view, organisation_view
from itaportal.accounts.selectors import memberships_of
from oversight.selectors import scopes_of
from itaportal.thai import fiscal_year


@authenticated_view()
def home(request):
    """Land in the organisation used last, or the only one; a chooser when there are several."""
    memberships = list(memberships_of(request.user))
    slugs = [m.organisation.slug for m in memberships]
    last = request.session.get(CURRENT_ORG_SESSION_KEY)
    if last in slugs:
        return redirect("org_home", org_slug=last)
    if len(slugs) == 1:
        return redirect("org_home", org_slug=slugs[0])
    # Someone who follows an area without being in any of its organisations lands in its roll-up.
    if not slugs and scopes_of(request.user).exists():
        return redirect("oversight_home")
    # The people who register offices work from the portal's pages, not the Django admin.
    if not slugs and request.user.has_perm("accounts.add_organisation"):
        return redirect("office_list")
    if not slugs and request.user.is_staff:
        return redirect("admin:index")
    return render(request, "home/choose_organisation.html", {"memberships": memberships})


@organisation_view()
def org_home(request):
    latest = assessments_of(request.organisation).first()
    today_year = fiscal_year(timezone.localdate())
    return render(
        request,
        "home/org_home.html",
        {
            "organisation": request.organisation,
            "latest": latest,
            "latest_board": scoreboard_of(latest) if latest else None,
            # While nothing is recorded the page says where to start: the results of the year the NACC
            # has just published, then the measures of this year, then who approves the memos.
            "first_steps": latest is None,
            "results_year": today_year - 1,
            "plan_year": today_year,
            "can_edit": request.membership.role in EDITORS,
            "is_admin": request.membership.role in ADMINS,
        },
    )
