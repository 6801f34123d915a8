from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView, PasswordResetConfirmView, PasswordResetView
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache


from .access import ADMINS, authenticated_view, organisation_view
from .forms import (
    DepartmentForm,
    MemberForm,
    OrganisationProfileForm,
    PortalPasswordResetForm,
    PositionForm,
    TwoFactorCodeForm,
)
from .models import Department, Membership, Position
from .selectors import (
    administration_history,
    memberships_of,
    object_history,
    organisation_departments,
    organisation_members,
    organisation_positions,
)
from .services import (
    AdministrationError,
    department_create,
    department_remove,
    department_update,
    membership_deactivate,
    membership_reactivate,
    membership_reset_two_step,
    membership_update,
    organisation_update_profile,
    position_create,
    position_remove,
    position_update,
)
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


def refused(form, error: AdministrationError) -> None:
    """A service's refusal, shown next to the field it names (or above the form)."""
    form.add_error(error.field if error.field in form.fields else None, str(error))


def _member(request, pk: int) -> Membership:
    return get_object_or_404(organisation_members(request.organisation), pk=pk)


@organisation_view(roles=ADMINS, methods=("GET", "POST"))
def member_edit(request, pk: int):
    organisation = request.organisation
    membership = _member(request, pk)
    initial = {"department": membership.department_id, "position": membership.position_id, "role": membership.role}
    form = MemberForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            membership_update(membership=membership, user=request.user, **form.cleaned_data)
        except AdministrationError as error:
            refused(form, error)
        else:
            messages.success(request, _("The changes to %(person)s were saved.") % {"person": membership.user.display_name})
            return redirect("org_members", org_slug=organisation.slug)
    return render(
        request,
        "accounts/member_edit.html",
        {"organisation": organisation, "member": membership, "form": form,
         "history": object_history(membership)},
    )


def _member_action(request, pk: int, service, done: str):
    membership = _member(request, pk)
    try:
        service(membership=membership, user=request.user)
    except AdministrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"person": membership.user.display_name})
    return redirect("org_members", org_slug=request.organisation.slug)


@organisation_view(roles=ADMINS, methods=("POST",))
def member_deactivate(request, pk: int):
    return _member_action(request, pk, membership_deactivate,
                          _("%(person)s was deactivated; what they wrote and signed stays."))


@organisation_view(roles=ADMINS, methods=("POST",))
def member_reactivate(request, pk: int):
    return _member_action(request, pk, membership_reactivate, _("%(person)s is active again."))


@organisation_view(roles=ADMINS, methods=("POST",))
def member_reset_two_step(request, pk: int):
    return _member_action(request, pk, membership_reset_two_step,
                          _("The two-step login of %(person)s was reset; their next login sets it up again."))


@organisation_view(roles=ADMINS, methods=("GET", "POST"))
def org_departments(request):
    organisation = request.organisation
    form = DepartmentForm(request.POST or None, submit_label=_("Add the department"))
    if request.method == "POST" and form.is_valid():
        try:
            department = department_create(organisation=organisation, user=request.user, **form.cleaned_data)
        except AdministrationError as error:
            refused(form, error)
        else:
            messages.success(request, _("The department %(name)s was added.") % {"name": department.name})
            return redirect("org_departments", org_slug=organisation.slug)
    return render(
        request,
        "accounts/org_departments.html",
        {"organisation": organisation, "departments": organisation_departments(organisation), "form": form,
         "history": administration_history(organisation, "ita.department.")},
    )


@organisation_view(roles=ADMINS, methods=("GET", "POST"))
def department_edit(request, pk: int):
    organisation = request.organisation
    department = get_object_or_404(Department, organisation=organisation, pk=pk)
    initial = {"name": department.name, "abbreviation": department.abbreviation, "order": department.order}
    form = DepartmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            department_update(department=department, user=request.user, name=data["name"],
                              abbreviation=data["abbreviation"],
                              order=department.order if data["order"] is None else data["order"])
        except AdministrationError as error:
            refused(form, error)
        else:
            messages.success(request, _("The department was saved."))
            return redirect("org_departments", org_slug=organisation.slug)
    return render(request, "accounts/department_edit.html",
                  {"organisation": organisation, "department": department, "form": form})


@organisation_view(roles=ADMINS, methods=("POST",))
def department_remove_view(request, pk: int):
    organisation = request.organisation
    department = get_object_or_404(Department, organisation=organisation, pk=pk)
    try:
        department_remove(department=department, user=request.user)
    except AdministrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The department %(name)s was removed.") % {"name": department.name})
    return redirect("org_departments", org_slug=organisation.slug)


@organisation_view(roles=ADMINS, methods=("GET", "POST"))
def org_positions(request):
    organisation = request.organisation
    form = PositionForm(request.POST or None, organisation=organisation, submit_label=_("Add the position"))
    if request.method == "POST" and form.is_valid():
        try:
            position = position_create(organisation=organisation, user=request.user, **form.cleaned_data)
        except AdministrationError as error:
            refused(form, error)
        else:
            messages.success(request, _("The position %(title)s was added.") % {"title": position.full_title})
            return redirect("org_positions", org_slug=organisation.slug)
    return render(
        request,
        "accounts/org_positions.html",
        {"organisation": organisation, "positions": organisation_positions(organisation), "form": form,
         "history": administration_history(organisation, "ita.position.")},
    )


@organisation_view(roles=ADMINS, methods=("GET", "POST"))
def position_edit(request, pk: int):
    organisation = request.organisation
    position = get_object_or_404(Position.objects.select_related("organisation"), organisation=organisation, pk=pk)
    initial = {"title": position.title, "department": position.department_id, "qualified": position.qualified,
               "order": position.order}
    form = PositionForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            position_update(position=position, user=request.user, title=data["title"],
                            department=data["department"], qualified=data["qualified"],
                            order=position.order if data["order"] is None else data["order"])
        except AdministrationError as error:
            refused(form, error)
        else:
            messages.success(request, _("The position was saved."))
            return redirect("org_positions", org_slug=organisation.slug)
    return render(request, "accounts/position_edit.html",
                  {"organisation": organisation, "position": position, "form": form})


@organisation_view(roles=ADMINS, methods=("POST",))
def position_remove_view(request, pk: int):
    organisation = request.organisation
    position = get_object_or_404(Position.objects.select_related("organisation"), organisation=organisation, pk=pk)
    try:
        position_remove(position=position, user=request.user)
    except AdministrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The position %(title)s was removed.") % {"title": position.full_title})
    return redirect("org_positions", org_slug=organisation.slug)


@organisation_view(roles=ADMINS, methods=("GET", "POST"))
def org_profile(request):
    organisation = request.organisation
    if request.method == "POST":
        form = OrganisationProfileForm(request.POST)
        if form.is_valid():
            try:
                organisation_update_profile(organisation=organisation, user=request.user, **form.cleaned_data)
            except AdministrationError as error:
                refused(form, error)
            else:
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
    return render(
        request,
        "accounts/org_profile.html",
        {"organisation": organisation, "form": form,
         "history": administration_history(organisation, "ita.organisation.", "ita.office.")},
    )


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
