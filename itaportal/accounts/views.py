from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView, PasswordResetConfirmView, PasswordResetView
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from assessments.selectors import assessments_of, scoreboard_of
from itaportal.oversight.selectors import scopes_of

from .access import ADMINS, CURRENT_ORG_SESSION_KEY, authenticated_view, organisation_view
from .forms import OrganisationProfileForm, PortalPasswordResetForm, TwoFactorCodeForm
from .selectors import memberships_of, organisation_members
from .services import organisation_update_profile
from .twofactor import (
    Step,
    complete_login,
    confirm_device,
    confirmed_device,
    enrolment_device,
    grouped_key,
    pending_step,
    qr_svg,
    safe_next,
    step_url,
    two_factor_required,
)


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


@authenticated_view()
def my_account(request):
    return render(
        request,
        "accounts/my_account.html",
        {
            "memberships": memberships_of(request.user),
            "device": confirmed_device(request.user),
            "two_factor_required": two_factor_required(request.user),
        },
    )


class PortalLoginView(LoginView):
    """The password step; the code step follows when the person has a device or must have one."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        step = pending_step(form.get_user())
        return redirect(step_url(step, self.get_redirect_url())) if step else response


@authenticated_view(methods=("GET", "POST"))
@never_cache
def two_factor_verify(request):
    user = request.user
    next_url = safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL))
    if user.is_verified():
        return redirect(next_url)
    device = confirmed_device(user)
    if device is None:
        step = pending_step(user)
        return redirect(step_url(step, next_url) if step else next_url)
    form = TwoFactorCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        complete_login(request, device)
        return redirect(next_url)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


@authenticated_view(methods=("GET", "POST"))
@never_cache
def two_factor_enrol(request):
    user = request.user
    next_url = safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL))
    if confirmed_device(user) is not None:
        # Another device only after the code of the first: a password alone must not replace the phone.
        return redirect(next_url if user.is_verified() else step_url(Step.VERIFY, next_url))
    device = enrolment_device(user)
    form = TwoFactorCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        confirm_device(device)
        complete_login(request, device)
        messages.success(
            request, _("Two-step login is on: after your password, the portal asks for a code from your app.")
        )
        return redirect(next_url)
    return render(
        request,
        "registration/two_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "required": two_factor_required(user),
            "qr": qr_svg(device, title=_("QR code to scan with your authenticator app")),
            "key": grouped_key(device),
        },
    )


class PortalPasswordResetView(PasswordResetView):
    """Always the same answer, whether the address belongs to an account or not."""

    form_class = PortalPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"


class PortalPasswordResetConfirmView(PasswordResetConfirmView):
    """The new password does not log the person in: the next login asks for it, and for the code
    when the account has two-step login."""

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever chose the new password holds the account's mailbox; the lock that wrong guesses
        # (perhaps someone else's) put on the login is lifted so that the new password works now.
        axes_reset(username=form.user.get_username())
        return response
