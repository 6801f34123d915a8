from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments.selectors import assessments_of, scoreboard_of

from .access import ADMINS, CURRENT_ORG_SESSION_KEY, organisation_view
from .forms import OrganisationProfileForm
from .selectors import memberships_of, organisation_members
from .services import organisation_update_profile


@require_GET
@login_required
def home(request):
    """Land in the organisation used last, or the only one; a chooser when there are several."""
    memberships = list(memberships_of(request.user))
    slugs = [m.organisation.slug for m in memberships]
    last = request.session.get(CURRENT_ORG_SESSION_KEY)
    if last in slugs:
        return redirect("org_home", org_slug=last)
    if len(slugs) == 1:
        return redirect("org_home", org_slug=slugs[0])
    if not slugs and request.user.is_staff:
        return redirect("admin:index")
    return render(request, "accounts/choose_organisation.html", {"memberships": memberships})


@organisation_view()
def org_home(request):
    latest = assessments_of(request.organisation).first()
    return render(
        request,
        "accounts/org_home.html",
        {
            "organisation": request.organisation,
            "latest": latest,
            "latest_board": scoreboard_of(latest) if latest else None,
        },
    )


@organisation_view(roles=ADMINS)
def org_members(request):
    return render(
        request,
        "accounts/org_members.html",
        {"organisation": request.organisation, "members": organisation_members(request.organisation)},
    )


@organisation_view(roles=ADMINS, methods=("GET", "POST"))
def org_profile(request):
    organisation = request.organisation
    if request.method == "POST":
        form = OrganisationProfileForm(request.POST)
        if form.is_valid():
            organisation_update_profile(organisation=organisation, **form.cleaned_data)
            messages.success(request, _("The organisation's details were saved."))
            return redirect("org_profile", org_slug=organisation.slug)
    else:
        form = OrganisationProfileForm(
            initial={
                "document_code": organisation.document_code,
                "website": organisation.website,
                "email": organisation.email,
            }
        )
    return render(request, "accounts/org_profile.html", {"organisation": organisation, "form": form})


@require_GET
@login_required
def my_account(request):
    return render(request, "accounts/my_account.html", {"memberships": memberships_of(request.user)})
