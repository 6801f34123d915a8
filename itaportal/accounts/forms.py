import logging
import math
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from itaportal.thai import to_arabic_digits

from .models import Department, Organisation, Position, Role
from .tasks import send_password_reset_mail
from .validators import validate_document_code

CODE_RE = re.compile(r"[0-9]{6}")

logger = logging.getLogger(__name__)


class OrganisationProfileForm(forms.Form):
    document_code = forms.CharField(
        label=_("Document code"),
        max_length=30,
        required=False,
        help_text=_("As printed after ที่ in your memos, for example พย ๗๒๔๐๑"),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("E-mail"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_document_code(self) -> str:
        code = self.cleaned_data["document_code"].strip()
        validate_document_code(code)
        return code


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, department: Department) -> str:
        return department.name


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, position: Position) -> str:
        # The department tells apart two positions of one title in different units.
        title = position.full_title
        return f"{title} ({position.department.name})" if position.department_id else title


class MemberForm(forms.Form):
    department = DepartmentChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    position = PositionChoiceField(label=_("Position"), queryset=Position.objects.none(), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(organisation=organisation)
        self.fields["position"].queryset = Position.objects.filter(organisation=organisation).select_related(
            "organisation", "department"
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, help_text=_("For example กองการศึกษา ศาสนาและวัฒนธรรม"))
    abbreviation = forms.CharField(
        label=_("Abbreviation"), max_length=50, required=False,
        help_text=_("The short form documents and imported files use, for example กองการศึกษาฯ"),
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, required=False,
                               help_text=_("Lists show the departments from the smallest number"))

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", submit_label or _("Save")))


class PositionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150, help_text=_("For example หัวหน้าสำนักปลัด or ปลัด"))
    department = DepartmentChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False,
        help_text=_("Blank for a position above the departments, such as ปลัด or นายก"),
    )
    qualified = forms.BooleanField(label=_("Followed by the office's name"), required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, required=False)

    def __init__(self, *args, organisation: Organisation, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(organisation=organisation)
        # The example in the office's own name: another office's name on the page would only confuse.
        self.fields["qualified"].help_text = _("For example ปลัด is printed %(example)s") % {
            "example": f"ปลัด{organisation.full_name}"
        }
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", submit_label or _("Save")))


class CodeInput(forms.TextInput):
    """A code is typed afresh after an error: the refused one is not shown again."""

    def format_value(self, value):
        return None


class TwoFactorCodeForm(forms.Form):
    """The six digits of an authenticator app, checked against one device with django-otp's throttling."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=20,
        widget=CodeInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        # A Thai keyboard types ๑๒๓๔๕๖: the same code.
        code = to_arabic_digits("".join(self.cleaned_data["code"].split()))
        if not CODE_RE.fullmatch(code):
            raise forms.ValidationError(
                _("The code is the six digits that your authenticator app shows."), code="format"
            )
        allowed, details = TOTPDevice.objects.get(pk=self.device.pk).verify_is_allowed()
        if not allowed:
            seconds = max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))
            raise forms.ValidationError(
                ngettext(
                    "Too many wrong codes. Try again in %(seconds)d second.",
                    "Too many wrong codes. Try again in %(seconds)d seconds.",
                    seconds,
                )
                % {"seconds": seconds},
                code="throttled",
            )
        if verify_token(self.device.user, self.device.persistent_id, code) is None:
            raise forms.ValidationError(
                _("This code is not right. Type the six digits that your authenticator app shows now."),
                code="invalid",
            )
        return code


class PortalPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the mail written in the portal's language, its link on PORTAL_URL,
    and sent by a Celery task: with a worker, a known address answers as fast as an unknown one."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        context = {**context, "portal_url": settings.PORTAL_URL}
        with translation.override(settings.LANGUAGE_CODE):
            subject = " ".join(render_to_string(subject_template_name, context).split())
            body = render_to_string(email_template_name, context)
        try:
            send_password_reset_mail.delay(subject=subject, body=body, to_email=to_email)
        except Exception:
            # The answer must be the same for every address: a broker or mail server that is down
            # is for the logs, never for the page.
            logger.exception("the password reset mail could not be sent")
