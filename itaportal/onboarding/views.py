"""Pages of an office's members and invitations (its admin invites; a person accepts) and of
registering offices."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaportal.accounts.access import ADMINS, organisation_view, platform_view, public_view
from itaportal.accounts.models import User
from itaportal.accounts.selectors import administration_history, organisation_members
from itaportal.accounts.services import AdministrationError
from itaportal.accounts.twofactor import complete_login, grouped_key, qr_svg
from itaportal.accounts.views import refused

from itaportal.tables import TableFileError

from .forms import AcceptForm, InvitationForm, OfficeForm, OfficeImportForm
from .importing import COLUMNS, REQUIRED, import_offices, template_xlsx
from .selectors import get_open_invitation_or_404, invitation_by_token, open_invitations, registered_offices
from .services.invitations import (
    existing_account,
    invitation_accept,
    invitation_create,
    invitation_join,
    invitation_resend,
    invitation_revoke,
    needs_two_step,
    normalised_email,
    refusal,
)
from .services.offices import organisation_register

# The key of the authenticator being set up on the acceptance page, per invitation, until accepted:
# a reload shows the same QR code, and nothing is stored in the database before the whole form passes.
ENROLMENT_SESSION_KEY = "ita_invitation_totp"
# Django's own backend, named because the portal has two (axes first) and a login without
# authenticate() must say which one vouches for the person: here the invitation did.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# The members page's history: what happened to memberships and to invitations.
MEMBER_HISTORY = ("ita.member.", "ita.invitation.")


@organisation_view(roles=ADMINS)
def org_members(request):
    """The office's people and its open invitations on one page, with the history of both."""
    organisation = request.organisation
    return render(
        request,
        "onboarding/org_members.html",
        {
            "organisation": organisation,
            "members": organisation_members(organisation),
            "invitations": open_invitations(organisation),
            "history": administration_history(organisation, *MEMBER_HISTORY),
        },
    )


@organisation_view(roles=ADMINS, methods=("GET", "POST"))
def invitation_new(request):
    organisation = request.organisation
    form = InvitationForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_create(organisation=organisation, user=request.user, **form.cleaned_data)
        except AdministrationError as error:
            refused(form, error)
        else:
            messages.success(
                request,
                _("The invitation was sent to %(email)s. It works once, within %(days)s days.")
                % {"email": invitation.email, "days": settings.ITA_INVITATION_DAYS},
            )
            return redirect("org_members", org_slug=organisation.slug)
    return render(request, "onboarding/invitation_new.html", {"organisation": organisation, "form": form})


@organisation_view(roles=ADMINS, methods=("POST",))
def invitation_resend_view(request, pk: int):
    invitation = get_open_invitation_or_404(request.organisation, pk)
    try:
        invitation_resend(invitation=invitation, user=request.user)
    except AdministrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("A new invitation was sent to %(email)s; the earlier link no longer works.")
                         % {"email": invitation.email})
    return redirect("org_members", org_slug=request.organisation.slug)


@organisation_view(roles=ADMINS, methods=("POST",))
def invitation_revoke_view(request, pk: int):
    invitation = get_open_invitation_or_404(request.organisation, pk)
    try:
        invitation_revoke(invitation=invitation, user=request.user)
    except AdministrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The invitation of %(email)s was revoked.") % {"email": invitation.email})
    return redirect("org_members", org_slug=request.organisation.slug)


def _enrolment_key(request, invitation) -> str:
    keys = request.session.get(ENROLMENT_SESSION_KEY, {})
    key = keys.get(str(invitation.pk))
    if key is None:
        key = secrets.token_hex(20)
        request.session[ENROLMENT_SESSION_KEY] = {**keys, str(invitation.pk): key}
    return key


def _forget_enrolment_key(request, invitation) -> None:
    keys = dict(request.session.get(ENROLMENT_SESSION_KEY, {}))
    keys.pop(str(invitation.pk), None)
    request.session[ENROLMENT_SESSION_KEY] = keys


def _enrolment_context(invitation, key: str) -> dict:
    # Not saved: the device is created with the account when the whole form passes.
    device = TOTPDevice(user=User(username=invitation.email), key=key, name="authenticator")
    return {"qr": qr_svg(device, title=_("QR code to scan with your authenticator app")), "key": grouped_key(device)}


@public_view(methods=("GET", "POST"))
@never_cache
def invitation_accept_view(request, token: str):
    invitation = invitation_by_token(token)
    reason = refusal(invitation)
    if reason:
        return render(request, "onboarding/invitation_refused.html", {"reason": reason},
                      status=404 if invitation is None else 410)
    context = {"invitation": invitation, "organisation": invitation.organisation}
    user = request.user
    if user.is_authenticated:
        # Someone already in the portal (another office) joins with the account they have.
        context["same_person"] = normalised_email(user.email) == invitation.email
        if request.method == "POST" and context["same_person"]:
            try:
                membership = invitation_join(token=token, user=user)
            except AdministrationError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Welcome to %(office)s.") % {"office": membership.organisation.full_name})
                return redirect("org_home", org_slug=membership.organisation.slug)
        return render(request, "onboarding/invitation_join.html", context)
    if existing_account(invitation.email) is not None:
        return render(request, "onboarding/invitation_join.html", {**context, "needs_login": True})

    key = _enrolment_key(request, invitation) if needs_two_step(invitation) else ""
    form = AcceptForm(request.POST or None, invitation=invitation, totp_key=key)
    if request.method == "POST" and form.is_valid():
        try:
            membership, device = invitation_accept(
                token=token, password=form.cleaned_data["password1"], totp_key=key,
                code=form.cleaned_data.get("code", ""),
            )
        except AdministrationError as error:
            refused(form, error)
        else:
            login(request, membership.user, backend=MODEL_BACKEND)
            if device is not None:
                complete_login(request, device)
            _forget_enrolment_key(request, invitation)
            messages.success(
                request,
                _("Welcome to %(office)s. From now on, log in with your e-mail address and your password.")
                % {"office": membership.organisation.full_name},
            )
            return redirect("org_home", org_slug=membership.organisation.slug)
    if key:
        context.update(_enrolment_context(invitation, key))
    return render(request, "onboarding/invitation_accept.html", {**context, "form": form, "two_step": bool(key)})


# --- registering offices (the people who run the portal) ---------------------------------------

REGISTER = "accounts.add_organisation"


@platform_view(permission=REGISTER)
def office_list(request):
    return render(request, "onboarding/office_list.html", {"offices": registered_offices()[:100]})


@platform_view(permission=REGISTER, methods=("GET", "POST"))
def office_new(request):
    form = OfficeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = organisation_register(
                kind=data["kind"], name=data["name"], district=data["district"], province=data["province"],
                document_code=data["document_code"], website=data["website"], email=data["email"],
                admin=form.first_admin(), user=request.user,
            )
        except AdministrationError as error:
            refused(form, error)
        else:
            messages.success(
                request,
                _("%(office)s was registered with its standard departments, positions and approval chain. "
                  "The invitation was sent to %(email)s.")
                % {"office": organisation.full_name, "email": data["admin_email"]},
            )
            return redirect("office_list")
    return render(request, "onboarding/office_new.html", {"form": form})


@platform_view(permission=REGISTER, methods=("GET", "POST"))
def office_import(request):
    form = OfficeImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_offices(file=upload, filename=upload.name, user=request.user)
        except TableFileError as error:
            form.add_error("file", str(error))
        else:
            if not result.errors:
                messages.success(
                    request,
                    ngettext("%(count)s office was registered; each admin receives an invitation.",
                             "%(count)s offices were registered; each admin receives an invitation.",
                             len(result.created)) % {"count": len(result.created)},
                )
                return redirect("office_list")
            errors = result.errors
    return render(request, "onboarding/office_import.html", {"form": form, "errors": errors,
                                                              "columns": COLUMNS, "required": REQUIRED})


@platform_view(permission=REGISTER)
def office_import_template(request):
    response = HttpResponse(
        template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="offices.xlsx"'
    return response
