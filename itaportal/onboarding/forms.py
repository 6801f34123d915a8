"""Forms of invitations and of registering offices."""

from binascii import unhexlify

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP

from itaportal.accounts.forms import CODE_RE, DepartmentChoiceField, PositionChoiceField
from itaportal.accounts.models import Department, District, Organisation, Position, Province, Role, User
from itaportal.accounts.validators import validate_document_code
from itaportal.thai import to_arabic_digits

from .models import Invitation
from .services.offices import FirstAdmin


class PersonFields(forms.Form):
    """Who is invited: the same fields for an office's first admin and for every later member."""

    name_prefix = forms.CharField(label=_("Name prefix"), max_length=30, required=False,
                                  help_text=_("นาย, นาง, นางสาว…"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), help_text=_("The invitation is sent here; it is also the login name."))


class InvitationForm(PersonFields):
    department = DepartmentChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    position = PositionChoiceField(label=_("Position"), queryset=Position.objects.none(), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.STAFF,
                             help_text=_("Admins and executives log in with a password and a code from their phone."))

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(organisation=organisation)
        self.fields["position"].queryset = Position.objects.filter(organisation=organisation).select_related(
            "organisation", "department"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False


class AcceptForm(forms.Form):
    """The new person's password (Django's validators, checked against their name and address) and,
    for the roles that need it, the first code of the app they have just set up."""

    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, invitation: Invitation, totp_key: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.totp_key = totp_key
        if not totp_key:
            del self.fields["code"]
        else:
            self.fields["code"].required = True
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_password2(self) -> str:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError(_("The two passwords differ. Type the same password twice."))
        invitation = self.invitation
        person = User(username=invitation.email, email=invitation.email, first_name=invitation.first_name,
                      last_name=invitation.last_name)
        password_validation.validate_password(second, person)
        return second

    def clean_code(self) -> str:
        # A Thai keyboard types ๑๒๓๔๕๖: the same code.
        code = to_arabic_digits("".join(self.cleaned_data["code"].split()))
        if not CODE_RE.fullmatch(code):
            raise forms.ValidationError(_("The code is the six digits that your authenticator app shows."))
        if not TOTP(unhexlify(self.totp_key)).verify(int(code), tolerance=1):
            raise forms.ValidationError(
                _("This code is not right. Type the six digits that your authenticator app shows now.")
            )
        return code


def kind_choices() -> list[tuple[str, str]]:
    # The kinds as offices name themselves (อบต. องค์การบริหารส่วนตำบล), in Thai whatever the language.
    choices = []
    for kind in Organisation.Kind.values:
        if kind in Organisation.FIXED_NAME:
            choices.append((kind, Organisation.FIXED_NAME[kind]))
        else:
            choices.append((kind, f"{Organisation.SHORT_PREFIX[kind]} {Organisation.FULL_PREFIX[kind]}"))
    return choices


def district_choices() -> list:
    """The districts grouped by province: without JavaScript the list is long but complete; with it,
    static/js/district-filter.js shows only the province chosen above."""
    groups: dict[str, list] = {}
    for district in District.objects.select_related("province").order_by("province__name", "name"):
        groups.setdefault(district.province.name, []).append((district.pk, district.full_name))
    return [("", "—")] + list(groups.items())


class OfficeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of office"), choices=kind_choices)
    name = forms.CharField(
        label=_("Place name"), max_length=100, required=False,
        help_text=_("Without อบต. or เทศบาล, for example ภูซาง; an อบจ. is named after its province, "
                    "and กรุงเทพมหานคร and เมืองพัทยา need none"),
    )
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.order_by("name"), required=False, empty_label="—",
        help_text=_("Narrows the list of districts; with a district it follows from it"),
    )
    district = forms.TypedChoiceField(
        label=_("District"), choices=district_choices, required=False, coerce=int, empty_value=None,
        help_text=_("Blank only for an office that has none, such as an อบจ."),
    )
    document_code = forms.CharField(
        label=_("Document code"), max_length=30, required=False,
        help_text=_("As printed after ที่ in the office's memos, for example พย ๗๒๔๐๑"),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("E-mail of the office"), required=False)
    admin_prefix = forms.CharField(label=_("Name prefix"), max_length=30, required=False,
                                   help_text=_("นาย, นาง, นางสาว…"))
    admin_first_name = forms.CharField(label=_("First name"), max_length=150)
    admin_last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    admin_email = forms.EmailField(label=_("E-mail"), help_text=_("The invitation is sent here."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].widget.attrs["data-filters"] = "id_district"
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_document_code(self) -> str:
        code = self.cleaned_data["document_code"].strip()
        validate_document_code(code)
        return code

    def clean_district(self) -> District | None:
        pk = self.cleaned_data["district"]
        return None if pk is None else District.objects.select_related("province").get(pk=pk)

    def first_admin(self) -> FirstAdmin:
        data = self.cleaned_data
        return FirstAdmin(name_prefix=data["admin_prefix"], first_name=data["admin_first_name"],
                          last_name=data["admin_last_name"], email=data["admin_email"])


class OfficeImportForm(forms.Form):
    file = forms.FileField(label=_("File (XLSX or CSV)"))
